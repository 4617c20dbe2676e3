/**
 * LoRA on Dense, as Keras 3's enable_lora: the kernel frozen, two trainable factors whose product
 * (scaled by loraAlpha / rank) is added to it; the merged kernel saved in the kernel's place (.keras,
 * tfjs), so that any Dense loads it; loading into a LoRA layer zeroes the factors.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Input, Sequential, layers, models, ops, optimizers, tensor, tidy, utils, type Model, type Tensor } from '@keras-ts/core';
import { saveTfjsModel, loadTfjsModel } from '../src/saving/tfjs_format.js';
import { modelSaveables } from '../src/saving/weights_walk.js';
import { useTestBackend } from './support/backend.js';

let folder: string;
beforeAll(async () => {
  await useTestBackend();
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-lora-'));
});
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

const x = () => tensor(Array.from({ length: 12 }, (_, i) => Math.sin(i + 1)), [3, 4]);

function values(t: Tensor): number[] {
  return Array.from(t.dataSync());
}

function expectClose(a: number[], b: number[], tolerance = 1e-5): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tolerance);
}

async function predicted(m: Model): Promise<number[]> {
  return values((await m.predict(x())) as Tensor);
}

function model(dense: layers.Dense): Model {
  return new Sequential([Input({ shape: [4] }), dense]);
}

describe('Dense with LoRA', () => {
  it('freezes the kernel, trains the factors, and multiplies by kernel + (alpha / rank) · a · b', async () => {
    utils.setRandomSeed(1);
    const dense = new layers.Dense({ units: 3, name: 'd' });
    const m = model(dense);
    const before = await predicted(m);
    dense.enableLora(2, { loraAlpha: 6 });
    // b starts at zero: the outputs are unchanged.
    expectClose(await predicted(m), before, 0);
    expect(dense.trainableWeights.map((w) => w.path)).toEqual(['d/bias', 'd/lora_kernel_a', 'd/lora_kernel_b']);
    expect(dense.nonTrainableWeights.map((w) => w.path)).toEqual(['d/kernel']);
    expect(dense.weights.map((w) => [w.path, w.shape])).toEqual([['d/kernel', [4, 3]], ['d/bias', [3]], ['d/lora_kernel_a', [4, 2]], ['d/lora_kernel_b', [2, 3]]]);
    const kernelBefore = values((dense.kernel as { value: Tensor }).value);
    m.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
    await m.fit(x(), tensor(Array.from({ length: 9 }, (_, i) => i / 9), [3, 3]), { epochs: 3, verbose: 0 });
    expect(values((dense.kernel as { value: Tensor }).value)).toEqual(kernelBefore);
    // The layer's product is the formula's, with a trained b.
    const formula = tidy(() => {
      const [k, a, b] = [dense.kernel, dense.loraKernelA, dense.loraKernelB].map((v) => (v as { value: Tensor }).value);
      expect(values(b).some((v) => v !== 0)).toBe(true);
      return values(ops.add(ops.matmul(x(), ops.add(k, ops.multiply(ops.matmul(a, b), 6 / 2))), (dense.bias as { value: Tensor }).value));
    });
    expectClose(await predicted(m), formula);
  });

  it('loraRank in the constructor or the config builds with LoRA; the config keeps rank and alpha', () => {
    const dense = new layers.Dense({ units: 2, loraRank: 3 });
    model(dense);
    expect(dense.loraEnabled).toBe(true);
    expect(dense.getConfig()).toMatchObject({ lora_rank: 3, lora_alpha: 3 });
    const rebuilt = layers.Dense.fromConfig({ ...dense.getConfig(), name: 'again', lora_alpha: 8 }) as layers.Dense;
    model(rebuilt);
    expect([rebuilt.loraRank, rebuilt.loraAlpha, rebuilt.loraKernelA?.shape]).toEqual([3, 8, [4, 3]]);
    expect(new layers.Dense({ units: 2 }).getConfig()).not.toHaveProperty('lora_rank');
  });

  it('says what is wrong: not built, enabled twice, a bad rank', () => {
    expect(() => new layers.Dense({ units: 2, name: 'early' }).enableLora(2)).toThrow('Dense "early": enableLora needs the layer built (its kernel made). Fix: build the model first');
    const dense = new layers.Dense({ units: 2, name: 'twice' });
    model(dense);
    dense.enableLora(1);
    expect(() => dense.enableLora(1)).toThrow('Dense "twice": LoRA is already enabled (rank 1). Fix: call enableLora once.');
    expect(() => new layers.Dense({ units: 2, loraRank: 0 })).toThrow(/the LoRA rank must be a positive integer, got 0/);
  });

  it('.keras holds the merged kernel where the kernel goes; a plain Dense and a LoRA Dense both load it', async () => {
    utils.setRandomSeed(2);
    const dense = new layers.Dense({ units: 3, name: 'd' });
    const m = model(dense);
    dense.enableLora(2);
    // A trained-looking b, so that the merged kernel differs from the kernel.
    dense.loraKernelB?.assign(tensor(Array.from({ length: 6 }, (_, i) => 0.1 * (i + 1)), [2, 3]));
    const expected = await predicted(m);
    const entry = modelSaveables(m).find((e) => e.path === 'layers/dense');
    expect(entry?.variables.map((v) => [v.path, v.shape])).toEqual([['d/kernel', [4, 3]], ['d/bias', [3]]]);
    const file = path.join(folder, 'lora.keras');
    await m.save(file);
    const loaded = (await models.loadModel(file)) as Model;
    const loadedDense = loaded.layers[0] as layers.Dense;
    expect(loadedDense.loraEnabled).toBe(true);
    expectClose(await predicted(loaded), expected);
    expect(values((loadedDense.loraKernelB as { value: Tensor }).value).every((v) => v === 0)).toBe(true);
    const plain = model(new layers.Dense({ units: 3, name: 'd' }));
    await plain.loadWeights(file);
    expectClose(await predicted(plain), expected);
  });

  it('the tfjs format writes a plain Dense with the merged kernel', async () => {
    utils.setRandomSeed(3);
    const dense = new layers.Dense({ units: 3, name: 'd', loraRank: 2 });
    const m = model(dense);
    dense.loraKernelB?.assign(tensor([0.5, -0.5, 0.25, 0.1, 0.2, 0.3], [2, 3]));
    const dir = path.join(folder, 'tfjs');
    saveTfjsModel(m, dir);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as { modelTopology: unknown; weightsManifest: { weights: { name: string }[] }[] };
    expect(JSON.stringify(json.modelTopology)).not.toContain('lora');
    expect(json.weightsManifest[0].weights.map((w) => w.name)).toEqual(['d/kernel', 'd/bias']);
    expectClose(await predicted(await loadTfjsModel(dir)), await predicted(m));
  });
});
