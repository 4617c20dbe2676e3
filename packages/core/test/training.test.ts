/** compile, fit, evaluate and predict: the article's model trains, and everything around fit works. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Input, Model, Sequential, callbacks, layers, memory, ops, tensor, tidy, utils, type Tensor } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
});

/** A separable problem: the label is 1 when the sum of the first three features is positive. */
function problem(n: number, seed: number): { x: number[][]; y: number[][] } {
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: 10 }, (_, j) => Math.sin((i + 1) * (j + 1) * 12.9898 * seed) * 2);
    x.push(row);
    y.push([row[0] + row[1] + row[2] > 0 ? 1 : 0]);
  }
  return { x, y };
}

function articleModel(): Model {
  const input = Input({ shape: [10], name: 'input' });
  const output = new layers.Dense({ units: 1, activation: 'sigmoid', name: 'sigmoid_layer' }).apply(
    new layers.Dense({ units: 20, activation: 'relu', name: 'dense_layer_2' }).apply(
      new layers.Dense({ units: 20, activation: 'relu', name: 'dense_layer_1' }).apply(input),
    ),
  );
  return new Model({ inputs: [input], outputs: [output] });
}

describe('the article: compile, fit, evaluate, predict', () => {
  it('trains, logs one loss per epoch, writes TensorBoard files and leaves memory where it was', async () => {
    utils.setRandomSeed(42);
    const { x, y } = problem(512, 1);
    const test = problem(128, 2);
    const model = articleModel();
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const xTrain = tensor(x);
    const yTrain = tensor(y);
    const logDir = mkdtempSync(join(tmpdir(), 'keras-tb-'));
    const before = memory().numTensors;
    const history = await model.fit([xTrain], [yTrain], { epochs: 5, batchSize: 64, verbose: 0, callbacks: [new callbacks.TensorBoard({ logDir })] });
    expect(memory().numTensors).toBe(before);
    const losses = history.history.loss as number[];
    expect(losses).toHaveLength(5);
    expect(losses[4]).toBeLessThan(losses[0] * 0.8);
    expect(history.history.accuracy).toHaveLength(5);
    expect(readdirSync(join(logDir, 'train')).some((f) => f.startsWith('events.out.tfevents.'))).toBe(true);
    const result = (await model.evaluate(test.x, test.y, { verbose: 0 })) as number[];
    expect(memory().numTensors).toBe(before);
    expect(result).toHaveLength(2);
    expect(result[1]).toBeGreaterThan(0.8);
    const predictions = (await model.predict(test.x)) as Tensor;
    expect(memory().numTensors).toBe(before + 1);
    expect(predictions.shape).toEqual([128, 1]);
    predictions.dispose();
    [xTrain, yTrain].forEach((t) => t.dispose());
  });
});

describe('errors before the first step', () => {
  let model: Model;
  beforeAll(() => {
    model = articleModel();
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy' });
  });

  it('a missing batch axis', async () => {
    await expect(model.fit(tensor(new Float32Array(10)), [[1]], { verbose: 0 })).rejects.toThrow(/x has shape \(10,\) but the model expects \(None, 10\): the first axis is the batch axis, even for one example/);
  });

  it('x and y with different numbers of samples', async () => {
    await expect(model.fit(problem(10, 1).x, problem(9, 1).y, { verbose: 0 })).rejects.toThrow(/Data cardinality is ambiguous[\s\S]*'x' sizes: 10[\s\S]*'y' sizes: 9/);
  });

  it('one-hot labels with sparse categorical crossentropy', async () => {
    const x = Input({ shape: [4] });
    const classifier = new Model({ inputs: x, outputs: new layers.Dense({ units: 3, activation: 'softmax' }).apply(x) });
    classifier.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const oneHot = Array.from({ length: 6 }, (_, i) => [0, 1, 2].map((c) => (c === i % 3 ? 1 : 0)));
    await expect(classifier.fit(problem(6, 1).x.map((r) => r.slice(0, 4)), oneHot, { verbose: 0 })).rejects.toThrow(/look one-hot/);
    await expect(classifier.fit(problem(2, 1).x.map((r) => r.slice(0, 4)), [0.5, 1], { verbose: 0 })).rejects.toThrow(/needs integer class indices as labels, but y \(2,\) holds 0.5/);
  });

  it('NaN in the inputs when asked to check', async () => {
    const { x, y } = problem(4, 1);
    x[2][3] = NaN;
    await expect(model.fit(x, y, { verbose: 0, checkNumerics: true })).rejects.toThrow(/x holds NaN at sample 2/);
  });

  it('fit before compile', async () => {
    await expect(articleModel().fit([[1]], [[1]])).rejects.toThrow(/You must call compile\(\) before using the model/);
  });
});

