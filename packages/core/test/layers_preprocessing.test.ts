/**
 * The layer harness (support/layer_test.ts) for the preprocessing layers, on every backend, with
 * hand-computed numbers, plus the errors their bad arguments and inputs give.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { layers, memory, tensor, tidy } from '@keras-ts/core';
import { ALL_TEST_BACKENDS, useNamedBackend } from './support/backend.js';
import { runLayerTest } from './support/layer_test.js';
import { resizeWeights } from '../src/layers/preprocessing/resize_axis.js';

describe.each(ALL_TEST_BACKENDS)('preprocessing layers on %s', (backend) => {
  beforeAll(async () => {
    await useNamedBackend(backend);
  });

  // --- Rescaling ---
  it('Rescaling: inputs · scale + offset', () =>
    runLayerTest({
      make: () => new layers.Rescaling({ scale: 1 / 127.5, offset: -1 }),
      inputShape: [1, 4],
      inputData: [0, 127.5, 255, 51],
      // 0 → -1; 127.5 → 0; 255 → 1; 51/127.5 - 1 = 0.4 - 1 = -0.6.
      expectedOutputShape: [null, 4],
      expectedTrainableWeights: 0,
      expectedOutput: [-1, 0, 1, -0.6],
    }));
  it('Rescaling: offset defaults to 0 and is in the config', () => {
    const layer = new layers.Rescaling({ scale: 2 });
    expect(layer.getConfig()).toMatchObject({ scale: 2, offset: 0 });
    runLayerTest({ make: () => new layers.Rescaling({ scale: 2 }), inputShape: [2, 1, 2], inputData: [1, -2, 0.5, 3], expectedOutputShape: [null, 1, 2], expectedOutput: [2, -4, 1, 6] });
  });
  it('Rescaling: a missing scale is an error', () => {
    expect(() => new layers.Rescaling({} as never)).toThrow('Rescaling: scale must be a finite number');
  });

  // --- CenterCrop ---
  it('CenterCrop: the central window, the odd extra row from the bottom', () =>
    runLayerTest({
      make: () => new layers.CenterCrop({ height: 2, width: 2 }),
      inputShape: [1, 3, 4, 1],
      inputData: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      // rows 3 → 2: start floor(1/2) = 0; cols 4 → 2: start 1. Rows 0-1, cols 1-2: [1, 2, 5, 6].
      expectedOutputShape: [null, 2, 2, 1],
      expectedOutput: [1, 2, 5, 6],
    }));
  it('CenterCrop channels_first', () =>
    runLayerTest({
      make: () => new layers.CenterCrop({ height: 1, width: 1, dataFormat: 'channels_first' }),
      inputShape: [1, 2, 3, 3],
      inputData: [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18],
      // the centre (1, 1) of each 3×3 channel: 4 and 14.
      expectedOutputShape: [null, 2, 1, 1],
      expectedOutput: [4, 14],
    }));
  it('CenterCrop: an image smaller than the target is resized bilinearly', () =>
    runLayerTest({
      make: () => new layers.CenterCrop({ height: 4, width: 4 }),
      inputShape: [1, 2, 2, 1],
      inputData: [0, 1, 2, 3],
      // same aspect ratio, so no crop; each axis samples (o + 0.5)/2 - 0.5 clamped = [0, 0.25, 0.75, 1],
      // and value(r, c) = 2r + c is linear.
      expectedOutputShape: [null, 4, 4, 1],
      expectedOutput: [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3],
    }));
  it('CenterCrop: too narrow an image is cut to the target aspect ratio, then resized', () =>
    runLayerTest({
      make: () => new layers.CenterCrop({ height: 2, width: 4 }),
      inputShape: [1, 4, 2, 1],
      inputData: [0, 1, 2, 3, 4, 5, 6, 7],
      // crop rows min(4, 2·2/4) = 1 from row (4 - 1)/2 → 1: [2, 3]; cols min(2, 4·4/2) = 2.
      // Rows 1 → 2 repeat; cols 2 → 4 sample [0, 0.25, 0.75, 1]: [2, 2.25, 2.75, 3] twice.
      expectedOutputShape: [null, 2, 4, 1],
      expectedOutput: [2, 2.25, 2.75, 3, 2, 2.25, 2.75, 3],
    }));
  it('CenterCrop: config keys; a bad height is an error', () => {
    expect(new layers.CenterCrop({ height: 3, width: 5 }).getConfig()).toMatchObject({ height: 3, width: 5, data_format: 'channels_last' });
    expect(() => new layers.CenterCrop({ height: 0, width: 2 })).toThrow('CenterCrop: height must be a positive integer, got 0');
  });

  // --- CategoryEncoding ---
  const intReason = 'integer category indices have no gradient';
  it('CategoryEncoding one_hot: a last axis of 1 is replaced', () =>
    runLayerTest({
      make: () => new layers.CategoryEncoding({ numTokens: 4, outputMode: 'one_hot' }),
      inputShape: [3, 1],
      inputData: [3, 0, 2],
      inputDtype: 'int32',
      noGradient: intReason,
      expectedOutputShape: [null, 4],
      expectedOutput: [0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0],
    }));
  it('CategoryEncoding one_hot: a longer last axis gets a new axis', () =>
    runLayerTest({
      make: () => new layers.CategoryEncoding({ numTokens: 3, outputMode: 'one_hot' }),
      inputShape: [1, 2],
      inputData: [1, 2],
      inputDtype: 'int32',
      noGradient: intReason,
      expectedOutputShape: [null, 2, 3],
      expectedOutput: [0, 1, 0, 0, 0, 1],
    }));
  it('CategoryEncoding multi_hot (the default)', () =>
    runLayerTest({
      make: () => new layers.CategoryEncoding({ numTokens: 4 }),
      inputShape: [2, 3],
      inputData: [0, 1, 1, 3, 3, 2],
      inputDtype: 'int32',
      noGradient: intReason,
      // [0, 1, 1] → tokens 0 and 1 present; [3, 3, 2] → tokens 2 and 3.
      expectedOutputShape: [null, 4],
      expectedOutput: [1, 1, 0, 0, 0, 0, 1, 1],
    }));
  it('CategoryEncoding count', () =>
    runLayerTest({
      make: () => new layers.CategoryEncoding({ numTokens: 4, outputMode: 'count' }),
      inputShape: [2, 3],
      inputData: [0, 1, 1, 3, 3, 3],
      inputDtype: 'int32',
      noGradient: intReason,
      // [0, 1, 1] → one 0, two 1s; [3, 3, 3] → three 3s.
      expectedOutputShape: [null, 4],
      expectedOutput: [1, 2, 0, 0, 0, 0, 0, 3],
    }));
  it('CategoryEncoding: config keys, an index ≥ numTokens and bad arguments are errors', () => {
    expect(new layers.CategoryEncoding({ numTokens: 5, outputMode: 'count' }).getConfig()).toMatchObject({ num_tokens: 5, output_mode: 'count', sparse: false });
    const before = memory().numTensors;
    tidy(() => {
      const layer = new layers.CategoryEncoding({ numTokens: 3, outputMode: 'one_hot' });
      expect(() => layer.apply(tensor([0, 3], [2, 1], 'int32'))).toThrow('input values must be integers with 0 <= value < numTokens (3); got 3');
      expect(() => layer.apply(tensor([-1, 0], [2, 1], 'int32'))).toThrow('got -1');
    });
    expect(memory().numTensors).toBe(before);
    expect(() => new layers.CategoryEncoding({ numTokens: 0 })).toThrow('CategoryEncoding: numTokens must be a positive integer, got 0');
    expect(() => new layers.CategoryEncoding({ numTokens: 3, outputMode: 'tf_idf' as never })).toThrow('CategoryEncoding: unknown outputMode "tf_idf"');
  });

  // --- Normalization ---
  it('Normalization.adapt: per-feature mean and variance, then (x - mean) / std', () =>
    runLayerTest({
      make: () => {
        const layer = new layers.Normalization();
        // feature 0: [1, 1, 5, 5] → mean 3, variance (4+4+4+4)/4 = 4, std 2;
        // feature 1: [0, 10, 0, 10] → mean 5, variance 25, std 5.
        layer.adapt([[1, 0], [1, 10], [5, 0], [5, 10]]);
        return layer;
      },
      inputShape: [2, 2],
      inputData: [3, 5, 7, -5],
      // [(3-3)/2, (5-5)/5, (7-3)/2, (-5-5)/5] = [0, 0, 2, -2].
      expectedOutputShape: [null, 2],
      expectedTrainableWeights: 0,
      expectedNonTrainableWeights: 2,
      expectedWeightShapes: [[2], [2]],
      expectedOutput: [0, 0, 2, -2],
    }));
  it('Normalization.adapt over a middle axis, from a Tensor', () => {
    const before = memory().numTensors;
    const layer = new layers.Normalization({ axis: 1 });
    tidy(() => layer.adapt(tensor([1, 3, 0, 0, 5, 7, 4, 0], [2, 2, 2])));
    // axis 1, index 0 sees [1, 3, 5, 7]: mean 4, variance (9+1+1+9)/4 = 5;
    // index 1 sees [0, 0, 4, 0]: mean 1, variance (1+1+9+1)/4 = 3.
    expect(Array.from(layer.weights[0].dataSync())).toEqual([4, 1]);
    const variance = Array.from(layer.weights[1].dataSync());
    expect(variance[0]).toBeCloseTo(5, 5);
    expect(variance[1]).toBeCloseTo(3, 5);
    tidy(() => {
      const y = layer.apply(tensor([9, 9, 1, 1 + Math.sqrt(3)], [1, 2, 2])) as unknown as { dataSync(): ArrayLike<number> };
      // (9-4)/√5 = 2.23606798; (1-1)/√3 = 0; (√3)/√3 = 1.
      const got = Array.from(y.dataSync());
      [2.23606798, 2.23606798, 0, 1].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    });
    layer.dispose();
    expect(memory().numTensors).toBe(before);
  });
  it('Normalization with a given mean and variance, inverted', () =>
    runLayerTest({
      make: () => new layers.Normalization({ axis: null, mean: 2, variance: 4, invert: true }),
      inputShape: [1, 3],
      inputData: [0, 1, -1],
      // 2 + x·2: [2, 4, 0].
      expectedOutputShape: [null, 3],
      expectedTrainableWeights: 0,
      expectedNonTrainableWeights: 0,
      expectedOutput: [2, 4, 0],
    }));
  it('Normalization with a per-feature mean and variance; config keys', () => {
    const make = () => new layers.Normalization({ mean: [1, -1], variance: [1, 0.25] });
    expect(make().getConfig()).toMatchObject({ axis: -1, invert: false, mean: [1, -1], variance: [1, 0.25] });
    // [(2-1)/1, (0+1)/0.5] = [1, 2].
    runLayerTest({ make, inputShape: [1, 2], inputData: [2, 0], expectedOutputShape: [null, 2], expectedOutput: [1, 2] });
  });
  it('Normalization: calling before adapt, a lone mean and axis 0 are errors', () => {
    tidy(() => {
      expect(() => new layers.Normalization().apply(tensor([1, 2], [1, 2]))).toThrow('the layer has no mean and variance yet. Fix: call layer.adapt(data)');
    });
    expect(() => new layers.Normalization({ mean: 1 })).toThrow('Normalization: mean and variance must be given together');
    expect(() => new layers.Normalization({ axis: 0 }).adapt([[1, 2]])).toThrow('axis may not be 0, the batch axis');
    expect(() => new layers.Normalization({ mean: 0, variance: 1 }).adapt([[1, 2]])).toThrow('adapt() cannot replace the mean and variance');
  });

  // --- Resizing ---
  it('Resizing bilinear (the default) upsampling one row: half-pixel centres, clamped edges', () =>
    runLayerTest({
      make: () => new layers.Resizing({ height: 1, width: 4 }),
      inputShape: [1, 1, 2, 1],
      inputData: [0, 4],
      // output o samples (o + 0.5)·2/4 - 0.5 = [-0.25, 0.25, 0.75, 1.25] → clamped [0, 0.25, 0.75, 1]
      // → [0, 0.75·0 + 0.25·4, 0.25·0 + 0.75·4, 4] = [0, 1, 3, 4].
      expectedOutputShape: [null, 1, 4, 1],
      expectedTrainableWeights: 0,
      expectedOutput: [0, 1, 3, 4],
    }));
  it('Resizing bilinear downsampling 4×4 → 2×2', () =>
    runLayerTest({
      make: () => new layers.Resizing({ height: 2, width: 2, interpolation: 'bilinear' }),
      inputShape: [1, 4, 4, 1],
      inputData: Array.from({ length: 16 }, (_, i) => i),
      // value(r, c) = 4r + c is linear; samples at rows/cols (o + 0.5)·2 - 0.5 = 0.5, 2.5:
      // 4·0.5 + 0.5 = 2.5, 2 + 2.5 = 4.5, 10 + 0.5 = 10.5, 10 + 2.5 = 12.5.
      expectedOutputShape: [null, 2, 2, 1],
      expectedOutput: [2.5, 4.5, 10.5, 12.5],
    }));
  it('Resizing nearest', () =>
    runLayerTest({
      make: () => new layers.Resizing({ height: 1, width: 5, interpolation: 'nearest' }),
      inputShape: [1, 1, 3, 1],
      inputData: [10, 20, 30],
      // index floor((o + 0.5)·3/5) = floor([0.3, 0.9, 1.5, 2.1, 2.7]) = [0, 0, 1, 2, 2].
      expectedOutputShape: [null, 1, 5, 1],
      expectedOutput: [10, 10, 20, 30, 30],
    }));
  it('Resizing with cropToAspectRatio, channels_first', () =>
    runLayerTest({
      make: () => new layers.Resizing({ height: 2, width: 2, cropToAspectRatio: true, dataFormat: 'channels_first' }),
      inputShape: [1, 1, 2, 4],
      inputData: [0, 1, 2, 3, 4, 5, 6, 7],
      // crop rows min(2, 4·2/2) = 2, cols min(4, 2·2/2) = 2, starting at column (4 - 2)/2 = 1: [[1, 2], [5, 6]],
      // already 2×2, so unchanged.
      expectedOutputShape: [null, 1, 2, 2],
      expectedOutput: [1, 2, 5, 6],
    }));
  it('Resizing: config keys and bad arguments', () => {
    expect(new layers.Resizing({ height: 3, width: 5 }).getConfig()).toMatchObject({
      height: 3, width: 5, interpolation: 'bilinear', crop_to_aspect_ratio: false, pad_to_aspect_ratio: false, fill_mode: 'constant', fill_value: 0, data_format: 'channels_last',
    });
    expect(() => new layers.Resizing({ height: 2, width: 2, interpolation: 'cubic' as never })).toThrow(
      `Resizing: unknown interpolation "cubic". Expected one of 'bilinear', 'nearest', 'bicubic', 'lanczos3', 'lanczos5'. Fix: interpolation: 'bilinear'.`,
    );
    expect(() => new layers.Resizing({ height: 2, width: -1 })).toThrow('Resizing: width must be a positive integer, got -1');
    expect(() => new layers.Resizing({ height: 2, width: 2, padToAspectRatio: true, cropToAspectRatio: true })).toThrow(
      'Resizing: padToAspectRatio and cropToAspectRatio cannot both be true (one pads, the other crops). Fix: set only one of them.',
    );
    expect(() => new layers.Resizing({ height: 2, width: 2, padToAspectRatio: true, fillMode: 'reflect' })).toThrow(
      `Resizing: fillMode "reflect" is not supported; padToAspectRatio pads with fillValue only ('constant'). Fix: fillMode: 'constant'.`,
    );
    expect(new layers.Resizing({ height: 2, width: 2, padToAspectRatio: true, fillValue: 7, interpolation: 'lanczos3' }).getConfig()).toMatchObject({
      pad_to_aspect_ratio: true, fill_value: 7, interpolation: 'lanczos3',
    });
  });
  it('Resizing with padToAspectRatio: the same number of fill rows on both sides, as Keras computes them', () =>
    runLayerTest({
      make: () => new layers.Resizing({ height: 4, width: 4, padToAspectRatio: true, fillValue: -1 }),
      inputShape: [1, 2, 4, 1],
      inputData: [0, 1, 2, 3, 4, 5, 6, 7],
      // pad rows to max(2, floor(4·4/4)) = 4: floor((4 - 2)/2) = 1 row of -1 above and below; already 4×4.
      expectedOutputShape: [null, 4, 4, 1],
      expectedOutput: [-1, -1, -1, -1, 0, 1, 2, 3, 4, 5, 6, 7, -1, -1, -1, -1],
    }));
  it('Resizing with padToAspectRatio where the padding rounds to nothing (Keras pads floor((4 - 3)/2) = 0 rows)', () =>
    runLayerTest({
      make: () => new layers.Resizing({ height: 1, width: 1, padToAspectRatio: true, interpolation: 'nearest' }),
      inputShape: [1, 3, 4, 1],
      inputData: Array.from({ length: 12 }, (_, i) => i),
      // Unpadded 3×4 to 1×1 by nearest: row floor(0.5·3) = 1, column floor(0.5·4) = 2: value 6.
      expectedOutputShape: [null, 1, 1, 1],
      expectedOutput: [6],
    }));
  it('Resizing bicubic and lanczos keep a constant image constant, and lanczos weighs by sinc(x)·sinc(x/a)', () => {
    for (const interpolation of ['bicubic', 'lanczos3', 'lanczos5'] as const) {
      for (const [n, m] of [[5, 12], [12, 5], [7, 7 * 3]]) {
        const weights = resizeWeights(n, m, interpolation);
        for (let o = 0; o < m; o++) {
          let total = 0;
          for (let i = 0; i < n; i++) total += weights[i * m + o];
          expect(Math.abs(total - 1)).toBeLessThan(1e-12);
        }
      }
    }
    // 10 → 20: output 9 samples input position 4.25, far from the edges, so no tap is dropped.
    const lanczos3 = (x: number) => (x === 0 ? 1 : (3 * Math.sin(Math.PI * x) * Math.sin((Math.PI * x) / 3)) / (Math.PI * Math.PI * x * x));
    const raw = Array.from({ length: 10 }, (_, i) => (Math.abs(4.25 - i) < 3 ? lanczos3(Math.abs(4.25 - i)) : 0));
    const sum = raw.reduce((a, b) => a + b, 0);
    const weights = resizeWeights(10, 20, 'lanczos3');
    raw.forEach((r, i) => expect(weights[i * 20 + 9]).toBeCloseTo(r / sum, 12));
  });
});
