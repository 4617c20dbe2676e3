/**
 * The article's model, fitted with one seed on every backend, ends with the same losses: weights,
 * dropout masks and shuffling come from core's random, gradients from core's rules, so backends
 * differ only by float32 rounding in their kernels.
 */
import { describe, expect, it } from '@jest/globals';
import * as keras from 'keras-ts';
import { createReferenceBackend } from '@keras-ts/backend-reference';

/** Stated tolerance: relative difference of each epoch's loss from the reference backend's. */
const TOLERANCE = 1e-4;

function data(n: number): { x: number[][]; y: number[][] } {
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: 10 }, (_, j) => Math.sin((i + 1) * (j + 1) * 0.731) * 1.5);
    x.push(row);
    y.push([row[0] - row[3] + row[5] > 0 ? 1 : 0]);
  }
  return { x, y };
}

async function trainOn(backend: string): Promise<number[]> {
  await keras.setBackend(backend);
  keras.utils.setRandomSeed(2024);
  const input = keras.Input({ shape: [10] });
  const hidden = new keras.layers.Dense({ units: 20, activation: 'relu' }).apply(new keras.layers.Dense({ units: 20, activation: 'relu' }).apply(input));
  const model = new keras.Model({ inputs: input, outputs: new keras.layers.Dense({ units: 1, activation: 'sigmoid' }).apply(new keras.layers.Dropout({ rate: 0.2 }).apply(hidden)) });
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  const { x, y } = data(256);
  const history = await model.fit(x, y, { epochs: 5, batchSize: 64, verbose: 0 });
  model.dispose();
  return history.history.loss as number[];
}

describe('fit agrees across backends', () => {
  it(`the article's model ends with the same losses on every backend (relative tolerance ${TOLERANCE})`, async () => {
    keras.registerBackend('reference', async () => createReferenceBackend());
    const reference = await trainOn('reference');
    expect(reference[4]).toBeLessThan(reference[0]);
    const backends = keras.listBackends().filter((b) => b !== 'reference');
    expect(backends).toEqual(expect.arrayContaining(['onnx', 'tfjs-cpu']));
    for (const backend of backends) {
      const losses = await trainOn(backend);
      losses.forEach((loss, epoch) => {
        const relative = Math.abs(loss - reference[epoch]) / Math.abs(reference[epoch]);
        expect({ backend, epoch, relative: relative <= TOLERANCE ? 'ok' : relative }).toEqual({ backend, epoch, relative: 'ok' });
      });
    }
  }, 120_000);
});