describe('fit around the loop', () => {
  it('validationSplit, EarlyStopping with restoreBestWeights, and shuffled batches from the same seed on every run', async () => {
    const run = async () => {
      utils.setRandomSeed(7);
      const model = articleModel();
      model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
      const { x, y } = problem(256, 3);
      const stopper = new callbacks.EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
      const history = await model.fit(x, y, { epochs: 30, batchSize: 32, validationSplit: 0.25, verbose: 0, callbacks: [stopper] });
      return history.history;
    };
    const first = await run();
    const second = await run();
    expect(first.val_loss.length).toBeGreaterThan(1);
    expect(first).toEqual(second);
    expect(Object.keys(first).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
  });

  it('without shuffling, fit trains on the rows in order, batch by batch, a short last batch included', async () => {
    // fit hands these batches to the backend as views of the data (no gather): the weights must be
    // those of trainOnBatch over copies of the same rows, 40 = 16 + 16 + 8.
    const { x, y } = problem(40, 5);
    const xs = { data: Float32Array.from(x.flat()), shape: [40, 10] };
    const ys = { data: Float32Array.from(y.flat()), shape: [40, 1] };
    const trained = async (train: (model: Model) => Promise<void>) => {
      utils.setRandomSeed(11);
      const model = articleModel();
      model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
      await train(model);
      return model.getWeights().map((w) => Array.from(w.dataSync()));
    };
    const byFit = await trained(async (model) => {
      await model.fit(xs, ys, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
    });
    const byBatch = await trained(async (model) => {
      for (let epoch = 0; epoch < 2; epoch++) {
        for (const start of [0, 16, 32]) await model.trainOnBatch(x.slice(start, start + 16), y.slice(start, start + 16));
      }
    });
    expect(byFit).toEqual(byBatch);
    // And the data is as it was.
    expect(Array.from(xs.data)).toEqual(Array.from(Float32Array.from(x.flat())));
  });

  it('trains from a generator of batches and with trainOnBatch, testOnBatch and predictOnBatch', async () => {
    utils.setRandomSeed(3);
    const model = articleModel();
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    const { x, y } = problem(96, 4);
    function* batches() {
      for (let i = 0; i < 96; i += 32) yield [x.slice(i, i + 32), y.slice(i, i + 32)] as const;
    }
    const history = await model.fit(batches(), undefined, { epochs: 1, verbose: 0 });
    expect(history.history.loss).toHaveLength(1);
    const before = memory().numTensors;
    const loss = await model.trainOnBatch(x.slice(0, 16), y.slice(0, 16));
    expect(typeof loss).toBe('number');
    const testLoss = await model.testOnBatch(x.slice(0, 16), y.slice(0, 16));
    expect(typeof testLoss).toBe('number');
    expect(memory().numTensors).toBe(before);
    const p = (await model.predictOnBatch(x.slice(0, 5))) as Tensor;
    expect(p.shape).toEqual([5, 1]);
    p.dispose();
  });

  it('a subclass can override trainStep, and fit uses it', async () => {
    let calls = 0;
    class Counting extends Sequential {
      override trainStep(batch: Parameters<Sequential['trainStep']>[0]) {
        calls++;
        return super.trainStep(batch);
      }
    }
    const model = new Counting([Input({ shape: [10] }), new layers.Dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const { x, y } = problem(40, 5);
    await model.fit(x, y, { epochs: 2, batchSize: 20, verbose: 0 });
    expect(calls).toBe(4);
  });

  it('multi-output models take a loss per output, loss weights, and name their logs by output', async () => {
    utils.setRandomSeed(5);
    const input = Input({ shape: [10] });
    const hidden = new layers.Dense({ units: 8, activation: 'relu' }).apply(input);
    const a = new layers.Dense({ units: 1, activation: 'sigmoid', name: 'label' }).apply(hidden);
    const b = new layers.Dense({ units: 1, name: 'score' }).apply(hidden);
    const model = new Model({ inputs: input, outputs: [a, b] });
    model.compile({ optimizer: 'adam', loss: { label: 'binary_crossentropy', score: 'mse' }, lossWeights: { label: 1, score: 0.5 }, metrics: { label: ['accuracy'] } });
    const { x, y } = problem(64, 6);
    const score = x.map((r) => [r[0]]);
    const history = await model.fit(x, { label: y, score }, { epochs: 2, batchSize: 16, verbose: 0 });
    expect(Object.keys(history.history).sort()).toEqual(['label_accuracy', 'loss']);
  });

  it('sampleWeight and classWeight weight the loss', async () => {
    const model = new Sequential([Input({ shape: [1] }), new layers.Dense({ units: 1, kernelInitializer: 'ones', biasInitializer: 'zeros' })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = [[1], [2]];
    const y = [[0], [0]];
    // Errors 1 and 2: squares 1 and 4; weights 3 and 1: (3 + 4) / 2 = 3.5 with sum_over_batch_size.
    expect(await model.testOnBatch(x, y, { sampleWeight: [3, 1] })).toBeCloseTo(3.5, 5);
    const classModel = new Sequential([Input({ shape: [1] }), new layers.Dense({ units: 1, kernelInitializer: 'ones', biasInitializer: 'zeros' })]);
    classModel.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(classModel.fit([[1]], [[2]], { classWeight: { 0: 1 }, verbose: 0 })).rejects.toThrow(/classWeight has no weight for class 2/);
  });

  it('tidy is not needed around fit: intermediate tensors are freed', async () => {
    const model = new Sequential([Input({ shape: [10] }), new layers.Dense({ units: 4 }), new layers.Dropout({ rate: 0.5 }), new layers.Dense({ units: 1 })]);
    model.compile({ optimizer: 'rmsprop', loss: 'mae', metrics: ['mse'] });
    const { x, y } = problem(50, 8);
    const before = memory().numTensors;
    await model.fit(x, y, { epochs: 2, batchSize: 7, verbose: 0 });
    await model.evaluate(x, y, { verbose: 0 });
    expect(memory().numTensors).toBe(before);
    tidy(() => ops.add(1, 1));
  });
});
