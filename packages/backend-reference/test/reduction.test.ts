import { describe, it } from '@jest/globals';
import type { DType, ReduceOp } from '@keras-ts/core';
import { expectClose, expectValues, Harness } from './support/harness.js';

const h = new Harness();
/** 0..23 as [2, 3, 4]. */
const range = Array.from({ length: 24 }, (_, i) => i);

function reduce(op: ReduceOp, values: number[], shape: number[], axes: number[], dtype: DType = 'float32'): number[] {
  const x = h.t(values, shape, dtype);
  const outShape = shape.filter((_, i) => !axes.includes(i));
  return h.read(h.backend.reduce(op, x, axes, h.out(outShape, dtype)), outShape, dtype);
}

describe('reduce', () => {
  it('sums over sorted axes and drops them', () => {
    expectValues(reduce('sum', range, [2, 3, 4], [1]), [12, 15, 18, 21, 48, 51, 54, 57]);
    expectValues(reduce('sum', range, [2, 3, 4], [0, 2]), [60, 92, 124]);
    expectValues(reduce('sum', range, [2, 3, 4], [0, 1, 2]), [276]);
  });

  it('takes means, max, min and products', () => {
    expectValues(reduce('mean', range, [2, 3, 4], [2]), [1.5, 5.5, 9.5, 13.5, 17.5, 21.5]);
    expectValues(reduce('max', [3, -1, 7, 2, 9, -4], [2, 3], [1]), [7, 9]);
    expectValues(reduce('min', [3, -1, 7, 2, 9, -4], [2, 3], [0]), [2, -1, -4]);
    expectValues(reduce('prod', [1, 2, 3, 4, 5, 6], [2, 3], [1]), [6, 120]);
  });

  it('propagates NaN through max and min', () => {
    expectValues(reduce('max', [1, NaN, 3], [3], [0]), [NaN]);
    expectValues(reduce('min', [1, NaN, 3], [3], [0]), [NaN]);
  });

  it('keeps int32 sums exact and truncates the int32 mean toward zero', () => {
    expectValues(reduce('sum', [2147483647, 1, 5], [3], [0], 'int32'), [-2147483643]);
    expectValues(reduce('mean', [-3, -4, 3, 4, 1, 1], [3, 2], [1], 'int32'), [-3, 3, 1]);
    expectValues(reduce('mean', [2147483647, 2147483647], [2], [0], 'int32'), [2147483647]);
    expectValues(reduce('prod', [65536, 65536, 3], [3], [0], 'int32'), [0]);
  });

  it('reduces bool with max (any) and min (all)', () => {
    expectValues(reduce('max', [0, 1, 0, 0], [2, 2], [1], 'bool'), [1, 0]);
    expectValues(reduce('min', [1, 1, 0, 1], [2, 2], [1], 'bool'), [1, 0]);
  });

  it('accumulates float32 sums in float64 and rounds once', () => {
    // 1 + 1e-8 a million times: a float32 accumulator would stay at 1.
    const n = 1 << 20;
    const values = new Array<number>(n).fill(1e-8);
    values[0] = 1;
    expectClose(reduce('sum', values, [n], [0]), [1 + (n - 1) * Math.fround(1e-8)], { rtol: 1e-7, atol: 0 });
  });
});

describe('argReduce', () => {
  it('finds the first maximum / minimum along an axis', () => {
    const x = h.t([1, 5, 5, 0, 2, 2, 7, -1, 0], [3, 3]);
    expectValues(h.read(h.backend.argReduce('argmax', x, 1, h.out([3], 'int32')), [3], 'int32'), [1, 1, 0]);
    expectValues(h.read(h.backend.argReduce('argmin', x, 1, h.out([3], 'int32')), [3], 'int32'), [0, 0, 1]);
    expectValues(h.read(h.backend.argReduce('argmax', x, 0, h.out([3], 'int32')), [3], 'int32'), [2, 0, 0]);
  });

  it('counts NaN beyond every number, as numpy', () => {
    const x = h.t([1, NaN, 3, NaN], [4]);
    expectValues(h.read(h.backend.argReduce('argmax', x, 0, h.out([], 'int32')), [], 'int32'), [1]);
    expectValues(h.read(h.backend.argReduce('argmin', x, 0, h.out([], 'int32')), [], 'int32'), [1]);
  });

  it('works on int32 along a middle axis', () => {
    const x = h.t([0, 9, 4, 2, 4, 9], [1, 3, 2], 'int32');
    expectValues(h.read(h.backend.argReduce('argmax', x, 1, h.out([1, 2], 'int32')), [1, 2], 'int32'), [1, 0]);
  });
});
