/**
 * Every elementwise and reduction op tag, on every dtype core sends it, against the reference
 * backend: edge values included (NaN, ±Infinity, −0, halves for rounding, zero divisors), and
 * broadcasting.
 *
 * Left out, where tfjs (both tfjs-cpu and tfjs-wasm) and the reference differ and numpy leaves the
 * result undefined or disagrees with the reference itself:
 * - int32 results beyond ±2²⁴ (overflow included): tfjs computes several int32 ops through float32;
 * - x mod ±Infinity: the reference (and Python) give x or ±Infinity, tfjs NaN.
 *
 * pow's special values (1 ** NaN = 1, (−1) ** ±Infinity = 1, NaN ** 0 = 1: C's pow, numpy's) and
 * argmax/argmin over NaN (the first NaN wins) are compared with the rest.
 */
import { describe, expect, test } from '@jest/globals';
import { ARG_REDUCE_OPS, BINARY_OPS, REDUCE_OPS, UNARY_OPS, type BinaryOp, type DType, type UnaryOp } from '@keras-ts/core';
import { type BackendCase, spec } from '../helpers.js';
import { bool, f32, i32, type Input, VersusReference } from '../pair.js';

const FLOATS = [-100, -7.5, -3.5, -2.5, -1.5, -1, -0.5, -1e-3, -0, 0, 1e-7, 0.25, 0.5, 1, 1.5, 2.5, 3, 7.25, 100, NaN, Infinity, -Infinity];
const INTS = [-16777216, -4097, -7, -3, -2, -1, 0, 1, 2, 3, 7, 4096, 16777216];
/** Ops core sends int32 to (the others cast to float32 first). */
const INT_UNARY: readonly UnaryOp[] = ['neg', 'abs', 'sign', 'square', 'relu', 'floor', 'ceil', 'round'];
const BOOL_OUT = new Set<string>(['isNan', 'isFinite', 'logicalNot', 'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr']);
const LOGICAL: readonly BinaryOp[] = ['logicalAnd', 'logicalOr'];
const DIVIDING: readonly BinaryOp[] = ['div', 'floorDiv', 'mod'];

const A_FLOATS = [-7.5, -3.5, -2, -1, -0.5, -0, 0, 0.5, 1, 2, 3, 7.5, NaN, Infinity, -Infinity];
const B_FLOATS = [-3, -2, -1.5, -0.5, 0, 0.5, 1, 2, 2.5, 3, NaN, Infinity, -Infinity];
const A_INTS = [-100000, -7, -6, -2, -1, 0, 1, 2, 3, 7, 4097, 100000];
const B_INTS = [-3, -2, -1, 0, 1, 2, 3, 7, 31];
/** For pow, whose int32 results overflow quickly. */
const A_SMALL = [-7, -2, -1, 0, 1, 2, 3, 7];
const B_SMALL = [-3, -1, 0, 1, 2, 3, 7];

/** a as a column [n, 1] and b as a row [1, m]: the op on every pair, through broadcasting. */
function grid(dtype: DType, as: readonly number[], bs: readonly number[]): [Input, Input, number[]] {
  return [{ values: as, shape: [as.length, 1], dtype }, { values: bs, shape: [1, bs.length], dtype }, [as.length, bs.length]];
}

/** Every pair of float edge values the op is compared on, as two vectors [n] (see the header for what is left out). */
function floatPairs(op: BinaryOp): [Input, Input, number[]] {
  const pairs = A_FLOATS.flatMap((a) => B_FLOATS.map((b) => [a, b]))
    .filter(([, b]) => !(op === 'mod' && Math.abs(b) === Infinity));
  return [f32(pairs.map((p) => p[0])), f32(pairs.map((p) => p[1])), [pairs.length]];
}

