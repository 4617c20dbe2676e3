import { describe, expect, it } from '@jest/globals';
import { expectValues, Harness } from './support/harness.js';

const h = new Harness();
/** 0..23 as [2, 3, 4]: element (i, j, k) = 12i + 4j + k. */
const x = h.t(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);

describe('layout', () => {
  it('reshapes to a new handle over the same elements', () => {
    const y = h.backend.reshape(x, h.out([4, 6]));
    expect(y).not.toBe(x.handle);
    expectValues(h.read(y, [4, 6]), h.read(x.handle, x.shape));
  });

  it('transposes: output axis k is input axis perm[k]', () => {
    const y = h.backend.transpose(x, [2, 0, 1], h.out([4, 2, 3]));
    const values = h.read(y, [4, 2, 3]);
    for (let k = 0; k < 4; k++) for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) {
      expect(values[(k * 2 + i) * 3 + j]).toBe(12 * i + 4 * j + k);
    }
  });

  it('slices a box', () => {
    const y = h.backend.slice(x, [1, 1, 2], [1, 2, 2], h.out([1, 2, 2]));
    expectValues(h.read(y, [1, 2, 2]), [18, 19, 22, 23]);
  });

  it('concatenates along an axis', () => {
    const a = h.t([1, 2, 3, 4], [2, 2]);
    const b = h.t([5, 6], [2, 1]);
    const c = h.t([7, 8, 9, 10, 11, 12], [2, 3]);
    expectValues(h.read(h.backend.concat([a, b, c], 1, h.out([2, 6])), [2, 6]), [1, 2, 5, 7, 8, 9, 3, 4, 6, 10, 11, 12]);
    expectValues(h.read(h.backend.concat([a, a], 0, h.out([4, 2])), [4, 2]), [1, 2, 3, 4, 1, 2, 3, 4]);
  });

  it('pads with a constant, converted to the dtype', () => {
    const a = h.t([1, 2, 3, 4], [2, 2]);
    const y = h.backend.pad(a, [[1, 0], [0, 2]], -1, h.out([3, 4]));
    expectValues(h.read(y, [3, 4]), [-1, -1, -1, -1, 1, 2, -1, -1, 3, 4, -1, -1]);
    const i = h.t([5], [1], 'int32');
    expectValues(h.read(h.backend.pad(i, [[1, 1]], 2.9, h.out([3], 'int32')), [3], 'int32'), [2, 5, 2]);
    const b = h.t([0], [1], 'bool');
    expectValues(h.read(h.backend.pad(b, [[2, 0]], 1, h.out([3], 'bool')), [3], 'bool'), [1, 1, 0]);
  });

  it('gathers along an axis with an index tensor of any rank', () => {
    const indices = h.t([2, 0, 2, 1], [2, 2], 'int32');
    const y = h.backend.gather(x, indices, 1, h.out([2, 2, 2, 4]));
    const values = h.read(y, [2, 2, 2, 4]);
    const idx = [2, 0, 2, 1];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 4; k++) {
      expect(values[(i * 4 + j) * 4 + k]).toBe(12 * i + 4 * idx[j] + k);
    }
    expect(() => h.backend.gather(x, h.t([3], [1], 'int32'), 1, h.out([2, 1, 4]))).toThrow(/out of range/);
  });

  it('scatter-adds slices, accumulating repeated indices', () => {
    const updates = h.t([1, 2, 3, 4, 5, 6], [3, 2]);
    const indices = h.t([2, 0, 2], [3], 'int32');
    const y = h.backend.scatterAdd(updates, indices, 0, h.out([4, 2]));
    expectValues(h.read(y, [4, 2]), [3, 4, 0, 0, 6, 8, 0, 0]);
    const z = h.backend.scatterAdd(h.t([1, 2, 3, 4], [2, 2], 'int32'), h.t([1, 1], [2], 'int32'), 1, h.out([2, 3], 'int32'));
    expectValues(h.read(z, [2, 3], 'int32'), [0, 3, 0, 0, 7, 0]);
  });

  it('tiles', () => {
    const a = h.t([1, 2, 3], [1, 3]);
    expectValues(h.read(h.backend.tile(a, [2, 2], h.out([2, 6])), [2, 6]), [1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
  });

  it('reverses along the given axes', () => {
    const a = h.t([1, 2, 3, 4, 5, 6], [2, 3]);
    expectValues(h.read(h.backend.reverse(a, [1], h.out([2, 3])), [2, 3]), [3, 2, 1, 6, 5, 4]);
    expectValues(h.read(h.backend.reverse(a, [0, 1], h.out([2, 3])), [2, 3]), [6, 5, 4, 3, 2, 1]);
  });

  it('handles 0-d and empty tensors', () => {
    const s = h.t([7], []);
    expectValues(h.read(h.backend.transpose(s, [], h.out([])), []), [7]);
    const e = h.t([], [0, 3]);
    expectValues(h.read(h.backend.concat([e, h.t([1, 2, 3], [1, 3])], 0, h.out([1, 3])), [1, 3]), [1, 2, 3]);
    expectValues(h.read(h.backend.tile(e, [3, 1], h.out([0, 3])), [0, 3]), []);
  });
});
