import { describe, it } from '@jest/globals';
import type { Pool2DAttrs } from '@keras-ts/core';
import { expectValues, Harness } from './support/harness.js';

const h = new Harness();

const valid2x2: Pool2DAttrs = { poolSize: [2, 2], strides: [2, 2], padding: 'valid', pads: [[0, 0], [0, 0]] };
// Keras 'same' for a 3x3 input, pool 2, stride 2: out 2x2, pad_total 1, all of it at the bottom/right.
const same2x2: Pool2DAttrs = { poolSize: [2, 2], strides: [2, 2], padding: 'same', pads: [[0, 1], [0, 1]] };

describe('maxPool2d', () => {
  it('takes the maximum of each window, per channel', () => {
    // 4x4 image with two channels: channel 0 = 1..16, channel 1 = -(1..16).
    const values: number[] = [];
    for (let i = 1; i <= 16; i++) values.push(i, -i);
    const x = h.t(values, [1, 4, 4, 2]);
    expectValues(h.read(h.backend.maxPool2d(x, valid2x2, h.out([1, 2, 2, 2])), [1, 2, 2, 2]), [6, -1, 8, -3, 14, -9, 16, -11]);
  });

  it('never lets a padded cell win', () => {
    // All values negative: a zero pad would win if it took part.
    const x = h.t([-1, -2, -3, -4, -5, -6, -7, -8, -9], [1, 3, 3, 1]);
    expectValues(h.read(h.backend.maxPool2d(x, same2x2, h.out([1, 2, 2, 1])), [1, 2, 2, 1]), [-1, -3, -7, -9]);
  });

  it('sends dy to the first maximum of each window only', () => {
    // Window 0 ties (5, 5, 5, 1): the first 5 in row-major window order gets all of dy.
    const x = h.t([5, 5, 0, 9, 5, 1, 9, 0], [1, 2, 4, 1]);
    const dy = h.t([10, 20], [1, 1, 2, 1]);
    const dx = h.backend.maxPool2dBackprop(dy, x, valid2x2, h.out([1, 2, 4, 1]));
    expectValues(h.read(dx, [1, 2, 4, 1]), [10, 0, 0, 20, 0, 0, 0, 0]);
  });

  it('adds dy of overlapping windows that share a maximum', () => {
    const x = h.t([1, 9, 2], [1, 1, 3, 1]);
    const overlapping: Pool2DAttrs = { poolSize: [1, 2], strides: [1, 1], padding: 'valid', pads: [[0, 0], [0, 0]] };
    const dx = h.backend.maxPool2dBackprop(h.t([1, 2], [1, 1, 2, 1]), x, overlapping, h.out([1, 1, 3, 1]));
    expectValues(h.read(dx, [1, 1, 3, 1]), [0, 3, 0]);
  });
});

describe('avgPool2d', () => {
  it('averages over the real cells only (padding is not counted)', () => {
    const x = h.t([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    // Windows: {1,2,4,5} → 3, {3,6} → 4.5, {7,8} → 7.5, {9} → 9.
    expectValues(h.read(h.backend.avgPool2d(x, same2x2, h.out([1, 2, 2, 1])), [1, 2, 2, 1]), [3, 4.5, 7.5, 9]);
  });

  it('spreads dy evenly over the real cells of each window', () => {
    const dy = h.t([4, 2, 6, 1], [1, 2, 2, 1]);
    const dx = h.backend.avgPool2dBackprop(dy, same2x2, h.out([1, 3, 3, 1]));
    expectValues(h.read(dx, [1, 3, 3, 1]), [1, 1, 1, 1, 1, 1, 3, 3, 1]);
  });

  it('spreads dy of overlapping windows additively', () => {
    const overlapping: Pool2DAttrs = { poolSize: [1, 2], strides: [1, 1], padding: 'valid', pads: [[0, 0], [0, 0]] };
    const dx = h.backend.avgPool2dBackprop(h.t([2, 4], [1, 1, 2, 1]), overlapping, h.out([1, 1, 3, 1]));
    expectValues(h.read(dx, [1, 1, 3, 1]), [1, 3, 2]);
  });
});
