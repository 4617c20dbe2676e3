/** unary, binary, where and cast against the reference backend, every op tag and dtype core allows. */
import { describe, it } from '@jest/globals';
import { BINARY_OPS, UNARY_OPS, type BinaryOp, type DType, type UnaryOp } from '@keras-ts/core';
import { bools, expectSameAsReference, floats, input, ints, spec, type Input } from './support/twins.js';

/** Finite values plus the special ones every op must handle like the reference. */
const SPECIALS = [0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 1e-7, -1e-7, 1e-3, 30, -30, 100, -100, NaN, Infinity, -Infinity];

/** Inputs inside each op's domain, so the comparison tests the op and not NaN handling alone. */
function unaryInput(op: UnaryOp, seed: number): Input {
  if (op === 'logicalNot') return bools([3, 7], seed);
  if (op === 'log' || op === 'sqrt' || op === 'rsqrt') return floats([3, 7], seed, 1e-3, 50);
  if (op === 'log1p') return floats([3, 7], seed, -0.99, 3);
  if (op === 'exp' || op === 'expm1') return floats([3, 7], seed, -10, 10);
  return floats([3, 7], seed, -6, 6);
}

describe('unary', () => {
  for (const op of UNARY_OPS) {
    const out: DType = op === 'logicalNot' || op === 'isNan' || op === 'isFinite' ? 'bool' : 'float32';
    it(`${op} on random values`, () => {
      const x = unaryInput(op, 11);
      expectSameAsReference(op, (b, [t]) => b.unary(op, t, spec(x.shape, out)), [x], spec(x.shape, out));
    });
    if (op !== 'logicalNot') {
      it(`${op} on special values (zeros, ties, tiny, huge, NaN, ±Infinity)`, () => {
        const x = input(SPECIALS, [SPECIALS.length]);
        expectSameAsReference(op, (b, [t]) => b.unary(op, t, spec(x.shape, out)), [x], spec(x.shape, out));
      });
    }
  }

  it('expm1 and log1p keep float32 accuracy near 0', () => {
    const x = input([1e-10, -1e-10, 1e-6, -1e-6, 3e-4, -3e-4, 0.01, -0.01, 0.49, -0.49, 0.51], [11]);
    for (const op of ['expm1', 'log1p'] as const) expectSameAsReference(op, (b, [t]) => b.unary(op, t, spec([11])), [x], spec([11]), { rtol: 3e-7, atol: 0 });
  });

  for (const op of ['neg', 'abs', 'sign', 'square', 'relu', 'floor', 'ceil', 'round'] as const) {
    it(`${op} on int32, 0-d and rank 4`, () => {
      const x = ints([2, 1, 3, 2], 5, -50000, 50000);
      expectSameAsReference(op, (b, [t]) => b.unary(op, t, spec(x.shape, 'int32')), [x], spec(x.shape, 'int32'));
      const s = input([-7], [], 'int32');
      expectSameAsReference(op, (b, [t]) => b.unary(op, t, spec([], 'int32')), [s], spec([], 'int32'));
    });
  }
});

const COMPARISONS = new Set<BinaryOp>(['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr']);
const LOGICAL = new Set<BinaryOp>(['logicalAnd', 'logicalOr']);

