/**
 * The layer harness (support/layer_test.ts) for the catalogue's activation, merging, reshaping,
 * core and regularization layers, on every backend, with hand-computed numbers, plus the errors
 * their bad arguments give.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { layers, memory, ops, tensor, tidy, valueAndGrad, type Tensor } from '@keras-ts/core';
import { ALL_TEST_BACKENDS, useNamedBackend } from './support/backend.js';
import { runLayerTest } from './support/layer_test.js';

describe.each(ALL_TEST_BACKENDS)('catalogue A layers on %s', (backend) => {
  beforeAll(async () => {
    await useNamedBackend(backend);
  });

  // --- activations ---
  it('ReLU with maxValue, negativeSlope and threshold', () =>
    runLayerTest({
      make: () => new layers.ReLU({ maxValue: 2, negativeSlope: 0.5, threshold: 0.5 }),
      inputShape: [1, 5],
      inputData: [-1, 0.2, 1, 3, 0.75],
      // -1 → 0.5·(-1-0.5) = -0.75; 0.2 → 0.5·(0.2-0.5) = -0.15; 1 → 1; 3 → min(3, 2) = 2; 0.75 → 0.75.
      expectedOutputShape: [null, 5],
      expectedOutput: [-0.75, -0.15, 1, 2, 0.75],
    }));
  it('ReLU defaults', () =>
    runLayerTest({ make: () => new layers.ReLU(), inputShape: [1, 3], inputData: [-2, 0.5, 3], expectedOutputShape: [null, 3], expectedOutput: [0, 0.5, 3] }));
  it('LeakyReLU: slope 0.3 by default', () =>
    runLayerTest({
      make: () => new layers.LeakyReLU(),
      inputShape: [1, 3],
      inputData: [-2, 0.5, -0.1],
      // -2·0.3 = -0.6; 0.5; -0.1·0.3 = -0.03.
      expectedOutputShape: [null, 3],
      expectedOutput: [-0.6, 0.5, -0.03],
    }));
  it('PReLU with shared axes', () =>
    runLayerTest({
      make: () => new layers.PReLU({ sharedAxes: [1] }),
      inputShape: [1, 2, 2],
      inputData: [-1, -2, 3, -4],
      weights: [[0.5, 0.25]],
      // alpha shape [1, 2] = [[0.5, 0.25]]: -1·0.5 = -0.5; -2·0.25 = -0.5; 3; -4·0.25 = -1.
      expectedOutputShape: [null, 2, 2],
      expectedWeightShapes: [[1, 2]],
      expectedTrainableWeights: 1,
      expectedOutput: [-0.5, -0.5, 3, -1],
    }));
  it('ELU', () =>
    runLayerTest({
      make: () => new layers.ELU({ alpha: 2 }),
      inputShape: [1, 2],
      inputData: [-1, 1.5],
      // 2·(e^-1 - 1) = 2·(0.36787944 - 1) = -1.26424112; 1.5.
      expectedOutputShape: [null, 2],
      expectedOutput: [-1.26424112, 1.5],
    }));
  it('Softmax over the last axis', () =>
    runLayerTest({
      make: () => new layers.Softmax(),
      inputShape: [1, 2],
      inputData: [0, Math.log(3)],
      // exp: [1, 3] / 4 = [0.25, 0.75].
      expectedOutputShape: [null, 2],
      expectedOutput: [0.25, 0.75],
    }));
  it('Softmax with a mask: masked positions get (almost) no weight', () =>
    runLayerTest({
      make: () => new layers.Softmax({ axis: -1 }),
      inputShape: [1, 3],
      inputData: [0, 5, Math.log(3)],
      callOptions: { mask: tensor([true, false, true] as never, [1, 3], 'bool') },
      // the middle logit gets -1e9: exp [1, 0, 3] / 4 = [0.25, 0, 0.75].
      expectedOutputShape: [null, 3],
      expectedOutput: [0.25, 0, 0.75],
    }));
  it('Softmax over two axes', () =>
    runLayerTest({
      make: () => new layers.Softmax({ axis: [1, 2] }),
      inputShape: [1, 2, 2],
      inputData: [0, 0, 0, Math.log(5)],
      // exp [1, 1, 1, 5] / 8.
      expectedOutputShape: [null, 2, 2],
      expectedOutput: [0.125, 0.125, 0.125, 0.625],
    }));

  // --- merging ---
  it('Subtract', () =>
    runLayerTest({
      make: () => new layers.Subtract(),
      inputShape: [[1, 3], [1, 3]],
      inputData: [[1, 2, 3], [0.5, 5, -1]],
      // [1-0.5, 2-5, 3+1] = [0.5, -3, 4].
      expectedOutputShape: [null, 3],
      expectedOutput: [0.5, -3, 4],
    }));
  it('Multiply', () =>
    runLayerTest({ make: () => new layers.Multiply(), inputShape: [[1, 3], [1, 3]], inputData: [[1, 2, 3], [0.5, 5, -1]], expectedOutputShape: [null, 3], expectedOutput: [0.5, 10, -3] }));
  it('Average', () =>
    runLayerTest({
      make: () => new layers.Average(),
      inputShape: [[1, 2], [1, 2], [1, 2]],
      inputData: [[1, 2], [3, 4], [5, 9]],
      // [(1+3+5)/3, (2+4+9)/3] = [3, 5].
      expectedOutputShape: [null, 2],
      expectedOutput: [3, 5],
    }));
  it('Maximum', () =>
    runLayerTest({ make: () => new layers.Maximum(), inputShape: [[1, 3], [1, 3]], inputData: [[1, 2, 3], [0.5, 5, -1]], expectedOutputShape: [null, 3], expectedOutput: [1, 5, 3] }));
  it('Minimum', () =>
    runLayerTest({ make: () => new layers.Minimum(), inputShape: [[1, 3], [1, 3]], inputData: [[1, 2, 3], [0.5, 5, -1]], expectedOutputShape: [null, 3], expectedOutput: [0.5, 2, -1] }));
  it('Dot along axis 1', () =>
    runLayerTest({
      make: () => new layers.Dot({ axes: 1 }),
      inputShape: [[2, 3], [2, 3]],
      inputData: [[1, 2, 3, 0, 1, 0], [4, 5, 6, 2, 3, 4]],
      // row 1: 1·4 + 2·5 + 3·6 = 32; row 2: 0·2 + 1·3 + 0·4 = 3.
      expectedOutputShape: [null, 1],
      expectedOutput: [32, 3],
    }));
  it('Dot with different axes and normalize', () =>
    runLayerTest({
      make: () => new layers.Dot({ axes: [2, 1], normalize: true }),
      inputShape: [[1, 1, 2], [1, 2, 1]],
      inputData: [[3, 4], [4, 3]],
      // (3, 4)/5 · (4, 3)/5 = (12 + 12)/25 = 0.96.
      expectedOutputShape: [null, 1, 1],
      expectedOutput: [0.96],
      tolerance: 1e-4,
    }));
  it('Dot on 3-D inputs: (2, 3)·(3, 2) per example', () =>
    runLayerTest({ make: () => new layers.Dot({ axes: [2, 1] }), inputShape: [[2, 2, 3], [2, 3, 4]], expectedOutputShape: [null, 2, 4] }));
  // --- reshaping ---
  it('Permute', () =>
    runLayerTest({
      make: () => new layers.Permute({ dims: [2, 1] }),
      inputShape: [1, 2, 3],
      inputData: [1, 2, 3, 4, 5, 6],
      // [[1, 2, 3], [4, 5, 6]] transposed → [[1, 4], [2, 5], [3, 6]].
      expectedOutputShape: [null, 3, 2],
      expectedOutput: [1, 4, 2, 5, 3, 6],
    }));
  it('RepeatVector', () =>
    runLayerTest({ make: () => new layers.RepeatVector({ n: 3 }), inputShape: [1, 2], inputData: [1, 2], expectedOutputShape: [null, 3, 2], expectedOutput: [1, 2, 1, 2, 1, 2] }));
  it('ZeroPadding1D', () =>
    runLayerTest({
      make: () => new layers.ZeroPadding1D({ padding: [1, 2] }),
      inputShape: [1, 2, 1],
      inputData: [5, 6],
      // one zero before, two after the 2 steps: [0, 5, 6, 0, 0].
      expectedOutputShape: [null, 5, 1],
      expectedOutput: [0, 5, 6, 0, 0],
    }));
  it('ZeroPadding2D, channels_last', () =>
    runLayerTest({
      make: () => new layers.ZeroPadding2D({ padding: [[1, 0], [0, 1]], dataFormat: 'channels_last' }),
      inputShape: [1, 2, 2, 1],
      inputData: [1, 2, 3, 4],
      // a zero row on top, a zero column on the right: [[0, 0, 0], [1, 2, 0], [3, 4, 0]].
      expectedOutputShape: [null, 3, 3, 1],
      expectedOutput: [0, 0, 0, 1, 2, 0, 3, 4, 0],
    }));
  it('ZeroPadding2D, channels_first', () =>
    runLayerTest({
      make: () => new layers.ZeroPadding2D({ padding: 1, dataFormat: 'channels_first' }),
      inputShape: [1, 2, 1, 1],
      inputData: [7, 8],
      // each channel's 1×1 image gets a ring of zeros: 3×3 with the value in the centre.
      expectedOutputShape: [null, 2, 3, 3],
      expectedOutput: [0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0],
    }));
  it('ZeroPadding3D', () =>
    runLayerTest({ make: () => new layers.ZeroPadding3D({ padding: [1, 0, 2], dataFormat: 'channels_last' }), inputShape: [1, 1, 2, 1, 2], expectedOutputShape: [null, 3, 2, 5, 2] }));
  it('Cropping1D', () =>
    runLayerTest({
      make: () => new layers.Cropping1D({ cropping: [1, 2] }),
      inputShape: [1, 5, 1],
      inputData: [1, 2, 3, 4, 5],
      // drop 1 step at the start and 2 at the end: [2, 3].
      expectedOutputShape: [null, 2, 1],
      expectedOutput: [2, 3],
    }));
  it('Cropping2D, channels_first', () =>
    runLayerTest({
      make: () => new layers.Cropping2D({ cropping: [[1, 0], [0, 1]], dataFormat: 'channels_first' }),
      inputShape: [1, 1, 3, 3],
      inputData: [1, 2, 3, 4, 5, 6, 7, 8, 9],
      // drop the top row and the right column of [[1,2,3],[4,5,6],[7,8,9]]: [[4, 5], [7, 8]].
      expectedOutputShape: [null, 1, 2, 2],
      expectedOutput: [4, 5, 7, 8],
    }));
  it('Cropping3D', () =>
    runLayerTest({ make: () => new layers.Cropping3D({ cropping: 1, dataFormat: 'channels_last' }), inputShape: [1, 3, 4, 5, 2], expectedOutputShape: [null, 1, 2, 3, 2] }));
  it('UpSampling1D', () =>
    runLayerTest({
      make: () => new layers.UpSampling1D({ size: 3 }),
      inputShape: [1, 2, 2],
      inputData: [1, 2, 3, 4],
      // each step [1, 2], [3, 4] repeated 3 times.
      expectedOutputShape: [null, 6, 2],
      expectedOutput: [1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4],
    }));
  it('UpSampling2D, nearest', () =>
    runLayerTest({
      make: () => new layers.UpSampling2D({ size: [2, 1], dataFormat: 'channels_last' }),
      inputShape: [1, 2, 2, 1],
      inputData: [1, 2, 3, 4],
      // each row twice: [[1, 2], [1, 2], [3, 4], [3, 4]].
      expectedOutputShape: [null, 4, 2, 1],
      expectedOutput: [1, 2, 1, 2, 3, 4, 3, 4],
    }));
  it('UpSampling2D, channels_first', () =>
    runLayerTest({
      make: () => new layers.UpSampling2D({ dataFormat: 'channels_first' }),
      inputShape: [1, 1, 1, 2],
      inputData: [1, 2],
      // 2×2 blocks: [[1, 1, 2, 2], [1, 1, 2, 2]].
      expectedOutputShape: [null, 1, 2, 4],
      expectedOutput: [1, 1, 2, 2, 1, 1, 2, 2],
    }));
  it('UpSampling2D, bilinear', () =>
    runLayerTest({
      make: () => new layers.UpSampling2D({ size: [1, 2], interpolation: 'bilinear', dataFormat: 'channels_last' }),
      inputShape: [1, 1, 3, 1],
      inputData: [0, 4, 8],
      // width 3 → 6; output column o samples (o + 0.5)/2 - 0.5 = -0.25, 0.25, 0.75, 1.25, 1.75, 2.25, clamped to [0, 2]:
      // 0; 0.75·0 + 0.25·4 = 1; 0.25·0 + 0.75·4 = 3; 0.75·4 + 0.25·8 = 5; 0.25·4 + 0.75·8 = 7; 8.
      expectedOutputShape: [null, 1, 6, 1],
      expectedOutput: [0, 1, 3, 5, 7, 8],
    }));
  it('UpSampling2D, bilinear, both axes, channels_first', () =>
    runLayerTest({ make: () => new layers.UpSampling2D({ size: [2, 3], interpolation: 'bilinear', dataFormat: 'channels_first' }), inputShape: [1, 2, 2, 2], expectedOutputShape: [null, 2, 4, 6] }));
  it('UpSampling3D', () =>
    runLayerTest({ make: () => new layers.UpSampling3D({ size: [1, 2, 3], dataFormat: 'channels_last' }), inputShape: [1, 2, 1, 2, 1], expectedOutputShape: [null, 2, 2, 6, 1] }));
  // --- core ---
  it('Identity', () => runLayerTest({ make: () => new layers.Identity(), inputShape: [1, 2], inputData: [3, -4], expectedOutputShape: [null, 2], expectedOutput: [3, -4] }));
  it('Masking: a timestep of mask values is zeroed and masked', () => {
    runLayerTest({
      make: () => new layers.Masking({ maskValue: 0 }),
      inputShape: [1, 3, 2],
      inputData: [1, 2, 0, 0, 3, 0],
      // step 2 is all 0 → zeros; steps 1 and 3 have a non-zero feature → unchanged.
      expectedOutputShape: [null, 3, 2],
      expectedOutput: [1, 2, 0, 0, 3, 0],
      noGradient: 'a finite-difference step unmasks the masked timestep; the next test checks the gradient without one',
    });
    const mask = new layers.Masking({ maskValue: 0 }).computeMask(tensor([1, 2, 0, 0, 3, 0], [1, 3, 2]));
    expect([...mask.shape]).toEqual([1, 3]);
    expect(Array.from(mask.dataSync())).toEqual([1, 0, 1]);
  });
  it('Masking with maskValue -1, nothing masked', () =>
    runLayerTest({ make: () => new layers.Masking({ maskValue: -1 }), inputShape: [2, 2, 3], expectedOutputShape: [null, 2, 3] }));
  it('Embedding', () => {
    runLayerTest({
      make: () => new layers.Embedding({ inputDim: 3, outputDim: 2, maskZero: true }),
      inputShape: [2, 2],
      inputDtype: 'int32',
      inputData: [0, 2, 1, 2],
      weights: [[10, 11, 20, 21, 30, 31]],
      // rows: 0 → [10, 11], 1 → [20, 21], 2 → [30, 31]; [[0, 2], [1, 2]] → [[10, 11, 30, 31], [20, 21, 30, 31]].
      expectedOutputShape: [null, 2, 2],
      expectedWeightShapes: [[3, 2]],
      expectedTrainableWeights: 1,
      expectedOutput: [10, 11, 30, 31, 20, 21, 30, 31],
      noGradient: 'the input is int indices, which have no gradient; the embeddings gradient is checked below',
    });
    const mask = new layers.Embedding({ inputDim: 3, outputDim: 2, maskZero: true }).computeMask(tensor([0, 2, 1, 0], [2, 2], 'int32'));
    expect(Array.from((mask as Tensor).dataSync())).toEqual([0, 1, 1, 0]);
    expect(new layers.Embedding({ inputDim: 3, outputDim: 2 }).computeMask(tensor([0, 1], [1, 2], 'int32'))).toBeNull();
  });
  it('Embedding: the gradient of the embeddings adds up the rows each index picked', () => {
    const layer = new layers.Embedding({ inputDim: 3, outputDim: 2 });
    const before = memory().numTensors;
    tidy(() => {
      const x = tensor([0, 2, 2, 0, 0], [1, 5], 'int32');
      layer.apply(x);
      const w = layer.weights[0];
      // d/dE sum(E[x] · [1, 2]): row 0 picked 3 times → [3, 6]; row 1 never → [0, 0]; row 2 twice → [2, 4].
      const { grads } = valueAndGrad(() => ops.sum(ops.multiply(layer.apply(x), tensor([1, 2], [2]))), [w]);
      expect(Array.from(grads[0].dataSync())).toEqual([3, 6, 0, 0, 2, 4]);
    });
    expect(memory().numTensors - before).toBe(layer.weights.length);
    layer.dispose();
  });
  it('EinsumDense as Dense, with bias', () =>
    runLayerTest({
      make: () => new layers.EinsumDense({ equation: 'ab,bc->ac', outputShape: 2, biasAxes: 'c' }),
      inputShape: [2, 3],
      inputData: [1, 2, 3, -1, 0, 1],
      weights: [[1, 0, 0, 1, 1, -1], [0.5, -0.5]],
      // kernel [[1, 0], [0, 1], [1, -1]]: [1, 2, 3] → [1+3, 2-3] + b = [4.5, -1.5]; [-1, 0, 1] → [-1+1, -1] + b = [0.5, -1.5].
      expectedOutputShape: [null, 2],
      expectedWeightShapes: [[3, 2], [2]],
      expectedOutput: [4.5, -1.5, 0.5, -1.5],
    }));
  it('EinsumDense, multi-head projection abc,cde->abde', () =>
    runLayerTest({
      make: () => new layers.EinsumDense({ equation: 'abc,cde->abde', outputShape: [null, 2, 2], biasAxes: 'de' }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [null, 3, 2, 2],
      expectedWeightShapes: [[4, 2, 2], [2, 2]],
    }));
  it('EinsumDense with ellipsis ...b,bc->...c', () =>
    runLayerTest({ make: () => new layers.EinsumDense({ equation: '...b,bc->...c', outputShape: 3 }), inputShape: [2, 2, 4], expectedOutputShape: [null, 2, 3], expectedWeightShapes: [[4, 3]] }));
  it('EinsumDense with the batch axis in the kernel product, abc,cd->abd', () =>
    runLayerTest({
      make: () => new layers.EinsumDense({ equation: 'abc,cd->abd', outputShape: [null, 1], activation: 'relu' }),
      inputShape: [1, 2, 2],
      inputData: [1, 2, -3, 1],
      weights: [[1, 1]],
      // kernel [[1], [1]]: step 1 → 1+2 = 3; step 2 → -3+1 = -2 → relu 0.
      expectedOutputShape: [null, 2, 1],
      expectedOutput: [3, 0],
    }));
  // --- regularization ---
  it('SpatialDropout1D: inference passes through, training drops', () =>
    runLayerTest({ make: () => new layers.SpatialDropout1D({ rate: 0.5, seed: 3 }), inputShape: [2, 3, 4], inputData: [...Array(24).keys()], expectedOutputShape: [null, 3, 4], expectedOutput: [...Array(24).keys()], trainingDiffers: true }));
  it('SpatialDropout2D', () =>
    runLayerTest({ make: () => new layers.SpatialDropout2D({ rate: 0.5, seed: 1, dataFormat: 'channels_first' }), inputShape: [2, 3, 2, 2], expectedOutputShape: [null, 3, 2, 2], trainingDiffers: true }));
  it('SpatialDropout3D', () =>
    runLayerTest({ make: () => new layers.SpatialDropout3D({ rate: 0.5, seed: 1, dataFormat: 'channels_last' }), inputShape: [2, 2, 2, 2, 3], expectedOutputShape: [null, 2, 2, 2, 3], trainingDiffers: true }));
  it('SpatialDropout drops whole channels', () => {
    const layer = new layers.SpatialDropout2D({ rate: 0.5, seed: 7, dataFormat: 'channels_last' });
    tidy(() => {
      // ones of shape (4, 3, 3, 5): each (example, channel) is all 0 or all 1 / (1 - 0.5) = 2 over its 9 pixels.
      const y = layer.apply(ops.broadcastTo(tensor([1], [1, 1, 1, 1]), [4, 3, 3, 5]), { training: true });
      const v = y.dataSync();
      const values = new Set<number>();
      for (let b = 0; b < 4; b++) {
        for (let c = 0; c < 5; c++) {
          const pixels = new Set<number>();
          for (let p = 0; p < 9; p++) pixels.add(v[b * 45 + p * 5 + c]);
          expect(pixels.size).toBe(1);
          values.add([...pixels][0]);
        }
      }
      expect([...values].sort()).toEqual([0, 2]);
    });
  });
  it('GaussianNoise', () =>
    runLayerTest({ make: () => new layers.GaussianNoise({ stddev: 0.5, seed: 2 }), inputShape: [2, 3], inputData: [1, 2, 3, 4, 5, 6], expectedOutputShape: [null, 3], expectedOutput: [1, 2, 3, 4, 5, 6], trainingDiffers: true }));
  it('GaussianDropout', () =>
    runLayerTest({ make: () => new layers.GaussianDropout({ rate: 0.3, seed: 2 }), inputShape: [2, 3], expectedOutputShape: [null, 3], trainingDiffers: true }));
  it('AlphaDropout', () =>
    runLayerTest({ make: () => new layers.AlphaDropout({ rate: 0.5, seed: 2 }), inputShape: [2, 3], expectedOutputShape: [null, 3], trainingDiffers: true }));
  it('the random layers: one seed gives the same noise; GaussianNoise and AlphaDropout numbers', () => {
    tidy(() => {
      const x = tensor([...Array(400).keys()].map(() => 0), [100, 4]);
      const a = new layers.GaussianNoise({ stddev: 0.5, seed: 11 }).apply(x, { training: true });
      const b = new layers.GaussianNoise({ stddev: 0.5, seed: 11 }).apply(x, { training: true });
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      // Noise on zeros: mean ≈ 0 and stddev ≈ 0.5 over 400 draws.
      const noise = Array.from(a.dataSync());
      const mean = noise.reduce((s, v) => s + v, 0) / noise.length;
      const sd = Math.sqrt(noise.reduce((s, v) => s + (v - mean) ** 2, 0) / noise.length);
      expect(Math.abs(mean)).toBeLessThan(0.1);
      expect(Math.abs(sd - 0.5)).toBeLessThan(0.06);
      // AlphaDropout, rate 0.5, on ones: alpha' = -1.6732632·1.0507010 = -1.7580993;
      // a = ((1 - 0.5)(1 + 0.5·alpha'²))^-1/2 = (0.5 · 2.5454566)^-1/2 = 0.8864053; b = -a·alpha'·0.5 = 0.7791917.
      // kept: a·1 + b = 1.6655970; dropped: a·alpha' + b = -0.7791917.
      const y = Array.from(new layers.AlphaDropout({ rate: 0.5, seed: 5 }).apply(ops.add(x, 1), { training: true }).dataSync());
      const kept = y.filter((v) => Math.abs(v - 1.665597) < 1e-4).length;
      const dropped = y.filter((v) => Math.abs(v + 0.7791917) < 1e-4).length;
      expect(kept + dropped).toBe(400);
      expect(kept).toBeGreaterThan(150);
      expect(dropped).toBeGreaterThan(150);
    });
  });
});

describe('catalogue A argument errors', () => {
  it('say what came and what is allowed', () => {
    expect(() => new layers.ReLU({ maxValue: -1 })).toThrow(/maxValue must be a number ≥ 0; received maxValue=-1/);
    expect(() => new layers.ReLU({ negativeSlope: -0.1 })).toThrow(/negativeSlope must be a number ≥ 0/);
    expect(() => new layers.LeakyReLU({ negativeSlope: -1 })).toThrow(/received negativeSlope=-1/);
    expect(() => new layers.PReLU({ sharedAxes: [0] })).toThrow(/sharedAxes must be integers ≥ 1/);
    expect(() => new layers.Softmax({ axis: 1.5 })).toThrow(/axis must be an integer/);
    expect(() => new layers.Dot({ axes: 'x' as never })).toThrow(/axes must be an integer or a list of 2 integers; received axes="x"/);
    expect(() => new layers.Permute({ dims: [0, 1] })).toThrow(/dims=\[0,1\]. Expected a permutation of the integers 1..n/);
    expect(() => new layers.RepeatVector({ n: 0 })).toThrow(/n to be a positive integer, received n=0/);
    expect(() => new layers.ZeroPadding2D({ padding: [1, 2, 3] })).toThrow(/padding must be a non-negative integer.*received padding=\[1,2,3\]/);
    expect(() => new layers.Cropping1D({ cropping: -1 })).toThrow(/received cropping=-1/);
    expect(() => new layers.UpSampling2D({ size: 0 })).toThrow(/size must be a positive integer or a list of 2 positive integers; received size=0/);
    expect(() => new layers.UpSampling2D({ interpolation: 'cubic' })).toThrow(
      /unknown interpolation "cubic". Expected one of 'nearest', 'bilinear', 'bicubic', 'lanczos3', 'lanczos5', 'area'. Fix: interpolation: 'nearest'/,
    );
    expect(() => new layers.ZeroPadding2D({ dataFormat: 'nhwc' as never })).toThrow(/dataFormat must be 'channels_last' or 'channels_first'; received dataFormat="nhwc"/);
    expect(() => new layers.Embedding({ inputDim: 0, outputDim: 2 })).toThrow(/inputDim must be a positive integer \(the vocabulary size\); received inputDim=0/);
    expect(() => new layers.Embedding({ inputDim: 3, outputDim: 1.5 })).toThrow(/outputDim must be a positive integer.*received outputDim=1.5/);
    expect(() => new layers.Embedding({ inputDim: 3, outputDim: 2, embeddingsInitializer: 'unifrom' })).toThrow(/unknown initializer "unifrom"/);
    expect(() => new layers.EinsumDense({ equation: 'ab->c', outputShape: 2 })).toThrow(/invalid equation "ab->c". Expected 'input,kernel->output'/);
    expect(() => new layers.EinsumDense({ equation: 'ab,bc->ac', outputShape: 0 })).toThrow(/outputShape must be a positive integer.*received outputShape=0/);
    expect(() => new layers.EinsumDense({ equation: 'ab,bc->ac', outputShape: 2, biasAxes: 'z' })).toThrow(/biasAxes "z" must be letters of the output spec 'ac'/);
    expect(() => new layers.Masking({ maskValue: 'x' as never })).toThrow(/maskValue must be a number; received maskValue="x"/);
    expect(() => new layers.SpatialDropout1D({ rate: 1.5 })).toThrow(/SpatialDropout1D: invalid value received for argument rate. Expected a number between 0 and 1.*got 1.5/);
    expect(() => new layers.GaussianDropout({ rate: -0.1 })).toThrow(/GaussianDropout: invalid value received for argument rate.*got -0.1/);
    expect(() => new layers.AlphaDropout({ rate: 'a' as never })).toThrow(/AlphaDropout: invalid value received for argument rate.*got "a"/);
    expect(() => new layers.GaussianNoise({ stddev: 2 })).toThrow(/argument stddev. Expected a number between 0 and 1.*got 2/);
    expect(() => new layers.SpatialDropout2D({ rate: 0.5, dataFormat: 'NCHW' as never })).toThrow(/dataFormat must be 'channels_last' or 'channels_first'; received dataFormat="NCHW"/);
  });
  it('merge layers name the shapes they got', async () => {
    await useNamedBackend('reference');
    expect(() => new layers.Subtract().apply([[[1]], [[1]], [[1]]])).toThrow(/exactly 2 inputs.*received 3/);
    expect(() => new layers.Dot({ axes: 1 }).apply([[[1, 2]], [[1, 2, 3]]])).toThrow(/axis 1 of input 0 has size 2 and axis 1 of input 1 has size 3/);
    expect(() => new layers.Dot({ axes: 0 }).apply([[[1, 2]], [[1, 2]]])).toThrow(/axis 0 is the batch axis/);
    expect(() => new layers.SpatialDropout1D({ rate: 0.5 }).apply(tensor([1, 2], [1, 2]))).toThrow(/expected ndim=3.*SpatialDropout1D expects a 3-D input \(batch, steps, channels\)/);
    expect(() => new layers.EinsumDense({ equation: 'abc,cd->abd', outputShape: [null, 4] }).apply(tensor([1, 2], [1, 2]))).toThrow(/input spec 'abc' names 3 axes but the input has 2/);
    expect(() => new layers.EinsumDense({ equation: 'ab,bc->ac', outputShape: [null, 4] }).apply(tensor([1, 2], [1, 2]))).toThrow(/outputShape has 2 entries, but the output spec 'ac' has 1 axes/);
    expect(() => new layers.Cropping1D({ cropping: [2, 1] }).apply(tensor([1, 2, 3], [1, 3, 1]))).toThrow(/removes all 3 values.*must be smaller than the input/);
    expect(() => new layers.RepeatVector({ n: 2 }).apply(tensor([1], [1, 1, 1]))).toThrow(/expected ndim=2.*RepeatVector takes \(batch, features\)/);
  });
});