export function elementwiseVersusReference(c: BackendCase): void {
  const v = new VersusReference(c.backend(), c.engineFree);

  describe('unary', () => {
    const floatOps = UNARY_OPS.filter((op) => op !== 'logicalNot');
    test.each(floatOps)('%s on float32', (op) => {
      const out = spec([FLOATS.length], BOOL_OUT.has(op) ? 'bool' : 'float32');
      v.check(op, [f32(FLOATS)], out, (b, [x]) => b.unary(op, x, out));
    });
    test.each(INT_UNARY)('%s on int32', (op) => {
      const values = op === 'square' ? INTS.filter((x) => Math.abs(x) <= 4096) : INTS;
      const out = spec([values.length], 'int32');
      v.check(op, [i32(values)], out, (b, [x]) => b.unary(op, x, out));
    });
    test('logicalNot on bool', () => {
      v.check('logicalNot', [bool([0, 1, 1, 0])], spec([4], 'bool'), (b, [x]) => b.unary('logicalNot', x, spec([4], 'bool')));
    });
    test('every UnaryOp tag is covered', () => {
      expect(new Set([...floatOps, 'logicalNot'])).toEqual(new Set(UNARY_OPS));
    });
  });

  describe('binary', () => {
    const arithmetic = BINARY_OPS.filter((op) => !LOGICAL.includes(op));
    test.each(arithmetic)('%s on float32, every pair of edge values', (op) => {
      const [a, bb, shape] = floatPairs(op);
      const out = spec(shape, BOOL_OUT.has(op) ? 'bool' : 'float32');
      v.check(op, [a, bb], out, (b, [x, y]) => b.binary(op, x, y, out));
    });
    test.each(arithmetic)('%s on int32, every pair (zero divisors, negative exponents)', (op) => {
      const [a, bb, shape] = op === 'pow' ? grid('int32', A_SMALL, B_SMALL) : grid('int32', A_INTS, B_INTS);
      const out = spec(shape, BOOL_OUT.has(op) ? 'bool' : 'int32');
      v.check(op, [a, bb], out, (b, [x, y]) => b.binary(op, x, y, out));
    });
    test.each(BINARY_OPS)('%s on bool', (op) => {
      // Dividing by false is left out: numpy raises for it.
      const [a, bb, shape] = DIVIDING.includes(op) ? grid('bool', [0, 1], [1]) : grid('bool', [0, 1], [0, 1]);
      const out = spec(shape, 'bool');
      v.check(op, [a, bb], out, (b, [x, y]) => b.binary(op, x, y, out));
    });
    test.each(BINARY_OPS.filter((op) => !DIVIDING.includes(op) && !LOGICAL.includes(op)))('%s broadcasts [2,1,3] with [4,1] and a scalar', (op) => {
      const out = spec([2, 4, 3], BOOL_OUT.has(op) ? 'bool' : 'float32');
      const a = f32([1, -2, 3, 0.5, 5, -6], [2, 1, 3]);
      v.check(op, [a, f32([2, -1, 0.5, 3], [4, 1])], out, (b, [x, y]) => b.binary(op, x, y, out));
      const o2 = spec([2, 1, 3], out.dtype);
      v.check(`${op} with a scalar`, [a, f32([1.5], [])], o2, (b, [x, y]) => b.binary(op, x, y, o2));
    });
  });

  describe('where and cast', () => {
    test.each<DType>(['float32', 'int32', 'bool'])('where on %s broadcasts condition and both branches', (dtype) => {
      const out = spec([2, 3, 2], dtype);
      const branch = (values: number[], shape: number[]): Input => ({ values, shape, dtype });
      v.check('where', [bool([1, 0, 1], [3, 1]), branch([7, 0, -3, 1, 0, 2], [2, 3, 1]), branch([0, 5], [2])], out, (b, [cond, x, y]) => b.where(cond, x, y, out));
    });
    const sources: [DType, Input][] = [
      // float32 to int32 beyond the int32 range is left out: the reference saturates, tfjs wraps, numpy leaves it undefined.
      ['float32', f32([-2.7, -1, -0.5, -0, 0, 0.5, 0.99, 1, 2.5, 255.5, 256, 1e9, NaN])],
      ['int32', i32([-2147483647, -256, -1, 0, 1, 2, 255, 256, 2147483647])],
      ['bool', bool([0, 1, 1, 0])],
    ];
    for (const [from, input] of sources) {
      test.each<DType>(['float32', 'int32', 'bool'])(`cast ${from} to %s`, (to) => {
        const out = spec(input.shape, to);
        v.check(`cast ${from} to ${to}`, [input], out, (b, [x]) => b.cast(x, out));
      });
    }
  });

  describe('reductions', () => {
    const shape = [2, 3, 4];
    const floats = f32(Array.from({ length: 24 }, (_, i) => Math.fround(Math.sin(i * 1.7) * 10)), shape);
    const ints = i32(Array.from({ length: 24 }, (_, i) => ((i * 7919) % 23) - 11), shape);
    const bools = bool(Array.from({ length: 24 }, (_, i) => +(i % 3 === 0 || i % 7 === 0)), shape);
    const withNaN = f32(floats.values.map((x, i) => (i === 5 || i === 18 ? NaN : x)), shape);
    const axesSets = [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]];
    const kept = (axes: number[]) => shape.filter((_, i) => !axes.includes(i));
    for (const op of REDUCE_OPS) {
      const cases: [string, Input, DType][] = [['float32', floats, 'float32'], ['int32', ints, 'int32'], ['float32 with NaN', withNaN, 'float32']];
      // Sum, mean and prod of bool are counted in int32 by core; max and min are any/all.
      if (op === 'max' || op === 'min') cases.push(['bool', bools, 'bool']);
      test.each(cases)(`${op} on %s over every set of axes`, (_, x, dtype) => {
        for (const axes of axesSets) {
          const out = spec(kept(axes), dtype);
          v.check(`${op} over [${axes}]`, [x], out, (b, [t]) => b.reduce(op, t, axes, out));
        }
      });
    }
    test.each(ARG_REDUCE_OPS)('%s along each axis: ties, infinities, NaN (the first wins), int32', (op) => {
      const ties = f32([3, 7, 7, 1, 9, 9, 1, 1, -2, 5, 5, 5], [2, 2, 3]);
      const infinite = f32(floats.values.map((x, i) => (i === 5 ? Infinity : i === 18 ? -Infinity : x)), shape);
      // NaN first, last, twice in a row, next to ±Infinity, and in every row of the last axis.
      const nans = f32(floats.values.map((x, i) => ([0, 6, 7, 11, 13, 17, 23].includes(i) ? NaN : i === 5 ? Infinity : i === 12 ? -Infinity : x)), shape);
      for (const x of [ties, infinite, withNaN, nans, ints]) {
        for (let axis = 0; axis < x.shape.length; axis++) {
          const out = spec(x.shape.filter((_, i) => i !== axis), 'int32');
          v.check(`${op} along ${axis}`, [x], out, (b, [t]) => b.argReduce(op, t, axis, out));
        }
      }
    });
  });
}
