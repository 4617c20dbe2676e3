/**
 * Catalogue B through the layer harness on every backend: Conv1D (causal included), Conv3D, the
 * transposed (1-, 2- and 3-D), depthwise and separable convolutions, 1-D and 3-D pooling, global pooling, and LayerNormalization,
 * GroupNormalization and UnitNormalization; each with hand-computed numbers (arithmetic beside
 * them), then the argument and input errors.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Input, layers, ops, tensor, tidy } from '@keras-ts/core';
import { pattern } from './support/layer_test.js';
import { ALL_TEST_BACKENDS, useNamedBackend } from './support/backend.js';
import { runLayerTest } from './support/layer_test.js';


/** A direct 3-D convolution, channels last: out[b, o..., f] = sum over taps and channels, 'same' pads as Keras (odd one at the end). */
function directConv3d(x: number[], xs: number[], k: number[], ks: number[], strides: number[], dilation: number[], same: boolean): { data: number[]; shape: number[] } {
  const [n, D, H, W, C] = xs;
  const [KD, KH, KW, , F] = ks;
  const sizes = [D, H, W];
  const kern = [KD, KH, KW];
  const out = sizes.map((s, i) => (same ? Math.ceil(s / strides[i]) : Math.floor((s - (kern[i] - 1) * dilation[i] - 1) / strides[i]) + 1));
  const before = sizes.map((s, i) => (same ? Math.floor(Math.max((out[i] - 1) * strides[i] + (kern[i] - 1) * dilation[i] + 1 - s, 0) / 2) : 0));
  const data: number[] = [];
  for (let b = 0; b < n; b++)
    for (let od = 0; od < out[0]; od++)
      for (let oh = 0; oh < out[1]; oh++)
        for (let ow = 0; ow < out[2]; ow++)
          for (let f = 0; f < F; f++) {
            let sum = 0;
            for (let a = 0; a < KD; a++)
              for (let p = 0; p < KH; p++)
                for (let q = 0; q < KW; q++) {
                  const d = od * strides[0] - before[0] + a * dilation[0];
                  const h = oh * strides[1] - before[1] + p * dilation[1];
                  const w = ow * strides[2] - before[2] + q * dilation[2];
                  if (d < 0 || d >= D || h < 0 || h >= H || w < 0 || w >= W) continue;
                  for (let c = 0; c < C; c++) sum += x[(((b * D + d) * H + h) * W + w) * C + c] * k[(((a * KH + p) * KW + q) * C + c) * F + f];
                }
            data.push(sum);
          }
  return { data, shape: [n, ...out, F] };
}

