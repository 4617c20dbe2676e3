/**
 * Save and load round trips: models made of the catalogue's layers give the same outputs after
 * a .keras round trip and after a .weights.h5 round trip into a fresh model; a compiled model
 * resumes training with its optimizer state (its next loss equals an unbroken run's); the weight
 * paths follow Keras's attribute walk (wrappers, cells, attention projections).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Input, Model, Sequential, layers, models, tensor, type Tensor } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';
import { modelSaveables } from '../src/saving/weights_walk.js';

let dir: string;

function randomData(shape: number[], seed: number, integers = 0): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: size }, (_, i) => (integers > 0 ? (i * 7 + seed) % integers : Math.sin(i * 1.7 + seed)));
  return tensor(values, shape, integers > 0 ? 'int32' : 'float32');
}

async function expectSameOutputs(a: Model, b: Model, x: Tensor | Tensor[]): Promise<void> {
  const ya = (await a.predict(x)) as Tensor;
  const yb = (await b.predict(x)) as Tensor;
  expect(yb.shape).toEqual(ya.shape);
  const da = ya.dataSync();
  const db = yb.dataSync();
  for (let i = 0; i < da.length; i++) expect(Math.abs(da[i] - db[i])).toBeLessThanOrEqual(1e-6);
  ya.dispose();
  yb.dispose();
}

/** Models that together hold every family of layers with weights, wrappers and cells included. */
const cases: { name: string; make: () => Model; input: () => Tensor | Tensor[] }[] = [
  {
    name: 'dense, normalization, dropout, activations',
    make: () =>
      new Sequential([
        Input({ shape: [6] }),
        new layers.Dense({ units: 8, activation: 'relu' }),
        new layers.BatchNormalization(),
        new layers.LayerNormalization(),
        new layers.Dropout({ rate: 0.3 }),
        new layers.PReLU(),
        new layers.Dense({ units: 3, activation: 'softmax' }),
      ]),
    input: () => randomData([4, 6], 1),
  },
  {
    name: 'convolutions and pooling',
    make: () =>
      new Sequential([
        Input({ shape: [8, 8, 2] }),
        new layers.Conv2D({ filters: 3, kernelSize: 3, padding: 'same' }),
        new layers.DepthwiseConv2D({ kernelSize: 3 }),
        new layers.SeparableConv2D({ filters: 4, kernelSize: 2 }),
        new layers.Conv2DTranspose({ filters: 2, kernelSize: 2 }),
        new layers.MaxPooling2D(),
        new layers.GroupNormalization({ groups: 2 }),
        new layers.Flatten(),
        new layers.Dense({ units: 2 }),
      ]),
    input: () => randomData([2, 8, 8, 2], 2),
  },
  {
    name: 'recurrent layers, wrappers and embedding',
    make: () =>
      new Sequential([
        Input({ shape: [5], dtype: 'int32' }),
        new layers.Embedding({ inputDim: 10, outputDim: 4 }),
        new layers.Bidirectional({ layer: new layers.LSTM({ units: 3, returnSequences: true }) }),
        new layers.GRU({ units: 3, returnSequences: true }),
        new layers.SimpleRNN({ units: 3, returnSequences: true }),
        new layers.TimeDistributed({ layer: new layers.Dense({ units: 2 }) }),
        new layers.Conv1D({ filters: 2, kernelSize: 2 }),
        new layers.GlobalAveragePooling1D(),
      ]),
    input: () => randomData([3, 5], 3, 10),
  },
  {
    name: 'functional: attention, merging, a nested model',
    make: () => {
      const inner = new Sequential([Input({ shape: [4, 6] }), new layers.Dense({ units: 6 })]);
      const x = Input({ shape: [4, 6] });
      const attended = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3 }).apply([x, x]);
      const merged = new layers.Add().apply([attended as never, inner.apply(x) as never]);
      const out = new layers.EinsumDense({ equation: 'abc,cd->abd', outputShape: [4, 2], biasAxes: 'd' }).apply(merged as never);
      return new Model({ inputs: x, outputs: out as never });
    },
    input: () => randomData([2, 4, 6], 4),
  },
];

describe('saving round trips', () => {
  beforeAll(async () => {
    await useTestBackend();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-roundtrip-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(cases.map((c) => [c.name, c] as const))('%s: .keras round trip gives the same outputs', async (_, c) => {
    const model = c.make();
    const x = c.input();
    const file = path.join(dir, `${c.name.replace(/\W+/g, '_')}.keras`);
    await model.save(file);
    const loaded = await models.loadModel(file);
    await expectSameOutputs(model, loaded, x);
    expect(loaded.weights.map((w) => w.shape)).toEqual(model.weights.map((w) => w.shape));
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: .weights.h5 round trip into a fresh model', async (_, c) => {
    const model = c.make();
    const fresh = c.make();
    const x = c.input();
    const file = path.join(dir, `${c.name.replace(/\W+/g, '_')}.weights.h5`);
    await model.saveWeights(file);
    await fresh.loadWeights(file);
    await expectSameOutputs(model, fresh, x);
  });

  it('follows Keras paths: wrappers, cells and attention projections', () => {
    const recurrent = cases[2].make();
    const paths = modelSaveables(recurrent).filter((e) => e.variables.length > 0).map((e) => `${e.path} ${e.variables.length}`);
    expect(paths).toEqual([
      'layers/embedding 1',
      'layers/bidirectional/backward_layer/cell 3',
      'layers/bidirectional/forward_layer/cell 3',
      'layers/gru/cell 3',
      'layers/simple_rnn/cell 3',
      'layers/time_distributed/layer 2',
      'layers/conv1d 2',
    ]);
    const attention = cases[3].make();
    const attentionPaths = modelSaveables(attention).filter((e) => e.variables.length > 0).map((e) => e.path);
    expect(attentionPaths).toEqual(expect.arrayContaining([
      'layers/multi_head_attention/_key_dense',
      'layers/multi_head_attention/_output_dense',
      'layers/multi_head_attention/_query_dense',
      'layers/multi_head_attention/_value_dense',
      'layers/sequential/layers/dense',
      'layers/einsum_dense',
    ]));
  });

  it('a compiled model resumes training with its optimizer state', async () => {
    const make = (): Model => new Sequential([Input({ shape: [3] }), new layers.Dense({ units: 4, activation: 'tanh' }), new layers.Dense({ units: 1 })]);
    const x = randomData([8, 3], 5);
    const y = randomData([8, 1], 6);
    const unbroken = make();
    unbroken.compile({ optimizer: 'adam', loss: 'mean_squared_error' });
    await unbroken.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    const file = path.join(dir, 'resume.keras');
    await unbroken.save(file);
    const resumed = await models.loadModel(file);
    expect(resumed.optimizer?.iterations).toBe(2);
    const next = (await unbroken.trainOnBatch(x, y)) as number;
    const nextResumed = (await resumed.trainOnBatch(x, y)) as number;
    expect(nextResumed).toBeCloseTo(next, 6);
    const after = (await unbroken.trainOnBatch(x, y)) as number;
    const afterResumed = (await resumed.trainOnBatch(x, y)) as number;
    expect(afterResumed).toBeCloseTo(after, 6);
  });
});
