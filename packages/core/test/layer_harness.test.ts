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
  it('Add: the elementwise sum', () =>
    runLayerTest({ make: () => new layers.Add(), inputShape: [[1, 3], [1, 3]], inputData: [[1, 2, 3], [10, 20, 30]], expectedOutputShape: [null, 3], expectedOutput: [11, 22, 33] }));
  it('Activation: relu', () =>
    runLayerTest({ make: () => new layers.Activation({ activation: 'relu' }), inputShape: [1, 4], inputData: [-1, 0.5, -0.25, 2], expectedOutputShape: [null, 4], expectedOutput: [0, 0.5, 0, 2] }));
  it('Flatten: channels_last order', () =>
    runLayerTest({ make: () => new layers.Flatten(), inputShape: [1, 2, 2, 1], inputData: [1, 2, 3, 4], expectedOutputShape: [null, 4], expectedOutput: [1, 2, 3, 4] }));
  it('Reshape with -1', () =>
    runLayerTest({ make: () => new layers.Reshape({ targetShape: [3, -1] }), inputShape: [1, 6], inputData: [1, 2, 3, 4, 5, 6], expectedOutputShape: [null, 3, 2], expectedOutput: [1, 2, 3, 4, 5, 6] }));
  it('MaxPooling2D: the largest of each 2x2 window', () =>
    runLayerTest({ make: () => new layers.MaxPooling2D({ poolSize: 2 }), inputShape: [1, 2, 2, 1], inputData: [1, 4, 3, 2], expectedOutputShape: [null, 1, 1, 1], expectedOutput: [4] }));
  it('AveragePooling2D: the mean of each 2x2 window', () =>
    runLayerTest({ make: () => new layers.AveragePooling2D({ poolSize: 2 }), inputShape: [1, 2, 2, 1], inputData: [1, 4, 3, 2], expectedOutputShape: [null, 1, 1, 1], expectedOutput: [2.5] }));
});
