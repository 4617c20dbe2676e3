/**
 * keras.callbacks, driven the way fit drives them: a stub model (stopTraining, an optimizer with a
 * learningRate, real weight tensors) and a CallbackList run through epochs and batches.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { printed } from './support/printed.js';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Variable, callbacks, memory, tensor, type Model } from '@keras-ts/core';
import type { Callback, Logs } from '../src/callbacks/callback.js';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
});

afterEach(() => {
  jest.restoreAllMocks();
});

/** What callbacks use of a model, with one weight whose value "training" sets to [epoch, epoch]. */
class StubModel {
  stopTraining = false;
  optimizer = { learningRate: 0.1, iterations: 0 };
  readonly weight = new Variable(tensor([0, 0]));

  getWeights() {
    return [tensor(Array.from(this.weight.dataSync()), [2])];
  }

  setWeights(values: readonly { dataSync(): ArrayLike<number> }[]) {
    this.train(Array.from(values[0].dataSync()));
  }

  train(values: number[]) {
    const t = tensor(values, [2]);
    this.weight.assign(t);
    t.dispose();
  }
}

interface Run {
  /** Logs of each epoch (a fresh copy is passed, as fit builds a new object per epoch). */
  epochs: Logs[];
  /** Batch logs, the same each epoch. */
  batches?: Logs[];
}

/** fit's order of hooks; returns the number of epochs run. */
async function fitLike(cbs: Callback[], model: StubModel, run: Run): Promise<number> {
  const list = new callbacks.CallbackList(cbs);
  list.setModel(model as unknown as Model);
  list.setParams({ epochs: run.epochs.length, steps: run.batches?.length ?? 1, verbose: 0 });
  model.stopTraining = false;
  await list.call('onTrainBegin');
  let ran = 0;
  for (let epoch = 0; epoch < run.epochs.length; epoch++) {
    await list.call('onEpochBegin', epoch);
    for (const [batch, logs] of (run.batches ?? []).entries()) {
      await list.call('onTrainBatchBegin', batch);
      model.optimizer.iterations += 1;
      await list.call('onTrainBatchEnd', batch, { ...logs });
      if (model.stopTraining) break;
    }
    model.train([epoch, epoch]);
    await list.call('onEpochEnd', epoch, { ...run.epochs[epoch] });
    ran++;
    if (model.stopTraining) break;
  }
  await list.call('onTrainEnd');
  return ran;
}

const losses = (values: number[], key = 'val_loss'): Logs[] => values.map((v) => ({ loss: 1, [key]: v }));

const tempDirs: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-callbacks-'));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('History', () => {
  it('keeps one number per epoch for each logs key, and the epoch indices', async () => {
    const history = new callbacks.History();
    await fitLike([history], new StubModel(), { epochs: [{ loss: 0.9, accuracy: 0.5 }, { loss: 0.5, accuracy: 0.75 }, { loss: 0.3, accuracy: 0.875 }] });
    expect(history.history).toEqual({ loss: [0.9, 0.5, 0.3], accuracy: [0.5, 0.75, 0.875] });
    expect(history.epoch).toEqual([0, 1, 2]);
  });
});

