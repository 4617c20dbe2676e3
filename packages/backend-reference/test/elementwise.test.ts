import { describe, expect, it } from '@jest/globals';
import type { BinaryOp, DType, UnaryOp } from '@keras-ts/core';
import { expectClose, expectValues, f32, Harness } from './support/harness.js';

const h = new Harness();

function unary(op: UnaryOp, values: number[], dtype: DType = 'float32', outDtype: DType = dtype): number[] {
  const x = h.t(values, [values.length], dtype);
  return h.read(h.backend.unary(op, x, h.out(x.shape, outDtype)), x.shape, outDtype);
}

function binary(op: BinaryOp, a: number[], b: number[], dtype: DType = 'float32', outDtype: DType = dtype): number[] {
  const x = h.t(a, [a.length], dtype);
  const y = h.t(b, [b.length], dtype);
  return h.read(h.backend.binary(op, x, y, h.out(x.shape, outDtype)), x.shape, outDtype);
}

describe('unary', () => {
  it('computes the float32 math functions', () => {
    const x = [-2, -0.5, 0.25, 1, 3];
    const pos = [0.25, 1, 2, 9];
    expectValues(unary('neg', x), [2, 0.5, -0.25, -1, -3]);
    expectValues(unary('abs', x), [2, 0.5, 0.25, 1, 3]);
    expectValues(unary('sign', [-3, -0, 0, 2, NaN]), [-1, 0, 0, 1, NaN]);
    expectValues(unary('exp', x), f32(x.map(Math.exp)));
    expectValues(unary('log', pos), f32(pos.map(Math.log)));
    expectValues(unary('sqrt', pos), [0.5, 1, Math.fround(Math.SQRT2), 3]);
    expectValues(unary('rsqrt', pos), [2, 1, Math.fround(Math.SQRT1_2), Math.fround(1 / 3)]);
    expectValues(unary('square', x), [4, 0.25, 0.0625, 1, 9]);
    expectValues(unary('reciprocal', pos), [4, 1, 0.5, Math.fround(1 / 9)]);
    expectValues(unary('sin', x), f32(x.map(Math.sin)));
    expectValues(unary('cos', x), f32(x.map(Math.cos)));
    expectValues(unary('tanh', x), f32(x.map(Math.tanh)));
    expectValues(unary('relu', [-1, -0, 0.5, NaN]), [0, 0, 0.5, NaN]);
    expectValues(unary('floor', [-1.5, -0.2, 0.7, 2]), [-2, -1, 0, 2]);
    expectValues(unary('ceil', [-1.5, -0.2, 0.7, 2]), [-1, -0, 1, 2]);
  });

  it('keeps expm1 and log1p accurate near zero', () => {
    const tiny = Math.fround(1e-10);
    expectClose(unary('expm1', [tiny]), [tiny], { rtol: 1e-7, atol: 0 });
    expectClose(unary('log1p', [tiny]), [tiny], { rtol: 1e-7, atol: 0 });
  });

  it('rounds half to even', () => {
    expectValues(unary('round', [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6]), [0, 2, 2, -0, -2, -2, 2, 3, -3]);
  });

  it('computes sigmoid and softplus without overflow for large |x|', () => {
    expectValues(unary('sigmoid', [-1000, 0, 1000]), [0, 0.5, 1]);
    expectClose(unary('sigmoid', [-20, 2]), [2.0611536181902037e-9, 0.8807970779778823], { rtol: 1e-7, atol: 0 });
    expectValues(unary('softplus', [-1000, 1000]), [0, 1000]);
    expectClose(unary('softplus', [0, -20, 3]), [Math.LN2, 2.0611536224385579e-9, 3.048587351573742], { rtol: 1e-7, atol: 0 });
  });

  it('computes erf to float32 precision', () => {
    // Values of math.erf (CPython, correctly rounded float64).
    const x = [-3, -1, -0.1, 0, 1e-4, 0.3, 0.5, 1, 2, 3.5, 5];
    const erf = [
      -0.9999779095030014, -0.8427007929497149, -0.1124629160182849, 0, 1.1283791633342383e-4, 0.3286267594591112,
      0.5204998778130465, 0.8427007929497149, 0.9953222650189527, 0.9999992569016276, 0.9999999999984626,
    ];
    expectClose(unary('erf', x), erf, { rtol: 1e-7, atol: 0 });
  });

  it('answers the bool questions', () => {
    expectValues(unary('isNan', [NaN, 1, Infinity], 'float32', 'bool'), [1, 0, 0]);
    expectValues(unary('isFinite', [NaN, 1, -Infinity, Infinity], 'float32', 'bool'), [0, 1, 0, 0]);
    expectValues(unary('logicalNot', [0, 1, 1], 'bool'), [1, 0, 0]);
  });

  it('keeps int32 exact and wrapping', () => {
    expectValues(unary('neg', [5, -2147483648], 'int32'), [-5, -2147483648]);
    expectValues(unary('abs', [-7, 3], 'int32'), [7, 3]);
    expectValues(unary('sign', [-7, 0, 3], 'int32'), [-1, 0, 1]);
    expectValues(unary('square', [46341, -3], 'int32'), [-2147479015, 9]);
    expectValues(unary('relu', [-7, 3], 'int32'), [0, 3]);
    expectValues(unary('round', [-7, 3], 'int32'), [-7, 3]);
  });
});

