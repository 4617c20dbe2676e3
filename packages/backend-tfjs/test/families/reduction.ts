/** Reductions and moments against hand-computed values, for any backend case. */
import { afterEach, describe, expect, test } from '@jest/globals';
import { type BackendCase, expectClose, Harness, seeded, spec } from '../helpers.js';

// x[i][j][k] = i*100 + j*10 + k over shape [2, 3, 4]
const X = Array.from({ length: 24 }, (_, n) => Math.floor(n / 12) * 100 + Math.floor((n % 12) / 4) * 10 + (n % 4));

export function reductionTests(c: BackendCase): void {
  const b = c.backend();
  const h = new Harness(b);
  afterEach(() => h.freeAll());

  describe('reduce', () => {
    test('sum over one leading, one middle and one trailing axis', () => {
      const x = h.up(X, [2, 3, 4]);
      expect(h.read(b.reduce('sum', x, [0], spec([3, 4])), spec([3, 4]))).toEqual(
        [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23].map((v) => 2 * v + 100),
      );
      expect(h.read(b.reduce('sum', x, [1], spec([2, 4])), spec([2, 4]))).toEqual([30, 33, 36, 39, 330, 333, 336, 339]);
      expect(h.read(b.reduce('sum', x, [2], spec([2, 3])), spec([2, 3]))).toEqual([6, 46, 86, 406, 446, 486]);
    });

    test('sum over non-adjacent axes and over all axes', () => {
      const x = h.up(X, [2, 3, 4]);
      expect(h.read(b.reduce('sum', x, [0, 2], spec([3])), spec([3]))).toEqual([412, 492, 572]);
      expect(h.read(b.reduce('sum', x, [0, 1, 2], spec([])), spec([]))).toEqual([1476]);
    });

    test('mean, max, min, prod', () => {
      const x = h.up([1, -2, 3, 4, 5, -6], [2, 3]);
      expectClose(h.read(b.reduce('mean', x, [1], spec([2])), spec([2])), [2 / 3, 1]);
      expect(h.read(b.reduce('max', x, [0], spec([3])), spec([3]))).toEqual([4, 5, 3]);
      expect(h.read(b.reduce('min', x, [1], spec([2])), spec([2]))).toEqual([-2, -6]);
      expect(h.read(b.reduce('prod', x, [0, 1], spec([])), spec([]))).toEqual([720]);
      expect(h.read(b.reduce('max', x, [0, 1], spec([])), spec([]))).toEqual([5]);
    });

    test('int32: mean truncates toward zero and stays int32', () => {
      const x = h.up([1, 2, -1, -2, 7, 7], [3, 2], 'int32');
      expect(h.read(b.reduce('mean', x, [1], spec([3], 'int32')), spec([3], 'int32'))).toEqual([1, -1, 7]);
      expect(h.read(b.reduce('sum', x, [0], spec([2], 'int32')), spec([2], 'int32'))).toEqual([7, 7]);
      expect(h.read(b.reduce('max', x, [0], spec([2], 'int32')), spec([2], 'int32'))).toEqual([7, 7]);
      expect(h.read(b.reduce('prod', x, [1], spec([3], 'int32')), spec([3], 'int32'))).toEqual([2, 2, 49]);
    });

    test('bool max/min behave as any/all', () => {
      const x = h.up([1, 0, 0, 0], [2, 2], 'bool');
      expect(h.read(b.reduce('max', x, [1], spec([2], 'bool')), spec([2], 'bool'))).toEqual([1, 0]);
      expect(h.read(b.reduce('min', x, [0], spec([2], 'bool')), spec([2], 'bool'))).toEqual([0, 0]);
    });
  });

  describe('argReduce', () => {
    test('argmax/argmin along each axis, first index on ties, int32 out', () => {
      const x = h.up([3, 7, 7, 1, 9, 1], [2, 3]);
      expect(h.read(b.argReduce('argmax', x, 1, spec([2], 'int32')), spec([2], 'int32'))).toEqual([1, 1]);
      expect(h.read(b.argReduce('argmin', x, 1, spec([2], 'int32')), spec([2], 'int32'))).toEqual([0, 0]);
      expect(h.read(b.argReduce('argmax', x, 0, spec([3], 'int32')), spec([3], 'int32'))).toEqual([0, 1, 0]);
      expect(h.read(b.argReduce('argmin', x, 0, spec([3], 'int32')), spec([3], 'int32'))).toEqual([1, 0, 1]);
    });

    test('NaN beats every number and the first NaN wins, along the last axis and another', () => {
      const i32 = (n: number) => spec([n], 'int32');
      const x = h.up([1, NaN, 3], [3]);
      expect(h.read(b.argReduce('argmax', x, 0, spec([], 'int32')), spec([], 'int32'))).toEqual([1]);
      expect(h.read(b.argReduce('argmin', x, 0, spec([], 'int32')), spec([], 'int32'))).toEqual([1]);
      // Rows: NaN first, NaN after +Infinity, two NaNs, no NaN.
      const rows = h.up([NaN, 5, 9, 2, Infinity, -Infinity, NaN, 0, 4, NaN, NaN, 1, 3, -1, 8, 3], [4, 4]);
      expect(h.read(b.argReduce('argmax', rows, 1, i32(4)), i32(4))).toEqual([0, 2, 1, 2]);
      expect(h.read(b.argReduce('argmin', rows, 1, i32(4)), i32(4))).toEqual([0, 2, 1, 1]);
      // Columns: the first NaN in rows 0, 2 and 1; the last column [2, 0, 1, 3] has none.
      expect(h.read(b.argReduce('argmax', rows, 0, i32(4)), i32(4))).toEqual([0, 2, 1, 3]);
      expect(h.read(b.argReduce('argmin', rows, 0, i32(4)), i32(4))).toEqual([0, 2, 1, 1]);
    });

    test('a NaN anywhere in a long axis is found (every position of 37 values)', () => {
      for (let at = 0; at < 37; at++) {
        const values = Array.from({ length: 37 }, (_, i) => (i === at ? NaN : i === 20 ? 100 : -i));
        const x = h.up(values, [37]);
        expect(h.read(b.argReduce('argmax', x, 0, spec([], 'int32')), spec([], 'int32'))).toEqual([at]);
        expect(h.read(b.argReduce('argmin', x, 0, spec([], 'int32')), spec([], 'int32'))).toEqual([at]);
      }
    });

    test('max and min propagate NaN over any axis', () => {
      const x = h.up([1, NaN, 3, 4, 5, 6], [2, 3]);
      expectClose(h.read(b.reduce('max', x, [1], spec([2])), spec([2])), [NaN, 6]);
      expectClose(h.read(b.reduce('min', x, [0], spec([3])), spec([3])), [1, NaN, 3]);
      expectClose(h.read(b.reduce('max', x, [0, 1], spec([])), spec([])), [NaN]);
    });
  });

  describe('moments', () => {
    test('mean and biased variance over the given axes', () => {
      const x = h.up([1, 2, 3, 4, 5, 6], [2, 3]);
      const [m, v] = b.moments(x, [1], spec([2]));
      expectClose(h.read(m, spec([2])), [2, 5]);
      expectClose(h.read(v, spec([2])), [2 / 3, 2 / 3]);
      const [m0, v0] = b.moments(x, [0, 1], spec([]));
      expectClose(h.read(m0, spec([])), [3.5]);
      expectClose(h.read(v0, spec([])), [35 / 12]);
    });

    test('accurate with mean 1000 and std 1 (no E[x²] − E[x]² cancellation)', () => {
      const n = 4096;
      // Values 1000 ± 1 exactly: variance exactly 1 in float32.
      const values = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1001 : 999));
      const [m, v] = b.moments(h.up(values, [n]), [0], spec([]));
      expectClose(h.read(m, spec([])), [1000], 1e-7);
      expectClose(h.read(v, spec([])), [1], 1e-4);
      // Random data around 1000: compare with a float64 two-pass reference.
      const noise = seeded(8 * 1000, 7).map((r) => Math.fround(1000 + r * Math.sqrt(3)));
      const [m2, v2] = b.moments(h.up(noise, [8, 1000]), [1], spec([8]));
      const refMean = Array.from({ length: 8 }, (_, i) => noise.slice(i * 1000, (i + 1) * 1000).reduce((p, q) => p + q, 0) / 1000);
      const refVar = refMean.map((mu, i) => noise.slice(i * 1000, (i + 1) * 1000).reduce((p, q) => p + (q - mu) ** 2, 0) / 1000);
      expectClose(h.read(m2, spec([8])), refMean, 1e-7);
      expectClose(h.read(v2, spec([8])), refVar, 1e-3);
    });
  });
}
