/**
 * The gradient rules of the conv and pooling primitives against central finite differences:
 * conv2d (x and filter), both backprops (both operands each, which exercises their own rules, so
 * second derivatives too), the four pooling primitives, and the composite ops (groups, depthwise,
 * separable, transposed, 1-D, channels_first).
 */
import { beforeAll, describe, it } from '@jest/globals';
import { ops, tensor, type Tensor, type Pool2DAttrs, type Conv2DAttrs } from '@keras-ts/core';
import { run1 } from '../src/runtime/engine.js';
import { conv2dBackpropFilter, conv2dBackpropInput } from '../src/ops/primitives/convolution.js';
import { avgPool2dBackpropPrimitive, maxPool2dBackpropPrimitive } from '../src/ops/primitives/pooling.js';
import { useTestBackend } from './support/backend.js';
import { expectGradientsMatch } from './support/gradient_check.js';

beforeAll(async () => {
  await useTestBackend();
});

/** Deterministic values in [lo, hi). */
function values(shape: number[], seed = 1, lo = -1, hi = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = Array.from({ length: n }, (_, i) => lo + (hi - lo) * ((((Math.sin((i + 1) * 12.9898 * seed) * 43758.5453) % 1) + 1) % 1));
  return tensor(out, shape);
}

/** Distinct values 0.1 apart in shuffled order (shifted by `offset`): no max ties within a finite-difference step. */
function distinct(shape: number[], offset = 0): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => Math.sin(a * 7.13 + 1) - Math.sin(b * 7.13 + 1));
  const out = new Array<number>(n);
  order.forEach((slot, rank) => (out[slot] = offset + rank * 0.1));
  return tensor(out, shape);
}

const CONV_CONFIGS = [
  { name: 'valid, stride 1', strides: 1, padding: 'valid', dilationRate: 1 },
  { name: 'same, stride 2', strides: 2, padding: 'same', dilationRate: 1 },
  { name: 'valid, stride 2', strides: 2, padding: 'valid', dilationRate: 1 },
  { name: 'same, dilation 2', strides: 1, padding: 'same', dilationRate: 2 },
  { name: 'valid, dilation 2', strides: 1, padding: 'valid', dilationRate: 2 },
  { name: 'same, strides [2, 1]', strides: [2, 1], padding: 'same', dilationRate: 1 },
] as const;

describe('conv2d: gradients with respect to x and the filter', () => {
  for (const c of CONV_CONFIGS) {
    it(c.name, () => expectGradientsMatch((x, k) => ops.conv(x, k, c), [values([2, 6, 5, 2], 1), values([3, 3, 2, 3], 2)]));
  }
});

/** Explicit attributes for the backprops: pads as 'same' gives for 6x5 input, 3x3 kernel. */
const ATTRS: { name: string; attrs: Conv2DAttrs; dy: number[] }[] = [
  { name: 'same, stride 1', attrs: { strides: [1, 1], pads: [[1, 1], [1, 1]], dilations: [1, 1] }, dy: [2, 6, 5, 3] },
  { name: 'same, stride 2', attrs: { strides: [2, 2], pads: [[0, 1], [1, 1]], dilations: [1, 1] }, dy: [2, 3, 3, 3] },
  { name: 'valid, stride 2', attrs: { strides: [2, 2], pads: [[0, 0], [0, 0]], dilations: [1, 1] }, dy: [2, 2, 2, 3] },
  { name: 'same, dilation 2', attrs: { strides: [1, 1], pads: [[2, 2], [2, 2]], dilations: [2, 2] }, dy: [2, 6, 5, 3] },
  { name: 'valid, dilation 2', attrs: { strides: [1, 1], pads: [[0, 0], [0, 0]], dilations: [2, 2] }, dy: [2, 2, 1, 3] },
];

describe('conv2dBackpropInput: gradients with respect to dy and the filter', () => {
  for (const c of ATTRS) {
    it(c.name, () => expectGradientsMatch((dy, f) => conv2dBackpropInput(dy, f, c.attrs, [2, 6, 5, 2]), [values(c.dy, 3), values([3, 3, 2, 3], 4)]));
  }
});

describe('conv2dBackpropFilter: gradients with respect to x and dy', () => {
  for (const c of ATTRS) {
    it(c.name, () => expectGradientsMatch((x, dy) => conv2dBackpropFilter(x, dy, c.attrs, [3, 3, 2, 3]), [values([2, 6, 5, 2], 5), values(c.dy, 6)]));
  }
});

const POOL_CONFIGS = [
  { name: '2x2 valid (strides = pool)', pool: [2, 2], options: { padding: 'valid' } },
  { name: '3x3 same, stride 2', pool: [3, 3], options: { strides: 2, padding: 'same' } },
  { name: '3x2 valid, stride 1', pool: [3, 2], options: { strides: 1, padding: 'valid' } },
  { name: '2x2 same, stride 1', pool: [2, 2], options: { strides: 1, padding: 'same' } },
] as const;

describe('maxPool2d and avgPool2d: gradients with respect to x', () => {
  for (const c of POOL_CONFIGS) {
    it(`maxPool ${c.name}`, () => expectGradientsMatch((x) => ops.maxPool(x, c.pool, c.options), [distinct([2, 5, 6, 2])]));
    it(`averagePool ${c.name}`, () => expectGradientsMatch((x) => ops.averagePool(x, c.pool, c.options), [values([2, 5, 6, 2], 7)]));
  }
});