describe('EarlyStopping', () => {
  it('stops once patience runs out and restores the best weights, freeing the copies it held', async () => {
    const model = new StubModel();
    const lines = printed();
    const before = memory().numTensors;
    const stopper = new callbacks.EarlyStopping({ patience: 2, restoreBestWeights: true, verbose: 1 });
    const history = new callbacks.History();
    const ran = await fitLike([stopper, history], model, { epochs: losses([1.0, 0.5, 0.6, 0.7, 0.4]) });
    expect(ran).toBe(4);
    expect(history.history.val_loss).toEqual([1.0, 0.5, 0.6, 0.7]);
    expect(stopper.stoppedEpoch).toBe(3);
    expect(stopper.bestEpoch).toBe(1);
    expect(Array.from(model.weight.dataSync())).toEqual([1, 1]);
    expect(memory().numTensors).toBe(before);
    expect(lines).toEqual(['Epoch 4: early stopping\n', 'Restoring model weights from the end of the best epoch: 2.\n']);
  });

  it('keeps counting while improvements do not beat the baseline, and honours minDelta', async () => {
    const withBaseline = new callbacks.EarlyStopping({ patience: 2, baseline: 0.3 });
    expect(await fitLike([withBaseline], new StubModel(), { epochs: losses([0.5, 0.6, 0.7, 0.8]) })).toBe(2);
    const plain = new callbacks.EarlyStopping({ patience: 2 });
    expect(await fitLike([plain], new StubModel(), { epochs: losses([0.5, 0.6, 0.7, 0.8]) })).toBe(3);
    // Improvements smaller than minDelta count as none.
    const delta = new callbacks.EarlyStopping({ patience: 1, minDelta: 0.1 });
    expect(await fitLike([delta], new StubModel(), { epochs: losses([1.0, 0.95, 0.5, 0.45]) })).toBe(2);
  });

  it('infers max for accuracy, waits startFromEpoch epochs, and refuses a metric of unknown direction', async () => {
    const acc = new callbacks.EarlyStopping({ monitor: 'val_accuracy', patience: 1 });
    expect(await fitLike([acc], new StubModel(), { epochs: losses([0.5, 0.7, 0.9, 0.8, 0.7], 'val_accuracy') })).toBe(4);
    expect(acc.best).toBe(0.9);
    const warm = new callbacks.EarlyStopping({ patience: 0, startFromEpoch: 2 });
    expect(await fitLike([warm], new StubModel(), { epochs: losses([1, 2, 3, 4, 5]) })).toBe(4);
    const unknown = new callbacks.EarlyStopping({ monitor: 'val_foo' });
    await expect(fitLike([unknown], new StubModel(), { epochs: losses([1], 'val_foo') })).rejects.toThrow(/mode: 'max'/);
    const minMode = new callbacks.EarlyStopping({ monitor: 'val_foo', mode: 'min', patience: 0 });
    expect(await fitLike([minMode], new StubModel(), { epochs: losses([1, 2, 3], 'val_foo') })).toBe(2);
  });
});

describe('ReduceLROnPlateau', () => {
  it('reduces by factor after patience, skips cooldown epochs, never goes below minLr, and logs learning_rate', async () => {
    const model = new StubModel();
    const lines = printed();
    const reduce = new callbacks.ReduceLROnPlateau({ factor: 0.5, patience: 1, cooldown: 2, minLr: 0.02, verbose: 1 });
    const history = new callbacks.History();
    await fitLike([reduce, history], model, { epochs: losses([1, 1, 1, 1, 1, 1, 1, 1]) });
    // The rate each epoch trained with: reduced after epochs 2, 4 and 6, to minLr at last.
    expect(history.history.learning_rate).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02]);
    expect(model.optimizer.learningRate).toBe(0.02);
    expect(lines.slice(0, 2)).toEqual([
      '\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.05.\n',
      '\nEpoch 4: ReduceLROnPlateau reducing learning rate to 0.025.\n',
    ]);
  });

  it('leaves the rate alone while the value improves by more than minDelta', async () => {
    const model = new StubModel();
    const reduce = new callbacks.ReduceLROnPlateau({ patience: 1, minDelta: 0.01 });
    await fitLike([reduce], model, { epochs: losses([1, 0.9, 0.8, 0.7]) });
    expect(model.optimizer.learningRate).toBe(0.1);
    await fitLike([reduce], model, { epochs: losses([1, 0.995]) });
    expect(model.optimizer.learningRate).toBeCloseTo(0.01, 12);
    expect(() => new callbacks.ReduceLROnPlateau({ factor: 1 })).toThrow(/factor >= 1.0/);
  });
});

