/** Elementwise kernels against hand-computed values, for any backend case. */
import { afterEach, describe, expect, test } from '@jest/globals';
import type { BinaryOp, UnaryOp } from '@keras-ts/core';
import { BINARY_OPS, UNARY_OPS } from '@keras-ts/core';
import { type BackendCase, expectClose, Harness, spec } from '../helpers.js';

const X = [-1.5, -0.5, 0, 0.5, 2.5, 3];
const erf = (x: number): number => {
  // Abramowitz-Stegun 7.1.26 is too coarse for 1e-5; integrate the series instead.
  let sum = 0;
  let term = x;
  for (let n = 0; n < 60; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
};
const roundHalfEven = (v: number): number => {
  const f = Math.floor(v);
  const d = v - f;
  return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
};

const FLOAT_UNARY: Record<Exclude<UnaryOp, 'logicalNot' | 'isNan' | 'isFinite'>, (v: number) => number> = {
  neg: (v) => -v, abs: Math.abs, sign: Math.sign, exp: Math.exp, expm1: Math.expm1, log: Math.log, log1p: Math.log1p,
  sqrt: Math.sqrt, rsqrt: (v) => 1 / Math.sqrt(v), square: (v) => v * v, reciprocal: (v) => 1 / v, sin: Math.sin,
  cos: Math.cos, tanh: Math.tanh, sigmoid: (v) => 1 / (1 + Math.exp(-v)), relu: (v) => Math.max(0, v), erf,
  floor: Math.floor, ceil: Math.ceil, round: roundHalfEven, softplus: (v) => Math.log1p(Math.exp(v)),
};

const A = [1, -2, 3, 4.5, -5, 6];
const B3 = [2, 4, -1.5];
const FLOAT_BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b, pow: (a, b) => a ** b,
  maximum: Math.max, minimum: Math.min, floorDiv: (a, b) => Math.floor(a / b), mod: (a, b) => a - Math.floor(a / b) * b,
  equal: (a, b) => +(a === b), notEqual: (a, b) => +(a !== b), less: (a, b) => +(a < b), lessEqual: (a, b) => +(a <= b),
  greater: (a, b) => +(a > b), greaterEqual: (a, b) => +(a >= b),
  logicalAnd: (a, b) => +(a !== 0 && b !== 0), logicalOr: (a, b) => +(a !== 0 || b !== 0),
};
const COMPARISONS: readonly BinaryOp[] = ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'];