describe.each(ALL_TEST_BACKENDS)('catalogue B layers on %s', (backend) => {
  beforeAll(async () => {
    await useNamedBackend(backend);
  });

  // --- convolutional ---------------------------------------------------------------------------

  it('Conv1D, causal padding', () =>
    runLayerTest({
      make: () => new layers.Conv1D({ filters: 1, kernelSize: 2, padding: 'causal' }),
      inputShape: [1, 3, 1],
      inputData: [1, 2, 3],
      weights: [[1, 2], [0.5]],
      // left pad 1: [0, 1, 2, 3]; y[t] = x[t-1] * 1 + x[t] * 2 + 0.5 → [0+2, 1+4, 2+6] + 0.5.
      expectedOutputShape: [null, 3, 1],
      expectedWeightShapes: [[2, 1, 1], [1]],
      expectedOutput: [2.5, 5.5, 8.5],
    }));
  it('Conv1D, causal with dilation 2, channels_first', () =>
    runLayerTest({
      make: () => new layers.Conv1D({ filters: 1, kernelSize: 2, padding: 'causal', dilationRate: 2, dataFormat: 'channels_first' }),
      inputShape: [1, 1, 4],
      inputData: [1, 2, 3, 4],
      weights: [[1, 10], [0]],
      // left pad (2-1)*2 = 2: [0, 0, 1, 2, 3, 4]; y[t] = x[t-2] + 10 x[t] → [10, 20, 1+30, 2+40].
      expectedOutputShape: [null, 1, 4],
      expectedOutput: [10, 20, 31, 42],
    }));
  it('Conv1D, valid, groups 2', () =>
    runLayerTest({ make: () => new layers.Conv1D({ filters: 4, kernelSize: 3, groups: 2 }), inputShape: [2, 5, 2], expectedOutputShape: [null, 3, 4], expectedWeightShapes: [[3, 1, 4], [4]] }));
  it('Conv1DTranspose, strides 2', () =>
    runLayerTest({
      make: () => new layers.Conv1DTranspose({ filters: 1, kernelSize: 2, strides: 2 }),
      inputShape: [1, 2, 1],
      inputData: [1, 2],
      weights: [[1, 10], [0]],
      // length (2-1)*2 + max(2, 2) = 4; input i writes x[i] * k at 2i, 2i+1: [1, 10, 2, 20].
      expectedOutputShape: [null, 4, 1],
      expectedWeightShapes: [[2, 1, 1], [1]],
      expectedOutput: [1, 10, 2, 20],
    }));
  it('Conv2DTranspose, valid', () =>
    runLayerTest({
      make: () => new layers.Conv2DTranspose({ filters: 1, kernelSize: 2 }),
      inputShape: [1, 2, 2, 1],
      inputData: [1, 2, 3, 4],
      weights: [[1, 0, 0, 1], [1]],
      // k[0,0] = k[1,1] = 1: x at (i, j) plus x at (i+1, j+1) on a 3x3 output:
      // [[1,2,0],[3,4,0],[0,0,0]] + [[0,0,0],[0,1,2],[0,3,4]] = [[1,2,0],[3,5,2],[0,3,4]], then + bias 1.
      expectedOutputShape: [null, 3, 3, 1],
      expectedWeightShapes: [[2, 2, 1, 1], [1]],
      expectedOutput: [2, 3, 1, 4, 6, 3, 1, 4, 5],
    }));
  it('Conv2DTranspose, same with strides 2, channels_first, outputPadding', () =>
    runLayerTest({
      make: () => new layers.Conv2DTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', dataFormat: 'channels_first', outputPadding: 1 }),
      inputShape: [1, 2, 3, 3],
      expectedOutputShape: [null, 3, 6, 6],
      expectedWeightShapes: [[3, 3, 3, 2], [3]],
    }));
  it('DepthwiseConv1D, depthMultiplier 2', () =>
    runLayerTest({
      make: () => new layers.DepthwiseConv1D({ kernelSize: 2, depthMultiplier: 2 }),
      inputShape: [1, 3, 1],
      inputData: [1, 2, 3],
      weights: [[1, 0, 1, -1], [0, 0.5]],
      // kernel (2, 1, 2): m0 = [1, 1], m1 = [0, -1]; y[t, 0] = x[t] + x[t+1] → 3, 5; y[t, 1] = -x[t+1] + 0.5 → -1.5, -2.5.
      expectedOutputShape: [null, 2, 2],
      expectedWeightShapes: [[2, 1, 2], [2]],
      expectedOutput: [3, -1.5, 5, -2.5],
    }));
  it('DepthwiseConv2D, channels_last', () =>
    runLayerTest({
      make: () => new layers.DepthwiseConv2D({ kernelSize: 2 }),
      inputShape: [1, 2, 2, 2],
      inputData: [1, 5, 2, 6, 3, 7, 4, 8],
      weights: [[1, 1, 1, 0, 1, 0, 1, -1], [0, 0]],
      // channel 0 [1,2,3,4] * [1,1,1,1] = 10; channel 1 [5,6,7,8] * [1,0,0,-1] = 5 - 8 = -3.
      expectedOutputShape: [null, 1, 1, 2],
      expectedWeightShapes: [[2, 2, 2, 1], [2]],
      expectedOutput: [10, -3],
    }));
  it('DepthwiseConv2D, channels_first (same numbers)', () =>
    runLayerTest({
      make: () => new layers.DepthwiseConv2D({ kernelSize: 2, dataFormat: 'channels_first' }),
      inputShape: [1, 2, 2, 2],
      inputData: [1, 2, 3, 4, 5, 6, 7, 8],
      weights: [[1, 1, 1, 0, 1, 0, 1, -1], [0, 1]],
      // as above, bias [0, 1]: [10, -3 + 1].
      expectedOutputShape: [null, 2, 1, 1],
      expectedOutput: [10, -2],
    }));
  it('DepthwiseConv2D, same padding, dilation 2', () =>
    runLayerTest({ make: () => new layers.DepthwiseConv2D({ kernelSize: 2, padding: 'same', dilationRate: 2 }), inputShape: [1, 4, 4, 2], expectedOutputShape: [null, 4, 4, 2] }));
  it('SeparableConv1D', () =>
    runLayerTest({
      make: () => new layers.SeparableConv1D({ filters: 1, kernelSize: 2 }),
      inputShape: [1, 3, 2],
      inputData: [1, 2, 3, 4, 5, 6],
      weights: [[1, 1, 1, -1], [1, 2], [0.5]],
      // channels [1,3,5] and [2,4,6]; depthwise c0 [1,1] → [4, 8], c1 [1,-1] → [-2, -2];
      // pointwise [1, 2]: [4 - 4, 8 - 4] = [0, 4]; + 0.5.
      expectedOutputShape: [null, 2, 1],
      expectedWeightShapes: [[2, 2, 1], [1, 2, 1], [1]],
      expectedOutput: [0.5, 4.5],
    }));
  it('SeparableConv2D', () =>
    runLayerTest({
      make: () => new layers.SeparableConv2D({ filters: 2, kernelSize: 2 }),
      inputShape: [1, 2, 2, 1],
      inputData: [1, 2, 3, 4],
      weights: [[1, 1, 1, 1], [1, -1], [0, 1]],
      // depthwise sum 1+2+3+4 = 10; pointwise [1, -1] → [10, -10]; bias [0, 1] → [10, -9].
      expectedOutputShape: [null, 1, 1, 2],
      expectedWeightShapes: [[2, 2, 1, 1], [1, 1, 1, 2], [2]],
      expectedOutput: [10, -9],
    }));
  it('SeparableConv2D, same, depthMultiplier 2, channels_first', () =>
    runLayerTest({
      make: () => new layers.SeparableConv2D({ filters: 3, kernelSize: 3, padding: 'same', depthMultiplier: 2, dataFormat: 'channels_first' }),
      inputShape: [1, 2, 4, 4],
      expectedOutputShape: [null, 3, 4, 4],
      expectedWeightShapes: [[3, 3, 2, 2], [1, 1, 4, 3], [3]],
    }));

  it('Conv3D', () =>
    runLayerTest({
      make: () => new layers.Conv3D({ filters: 1, kernelSize: 2 }),
      inputShape: [1, 2, 2, 2, 1],
      inputData: [1, 2, 3, 4, 5, 6, 7, 8],
      weights: [[1, 0, 0, 0, 0, 0, 0, 2], [0.5]],
      // k[0,0,0] = 1, k[1,1,1] = 2: x[0,0,0] * 1 + x[1,1,1] * 2 + 0.5 = 1 + 16 + 0.5.
      expectedOutputShape: [null, 1, 1, 1, 1],
      expectedWeightShapes: [[2, 2, 2, 1, 1], [1]],
      expectedOutput: [17.5],
    }));
  it('Conv3D, same padding along depth', () =>
    runLayerTest({
      make: () => new layers.Conv3D({ filters: 1, kernelSize: [3, 1, 1], padding: 'same', useBias: false }),
      inputShape: [1, 3, 1, 1, 1],
      inputData: [1, 2, 3],
      weights: [[1, 10, 100]],
      // depth pads 1 and 1: y[o] = x[o-1] + 10 x[o] + 100 x[o+1] → [0 + 10 + 200, 1 + 20 + 300, 2 + 30 + 0].
      expectedOutputShape: [null, 3, 1, 1, 1],
      expectedOutput: [210, 321, 32],
    }));
  it('Conv3D, same with strides 2, channels_first, groups 2', () =>
    runLayerTest({
      make: () => new layers.Conv3D({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', dataFormat: 'channels_first', groups: 2 }),
      inputShape: [1, 2, 3, 4, 4],
      expectedOutputShape: [null, 2, 2, 2, 2],
      expectedWeightShapes: [[3, 3, 3, 1, 2], [2]],
    }));

  it('ops.conv of rank 5 matches a direct sum (valid, same, strides, dilation, channels_first)', () =>
    tidy(() => {
      const xs = [2, 4, 5, 3, 2];
      const ks = [3, 2, 2, 2, 3];
      const x = pattern(xs.reduce((a, b) => a * b, 1), 3);
      const k = pattern(ks.reduce((a, b) => a * b, 1), 5);
      const cases = [
        { strides: [1, 1, 1], dilation: [1, 1, 1], same: false },
        { strides: [2, 2, 1], dilation: [1, 1, 1], same: true },
        { strides: [1, 1, 1], dilation: [2, 1, 2], same: true },
      ];
      for (const c of cases) {
        const want = directConv3d(x, xs, k, ks, c.strides, c.dilation, c.same);
        const options = { strides: c.strides, dilationRate: c.dilation, padding: c.same ? 'same' : 'valid' } as const;
        const got = ops.conv(tensor(x, xs), tensor(k, ks), { ...options, dataFormat: 'channels_last' });
        expect([...got.shape]).toEqual(want.shape);
        expect(ops.convOutputShape([null, ...xs.slice(1)], ks, { ...options, dataFormat: 'channels_last' })).toEqual([null, ...want.shape.slice(1)]);
        Array.from(got.dataSync()).forEach((v, i) => expect(Math.abs(v - want.data[i])).toBeLessThan(1e-4));
        const first = ops.conv(ops.transpose(tensor(x, xs), { axes: [0, 4, 1, 2, 3] }), tensor(k, ks), { ...options, dataFormat: 'channels_first' });
        const back = ops.transpose(first, { axes: [0, 2, 3, 4, 1] });
        Array.from(back.dataSync()).forEach((v, i) => expect(Math.abs(v - want.data[i])).toBeLessThan(1e-4));
      }
    }));

  it('Conv3DTranspose, strides 2 along depth', () =>
    runLayerTest({
      make: () => new layers.Conv3DTranspose({ filters: 1, kernelSize: [2, 1, 1], strides: [2, 1, 1] }),
      inputShape: [1, 2, 1, 1, 1],
      inputData: [1, 2],
      weights: [[1, 10], [0.5]],
      // depth (2-1)*2 + max(2, 2) = 4; input i writes x[i] * k at 2i, 2i+1: [1, 10, 2, 20], + 0.5.
      expectedOutputShape: [null, 4, 1, 1, 1],
      expectedWeightShapes: [[2, 1, 1, 1, 1], [1]],
      expectedOutput: [1.5, 10.5, 2.5, 20.5],
    }));
  it('Conv3DTranspose, same with strides 2, channels_first', () =>
    runLayerTest({
      make: () => new layers.Conv3DTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', dataFormat: 'channels_first' }),
      inputShape: [1, 2, 2, 2, 2],
      expectedOutputShape: [null, 2, 4, 4, 4],
      expectedWeightShapes: [[3, 3, 3, 2, 2], [2]],
    }));
  it('ops.convTranspose of rank 5 is the adjoint of ops.conv (valid, strides 2), in both data formats', () =>
    tidy(() => {
      const ks = [3, 2, 3, 2, 3];
      const k = tensor(pattern(ks.reduce((a, b) => a * b, 1), 5), ks);
      const xs = [1, 2, 3, 2, 3];
      const x = tensor(pattern(xs.reduce((a, b) => a * b, 1), 3), xs);
      const options = { strides: [2, 1, 2], padding: 'valid' } as const;
      const t = ops.convTranspose(x, k, { ...options, dataFormat: 'channels_last' });
      // depth (2-1)*2 + 3 = 5, height (3-1)*1 + 2 = 4, width (2-1)*2 + 3 = 5; channels: the kernel's axis 3.
      expect([...t.shape]).toEqual([1, 5, 4, 5, 2]);
      const y = tensor(pattern(t.size, 7), [...t.shape]);
      const forward = ops.conv(y, k, { ...options, dataFormat: 'channels_last' });
      expect([...forward.shape]).toEqual(xs);
      const lhs = ops.sum(ops.multiply(forward, x)).dataSync()[0];
      const rhs = ops.sum(ops.multiply(t, y)).dataSync()[0];
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-3 * (1 + Math.abs(lhs)));
      const first = ops.convTranspose(ops.transpose(x, { axes: [0, 4, 1, 2, 3] }), k, { ...options, dataFormat: 'channels_first' });
      const back = ops.transpose(first, { axes: [0, 2, 3, 4, 1] }).dataSync();
      Array.from(t.dataSync()).forEach((v, i) => expect(Math.abs(v - back[i])).toBeLessThan(1e-4));
    }));

  // --- pooling ---------------------------------------------------------------------------------

  it('MaxPooling1D', () =>
    runLayerTest({
      make: () => new layers.MaxPooling1D(),
      inputShape: [1, 4, 1],
      inputData: [1, 3, 2, 0],
      // windows [1,3], [2,0].
      expectedOutputShape: [null, 2, 1],
      expectedOutput: [3, 2],
    }));
  it('MaxPooling1D, poolSize 3, strides 1, same', () =>
    runLayerTest({
      make: () => new layers.MaxPooling1D({ poolSize: 3, strides: 1, padding: 'same' }),
      inputShape: [1, 4, 1],
      inputData: [1, 3, 2, 0],
      // pads 1 and 1: windows [_,1,3], [1,3,2], [3,2,0], [2,0,_].
      expectedOutputShape: [null, 4, 1],
      expectedOutput: [3, 3, 3, 2],
    }));
  it('AveragePooling1D', () =>
    runLayerTest({
      make: () => new layers.AveragePooling1D(),
      inputShape: [1, 4, 1],
      inputData: [1, 3, 2, 0],
      // (1+3)/2, (2+0)/2.
      expectedOutputShape: [null, 2, 1],
      expectedOutput: [2, 1],
    }));
  it('AveragePooling1D, same (padding not counted), channels_first', () =>
    runLayerTest({
      make: () => new layers.AveragePooling1D({ poolSize: 3, strides: 1, padding: 'same', dataFormat: 'channels_first' }),
      inputShape: [1, 1, 4],
      inputData: [1, 3, 2, 0],
      // (1+3)/2, (1+3+2)/3, (3+2+0)/3, (2+0)/2.
      expectedOutputShape: [null, 1, 4],
      expectedOutput: [2, 2, 5 / 3, 1],
    }));
  it('GlobalMaxPooling1D', () =>
    runLayerTest({
      make: () => new layers.GlobalMaxPooling1D(),
      inputShape: [2, 3, 2],
      inputData: [1, -1, 3, 0, 2, 5, 0, 0, -2, 1, 4, -3],
      // example 0: channel 0 [1,3,2] → 3, channel 1 [-1,0,5] → 5; example 1: [0,-2,4] → 4, [0,1,-3] → 1.
      expectedOutputShape: [null, 2],
      expectedOutput: [3, 5, 4, 1],
    }));
  it('GlobalMaxPooling1D, keepdims', () =>
    runLayerTest({ make: () => new layers.GlobalMaxPooling1D({ keepdims: true }), inputShape: [2, 3, 2], expectedOutputShape: [null, 1, 2] }));
  it('GlobalAveragePooling1D', () =>
    runLayerTest({
      make: () => new layers.GlobalAveragePooling1D(),
      inputShape: [2, 3, 2],
      inputData: [1, -1, 3, 0, 2, 5, 0, 0, -2, 1, 4, -3],
      // example 0: 6/3, 4/3; example 1: 2/3, -2/3.
      expectedOutputShape: [null, 2],
      expectedOutput: [2, 4 / 3, 2 / 3, -2 / 3],
    }));
  it('GlobalMaxPooling2D, channels_first', () =>
    runLayerTest({
      make: () => new layers.GlobalMaxPooling2D({ dataFormat: 'channels_first' }),
      inputShape: [1, 2, 2, 2],
      inputData: [1, 2, 3, 4, 5, 6, 7, 8],
      // channel 0 [1..4] → 4, channel 1 [5..8] → 8.
      expectedOutputShape: [null, 2],
      expectedOutput: [4, 8],
    }));
  it('GlobalMaxPooling2D, keepdims, channels_first', () =>
    runLayerTest({ make: () => new layers.GlobalMaxPooling2D({ dataFormat: 'channels_first', keepdims: true }), inputShape: [1, 2, 2, 3], expectedOutputShape: [null, 2, 1, 1] }));
  it('GlobalAveragePooling2D', () =>
    runLayerTest({
      make: () => new layers.GlobalAveragePooling2D(),
      inputShape: [1, 2, 2, 2],
      inputData: [1, 5, 2, 6, 3, 7, 4, 8],
      // channel 0 (1+2+3+4)/4, channel 1 (5+6+7+8)/4.
      expectedOutputShape: [null, 2],
      expectedOutput: [2.5, 6.5],
    }));
  it('GlobalAveragePooling2D, keepdims', () =>
    runLayerTest({ make: () => new layers.GlobalAveragePooling2D({ keepdims: true }), inputShape: [2, 3, 3, 2], expectedOutputShape: [null, 1, 1, 2] }));

  it('MaxPooling3D', () =>
    runLayerTest({
      make: () => new layers.MaxPooling3D(),
      inputShape: [1, 2, 2, 2, 1],
      inputData: [1, 8, 3, 4, 5, 6, 7, 2],
      // one 2x2x2 window: max 8.
      expectedOutputShape: [null, 1, 1, 1, 1],
      expectedOutput: [8],
    }));
  it('MaxPooling3D, same along depth, channels_first', () =>
    runLayerTest({
      make: () => new layers.MaxPooling3D({ poolSize: [2, 1, 1], strides: 1, padding: 'same', dataFormat: 'channels_first' }),
      inputShape: [1, 1, 3, 1, 1],
      inputData: [1, 2, 4],
      // pads 0 and 1: windows [1,2], [2,4], [4].
      expectedOutputShape: [null, 1, 3, 1, 1],
      expectedOutput: [2, 4, 4],
    }));
  it('AveragePooling3D', () =>
    runLayerTest({
      make: () => new layers.AveragePooling3D(),
      inputShape: [1, 2, 2, 2, 1],
      inputData: [1, 8, 3, 4, 5, 6, 7, 2],
      // 36 / 8.
      expectedOutputShape: [null, 1, 1, 1, 1],
      expectedOutput: [4.5],
    }));
  it('AveragePooling3D, same along depth (padding not counted)', () =>
    runLayerTest({
      make: () => new layers.AveragePooling3D({ poolSize: [2, 1, 1], strides: 1, padding: 'same' }),
      inputShape: [1, 3, 1, 1, 1],
      inputData: [1, 2, 4],
      // windows [1,2], [2,4], [4]: 1.5, 3, 4.
      expectedOutputShape: [null, 3, 1, 1, 1],
      expectedOutput: [1.5, 3, 4],
    }));
  it('GlobalMaxPooling3D', () =>
    runLayerTest({
      make: () => new layers.GlobalMaxPooling3D(),
      inputShape: [1, 2, 2, 2, 1],
      inputData: [1, 8, 3, 4, 5, 6, 7, 2],
      expectedOutputShape: [null, 1],
      expectedOutput: [8],
    }));
  it('GlobalAveragePooling3D, keepdims, channels_first', () =>
    runLayerTest({
      make: () => new layers.GlobalAveragePooling3D({ keepdims: true, dataFormat: 'channels_first' }),
      inputShape: [1, 1, 2, 2, 2],
      inputData: [1, 8, 3, 4, 5, 6, 7, 2],
      // 36 / 8.
      expectedOutputShape: [null, 1, 1, 1, 1],
      expectedOutput: [4.5],
    }));

  // --- normalization ---------------------------------------------------------------------------

  it('LayerNormalization', () =>
    runLayerTest({
      make: () => new layers.LayerNormalization(),
      inputShape: [2, 3],
      inputData: [1, 2, 3, 0, 0, 6],
      weights: [[1, 2, 1], [0, 0, 1]],
      // row 0: mean 2, variance 2/3, inv = 1/sqrt(2/3 + 1e-3) = 1.2238273; (x - 2) * inv * gamma + beta = [-1.2238273, 0, 1 + 1.2238273].
      // row 1: mean 2, variance 8, inv = 1/sqrt(8.001) = 0.3535313; [-2, -2*2, 4 + 1/... ] → [-0.7070626, -1.4141252, 4 * 0.3535313 + 1].
      expectedOutputShape: [null, 3],
      expectedWeightShapes: [[3], [3]],
      expectedOutput: [-1.2238273, 0, 2.2238273, -0.7070626, -1.4141252, 2.4141252],
    }));
  it('LayerNormalization, axis [1, 2], no center', () =>
    runLayerTest({
      make: () => new layers.LayerNormalization({ axis: [1, 2], center: false }),
      inputShape: [2, 2, 3],
      expectedOutputShape: [null, 2, 3],
      expectedWeightShapes: [[2, 3]],
    }));
  it('LayerNormalization with rmsScaling: gamma only, x scaled by 1/sqrt(variance + epsilon), no centering', () =>
    runLayerTest({
      make: () => new layers.LayerNormalization({ rmsScaling: true, center: true, scale: false }),
      inputShape: [2, 3],
      inputData: [1, 2, 3, 0, 0, 6],
      weights: [[1, 2, 1]],
      // row 0: variance 2/3, inv = 1.2238273: [1, 2, 3] * inv * [1, 2, 1] = [1.2238273, 4.8953092, 3.6714819].
      // row 1: variance 8, inv = 0.3535313: [0, 0, 6 * 0.3535313].
      expectedOutputShape: [null, 3],
      expectedWeightShapes: [[3]],
      expectedOutput: [1.2238273, 4.8953092, 3.6714819, 0, 0, 2.1211878],
    }));
  it('GroupNormalization, groups 2', () =>
    runLayerTest({
      make: () => new layers.GroupNormalization({ groups: 2 }),
      inputShape: [1, 2, 4],
      inputData: [1, 2, 3, 4, 5, 6, 7, 8],
      // group 0 = channels 0,1: values 1,2,5,6, mean 3.5, variance (2.5² + 1.5² + 1.5² + 2.5²)/4 = 4.25;
      // group 1 = channels 2,3: 3,4,7,8, mean 5.5, variance 4.25. inv = 1/sqrt(4.251) = 0.4850142; (x - mean) * inv.
      expectedOutputShape: [null, 2, 4],
      expectedWeightShapes: [[4], [4]],
      expectedOutput: [-1.2125355, -0.7275213, -1.2125355, -0.7275213, 0.7275213, 1.2125355, 0.7275213, 1.2125355],
    }));
  it('GroupNormalization, channels_first (axis 1)', () =>
    runLayerTest({ make: () => new layers.GroupNormalization({ groups: 2, axis: 1 }), inputShape: [2, 4, 3, 3], expectedOutputShape: [null, 4, 3, 3], expectedTrainableWeights: 2 }));
  it('UnitNormalization', () =>
    runLayerTest({
      make: () => new layers.UnitNormalization(),
      inputShape: [2, 2],
      inputData: [3, 4, 0, 2],
      // [3, 4] / 5, [0, 2] / 2.
      expectedOutputShape: [null, 2],
      expectedOutput: [0.6, 0.8, 0, 1],
    }));
  it('UnitNormalization, axis [1, 2]', () =>
    runLayerTest({ make: () => new layers.UnitNormalization({ axis: [1, 2] }), inputShape: [2, 2, 3], expectedOutputShape: [null, 2, 3] }));
});

describe('catalogue B errors', () => {
  beforeAll(async () => {
    await useNamedBackend('reference');
  });

  it('filters 0 says what came and what is allowed', () => {
    expect(() => new layers.Conv1D({ filters: 0, kernelSize: 3 })).toThrow(/filters must be a positive integer.*filters=0/);
    expect(() => new layers.Conv2DTranspose({ filters: 0, kernelSize: 3 })).toThrow(/Conv2DTranspose: filters must be a positive integer.*filters=0/);
    expect(() => new layers.SeparableConv1D({ filters: 0, kernelSize: 3 })).toThrow(/SeparableConv1D: filters must be a positive integer.*filters=0/);
    expect(() => new layers.DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 0 })).toThrow(/depthMultiplier must be a positive integer.*depthMultiplier=0/);
  });

  it('unknown padding names the allowed ones', () => {
    expect(() => new layers.Conv1D({ filters: 2, kernelSize: 3, padding: 'full' })).toThrow(/padding must be 'valid', 'same' or 'causal'; received padding="full"/);
    expect(() => new layers.Conv1DTranspose({ filters: 2, kernelSize: 3, padding: 'causal' })).toThrow(/padding must be 'valid' or 'same'; received padding="causal"/);
    expect(() => new layers.DepthwiseConv1D({ kernelSize: 3, padding: 'full' })).toThrow(/padding must be 'valid' or 'same'; received padding="full"/);
    expect(() => new layers.MaxPooling1D({ padding: 'causal' })).toThrow(/padding must be 'valid' or 'same'/);
  });

  it('a kernel larger than the input', () => {
    expect(() => new layers.Conv1D({ filters: 2, kernelSize: 5 }).apply(Input({ shape: [3, 1] }))).toThrow(/5 kernel is larger than the 3 input/);
    expect(() => new layers.SeparableConv2D({ filters: 2, kernelSize: 5 }).apply(Input({ shape: [3, 3, 1] }))).toThrow(/5x5 kernel \(spanning 5x5 cells\) is larger than the 3x3 input/);
    expect(() => new layers.DepthwiseConv1D({ kernelSize: 4 }).apply(tensor([1, 2, 3], [1, 3, 1]))).toThrow(/4 kernel \(spanning 4 cells\) is larger than the 3 input.*padding: 'same'/);
    expect(() => new layers.Conv3D({ filters: 2, kernelSize: [2, 4, 2] }).apply(Input({ shape: [3, 3, 3, 1] }))).toThrow(/2x4x2 kernel is larger than the 3x3x3 input/);
    expect(() => new layers.MaxPooling3D({ poolSize: 4 }).apply(Input({ shape: [3, 8, 8, 1] }))).toThrow(/4x4x4 pool window is larger than the 3x8x8 input/);
    expect(() => new layers.MaxPooling1D({ poolSize: 4 }).apply(Input({ shape: [3, 2] }))).toThrow(/pool window is larger than the 3 input/);
    // With causal padding the output keeps the input's length, so a long kernel is fine.
    expect(new layers.Conv1D({ filters: 2, kernelSize: 5, padding: 'causal' }).apply(Input({ shape: [3, 1] })).shape).toEqual([null, 3, 2]);
  });

  it('other bad arguments', () => {
    expect(() => new layers.Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, outputPadding: 2 })).toThrow(/outputPadding must be smaller than the stride.*outputPadding=2.*strides=\[2,2\]/);
    expect(() => new layers.DepthwiseConv2D({ kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(/strides > 1 not supported in conjunction with dilationRate > 1/);
    expect(() => new layers.SeparableConv1D({ filters: 2 } as never)).toThrow(/kernelSize is required/);
    expect(() => new layers.GlobalAveragePooling1D({ keepdims: 'yes' as never })).toThrow(/keepdims must be true or false; received keepdims="yes"/);
    expect(() => new layers.LayerNormalization({ rmsScaling: 1 as never })).toThrow('LayerNormalization: rmsScaling must be true or false; received rmsScaling=1. Fix: rmsScaling: true.');
    expect(new layers.LayerNormalization({ rmsScaling: true }).getConfig()).toMatchObject({ rms_scaling: true });
    expect(() => new layers.LayerNormalization({ axis: 1.5 })).toThrow(/axis must be an integer or a non-empty list of integers; received axis=1.5/);
    expect(() => new layers.LayerNormalization({ axis: 3 }).apply(Input({ shape: [4] }))).toThrow(/axis 3 is out of range for an input of rank 2/);
    expect(() => new layers.GroupNormalization({ groups: 0 })).toThrow(/groups must be a positive integer.*groups=0/);
  });

  it('GroupNormalization groups that do not fit the channels', () => {
    expect(() => new layers.GroupNormalization({ groups: 3 }).apply(Input({ shape: [5, 4] }))).toThrow(/number of channels \(4\).*must be a multiple of the number of groups \(3\).*groups: 2/);
    expect(() => new layers.GroupNormalization().apply(Input({ shape: [5, 4] }))).toThrow(/number of groups \(32\) cannot be more than the number of channels \(4\)/);
  });

  it('inputs of the wrong rank are explained', () => {
    expect(() => new layers.Conv1D({ filters: 2, kernelSize: 3 }).apply(Input({ shape: [10] }))).toThrow(/Conv1D expects a rank-3 input/);
    expect(() => new layers.Conv3D({ filters: 2, kernelSize: 3 }).apply(Input({ shape: [8, 8, 3] }))).toThrow(/Conv3D expects a rank-5 input/);
    expect(() => new layers.GlobalMaxPooling2D().apply(Input({ shape: [4, 4] }))).toThrow(/GlobalMaxPooling2D expects a rank-4 input/);
    expect(() => new layers.Conv2DTranspose({ filters: 2, kernelSize: 3 }).apply(Input({ shape: [4, 4] }))).toThrow(/Conv2DTranspose expects a rank-4 input/);
  });
});