describe('LearningRateScheduler', () => {
  it('sets the rate from an async schedule at each epoch start and logs it', async () => {
    const model = new StubModel();
    const seen: [number, number][] = [];
    const scheduler = new callbacks.LearningRateScheduler(async (epoch, lr) => {
      seen.push([epoch, lr]);
      return epoch < 2 ? lr : lr * 0.5;
    });
    const history = new callbacks.History();
    await fitLike([scheduler, history], model, { epochs: losses([1, 1, 1, 1]) });
    expect(seen).toEqual([[0, 0.1], [1, 0.1], [2, 0.1], [3, 0.05]]);
    expect(history.history.learning_rate).toEqual([0.1, 0.1, 0.05, 0.025]);
    const bad = new callbacks.LearningRateScheduler(() => NaN);
    await expect(fitLike([bad], new StubModel(), { epochs: losses([1]) })).rejects.toThrow(/should be a float/);
  });
});

describe('CSVLogger', () => {
  it('writes epoch then the sorted keys, floats as Python prints them, NA for missing values, \\r\\n line ends', async () => {
    const file = path.join(tempDir(), 'log.csv');
    await fitLike([new callbacks.CSVLogger(file)], new StubModel(), {
      epochs: [{ loss: 0.5, accuracy: 0.25, val_loss: 1e-5 }, { loss: 1, accuracy: 0.5 }],
    });
    expect(fs.readFileSync(file, 'utf8')).toBe('epoch,accuracy,loss,val_loss\r\n0,0.25,0.5,1e-05\r\n1,0.5,1.0,NA\r\n');
  });

  it('overwrites by default, appends without a second header, and uses the separator', async () => {
    const file = path.join(tempDir(), 'log.csv');
    fs.writeFileSync(file, 'old contents\n');
    await fitLike([new callbacks.CSVLogger(file, { separator: ';' })], new StubModel(), { epochs: [{ loss: 0.5 }] });
    await fitLike([new callbacks.CSVLogger(file, { separator: ';', append: true })], new StubModel(), { epochs: [{ loss: 0.25 }] });
    expect(fs.readFileSync(file, 'utf8')).toBe('epoch;loss\r\n0;0.5\r\n0;0.25\r\n');
  });
});

describe('TerminateOnNaN', () => {
  it('stops training at the batch whose loss is NaN or infinite', async () => {
    const model = new StubModel();
    const lines = printed();
    const batchEnds: number[] = [];
    const spy = new callbacks.LambdaCallback({ onTrainBatchEnd: (batch) => void batchEnds.push(batch) });
    const ran = await fitLike([new callbacks.TerminateOnNaN(), spy], model, {
      epochs: losses([1, 1, 1]),
      batches: [{ loss: 0.5 }, { loss: NaN }, { loss: 0.25 }],
    });
    expect(ran).toBe(1);
    expect(batchEnds).toEqual([0, 1]);
    expect(lines).toEqual(['Batch 1: Invalid loss, terminating training\n']);
    const strict = new callbacks.TerminateOnNaN({ raiseError: true });
    await expect(fitLike([strict], new StubModel(), { epochs: losses([1]), batches: [{ loss: Infinity }] })).rejects.toThrow(
      'NaN or Inf loss encountered at batch 0. Loss value: inf.',
    );
  });
});