/** Pool2DAttrs as the ops build them for a 5x6 input. */
const POOL_ATTRS: { name: string; attrs: Pool2DAttrs; dy: number[] }[] = [
  { name: '2x2 valid', attrs: { poolSize: [2, 2], strides: [2, 2], padding: 'valid', pads: [[0, 0], [0, 0]] }, dy: [2, 2, 3, 2] },
  { name: '3x3 same, stride 2', attrs: { poolSize: [3, 3], strides: [2, 2], padding: 'same', pads: [[1, 1], [0, 1]] }, dy: [2, 3, 3, 2] },
  { name: '2x2 same, stride 1', attrs: { poolSize: [2, 2], strides: [1, 1], padding: 'same', pads: [[0, 1], [0, 1]] }, dy: [2, 5, 6, 2] },
];

describe('pooling backprops: gradients with respect to dy', () => {
  for (const c of POOL_ATTRS) {
    it(`maxPool2dBackprop ${c.name}`, () => {
      // All-negative x: a padded zero would win a max if the rule did not exclude padding.
      const x = distinct([2, 5, 6, 2], -20);
      expectGradientsMatch((dy) => run1(maxPool2dBackpropPrimitive, [dy, x], c.attrs), [values(c.dy, 8)]);
    });
    it(`avgPool2dBackprop ${c.name}`, () =>
      expectGradientsMatch((dy) => run1(avgPool2dBackpropPrimitive, [dy], { ...c.attrs, inputShape: [2, 5, 6, 2] }), [values(c.dy, 9)]));
  }
});

describe('composite ops: gradients', () => {
  it('grouped conv (6 channels, 3 groups), same, stride 2', () =>
    expectGradientsMatch((x, k) => ops.conv(x, k, { strides: 2, padding: 'same' }), [values([2, 5, 5, 6], 10), values([3, 3, 2, 6], 11)]));
  it('grouped conv (4 channels, 2 groups), valid, dilation 2', () =>
    expectGradientsMatch((x, k) => ops.conv(x, k, { dilationRate: 2 }), [values([1, 6, 6, 4], 12), values([2, 2, 2, 4], 13)]));
  it('depthwiseConv, multiplier 2, same, stride 2', () =>
    expectGradientsMatch((x, k) => ops.depthwiseConv(x, k, { strides: 2, padding: 'same' }), [values([2, 5, 6, 3], 14), values([3, 3, 3, 2], 15)]));
  it('depthwiseConv, multiplier 1, valid, dilation 2', () =>
    expectGradientsMatch((x, k) => ops.depthwiseConv(x, k, { dilationRate: 2 }), [values([1, 6, 6, 2], 16), values([2, 2, 2, 1], 17)]));
  it('separableConv, same', () =>
    expectGradientsMatch((x, d, p) => ops.separableConv(x, d, p, { padding: 'same' }), [values([1, 4, 5, 2], 18), values([3, 3, 2, 2], 19), values([1, 1, 4, 3], 20)]));
  it('convTranspose, same, stride 2', () =>
    expectGradientsMatch((x, k) => ops.convTranspose(x, k, { strides: 2, padding: 'same' }), [values([2, 3, 4, 3], 21), values([3, 3, 2, 3], 22)]));
  it('convTranspose, valid, strides [3, 2] (rows no window reads), outputPadding 1', () =>
    expectGradientsMatch((x, k) => ops.convTranspose(x, k, { strides: [3, 2], outputPadding: 1 }), [values([1, 3, 3, 2], 23), values([2, 3, 2, 2], 24)]));
  it('convTranspose, same, dilation 2', () =>
    expectGradientsMatch((x, k) => ops.convTranspose(x, k, { padding: 'same', dilationRate: 2 }), [values([1, 4, 4, 2], 25), values([3, 3, 2, 2], 26)]));
  it('1-D conv, same, stride 2', () =>
    expectGradientsMatch((x, k) => ops.conv(x, k, { strides: 2, padding: 'same' }), [values([2, 7, 3], 27), values([3, 3, 2], 28)]));
  it('1-D conv, channels_first, dilation 2', () =>
    expectGradientsMatch((x, k) => ops.conv(x, k, { dilationRate: 2, dataFormat: 'channels_first' }), [values([2, 3, 7], 29), values([2, 3, 2], 30)]));
  it('2-D conv, channels_first, same, stride 2', () =>
    expectGradientsMatch((x, k) => ops.conv(x, k, { strides: 2, padding: 'same', dataFormat: 'channels_first' }), [values([1, 2, 5, 6], 31), values([3, 3, 2, 3], 32)]));
  it('1-D depthwiseConv and convTranspose', () => {
    expectGradientsMatch((x, k) => ops.depthwiseConv(x, k, { padding: 'same' }), [values([1, 6, 2], 33), values([3, 2, 2], 34)]);
    expectGradientsMatch((x, k) => ops.convTranspose(x, k, { strides: 2 }), [values([1, 4, 2], 35), values([3, 3, 2], 36)]);
  });
  it('1-D pools and channels_first pools', () => {
    expectGradientsMatch((x) => ops.maxPool(x, 2, { strides: 1, padding: 'same' }), [distinct([2, 7, 2])]);
    expectGradientsMatch((x) => ops.averagePool(x, 3, { strides: 2, padding: 'same' }), [values([2, 7, 2], 37)]);
    expectGradientsMatch((x) => ops.maxPool(x, [2, 3], { padding: 'same', dataFormat: 'channels_first' }), [distinct([1, 2, 5, 7], -5)]);
    expectGradientsMatch((x) => ops.averagePool(x, 2, { strides: 1, dataFormat: 'channels_first' }), [values([1, 2, 4, 5], 38)]);
  });
});
