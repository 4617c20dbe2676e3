/**
 * The layer harness (support/layer_test.ts) for every layer, on every backend: each backend gets a
 * describe block that starts it first.
 */
import { beforeAll, describe, it } from '@jest/globals';
import { layers } from '@keras-ts/core';
import { ALL_TEST_BACKENDS, useNamedBackend } from './support/backend.js';
import { runLayerTest } from './support/layer_test.js';

describe.each(ALL_TEST_BACKENDS)('layers on %s', (backend) => {
  beforeAll(async () => {
    await useNamedBackend(backend);
  });

  it('Dense, with hand-computed numbers', () =>
    runLayerTest({
      make: () => new layers.Dense({ units: 2, activation: 'relu' }),
      inputShape: [2, 3],
      inputData: [1, 2, 3, -1, 0, 1],
      weights: [[1, 0, 0, 1, 1, -1], [0.5, -0.5]],
      // kernel [[1, 0], [0, 1], [1, -1]]: row 1 → [1+3, 2-3] + b = [4.5, -1.5] → relu [4.5, 0]; row 2 → [0, 0-1] + b → [0.5, 0].
      expectedOutputShape: [null, 2],
      expectedTrainableWeights: 2,
      expectedWeightShapes: [[3, 2], [2]],
      expectedOutput: [4.5, 0, 0.5, 0],
    }));
  it('Conv2D', () =>
    runLayerTest({ make: () => new layers.Conv2D({ filters: 2, kernelSize: 2 }), inputShape: [1, 3, 3, 1], expectedOutputShape: [null, 2, 2, 2], expectedWeightShapes: [[2, 2, 1, 2], [2]] }));
  it('LSTM', () => runLayerTest({ make: () => new layers.LSTM({ units: 2 }), inputShape: [2, 3, 2], expectedOutputShape: [null, 2], expectedTrainableWeights: 3 }));
  it('BatchNormalization: training uses batch statistics', () =>
    runLayerTest({ make: () => new layers.BatchNormalization(), inputShape: [4, 3], expectedOutputShape: [null, 3], expectedTrainableWeights: 2, expectedNonTrainableWeights: 2, trainingDiffers: true }));
  it('Dropout: training drops', () => runLayerTest({ make: () => new layers.Dropout({ rate: 0.5 }), inputShape: [4, 5], expectedOutputShape: [null, 5], trainingDiffers: true }));
  it('Concatenate, two inputs', () => runLayerTest({ make: () => new layers.Concatenate(), inputShape: [[2, 3], [2, 1]], expectedOutputShape: [null, 4] }));
});