describe('LambdaCallback', () => {
  it('calls the functions given, in fit order, awaiting async ones', async () => {
    const calls: string[] = [];
    const lambda = new callbacks.LambdaCallback({
      onTrainBegin: () => void calls.push('trainBegin'),
      onEpochBegin: async (epoch) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        calls.push(`epochBegin ${epoch}`);
      },
      onTrainBatchEnd: (batch, logs) => void calls.push(`batchEnd ${batch} ${logs?.loss}`),
      onEpochEnd: (epoch, logs) => void calls.push(`epochEnd ${epoch} ${logs?.val_loss}`),
      onTrainEnd: () => void calls.push('trainEnd'),
    });
    const after = new callbacks.LambdaCallback({ onEpochBegin: (epoch) => void calls.push(`next ${epoch}`) });
    await fitLike([lambda, after], new StubModel(), { epochs: losses([0.5, 0.25]), batches: [{ loss: 2 }] });
    expect(calls).toEqual([
      'trainBegin', 'epochBegin 0', 'next 0', 'batchEnd 0 2', 'epochEnd 0 0.5',
      'epochBegin 1', 'next 1', 'batchEnd 0 2', 'epochEnd 1 0.25', 'trainEnd',
    ]);
    expect(() => new callbacks.LambdaCallback({ onEpochFinish: () => undefined } as never)).toThrow(/not a callback hook/);
  });
});

// ---- TensorBoard: the files are decoded with code independent of the writer's ----

/** CRC-32C bit by bit (no table), reflected polynomial 0x82F63B78. */
function crc32cBitwise(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0x82f63b78 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const masked = (data: Uint8Array) => {
  const c = crc32cBitwise(data);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
};

/** The TFRecords of a file, each CRC checked. */
function readRecords(file: string): Uint8Array[] {
  const bytes = new Uint8Array(fs.readFileSync(file));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  for (let pos = 0; pos < bytes.length; ) {
    const length = Number(view.getBigUint64(pos, true));
    expect(view.getUint32(pos + 8, true)).toBe(masked(bytes.subarray(pos, pos + 8)));
    const data = bytes.subarray(pos + 12, pos + 12 + length);
    expect(view.getUint32(pos + 12 + length, true)).toBe(masked(data));
    records.push(data);
    pos += 12 + length + 4;
  }
  return records;
}

type Proto = Map<number, (bigint | Uint8Array)[]>;

/** A generic protobuf reader: field number -> values (varints as bigint, other wire types as bytes). */
function parseProto(bytes: Uint8Array): Proto {
  const fields: Proto = new Map();
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const b = bytes[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
    }
  };
  const take = (n: number) => bytes.subarray(pos, (pos += n));
  while (pos < bytes.length) {
    const key = Number(varint());
    const wire = key & 7;
    const value = wire === 0 ? varint() : wire === 1 ? take(8) : wire === 2 ? take(Number(varint())) : wire === 5 ? take(4) : undefined;
    if (value === undefined) throw new Error(`unexpected wire type ${wire}`);
    fields.set(key >>> 3, [...(fields.get(key >>> 3) ?? []), value]);
  }
  return fields;
}

const one = (p: Proto, field: number) => p.get(field)?.[0];
const bytesOf = (p: Proto, field: number) => one(p, field) as Uint8Array;
const text = (p: Proto, field: number) => new TextDecoder().decode(bytesOf(p, field));
const double = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
const float = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);

interface ScalarEvent {
  wallTime: number;
  step: number;
  tag: string;
  value: number;
  plugin?: string;
  dataClass?: number;
}

/** Event{wall_time=1, step=2, file_version=3, summary=5}; Summary{value=1}; Value{tag=1, tensor=8, metadata=9}. */
function decodeEvents(file: string): { version: string; versionTime: number; scalars: ScalarEvent[] } {
  const [first, ...rest] = readRecords(file).map(parseProto);
  const scalars = rest.map((event) => {
    const value = parseProto(bytesOf(parseProto(bytesOf(event, 5)), 1));
    const tensor = parseProto(bytesOf(value, 8));
    expect(one(tensor, 1)).toBe(1n); // DT_FLOAT
    expect(bytesOf(tensor, 2).length).toBe(0); // rank 0: an empty TensorShapeProto
    const metadata = value.has(9) ? parseProto(bytesOf(value, 9)) : undefined;
    return {
      wallTime: double(bytesOf(event, 1)),
      step: Number(one(event, 2) ?? 0n),
      tag: text(value, 1),
      value: float(bytesOf(tensor, 4)),
      plugin: metadata && text(parseProto(bytesOf(metadata, 1)), 1),
      dataClass: metadata && Number(one(metadata, 4)),
    };
  });
  return { version: text(first, 3), versionTime: double(bytesOf(first, 1)), scalars };
}

