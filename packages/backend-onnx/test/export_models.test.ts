/**
 * model.export(path, { format: 'onnx' }) on whole models: an MLP, a CNN, an LSTM, Conv → Flatten →
 * Dense (the channels-last flatten order), and a functional model with a residual Add. Each file
 * is run by plain onnxruntime and must give model.predict's outputs.
 */
import { beforeAll, describe, it } from '@jest/globals';
import { Input, Model, Sequential, layers, tensor, type KerasTensor } from '@keras-ts/core';
import '../src/index.js';
import { useTestBackend } from '../../core/test/support/backend.js';
import { expectOnnxMatchesPredict, randomizeWeights, sampleInput } from './support/export_harness.js';

beforeAll(async () => {
  await useTestBackend();
});

describe('export to ONNX: whole models', () => {
  it('an MLP', async () => {
    const model = new Sequential([
      Input({ shape: [12] }),
      new layers.Dense({ units: 16, activation: 'relu' }),
      new layers.Dropout({ rate: 0.5 }),
      new layers.Dense({ units: 8, activation: 'tanh' }),
      new layers.Dense({ units: 3, activation: 'softmax' }),
    ]);
    await expectOnnxMatchesPredict(model, sampleInput([5, 12]));
  });

  it('a CNN: Conv2D, MaxPooling2D, Flatten, Dense (channels-last flatten order)', async () => {
    const model = new Sequential([
      Input({ shape: [10, 9, 3] }),
      new layers.Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      new layers.MaxPooling2D({ poolSize: 2 }),
      new layers.Conv2D({ filters: 6, kernelSize: [2, 3], strides: 2 }),
      new layers.Flatten(),
      new layers.Dense({ units: 5 }),
    ]);
    await expectOnnxMatchesPredict(model, sampleInput([3, 10, 9, 3]));
  });

  it('a Sequential model given its input shape on the first layer, and one built by a first call', async () => {
    const declared = new Sequential([new layers.Dense({ units: 4, activation: 'relu', inputShape: [6] }), new layers.Dense({ units: 2 })]);
    await expectOnnxMatchesPredict(declared, sampleInput([3, 6]));
    const deferred = new Sequential([new layers.Dense({ units: 4, activation: 'elu' }), new layers.Dense({ units: 2 })]);
    const first = await deferred.predict(sampleInput([1, 5]));
    (Array.isArray(first) ? first : [first]).forEach((t) => t.dispose());
    await expectOnnxMatchesPredict(deferred, sampleInput([3, 5]));
  });

  it('an LSTM classifier', async () => {
    const model = new Sequential([Input({ shape: [7, 4] }), new layers.LSTM({ units: 6 }), new layers.Dense({ units: 2, activation: 'sigmoid' })]);
    await expectOnnxMatchesPredict(model, sampleInput([3, 7, 4]));
  });

  it('a functional model with a residual Add and two inputs', async () => {
    const a = Input({ shape: [8], name: 'features' });
    const b = Input({ shape: [8], name: 'extra' });
    const h = new layers.Dense({ units: 8, activation: 'relu', name: 'hidden' }).apply(a);
    const sum = new layers.Add({ name: 'residual' }).apply([h, a, b]);
    const out = new layers.Dense({ units: 4, name: 'scores' }).apply(sum);
    const model = new Model({ inputs: [a, b], outputs: [out, h] });
    await expectOnnxMatchesPredict(model, [sampleInput([4, 8], 1), sampleInput([4, 8], 2)]);
  });

  it('a transformer block: embedding, multi-head self-attention, residuals, layer normalization', async () => {
    const tokens = Input({ shape: [6], dtype: 'int32', name: 'tokens' });
    const embedded = new layers.Embedding({ inputDim: 20, outputDim: 8 }).apply(tokens);
    const attended = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 4 }).apply([embedded, embedded], { useCausalMask: true }) as KerasTensor;
    const normed = new layers.LayerNormalization().apply(new layers.Add().apply([embedded, attended]));
    const hidden = new layers.Dense({ units: 16, activation: 'gelu' }).apply(normed);
    const block = new layers.LayerNormalization().apply(new layers.Add().apply([normed, new layers.Dense({ units: 8 }).apply(hidden)]));
    const logits = new layers.Dense({ units: 20 }).apply(new layers.GlobalAveragePooling1D().apply(block));
    const model = new Model({ inputs: tokens, outputs: logits });
    randomizeWeights(model);
    await expectOnnxMatchesPredict(model, tensor(Array.from({ length: 18 }, (_, i) => (i * 7) % 20), [3, 6], 'int32'));
  });
});
