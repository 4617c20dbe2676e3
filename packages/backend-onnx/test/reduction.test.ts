/** reduce, argReduce and moments against the reference backend. */
import { describe, it } from '@jest/globals';
import { ARG_REDUCE_OPS, REDUCE_OPS } from '@keras-ts/core';
import { bools, expectSameAsReference, floats, input, ints, spec, SUMS } from './support/twins.js';

const SHAPE = [3, 4, 5];
/** Every non-empty sorted axis list of a rank-3 tensor. */
const AXES = [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]];
const kept = (axes: number[]) => SHAPE.filter((_, i) => !axes.includes(i));

describe('reduce', () => {
  for (const op of REDUCE_OPS) {
    it(`${op} of float32 over every axis list`, () => {
      const x = op === 'prod' ? floats(SHAPE, 3, 0.5, 1.5) : floats(SHAPE, 3);
      for (const axes of AXES) expectSameAsReference(`${op} ${axes}`, (b, [t]) => b.reduce(op, t, axes, spec(kept(axes))), [x], spec(kept(axes)), SUMS);
    });
    it(`${op} of int32 (wrapping sums and products, truncated mean)`, () => {
      const x = op === 'prod' ? ints(SHAPE, 4, -3, 3) : ints(SHAPE, 4, -2147483647, 2147483647);
      for (const axes of AXES) expectSameAsReference(`${op} ${axes}`, (b, [t]) => b.reduce(op, t, axes, spec(kept(axes), 'int32')), [x], spec(kept(axes), 'int32'));
    });
  }

  it('max and min of bool are logical or / and', () => {
    const x = bools([4, 3], 9);
    for (const op of ['max', 'min'] as const) {
      for (const axes of [[0], [1], [0, 1]]) {
        const shape = [4, 3].filter((_, i) => !axes.includes(i));
        expectSameAsReference(`${op} ${axes}`, (b, [t]) => b.reduce(op, t, axes, spec(shape, 'bool')), [x], spec(shape, 'bool'));
      }
    }
  });

  it('NaN propagates through max and min; infinities and empty groups as the reference', () => {
    const x = input([1, NaN, 3, -Infinity, 2, Infinity, 5, 6, NaN], [3, 3]);
    for (const op of REDUCE_OPS) expectSameAsReference(op, (b, [t]) => b.reduce(op, t, [1], spec([3])), [x], spec([3]));
    const empty = input([], [2, 0]);
    for (const op of REDUCE_OPS) expectSameAsReference(`${op} empty`, (b, [t]) => b.reduce(op, t, [1], spec([2])), [empty], spec([2]));
  });

  it('a large sum stays within float32 tolerance', () => {
    const x = floats([64, 1000], 5, 0, 1);
    expectSameAsReference('sum', (b, [t]) => b.reduce('sum', t, [0, 1], spec([])), [x], spec([]), { rtol: 1e-5, atol: 0 });
  });
});

describe('argReduce', () => {
  for (const op of ARG_REDUCE_OPS) {
    it(`${op} along each axis of float32 and int32, first index on ties`, () => {
      const x = floats(SHAPE, 6);
      const tied = ints(SHAPE, 7, 0, 2);
      for (let axis = 0; axis < 3; axis++) {
        const out = spec(SHAPE.filter((_, i) => i !== axis), 'int32');
        expectSameAsReference(`${op} ${axis}`, (b, [t]) => b.argReduce(op, t, axis, out), [x], out);
        expectSameAsReference(`${op} ${axis} ties`, (b, [t]) => b.argReduce(op, t, axis, out), [tied], out);
      }
    });
    it(`${op}: the first NaN wins`, () => {
      const x = input([1, NaN, 3, NaN, 5, 5, -1, -1, 0], [3, 3]);
      expectSameAsReference(op, (b, [t]) => b.argReduce(op, t, 1, spec([3], 'int32')), [x], spec([3], 'int32'));
    });
    it(`${op} of bool`, () => {
      const x = bools([4, 5], 3);
      expectSameAsReference(op, (b, [t]) => b.argReduce(op, t, 1, spec([4], 'int32')), [x], spec([4], 'int32'));
    });
  }
});

describe('moments', () => {
  it('mean and biased variance over several axis lists', () => {
    const x = floats([4, 3, 6], 8, -2, 2);
    for (const axes of [[0], [2], [0, 1], [0, 1, 2]]) {
      const shape = [4, 3, 6].filter((_, i) => !axes.includes(i));
      expectSameAsReference(`moments ${axes}`, (b, [t]) => b.moments(t, axes, spec(shape)), [x], [spec(shape), spec(shape)], SUMS);
    }
  });

  it('stays accurate when the mean is large against the spread (two passes)', () => {
    const base = floats([8, 256], 9, -1, 1);
    const x = input(base.values.map((v) => Math.fround(1000 + v * 0.01)), [8, 256]);
    // The one-pass E[x²] − E[x]² would lose every digit of the variance (~3e-5) here.
    expectSameAsReference('moments', (b, [t]) => b.moments(t, [1], spec([8])), [x], [spec([8]), spec([8])], { rtol: 1e-3, atol: 1e-9 });
  });

  it('an empty group gives NaN', () => {
    const x = input([], [3, 0]);
    expectSameAsReference('moments', (b, [t]) => b.moments(t, [1], spec([3])), [x], [spec([3]), spec([3])]);
  });
});
