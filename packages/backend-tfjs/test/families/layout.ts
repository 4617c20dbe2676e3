/** Layout kernels and matmul against hand-computed values, for any backend case. */
import { afterEach, expect, test } from '@jest/globals';
import { type BackendCase, Harness, seeded, spec } from '../helpers.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export function layoutTests(c: BackendCase): void {
  const b = c.backend();
  const h = new Harness(b);
  afterEach(() => h.freeAll());

  test('reshape keeps values and dtype', () => {
    expect(h.read(b.reshape(h.up(range(6), [2, 3], 'int32'), spec([3, 2], 'int32')), spec([3, 2], 'int32'))).toEqual(range(6));
    expect(h.read(b.reshape(h.up([1, 0], [2], 'bool'), spec([1, 2], 'bool')), spec([1, 2], 'bool'))).toEqual([1, 0]);
  });

  test('transpose of a matrix and of a rank-3 tensor', () => {
    expect(h.read(b.transpose(h.up(range(6), [2, 3]), [1, 0], spec([3, 2])), spec([3, 2]))).toEqual([0, 3, 1, 4, 2, 5]);
    // x[i][j][k] = 100i + 10j + k, shape [2,2,3] -> perm [2,0,1] -> [3,2,2]
    const x = [0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112];
    expect(h.read(b.transpose(h.up(x, [2, 2, 3]), [2, 0, 1], spec([3, 2, 2])), spec([3, 2, 2]))).toEqual([
      0, 10, 100, 110, 1, 11, 101, 111, 2, 12, 102, 112,
    ]);
  });

  test('slice, contiguous and strided', () => {
    const x = h.up(range(12), [3, 4]);
    expect(h.read(b.slice(x, [1, 0], [2, 4], spec([2, 4])), spec([2, 4]))).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    expect(h.read(b.slice(x, [0, 1], [3, 2], spec([3, 2])), spec([3, 2]))).toEqual([1, 2, 5, 6, 9, 10]);
  });

  test('concat along each axis, bool too', () => {
    const a = h.up([1, 2, 3, 4], [2, 2]);
    const c = h.up([5, 6], [2, 1]);
    expect(h.read(b.concat([a, c], 1, spec([2, 3])), spec([2, 3]))).toEqual([1, 2, 5, 3, 4, 6]);
    expect(h.read(b.concat([a, h.up([9, 9], [1, 2])], 0, spec([3, 2])), spec([3, 2]))).toEqual([1, 2, 3, 4, 9, 9]);
    expect(h.read(b.concat([a], 0, spec([2, 2])), spec([2, 2]))).toEqual([1, 2, 3, 4]);
    const t = h.up([1, 0], [2], 'bool');
    expect(h.read(b.concat([t, t], 0, spec([4], 'bool')), spec([4], 'bool'))).toEqual([1, 0, 1, 0]);
  });

  test('pad with a constant', () => {
    const out = h.read(b.pad(h.up([1, 2, 3, 4], [2, 2]), [[1, 0], [0, 2]], -1, spec([3, 4])), spec([3, 4]));
    expect(out).toEqual([-1, -1, -1, -1, 1, 2, -1, -1, 3, 4, -1, -1]);
    expect(h.read(b.pad(h.up([5], [1], 'int32'), [[2, 1]], 0, spec([4], 'int32')), spec([4], 'int32'))).toEqual([0, 0, 5, 0]);
  });

  test('gather on axis 0 with 2-D indices, and on axis 1', () => {
    const x = h.up(range(6), [3, 2]);
    const idx = h.up([2, 0, 2, 1], [2, 2], 'int32');
    expect(h.read(b.gather(x, idx, 0, spec([2, 2, 2])), spec([2, 2, 2]))).toEqual([4, 5, 0, 1, 4, 5, 2, 3]);
    const y = h.up(range(6), [2, 3]);
    expect(h.read(b.gather(y, h.up([2, 2, 0], [3], 'int32'), 1, spec([2, 3])), spec([2, 3]))).toEqual([2, 2, 0, 5, 5, 3]);
    expect(h.read(b.gather(y, h.up([1], [], 'int32'), 0, spec([3])), spec([3]))).toEqual([3, 4, 5]);
  });

  test('scatterAdd on axis 0 accumulates repeated indices', () => {
    const updates = h.up([1, 2, 10, 20, 100, 200], [3, 2]);
    const idx = h.up([2, 0, 2], [3], 'int32');
    expect(h.read(b.scatterAdd(updates, idx, 0, spec([4, 2])), spec([4, 2]))).toEqual([10, 20, 0, 0, 101, 202, 0, 0]);
  });

  test('scatterAdd on a middle axis with 2-D indices', () => {
    // out [2, 3, 2]; indices [2, 2]; updates [2, 2, 2, 2]
    const updates = h.up(range(16).map((v) => v + 1), [2, 2, 2, 2]);
    const idx = h.up([0, 2, 2, 2], [2, 2], 'int32');
    const out = h.read(b.scatterAdd(updates, idx, 1, spec([2, 3, 2])), spec([2, 3, 2]));
    // for o in 0..1: row 0 gets u[o,0,0,:]; row 2 gets u[o,0,1,:] + u[o,1,0,:] + u[o,1,1,:]
    expect(out).toEqual([1, 2, 0, 0, 3 + 5 + 7, 4 + 6 + 8, 9, 10, 0, 0, 11 + 13 + 15, 12 + 14 + 16]);
  });

  test('scatterAdd is the adjoint of gather: <gather(x), u> = <x, scatterAdd(u)>', () => {
    const xs = seeded(5 * 5 * 4, 3);
    const us = seeded(5 * 6 * 4, 4);
    const indices = [4, 0, 0, 2, 1, 4];
    const x = h.up(xs, [5, 5, 4]);
    const idx = h.up(indices, [6], 'int32');
    const g = h.read(b.gather(x, idx, 1, spec([5, 6, 4])), spec([5, 6, 4]));
    const s = h.read(b.scatterAdd(h.up(us, [5, 6, 4]), idx, 1, spec([5, 5, 4])), spec([5, 5, 4]));
    const lhs = g.reduce((p, v, i) => p + v * us[i], 0);
    const rhs = s.reduce((p, v, i) => p + v * Math.fround(xs[i]), 0);
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4);
  });

  test('scatterAdd with no indices gives zeros; int32 updates stay int32', () => {
    expect(h.read(b.scatterAdd(h.up([], [0, 2]), h.up([], [0], 'int32'), 0, spec([3, 2])), spec([3, 2]))).toEqual([0, 0, 0, 0, 0, 0]);
    const out = h.read(b.scatterAdd(h.up([1, 2, 3], [3], 'int32'), h.up([1, 1, 0], [3], 'int32'), 0, spec([2], 'int32')), spec([2], 'int32'));
    expect(out).toEqual([3, 3]);
  });

  test('tile', () => {
    expect(h.read(b.tile(h.up([1, 2, 3, 4], [2, 2]), [2, 1], spec([4, 2])), spec([4, 2]))).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
    expect(h.read(b.tile(h.up([1, 0], [2], 'bool'), [3], spec([6], 'bool')), spec([6], 'bool'))).toEqual([1, 0, 1, 0, 1, 0]);
  });

  test('reverse along one and two axes, and along none', () => {
    const x = h.up(range(6), [2, 3]);
    expect(h.read(b.reverse(x, [1], spec([2, 3])), spec([2, 3]))).toEqual([2, 1, 0, 5, 4, 3]);
    expect(h.read(b.reverse(x, [0, 1], spec([2, 3])), spec([2, 3]))).toEqual([5, 4, 3, 2, 1, 0]);
    expect(h.read(b.reverse(x, [], spec([2, 3])), spec([2, 3]))).toEqual(range(6));
  });

  test('matmul with transposes and a broadcast batch', () => {
    const a = h.up([1, 2, 3, 4, 5, 6], [1, 2, 3]);
    const bm = h.up([1, 0, 0, 1, 1, 1, 2, 0, 0, 2, 2, 2], [2, 3, 2]);
    expect(h.read(b.matmul(a, bm, false, false, spec([2, 2, 2])), spec([2, 2, 2]))).toEqual([4, 5, 10, 11, 8, 10, 20, 22]);
    const at = h.up([1, 4, 2, 5, 3, 6], [1, 3, 2]);
    const bt = h.up([1, 0, 1, 0, 1, 1], [1, 2, 3]);
    expect(h.read(b.matmul(at, bt, true, true, spec([1, 2, 2])), spec([1, 2, 2]))).toEqual([4, 5, 10, 11]);
  });
}
