/** Layout kernels against the reference backend, for every dtype. */
import { describe, it } from '@jest/globals';
import type { DType } from '@keras-ts/core';
import { bools, expectSameAsReference, floats, input, ints, spec, type Input } from './support/twins.js';

const DTYPES: DType[] = ['float32', 'int32', 'bool'];
const of = (dtype: DType, shape: number[], seed: number): Input =>
  dtype === 'float32' ? floats(shape, seed) : dtype === 'int32' ? ints(shape, seed, -1000, 1000) : bools(shape, seed);

describe('layout', () => {
  for (const dtype of DTYPES) {
    it(`reshape shares nothing observable (${dtype})`, () => {
      const x = of(dtype, [2, 3, 4], 1);
      expectSameAsReference('reshape', (b, [t]) => b.reshape(t, spec([6, 4], dtype)), [x], spec([6, 4], dtype));
    });

    it(`transpose, every permutation of rank 3 (${dtype})`, () => {
      const x = of(dtype, [2, 3, 4], 2);
      for (const perm of [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]) {
        const out = spec(perm.map((p) => x.shape[p]), dtype);
        expectSameAsReference(`transpose ${perm}`, (b, [t]) => b.transpose(t, perm, out), [x], out);
      }
    });

    it(`slice (${dtype})`, () => {
      const x = of(dtype, [4, 5, 6], 3);
      const cases: [number[], number[]][] = [[[0, 0, 0], [4, 5, 6]], [[1, 2, 3], [2, 3, 3]], [[3, 4, 5], [1, 1, 1]], [[0, 1, 0], [4, 0, 6]]];
      for (const [begin, size] of cases) expectSameAsReference(`slice ${begin}`, (b, [t]) => b.slice(t, begin, size, spec(size, dtype)), [x], spec(size, dtype));
    });

    it(`concat along each axis, two and three inputs (${dtype})`, () => {
      for (let axis = 0; axis < 2; axis++) {
        const shapes = axis === 0 ? [[1, 3], [2, 3], [3, 3]] : [[2, 1], [2, 4], [2, 2]];
        const xs = shapes.map((s, k) => of(dtype, s, 10 + k));
        const total = shapes.reduce((n, s) => n + s[axis], 0);
        const outShape = axis === 0 ? [total, 3] : [2, total];
        expectSameAsReference(`concat ${axis}`, (b, ts) => b.concat(ts, axis, spec(outShape, dtype)), xs, spec(outShape, dtype));
        expectSameAsReference(`concat ${axis} of 2`, (b, ts) => b.concat(ts.slice(0, 2), axis, spec(axis === 0 ? [3, 3] : [2, 5], dtype)), xs.slice(0, 2), spec(axis === 0 ? [3, 3] : [2, 5], dtype));
      }
    });

    it(`pad with a constant converted to the dtype (${dtype})`, () => {
      const x = of(dtype, [2, 3], 4);
      for (const value of [0, 2.7, -1.5]) {
        expectSameAsReference(`pad ${value}`, (b, [t]) => b.pad(t, [[1, 0], [2, 3]], value, spec([3, 8], dtype)), [x], spec([3, 8], dtype));
      }
    });

    it(`gather along each axis with repeated indices, indices of rank 2 (${dtype})`, () => {
      const x = of(dtype, [3, 4, 5], 5);
      for (let axis = 0; axis < 3; axis++) {
        const n = x.shape[axis];
        const idx = input([n - 1, 0, n - 1, 1, 0, 0], [2, 3], 'int32');
        const outShape = [...x.shape.slice(0, axis), 2, 3, ...x.shape.slice(axis + 1)];
        expectSameAsReference(`gather ${axis}`, (b, [t, i]) => b.gather(t, i, axis, spec(outShape, dtype)), [x, idx], spec(outShape, dtype));
      }
    });

    it(`scatterAdd accumulates repeated indices (${dtype})`, () => {
      for (let axis = 0; axis < 3; axis++) {
        const outShape = [3, 4, 5];
        const idx = input([outShape[axis] - 1, 0, outShape[axis] - 1, 1, 0, 0], [2, 3], 'int32');
        const updShape = [...outShape.slice(0, axis), 2, 3, ...outShape.slice(axis + 1)];
        const upd = of(dtype, updShape, 6 + axis);
        expectSameAsReference(`scatterAdd ${axis}`, (b, [u, i]) => b.scatterAdd(u, i, axis, spec(outShape, dtype)), [upd, idx], spec(outShape, dtype));
      }
    });

    it(`tile (${dtype})`, () => {
      const x = of(dtype, [2, 3], 7);
      expectSameAsReference('tile', (b, [t]) => b.tile(t, [3, 2], spec([6, 6], dtype)), [x], spec([6, 6], dtype));
      expectSameAsReference('tile 1', (b, [t]) => b.tile(t, [1, 1], spec([2, 3], dtype)), [x], spec([2, 3], dtype));
    });

    it(`reverse along every axis list (${dtype})`, () => {
      const x = of(dtype, [2, 3, 4], 8);
      for (const axes of [[], [0], [1], [2], [0, 2], [0, 1, 2]]) {
        expectSameAsReference(`reverse ${axes}`, (b, [t]) => b.reverse(t, axes, spec(x.shape, dtype)), [x], spec(x.shape, dtype));
      }
    });
  }

  it('0-d tensors and empty tensors pass through every layout kernel', () => {
    const s = input([3.5], []);
    expectSameAsReference('reshape 0-d', (b, [t]) => b.reshape(t, spec([1, 1])), [s], spec([1, 1]));
    expectSameAsReference('tile 0-d', (b, [t]) => b.tile(t, [], spec([])), [s], spec([]));
    const e = input([], [0, 3]);
    expectSameAsReference('pad empty', (b, [t]) => b.pad(t, [[1, 1], [0, 0]], 5, spec([2, 3])), [e], spec([2, 3]));
    expectSameAsReference('concat with empty', (b, [t, u]) => b.concat([t, u], 0, spec([2, 3])), [e, floats([2, 3], 1)], spec([2, 3]));
    expectSameAsReference('transpose empty', (b, [t]) => b.transpose(t, [1, 0], spec([3, 0])), [e], spec([3, 0]));
    const none = input([], [0], 'int32');
    expectSameAsReference('scatterAdd of no updates', (b, [u, i]) => b.scatterAdd(u, i, 1, spec([2, 4])), [input([], [2, 0]), none], spec([2, 4]));
    expectSameAsReference('gather of no indices', (b, [t, i]) => b.gather(t, i, 0, spec([0, 3])), [floats([2, 3], 2), none], spec([0, 3]));
    expectSameAsReference('tile to empty', (b, [t]) => b.tile(t, [0, 2], spec([0, 6])), [floats([2, 3], 3)], spec([0, 6]));
  });
});