describe('binary', () => {
  it('broadcasts numpy-style', () => {
    const a = h.t([1, 2, 3, 4, 5, 6], [2, 1, 3]);
    const b = h.t([10, 20, 30, 40], [4, 1]);
    const y = h.backend.binary('add', a, b, h.out([2, 4, 3]));
    expectValues(h.read(y, [2, 4, 3]), [
      11, 12, 13, 21, 22, 23, 31, 32, 33, 41, 42, 43,
      14, 15, 16, 24, 25, 26, 34, 35, 36, 44, 45, 46,
    ]);
    const s = h.t([2], []);
    expectValues(h.read(h.backend.binary('pow', s, b, h.out([4, 1])), [4, 1]), [1024, 1048576, 2 ** 30, 2 ** 40]);
  });

  it('computes float arithmetic with one float32 rounding', () => {
    expectValues(binary('sub', [1, 2], [0.25, 3]), [0.75, -1]);
    expectValues(binary('mul', [1.5, -2], [2, 3]), [3, -6]);
    expectValues(binary('div', [1, 1, -1, 0], [3, 0, 0, 0]), [Math.fround(1 / 3), Infinity, -Infinity, NaN]);
    expectValues(binary('maximum', [1, NaN, -1], [2, 0, -3]), [2, NaN, -1]);
    expectValues(binary('minimum', [1, NaN, -1], [2, 0, -3]), [1, NaN, -3]);
  });

  it("follows C's pow (numpy's), not Math.pow, at its special values", () => {
    // 1 ** y = 1 for every y; (−1) ** ±Infinity = 1; x ** ±0 = 1 for every x; (−1) ** NaN stays NaN.
    const bases = [1, 1, 1, -1, -1, NaN, NaN, Infinity, -1, -8, 0, -0];
    const exponents = [NaN, Infinity, -Infinity, Infinity, -Infinity, 0, -0, 0, NaN, 1 / 3, -1, -3];
    expectValues(binary('pow', bases, exponents), [1, 1, 1, 1, 1, 1, 1, 1, NaN, NaN, Infinity, -Infinity]);
  });

  it('floors divisions and takes the divisor sign for mod (float32)', () => {
    expectValues(binary('floorDiv', [7, -7, 7, -7.5], [2, 2, -2, 2]), [3, -4, -4, -4]);
    expectValues(binary('mod', [7.5, -7.5, 7.5, -7.5, 4], [2, 2, -2, -2, 2]), [1.5, 0.5, -0.5, -1.5, 0]);
    expectValues(binary('mod', [1], [0]), [NaN]);
  });

  it('floors divisions and takes the divisor sign for mod (int32, like numpy)', () => {
    expectValues(binary('floorDiv', [7, -7, 7, -7, 6, 5], [2, 2, -2, -2, 3, 0], 'int32'), [3, -4, -4, 3, 2, 0]);
    expectValues(binary('mod', [7, -7, 7, -7, 6, 5], [2, 2, -2, -2, 3, 0], 'int32'), [1, 1, -1, -1, 0, 0]);
  });

  it('keeps int32 arithmetic int32, wrapping on overflow', () => {
    expectValues(binary('add', [2147483647, -5], [1, 3], 'int32'), [-2147483648, -2]);
    expectValues(binary('mul', [65536, -4], [65536, 5], 'int32'), [0, -20]);
    expectValues(binary('pow', [2, 3, 2, -1, -1], [10, 3, -1, -3, 2], 'int32'), [1024, 27, 0, -1, 1]);
    expectValues(binary('maximum', [2, -3], [1, 4], 'int32'), [2, 4]);
  });

  it('returns bool for comparisons and logical ops', () => {
    const a = [1, 2, 3, NaN];
    const b = [2, 2, 2, NaN];
    expectValues(binary('equal', a, b, 'float32', 'bool'), [0, 1, 0, 0]);
    expectValues(binary('notEqual', a, b, 'float32', 'bool'), [1, 0, 1, 1]);
    expectValues(binary('less', a, b, 'float32', 'bool'), [1, 0, 0, 0]);
    expectValues(binary('lessEqual', a, b, 'float32', 'bool'), [1, 1, 0, 0]);
    expectValues(binary('greater', a, b, 'float32', 'bool'), [0, 0, 1, 0]);
    expectValues(binary('greaterEqual', a, b, 'float32', 'bool'), [0, 1, 1, 0]);
    expectValues(binary('logicalAnd', [0, 0, 1, 1], [0, 1, 0, 1], 'bool'), [0, 0, 0, 1]);
    expectValues(binary('logicalOr', [0, 0, 1, 1], [0, 1, 0, 1], 'bool'), [0, 1, 1, 1]);
    const y = h.backend.binary('less', h.t([1], [1]), h.t([2], [1]), h.out([1], 'bool'));
    expect(h.backend.readSync(h.as(y, [1], 'bool'))).toBeInstanceOf(Uint8Array);
  });
});

