/** keras.callbacks.ModelCheckpoint: Python-formatted paths, best-only logic, batch frequency, and real saves during fit. */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { printed } from './support/printed.js';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Input, Sequential, callbacks, layers, models, tensor, type Tensor } from '@keras-ts/core';
import { formatCheckpointPath, type PathValue } from '../src/callbacks/checkpoint_path.js';
import { useTestBackend } from './support/backend.js';

let folder: string;

beforeAll(async () => {
  await useTestBackend();
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-checkpoint-'));
});

afterEach(() => {
  jest.restoreAllMocks();
});

afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

function smallModel(): Sequential {
  const model = new Sequential([Input({ shape: [3] }), new layers.Dense({ units: 4, activation: 'relu' }), new layers.Dense({ units: 1 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
  return model;
}

/** The model with its save methods spied, so the callback's decisions can be counted without files. */
function spiedModel() {
  const model = smallModel();
  const save = jest.spyOn(model, 'save').mockImplementation(async () => undefined);
  const saveWeights = jest.spyOn(model, 'saveWeights').mockImplementation(async () => undefined);
  return { model, save, saveWeights };
}

const int = (value: number): PathValue => ({ value, integer: true });
const float = (value: number): PathValue => ({ value, integer: false });

describe('checkpoint file paths (Python str.format)', () => {
  it('fills {epoch:02d}, {val_loss:.2f} and the other format specs as Python does', () => {
    const values = { epoch: int(3), batch: int(12), loss: float(0.125), val_loss: float(0.3456), acc: float(0.9) };
    expect(formatCheckpointPath('ckpt-{epoch:02d}-{val_loss:.2f}.keras', values)).toBe('ckpt-03-0.35.keras');
    expect(formatCheckpointPath('{epoch}-{batch:04d}-{loss}.keras', values)).toBe('3-0012-0.125.keras');
    expect(formatCheckpointPath('{acc:.1%}_{loss:.3e}_{val_loss:g}_{epoch:>3}_{epoch:<3}|.keras', values)).toBe('90.0%_1.250e-01_0.3456_  3_3  |.keras');
    expect(formatCheckpointPath('{{literal}}-{epoch:+d}.keras', values)).toBe('{literal}-+3.keras');
    // Python rounds the exact binary value: 0.125 -> '0.12' (ties to even), 2.675 -> '2.67'.
    expect(formatCheckpointPath('{loss:.2f}-{x:.2f}', { loss: float(0.125), x: float(2.675) })).toBe('0.12-2.67');
  });

  it('names the missing field and what is available, and refuses d for a float', () => {
    expect(() => formatCheckpointPath('m-{val_acc:.2f}.keras', { epoch: int(1), loss: float(1) })).toThrow(
      /Failed to format this callback filepath: "m-\{val_acc:\.2f\}\.keras"\. Reason: 'val_acc'\. The values available are: epoch, loss/,
    );
    expect(() => formatCheckpointPath('m-{loss:d}.keras', { loss: float(1) })).toThrow(/Unknown format code 'd' for object of type 'float'/);
    expect(() => formatCheckpointPath('m-{epoch.keras', { epoch: int(1) })).toThrow(/Single '\{'/);
  });
});

describe('ModelCheckpoint', () => {
  it('checks the path against what is saved, and saveFreq, as Keras does', () => {
    expect(() => new callbacks.ModelCheckpoint('model.h5')).toThrow(/must end in `\.keras`.*Received: filepath=model\.h5/);
    expect(() => new callbacks.ModelCheckpoint('model.keras', { saveWeightsOnly: true })).toThrow(/must end in `\.weights\.h5`.*Fix: e\.g\. 'model\.weights\.h5'/);
    expect(() => new callbacks.ModelCheckpoint('model.keras', { saveFreq: 'batch' as never })).toThrow(/Unrecognized save_freq: batch/);
    expect(() => new callbacks.ModelCheckpoint('model.keras', { saveFreq: 0 })).toThrow(/Unrecognized save_freq: 0/);
  });

  it('saves every epoch through model.save, with Keras\'s messages', async () => {
    const { model, save } = spiedModel();
    const lines = printed();
    const checkpoint = new callbacks.ModelCheckpoint(path.join(folder, 'spy-{epoch:02d}.keras'), { verbose: 1 });
    checkpoint.setModel(model);
    await checkpoint.onTrainBegin();
    for (let epoch = 0; epoch < 2; epoch++) {
      checkpoint.onEpochBegin(epoch);
      await checkpoint.onEpochEnd(epoch, { loss: 1, val_loss: 1 });
    }
    expect(save.mock.calls.map((c) => c[0])).toEqual([path.join(folder, 'spy-01.keras'), path.join(folder, 'spy-02.keras')]);
    expect(save.mock.calls[0][1]).toEqual({ overwrite: true });
    expect(lines.join('')).toBe(
      `\nEpoch 1: saving model to ${path.join(folder, 'spy-01.keras')}\n\nEpoch 1: finished saving model to ${path.join(folder, 'spy-01.keras')}\n` +
        `\nEpoch 2: saving model to ${path.join(folder, 'spy-02.keras')}\n\nEpoch 2: finished saving model to ${path.join(folder, 'spy-02.keras')}\n`,
    );
  });

  it('with saveBestOnly saves only improvements of the monitored value, min for losses', async () => {
    const { model, save } = spiedModel();
    const lines = printed();
    const checkpoint = new callbacks.ModelCheckpoint(path.join(folder, 'best.keras'), { saveBestOnly: true, verbose: 1 });
    checkpoint.setModel(model);
    const values = [0.5, 0.7, 0.4, 0.4];
    for (const [epoch, value] of values.entries()) await checkpoint.onEpochEnd(epoch, { loss: 1, val_loss: value });
    expect(save).toHaveBeenCalledTimes(2);
    expect(checkpoint.best).toBe(0.4);
    const file = path.join(folder, 'best.keras');
    expect(lines.filter((l) => !l.includes('finished'))).toEqual([
      `\nEpoch 1: val_loss improved from None to 0.50000, saving model to ${file}\n`,
      '\nEpoch 2: val_loss did not improve from 0.50000\n',
      `\nEpoch 3: val_loss improved from 0.50000 to 0.40000, saving model to ${file}\n`,
      '\nEpoch 4: val_loss did not improve from 0.40000\n',
    ]);
  });

  it('maximizes accuracy-like metrics in auto mode, honours mode and initialValueThreshold', async () => {
    const { model, save } = spiedModel();
    const accuracy = new callbacks.ModelCheckpoint(path.join(folder, 'acc.keras'), { saveBestOnly: true, monitor: 'val_accuracy' });
    accuracy.setModel(model);
    for (const [epoch, value] of [0.5, 0.4, 0.8].entries()) await accuracy.onEpochEnd(epoch, { val_accuracy: value });
    expect(save).toHaveBeenCalledTimes(2);

    save.mockClear();
    const threshold = new callbacks.ModelCheckpoint(path.join(folder, 'threshold.keras'), { saveBestOnly: true, initialValueThreshold: 0.3 });
    threshold.setModel(model);
    for (const [epoch, value] of [0.4, 0.35, 0.2].entries()) await threshold.onEpochEnd(epoch, { val_loss: value });
    expect(save).toHaveBeenCalledTimes(1);

    save.mockClear();
    const max = new callbacks.ModelCheckpoint(path.join(folder, 'max.keras'), { saveBestOnly: true, monitor: 'custom', mode: 'max' });
    max.setModel(model);
    for (const [epoch, value] of [1, 3, 2].entries()) await max.onEpochEnd(epoch, { custom: value });
    expect(save).toHaveBeenCalledTimes(2);

    const unknown = new callbacks.ModelCheckpoint(path.join(folder, 'unknown.keras'), { saveBestOnly: true, monitor: 'custom' });
    unknown.setModel(model);
    await expect(unknown.onEpochEnd(0, { custom: 1 })).rejects.toThrow(/isn't able to automatically determine.*mode: 'max'/);
  });

  it('saves anyway, with a warning, when the monitored value is missing', async () => {
    const { model, save } = spiedModel();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const checkpoint = new callbacks.ModelCheckpoint(path.join(folder, 'missing.keras'), { saveBestOnly: true });
    checkpoint.setModel(model);
    await checkpoint.onEpochEnd(0, { loss: 1 });
    expect(save).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/^Can save best model only with val_loss available\./);
  });

  it('with saveFreq saves every N batches across epochs, with the batch in the path, through saveWeights', async () => {
    const { model, saveWeights } = spiedModel();
    const checkpoint = new callbacks.ModelCheckpoint(path.join(folder, 'w-{epoch}-{batch}.weights.h5'), { saveFreq: 2, saveWeightsOnly: true });
    checkpoint.setModel(model);
    await checkpoint.onTrainBegin();
    for (let epoch = 0; epoch < 2; epoch++) {
      checkpoint.onEpochBegin(epoch);
      for (let batch = 0; batch < 3; batch++) await checkpoint.onTrainBatchEnd(batch, { loss: 1 });
      await checkpoint.onEpochEnd(epoch, { loss: 1 });
    }
    expect(saveWeights.mock.calls.map((c) => path.basename(c[0]))).toEqual(['w-1-2.weights.h5', 'w-2-1.weights.h5', 'w-2-3.weights.h5']);
  });

  it('writes real .keras checkpoints during fit, named by epoch and val_loss, that load back', async () => {
    const model = smallModel();
    const x = tensor(Array.from({ length: 24 }, (_, i) => Math.cos(i)), [8, 3]);
    const y = tensor(Array.from({ length: 8 }, (_, i) => i / 8), [8, 1]);
    const dir = path.join(folder, 'fit', 'nested');
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: 4,
      verbose: 0,
      validationData: [x, y],
      callbacks: [new callbacks.ModelCheckpoint(path.join(dir, 'ckpt-{epoch:02d}-{val_loss:.2f}.keras'))],
    });
    const valLoss = history.history.val_loss;
    const expected = valLoss.map((v, i) => formatCheckpointPath('ckpt-{epoch:02d}-{val_loss:.2f}.keras', { epoch: int(i + 1), val_loss: float(v) }));
    expect(fs.readdirSync(dir).sort()).toEqual([...new Set(expected)].sort());
    const last = await models.loadModel(path.join(dir, expected[2]));
    const ours = (model.predict(x) as Promise<Tensor>);
    const theirs = (last.predict(x) as Promise<Tensor>);
    const [a, b] = await Promise.all([ours, theirs]);
    const av = a.dataSync();
    const bv = b.dataSync();
    for (let i = 0; i < av.length; i++) expect(bv[i]).toBeCloseTo(av[i], 6);
  });

  it('writes the best weights only, to one .weights.h5 file, during fit', async () => {
    const model = smallModel();
    const x = tensor(Array.from({ length: 24 }, (_, i) => Math.sin(i)), [8, 3]);
    const y = tensor(Array.from({ length: 8 }, (_, i) => i / 8), [8, 1]);
    const file = path.join(folder, 'best-fit.weights.h5');
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, validationData: [x, y], callbacks: [new callbacks.ModelCheckpoint(file, { saveBestOnly: true, saveWeightsOnly: true })] });
    expect(fs.existsSync(file)).toBe(true);
    const other = smallModel();
    await other.loadWeights(file);
    expect(other.getWeights().length).toBe(model.getWeights().length);
  });
});