export function elementwiseTests(c: BackendCase): void {
  const b = c.backend();
  const h = new Harness(b);
  afterEach(() => h.freeAll());

  describe('unary', () => {
    test.each(Object.keys(FLOAT_UNARY) as (keyof typeof FLOAT_UNARY)[])('%s on float32', (op) => {
      const out = h.read(b.unary(op, h.up(X, [2, 3]), spec([2, 3])), spec([2, 3]));
      expectClose(out, X.map((v) => Math.fround(FLOAT_UNARY[op](Math.fround(v)))), 2e-6);
    });

    test('every UnaryOp tag is covered by these tests', () => {
      expect([...Object.keys(FLOAT_UNARY), 'logicalNot', 'isNan', 'isFinite'].sort()).toEqual([...UNARY_OPS].sort());
    });

    test('round is half to even; sign keeps NaN', () => {
      expectClose(h.read(b.unary('round', h.up([0.5, 1.5, 2.5, -0.5, -1.5, 2.4], [6]), spec([6])), spec([6])), [0, 2, 2, 0, -2, 2]);
      expectClose(h.read(b.unary('sign', h.up([NaN, -2, 0], [3]), spec([3])), spec([3])), [NaN, -1, 0]);
    });

    test('int32 ops stay int32', () => {
      const x = h.up([-3, 0, 2, 7], [4], 'int32');
      expect(h.read(b.unary('neg', x, spec([4], 'int32')), spec([4], 'int32'))).toEqual([3, 0, -2, -7]);
      expect(h.read(b.unary('abs', x, spec([4], 'int32')), spec([4], 'int32'))).toEqual([3, 0, 2, 7]);
      expect(h.read(b.unary('square', x, spec([4], 'int32')), spec([4], 'int32'))).toEqual([9, 0, 4, 49]);
      expect(h.read(b.unary('sign', x, spec([4], 'int32')), spec([4], 'int32'))).toEqual([-1, 0, 1, 1]);
      expect(h.read(b.unary('relu', x, spec([4], 'int32')), spec([4], 'int32'))).toEqual([0, 0, 2, 7]);
    });

    test('logicalNot, isNan and isFinite return bool', () => {
      expect(h.read(b.unary('logicalNot', h.up([1, 0, 1], [3], 'bool'), spec([3], 'bool')), spec([3], 'bool'))).toEqual([0, 1, 0]);
      const x = h.up([NaN, Infinity, -Infinity, 1], [4]);
      expect(h.read(b.unary('isNan', x, spec([4], 'bool')), spec([4], 'bool'))).toEqual([1, 0, 0, 0]);
      expect(h.read(b.unary('isFinite', x, spec([4], 'bool')), spec([4], 'bool'))).toEqual([0, 0, 0, 1]);
    });
  });

  describe('binary', () => {
    test('every BinaryOp tag is covered', () => {
      expect(Object.keys(FLOAT_BINARY).sort()).toEqual([...BINARY_OPS].sort());
    });

    const arithmetic = (BINARY_OPS as readonly BinaryOp[]).filter((op) => op !== 'logicalAnd' && op !== 'logicalOr');
    test.each(arithmetic)('%s on float32 broadcasts [2,3] with [3]', (op) => {
      const a = h.up(A, [2, 3]);
      const bb = h.up(B3, [3]);
      const dtype = COMPARISONS.includes(op) ? 'bool' : 'float32';
      const out = h.read(b.binary(op, a, bb, spec([2, 3], dtype)), spec([2, 3], dtype));
      const expected = A.map((v, i) => FLOAT_BINARY[op](v, B3[i % 3]));
      expectClose(out, expected.map((v) => (dtype === 'bool' ? v : Math.fround(v))), 1e-5);
    });

    test('broadcasting on both sides: [2,1] with [1,3]', () => {
      const out = h.read(b.binary('sub', h.up([10, 20], [2, 1]), h.up([1, 2, 3], [1, 3]), spec([2, 3])), spec([2, 3]));
      expect(out).toEqual([9, 8, 7, 19, 18, 17]);
    });

    test('scalar against a tensor', () => {
      expect(h.read(b.binary('mul', h.up([2], []), h.up([1, 2, 3], [3]), spec([3])), spec([3]))).toEqual([2, 4, 6]);
    });

    test('arithmetic on bool stays 0/1', () => {
      const a = h.up([1, 1, 0, 0], [4], 'bool');
      const c = h.up([1, 0, 1, 0], [4], 'bool');
      expect(h.read(b.binary('add', a, c, spec([4], 'bool')), spec([4], 'bool'))).toEqual([1, 1, 1, 0]);
      expect(h.read(b.binary('sub', a, c, spec([4], 'bool')), spec([4], 'bool'))).toEqual([0, 1, 1, 0]);
      expect(h.read(b.binary('mul', a, c, spec([4], 'bool')), spec([4], 'bool'))).toEqual([1, 0, 0, 0]);
      expect(h.read(b.binary('maximum', a, c, spec([4], 'bool')), spec([4], 'bool'))).toEqual([1, 1, 1, 0]);
      expect(h.read(b.unary('neg', a, spec([4], 'bool')), spec([4], 'bool'))).toEqual([1, 1, 0, 0]);
    });

    test('logical ops on bool', () => {
      const a = h.up([1, 1, 0, 0], [4], 'bool');
      const c = h.up([1, 0, 1, 0], [4], 'bool');
      expect(h.read(b.binary('logicalAnd', a, c, spec([4], 'bool')), spec([4], 'bool'))).toEqual([1, 0, 0, 0]);
      expect(h.read(b.binary('logicalOr', a, c, spec([4], 'bool')), spec([4], 'bool'))).toEqual([1, 1, 1, 0]);
      expect(h.read(b.binary('equal', a, c, spec([4], 'bool')), spec([4], 'bool'))).toEqual([1, 0, 0, 1]);
    });

    test('int32: floorDiv and div floor, mod follows the divisor, comparisons give bool', () => {
      const a = h.up([7, -7, 7, -7, 6], [5], 'int32');
      const c = h.up([2, 2, -2, -2, 3], [5], 'int32');
      const i32 = spec([5], 'int32');
      expect(h.read(b.binary('floorDiv', a, c, i32), i32)).toEqual([3, -4, -4, 3, 2]);
      expect(h.read(b.binary('div', a, c, i32), i32)).toEqual([3, -4, -4, 3, 2]);
      expect(h.read(b.binary('mod', a, c, i32), i32)).toEqual([1, 1, -1, -1, 0]);
      expect(h.read(b.binary('add', a, c, i32), i32)).toEqual([9, -5, 5, -9, 9]);
      expect(h.read(b.binary('pow', a, c, i32), i32)).toEqual([49, 49, 0, 0, 216]);
      expect(h.read(b.binary('greater', a, c, spec([5], 'bool')), spec([5], 'bool'))).toEqual([1, 0, 1, 0, 1]);
    });

    test("pow follows C's pow (numpy's), not Math.pow: 1 ** NaN = 1, (−1) ** ±Infinity = 1, NaN ** 0 = 1", () => {
      const bases = [1, 1, 1, -1, -1, NaN, NaN, Infinity, -1, 2, -8];
      const exponents = [NaN, Infinity, -Infinity, Infinity, -Infinity, 0, -0, 0, NaN, 3, 0.5];
      const out = h.read(b.binary('pow', h.up(bases, [11]), h.up(exponents, [11]), spec([11])), spec([11]));
      expectClose(out, [1, 1, 1, 1, 1, 1, 1, 1, NaN, 8, NaN]);
      // Broadcast: a column of bases against a row of exponents, and a scalar base.
      const grid = h.read(b.binary('pow', h.up([1, -1, 2], [3, 1]), h.up([NaN, Infinity, 2], [1, 3]), spec([3, 3])), spec([3, 3]));
      expectClose(grid, [1, 1, 1, NaN, 1, 1, NaN, Infinity, 4]);
      expectClose(h.read(b.binary('pow', h.up([1], []), h.up([NaN, -Infinity, 5], [3]), spec([3])), spec([3])), [1, 1, 1]);
    });

    test('maximum and minimum propagate NaN', () => {
      const a = h.up([NaN, 1, 2, NaN], [4]);
      const c = h.up([1, NaN, 1, NaN], [4]);
      expectClose(h.read(b.binary('maximum', a, c, spec([4])), spec([4])), [NaN, NaN, 2, NaN]);
      expectClose(h.read(b.binary('minimum', a, c, spec([4])), spec([4])), [NaN, NaN, 1, NaN]);
    });

    test('float32 floorDiv stays float32 (tfjs FloorDiv would give int32)', () => {
      const out = h.read(b.binary('floorDiv', h.up([7.5, -7.5, 1e10], [3]), h.up([2, 2, 3], [3]), spec([3])), spec([3]));
      expectClose(out, [3, -4, Math.floor(1e10 / 3)], 1e-6);
    });
  });

  describe('where and cast', () => {
    test('where broadcasts condition and both branches', () => {
      const cond = h.up([1, 0, 1], [3], 'bool');
      const a = h.up([10, 20], [2, 1]);
      const c = h.up([-1], []);
      expect(h.read(b.where(cond, a, c, spec([2, 3])), spec([2, 3]))).toEqual([10, -1, 10, 20, -1, 20]);
    });

    test('where on int32 and bool', () => {
      const cond = h.up([0, 1], [2], 'bool');
      expect(h.read(b.where(cond, h.up([1, 2], [2], 'int32'), h.up([3, 4], [2], 'int32'), spec([2], 'int32')), spec([2], 'int32'))).toEqual([3, 2]);
      expect(h.read(b.where(cond, h.up([1, 1], [2], 'bool'), h.up([0, 0], [2], 'bool'), spec([2], 'bool')), spec([2], 'bool'))).toEqual([0, 1]);
    });

    test('cast between every pair of dtypes', () => {
      const f = h.up([-1.7, 0, 2.9, NaN], [4]);
      expect(h.read(b.cast(f, spec([4], 'int32')), spec([4], 'int32'))).toEqual([-1, 0, 2, 0]);
      expect(h.read(b.cast(f, spec([4], 'bool')), spec([4], 'bool'))).toEqual([1, 0, 1, 1]);
      const i = h.up([-3, 0, 5], [3], 'int32');
      expect(h.read(b.cast(i, spec([3])), spec([3]))).toEqual([-3, 0, 5]);
      expect(h.read(b.cast(i, spec([3], 'bool')), spec([3], 'bool'))).toEqual([1, 0, 1]);
      const bo = h.up([1, 0], [2], 'bool');
      expect(h.read(b.cast(bo, spec([2], 'int32')), spec([2], 'int32'))).toEqual([1, 0]);
      expect(h.read(b.cast(bo, spec([2])), spec([2]))).toEqual([1, 0]);
    });

    test('cast to the same dtype returns a new handle', () => {
      const x = h.up([1, 2], [2]);
      const y = b.cast(x, spec([2]));
      expect(y).not.toBe(x.handle);
      expect(h.read(y, spec([2]))).toEqual([1, 2]);
    });
  });
}