describe('binary', () => {
  /** Shapes that broadcast both ways, a scalar, and equal shapes. */
  const SHAPES: [number[], number[], number[]][] = [
    [[2, 3, 4], [2, 3, 4], [2, 3, 4]],
    [[2, 1, 4], [3, 1], [2, 3, 4]],
    [[], [3, 2], [3, 2]],
    [[5], [], [5]],
  ];
  for (const op of BINARY_OPS) {
    const out: DType = COMPARISONS.has(op) ? 'bool' : 'float32';
    if (!LOGICAL.has(op)) {
      it(`${op} on float32 with broadcasting`, () => {
        SHAPES.forEach(([sa, sb, so], k) => {
          const a = floats(sa, 20 + k, -4, 4);
          // pow gets positive bases (negative bases with fractional exponents are NaN on both sides anyway).
          const b = op === 'pow' ? floats(sb, 40 + k, -3, 3) : floats(sb, 40 + k, -4, 4);
          const aa = op === 'pow' ? floats(sa, 20 + k, 0, 4) : a;
          expectSameAsReference(`${op} ${sa}|${sb}`, (be, [x, y]) => be.binary(op, x, y, spec(so, out)), [aa, b], spec(so, out), { rtol: 1e-5, atol: 1e-6 });
        });
      });
      it(`${op} on float32 special values`, () => {
        const n = SPECIALS.length;
        const a = input(SPECIALS.flatMap((v) => SPECIALS.map(() => v)), [n, n]);
        const b = input(SPECIALS.flatMap(() => SPECIALS), [n, n]);
        expectSameAsReference(op, (be, [x, y]) => be.binary(op, x, y, spec([n, n], out)), [a, b], spec([n, n], out));
      });
      it(`${op} on int32 (negative operands, zero divisors, broadcasting)`, () => {
        const a = ints([4, 6], 3, -20, 20);
        const b = ints([6], 4, -5, 5);
        const io: DType = COMPARISONS.has(op) ? 'bool' : 'int32';
        expectSameAsReference(op, (be, [x, y]) => be.binary(op, x, y, spec([4, 6], io)), [a, b], spec([4, 6], io));
      });
    }
    it(`${op} on bool`, () => {
      const a = bools([3, 4], 7);
      const b = bools([4], 8);
      expectSameAsReference(op, (be, [x, y]) => be.binary(op, x, y, spec([3, 4], 'bool')), [a, b], spec([3, 4], 'bool'));
    });
  }

  it('int32 arithmetic wraps, and division by 0 and −1 is defined at the int32 extremes', () => {
    const big = [2147483647, -2147483648, 65536, -7, 7, 0, 3, -3];
    const div = [2, -1, 65536, 0, -2, 0, -1, 2];
    const a = input(big, [8], 'int32');
    const b = input(div, [8], 'int32');
    for (const op of ['add', 'sub', 'mul', 'div', 'floorDiv', 'mod', 'maximum', 'minimum'] as const) {
      expectSameAsReference(op, (be, [x, y]) => be.binary(op, x, y, spec([8], 'int32')), [a, b], spec([8], 'int32'));
    }
  });

  it('int32 pow wraps like repeated 32-bit multiplication, negative exponents as the reference', () => {
    const a = input([2, 3, -2, 2, 1, -1, -1, 7, 0, 0, 5, -3], [12], 'int32');
    const b = input([10, 20, 3, -1, -5, -3, -4, 31, 0, 3, 13, 2147483647], [12], 'int32');
    expectSameAsReference('pow', (be, [x, y]) => be.binary('pow', x, y, spec([12], 'int32')), [a, b], spec([12], 'int32'));
  });
});

describe('where', () => {
  for (const dtype of ['float32', 'int32', 'bool'] as const) {
    it(`selects ${dtype} with a broadcast condition`, () => {
      const c = bools([3, 1], 1);
      const a = dtype === 'float32' ? floats([1, 4], 2) : dtype === 'int32' ? ints([1, 4], 2) : bools([1, 4], 2);
      const b = dtype === 'float32' ? floats([3, 4], 3) : dtype === 'int32' ? ints([3, 4], 3) : bools([3, 4], 3);
      expectSameAsReference('where', (be, [x, y, z]) => be.where(x, y, z, spec([3, 4], dtype)), [c, a, b], spec([3, 4], dtype));
    });
  }
});

describe('cast', () => {
  const sources: Input[] = [
    input([...SPECIALS, 2.7, -2.7, 3e9, -3e9, 2147483520, 2147483648, -2147483648], [SPECIALS.length + 7]),
    input([0, 1, -1, 2147483647, -2147483648, 16777217], [6], 'int32'),
    input([0, 1, 1, 0], [4], 'bool'),
  ];
  for (const x of sources) {
    for (const to of ['float32', 'int32', 'bool'] as const) {
      it(`${x.dtype} → ${to}`, () => expectSameAsReference('cast', (b, [t]) => b.cast(t, spec(x.shape, to)), [x], spec(x.shape, to)));
    }
  }
});