describe('TensorBoard', () => {
  it('the independent CRC32C matches the standard check value', () => {
    expect(crc32cBitwise(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it('writes epoch scalars to train/ and validation/ event files that decode field by field', async () => {
    const logDir = tempDir();
    const board = new callbacks.TensorBoard({ logDir, now: () => 1700000000.25 });
    await fitLike([board], new StubModel(), {
      epochs: [
        { accuracy: 0.5, loss: 0.75, val_accuracy: 0.25, val_loss: 1.5 },
        { accuracy: 0.625, loss: 0.5, val_accuracy: 0.375, val_loss: 1.25 },
      ],
    });
    const name = /^events\.out\.tfevents\.1700000000\..+\.\d+\.\d+\.v2$/;
    const trainFiles = fs.readdirSync(path.join(logDir, 'train'));
    const validationFiles = fs.readdirSync(path.join(logDir, 'validation'));
    expect(trainFiles).toEqual([expect.stringMatching(name)]);
    expect(validationFiles).toEqual([expect.stringMatching(name)]);

    const train = decodeEvents(path.join(logDir, 'train', trainFiles[0]));
    expect(train.version).toBe('brain.Event:2');
    expect(train.versionTime).toBe(1700000000.25);
    const scalar = (step: number, tag: string, value: number, first: boolean): ScalarEvent => ({
      wallTime: 1700000000.25, step, tag, value: Math.fround(value),
      plugin: first ? 'scalars' : undefined, dataClass: first ? 1 : undefined,
    });
    expect(train.scalars).toEqual([
      scalar(0, 'epoch_accuracy', 0.5, true), scalar(0, 'epoch_loss', 0.75, true), scalar(0, 'epoch_learning_rate', 0.1, true),
      scalar(1, 'epoch_accuracy', 0.625, false), scalar(1, 'epoch_loss', 0.5, false), scalar(1, 'epoch_learning_rate', 0.1, false),
    ]);
    const validation = decodeEvents(path.join(logDir, 'validation', validationFiles[0]));
    expect(validation.version).toBe('brain.Event:2');
    expect(validation.scalars).toEqual([
      scalar(0, 'epoch_accuracy', 0.25, true), scalar(0, 'epoch_loss', 1.5, true),
      scalar(1, 'epoch_accuracy', 0.375, false), scalar(1, 'epoch_loss', 1.25, false),
    ]);
  });

  it("writes batch_ scalars at the global batch index with updateFreq 'batch', and evaluation_ ones after a test run", async () => {
    const logDir = tempDir();
    const board = new callbacks.TensorBoard({ logDir, updateFreq: 'batch' });
    const model = new StubModel();
    await fitLike([board], model, { epochs: [{ loss: 1 }, { loss: 0.5 }], batches: [{ loss: 2 }, { loss: 1.5 }] });
    const train = decodeEvents(path.join(logDir, 'train', fs.readdirSync(path.join(logDir, 'train'))[0]));
    expect(train.scalars.filter((s) => s.tag === 'batch_loss').map((s) => [s.step, s.value])).toEqual([[1, 2], [2, 1.5], [3, 2], [4, 1.5]]);
    expect(Math.abs(train.scalars[0].wallTime - Date.now() / 1000)).toBeLessThan(60);

    const list = new callbacks.CallbackList([board]);
    list.setModel(model as unknown as Model);
    await list.call('onTestBegin');
    await list.call('onTestEnd', { loss: 0.75 });
    const validation = decodeEvents(board.files.validation as string);
    expect(validation.scalars.map((s) => [s.tag, s.step, s.value])).toEqual([['evaluation_loss_vs_iterations', 4, 0.75]]);
  });
});
