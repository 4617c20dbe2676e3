/** Masks travel with tensors, as Keras's _keras_mask: Embedding(maskZero) or Masking before an RNN skips the padding. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Input, Model, layers, memory, tensor, tidy, utils, type Tensor } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
});

describe('mask propagation', () => {
  it('Embedding with maskZero makes an LSTM skip the padded steps, eagerly and through a model', () => {
    utils.setRandomSeed(11);
    const embedding = new layers.Embedding({ inputDim: 10, outputDim: 3, maskZero: true });
    const lstm = new layers.LSTM({ units: 4 });
    const input = Input({ shape: [null], dtype: 'int32' });
    const model = new Model({ inputs: input, outputs: new layers.Dense({ units: 2 }).apply(lstm.apply(embedding.apply(input))) });
    const before = memory().numTensors;
    const [padded, short, unmasked] = tidy(() => {
      const p = model.apply(tensor([[5, 2, 7, 0, 0]], [1, 5], 'int32')) as Tensor;
      const s = model.apply(tensor([[5, 2, 7]], [1, 3], 'int32')) as Tensor;
      // Without the mask, the zeros would be embedded and run through the LSTM.
      const e = embedding.apply(tensor([[5, 2, 7, 0, 0]], [1, 5], 'int32')) as Tensor;
      e.kerasMask = undefined;
      const u = lstm.apply(e) as Tensor;
      const lastStepOnly = lstm.apply(embedding.apply(tensor([[5, 2, 7]], [1, 3], 'int32')) as Tensor) as Tensor;
      return [Array.from(p.dataSync()), Array.from(s.dataSync()), Array.from(u.dataSync()).some((v, i) => Math.abs(v - lastStepOnly.dataSync()[i]) > 1e-6)];
    });
    padded.forEach((v, i) => expect(v).toBeCloseTo(short[i], 6));
    expect(unmasked).toBe(true);
    expect(memory().numTensors).toBe(before);
  });

  it('Masking makes a GRU skip all-zero steps, and Dense passes the mask on', () => {
    utils.setRandomSeed(12);
    const masking = new layers.Masking({ maskValue: 0 });
    const dense = new layers.Dense({ units: 3 });
    const gru = new layers.GRU({ units: 2 });
    const run = (x: number[], steps: number) =>
      tidy(() => Array.from((gru.apply(dense.apply(masking.apply(tensor(x, [1, steps, 2])) as Tensor) as Tensor) as Tensor).dataSync()));
    const withPadding = run([1, 2, 3, 4, 0, 0], 3);
    const without = run([1, 2, 3, 4], 2);
    withPadding.forEach((v, i) => expect(v).toBeCloseTo(without[i], 6));
  });
});
