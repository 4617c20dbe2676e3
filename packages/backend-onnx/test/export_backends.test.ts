/**
 * The export reads weights on whatever backend is active: the same small CNN and LSTM, built and
 * predicted on each backend, exported from it and run by plain onnxruntime.
 */
import { describe, expect, it } from '@jest/globals';
import { Input, Sequential, layers } from '@keras-ts/core';
import { exportOnnx } from '../src/index.js';
import { useNamedBackend } from '../../core/test/support/backend.js';
import { expectOnnxMatchesPredict, randomizeWeights, sampleInput } from './support/export_harness.js';

describe.each(['onnx', 'reference', 'tfjs-cpu'])('export to ONNX on the %s backend', (backend) => {
  it('a CNN with batch normalization', async () => {
    await useNamedBackend(backend);
    const model = new Sequential([
      Input({ shape: [8, 8, 2] }),
      new layers.Conv2D({ filters: 3, kernelSize: 3, padding: 'same' }),
      new layers.BatchNormalization(),
      new layers.Activation({ activation: 'relu' }),
      new layers.MaxPooling2D({ poolSize: 2 }),
      new layers.Flatten(),
      new layers.Dense({ units: 4, activation: 'softmax' }),
    ]);
    randomizeWeights(model);
    await expectOnnxMatchesPredict(model, sampleInput([2, 8, 8, 2]));
  });

  it('an LSTM over a sequence of unknown length', async () => {
    await useNamedBackend(backend);
    const model = new Sequential([Input({ shape: [null, 3] }), new layers.LSTM({ units: 4, returnSequences: true }), new layers.GRU({ units: 2 })]);
    randomizeWeights(model);
    await expectOnnxMatchesPredict(model, sampleInput([2, 6, 3]));
  });

  it('a Conv → Pool stack transposes once into channels-first and once out', async () => {
    await useNamedBackend(backend);
    const model = new Sequential([
      Input({ shape: [8, 8, 2] }),
      new layers.Conv2D({ filters: 3, kernelSize: 3, activation: 'relu' }),
      new layers.MaxPooling2D({ poolSize: 2 }),
      new layers.Conv2D({ filters: 3, kernelSize: 2 }),
      new layers.Flatten(),
    ]);
    const text = new TextDecoder('latin1').decode(exportOnnx(model));
    expect(text.split('Transpose').length - 1).toBe(2);
    await expectOnnxMatchesPredict(model, sampleInput([2, 8, 8, 2]));
  });
});