describe('where', () => {
  it('picks from a or b, broadcasting all three', () => {
    const cond = h.t([1, 0, 1], [3], 'bool');
    const a = h.t([1, 2], [2, 1], 'int32');
    const b = h.t([-1], [], 'int32');
    const y = h.backend.where(cond, a, b, h.out([2, 3], 'int32'));
    expectValues(h.read(y, [2, 3], 'int32'), [1, -1, 1, 2, -1, 2]);
  });
});

describe('cast', () => {
  const cast = (values: number[], from: DType, to: DType) => {
    const x = h.t(values, [values.length], from);
    return h.read(h.backend.cast(x, h.out(x.shape, to)), x.shape, to);
  };

  it('truncates float to int32 toward zero (NaN → 0, saturating out of range)', () => {
    expectValues(cast([2.7, -2.7, 0.5, -0.5, NaN, 1e10, -1e10], 'float32', 'int32'), [2, -2, 0, 0, 0, 2147483647, -2147483648]);
  });

  it('turns anything non-zero into true', () => {
    expectValues(cast([0, -0, 0.1, -3, NaN, Infinity], 'float32', 'bool'), [0, 0, 1, 1, 1, 1]);
    expectValues(cast([0, 7, -1], 'int32', 'bool'), [0, 1, 1]);
  });

  it('widens bool and int32', () => {
    expectValues(cast([0, 1], 'bool', 'int32'), [0, 1]);
    expectValues(cast([0, 1], 'bool', 'float32'), [0, 1]);
    expectValues(cast([16777217, -3], 'int32', 'float32'), [16777216, -3]);
  });
});
