/** The loops of fit, evaluate and predict, and the *OnBatch methods, over the steps in trainer.ts. */
import { tidy } from '../runtime/tidy.js';
import type { Tensor } from '../tensor/tensor.js';
import { fromTypedArray } from '../tensor/create.js';
import { CallbackList, type Logs } from '../callbacks/callback.js';
import { History, ProgbarLogger } from '../callbacks/index.js';
import { shuffleIndices } from '../random/index.js';
import type { Model } from '../models/model.js';
import { isBatchSource, splitAt, type ArrayLikeData, type DataInput, type HostArray } from './data_adapter.js';
import {
  batchFrom, batchFromTuple, batchesOf, classSampleWeights, compiledState, metricResults, prepare, resetMetrics, verbosity, yielder,
  type Batch, type EvaluateOptions, type FitOptions, type InMemory, type PredictOptions,
} from './trainer.js';

/** What a Model offers the loops: its steps, which a subclass may override. */
interface Steps {
  trainStep(batch: Batch): Logs;
  testStep(batch: Batch): Logs;
  predictStep(x: Tensor[]): Tensor | Tensor[];
  stopTraining: boolean;
}

const steps = (model: Model): Steps => model as unknown as Steps;

function validationWanted(epoch: number, freq: FitOptions['validationFreq']): boolean {
  if (freq === undefined) return true;
  if (typeof freq === 'number') return (epoch + 1) % freq === 0;
  return freq.includes(epoch + 1);
}

/** Logs in Keras's printing order: sorted by name. */
function sortedLogs(logs: Logs): Logs {
  return Object.fromEntries(Object.entries(logs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export async function fit(model: Model, x: DataInput | AsyncIterable<unknown> | Iterable<unknown>, y: DataInput | undefined, options: FitOptions = {}): Promise<History> {
  compiledState(model, 'fit');
  const epochs = options.epochs ?? 1;
  const batchSize = options.batchSize ?? 32;
  const verbose = verbosity(options.verbose);
  const source = isBatchSource(x) ? x : undefined;
  let train: InMemory | undefined;
  let validation: InMemory | undefined;
  if (!source) {
    train = prepare(model, x as DataInput, y, options.sampleWeight, options);
    if (options.classWeight && train.y[0]) {
      const weights = classSampleWeights(train.y[0], options.classWeight);
      train.sampleWeight = train.sampleWeight ? { ...weights, values: weights.values.map((w, i) => w * (train as InMemory).sampleWeight!.values[i]) } : weights;
    }
    if (options.validationSplit) {
      if (!(options.validationSplit > 0 && options.validationSplit < 1)) {
        throw new RangeError(`fit: validationSplit must be between 0 and 1, got ${options.validationSplit}. Fix: e.g. validationSplit: 0.2.`);
      }
      // Keras takes the last samples, before any shuffling.
      const at = Math.floor(train.count * (1 - options.validationSplit));
      const split = (a: HostArray) => splitAt(a, at);
      const full = train;
      train = { x: full.x.map((a) => split(a)[0]), y: full.y.map((a) => split(a)[0]), sampleWeight: full.sampleWeight && split(full.sampleWeight)[0], count: at };
      validation = { x: full.x.map((a) => split(a)[1]), y: full.y.map((a) => split(a)[1]), sampleWeight: full.sampleWeight && split(full.sampleWeight)[1], count: full.count - at };
    }
  } else if (options.validationSplit) {
    throw new Error('fit: validationSplit needs in-memory data; with a generator, pass validationData instead.');
  }
  if (options.validationData) {
    const [vx, vy, vsw] = options.validationData as unknown as [DataInput, DataInput, ArrayLikeData?];
    validation = prepare(model, vx, vy, vsw, options);
  }
  const stepsPerEpoch = options.stepsPerEpoch ?? (train ? Math.ceil(train.count / batchSize) : undefined);
  const history = new History();
  // Keras's order: the user's callbacks first (they may add to the logs, e.g. learning_rate), then History, then the bar.
  const list = new CallbackList([...(options.callbacks ?? []), history, ...(verbose > 0 ? [new ProgbarLogger()] : [])]);
  list.setModel(model);
  list.setParams({ epochs, steps: stepsPerEpoch, verbose });
  const pause = yielder(options.yieldEvery);
  const state = compiledState(model, 'fit');
  steps(model).stopTraining = false;
  await list.call('onTrainBegin');
  const iterator = source ? batchesOf(source as never)[Symbol.asyncIterator]() : undefined;
  for (let epoch = options.initialEpoch ?? 0; epoch < epochs; epoch++) {
    resetMetrics(state);
    await list.call('onEpochBegin', epoch);
    let logs: Logs;
    // Unshuffled batches are ranges of rows, which the backend can borrow as views instead of gathering them.
    const order: number[] | undefined = train && options.shuffle !== false ? Array.from(shuffleIndices(train.count)) : undefined;
    for (let step = 0; stepsPerEpoch === undefined || step < stepsPerEpoch; step++) {
      if (train) {
        const start = step * batchSize;
        const end = Math.min(start + batchSize, train.count);
        if (end <= start) break;
        const rows = order === undefined ? { start, end } : order.slice(start, end);
        await list.call('onTrainBatchBegin', step);
        logs = tidy(() => steps(model).trainStep(batchFrom(train as InMemory, rows)));
      } else {
        const next = await (iterator as AsyncIterator<never>).next();
        if (next.done) break;
        await list.call('onTrainBatchBegin', step);
        logs = tidy(() => steps(model).trainStep(batchFromTuple(model, next.value)));
      }
      await list.call('onTrainBatchEnd', step, logs);
      await pause(false);
      if (steps(model).stopTraining) break;
    }
    const epochLogs: Logs = sortedLogs(metricResults(state));
    if (validation && validationWanted(epoch, options.validationFreq)) {
      // Validation runs with fit's own callbacks, as in Keras (TensorBoard writes at onTestEnd).
      const valLogs = sortedLogs(await evaluateData(model, validation, { batchSize: options.batchSize ?? batchSize, steps: options.validationSteps }, list));
      for (const [k, v] of Object.entries(valLogs)) epochLogs[`val_${k}`] = v;
      // Training metrics were reset by validation's evaluation; keep the epoch's values.
    }
    await list.call('onEpochEnd', epoch, epochLogs);
    await pause(true);
    if (steps(model).stopTraining) break;
  }
  await list.call('onTrainEnd');
  return history;
}

async function evaluateData(model: Model, data: InMemory, options: { batchSize?: number; steps?: number }, list: CallbackList): Promise<Logs> {
  const state = compiledState(model, 'evaluate');
  const batchSize = options.batchSize ?? 32;
  resetMetrics(state);
  await list.call('onTestBegin');
  let logs: Logs;
  const total = options.steps ?? Math.ceil(data.count / batchSize);
  for (let step = 0; step < total; step++) {
    const start = step * batchSize;
    if (start >= data.count) break;
    await list.call('onTestBatchBegin', step);
    logs = tidy(() => steps(model).testStep(batchFrom(data, { start, end: Math.min(start + batchSize, data.count) })));
    await list.call('onTestBatchEnd', step, logs);
  }
  const results = metricResults(state);
  await list.call('onTestEnd', results);
  return results;
}

/** Keras's evaluate: the loss, or [loss, ...metrics] in compile order (a record with returnDict). */
export async function evaluate(model: Model, x: DataInput, y: DataInput, options: EvaluateOptions = {}): Promise<number | number[] | Logs> {
  const data = prepare(model, x, y, options.sampleWeight, options);
  const verbose = verbosity(options.verbose);
  const list = new CallbackList([...(verbose > 0 ? [new ProgbarLogger()] : []), ...(options.callbacks ?? [])]);
  list.setModel(model);
  list.setParams({ epochs: 1, steps: Math.ceil(data.count / (options.batchSize ?? 32)), verbose });
  const logs = await evaluateData(model, data, options, list);
  if (options.returnDict) return logs;
  const values = Object.values(logs);
  return values.length === 1 ? values[0] : values;
}

/** Keras's predict: every batch through the model with training off, concatenated. The caller owns the result. */
export async function predict(model: Model, x: DataInput, options: PredictOptions = {}): Promise<Tensor | Tensor[]> {
  const data = prepare(model, x, undefined, undefined, {});
  const batchSize = options.batchSize ?? 32;
  const verbose = verbosity(options.verbose);
  const list = new CallbackList([...(verbose > 0 && options.verbose !== undefined ? [new ProgbarLogger()] : []), ...(options.callbacks ?? [])]);
  list.setModel(model);
  list.setParams({ epochs: 1, steps: Math.ceil(data.count / batchSize), verbose });
  await list.call('onPredictBegin');
  // Outputs are gathered on the host, so only the returned tensors stay on the backend.
  let parts: { values: Float32Array | Int32Array | Uint8Array; shape: number[]; dtype: Tensor['dtype'] }[][] = [];
  const total = options.steps ?? Math.ceil(data.count / batchSize);
  for (let step = 0; step < total; step++) {
    const start = step * batchSize;
    if (start >= data.count) break;
    await list.call('onPredictBatchBegin', step);
    const outputs = tidy(() => {
      const batch = batchFrom(data, { start, end: Math.min(start + batchSize, data.count) });
      const y = steps(model).predictStep(batch.x);
      return (Array.isArray(y) ? y : [y]).map((t) => ({ values: t.dataSync(), shape: [...t.shape], dtype: t.dtype }));
    });
    parts.push(outputs);
    await list.call('onPredictBatchEnd', step);
  }
  await list.call('onPredictEnd');
  const results = (parts[0] ?? []).map((_, o) => {
    const pieces = parts.map((p) => p[o]);
    const rows = pieces.reduce((n, p) => n + p.shape[0], 0);
    const length = pieces.reduce((n, p) => n + p.values.length, 0);
    const joined = new (pieces[0].values.constructor as new (n: number) => Float32Array | Int32Array | Uint8Array)(length);
    let offset = 0;
    for (const p of pieces) {
      joined.set(p.values, offset);
      offset += p.values.length;
    }
    return fromTypedArray(joined, [rows, ...pieces[0].shape.slice(1)], pieces[0].dtype);
  });
  parts = [];
  return results.length === 1 ? results[0] : results;
}

function singleBatch(model: Model, x: DataInput, y: DataInput | undefined, sampleWeight: ArrayLikeData | undefined, classWeight?: Record<number, number>): InMemory {
  const data = prepare(model, x, y, sampleWeight, {});
  if (classWeight && data.y[0]) data.sampleWeight = classSampleWeights(data.y[0], classWeight);
  return data;
}

function logsResult(logs: Logs, returnDict: boolean | undefined): number | number[] | Logs {
  if (returnDict) return logs;
  const values = Object.values(logs);
  return values.length === 1 ? values[0] : values;
}

export async function trainOnBatch(model: Model, x: DataInput, y: DataInput, options: { sampleWeight?: ArrayLikeData; classWeight?: Record<number, number>; resetMetrics?: boolean; returnDict?: boolean } = {}): Promise<number | number[] | Logs> {
  const state = compiledState(model, 'trainOnBatch');
  const data = singleBatch(model, x, y, options.sampleWeight, options.classWeight);
  if (options.resetMetrics ?? true) resetMetrics(state);
  const logs = tidy(() => steps(model).trainStep(batchFrom(data, { start: 0, end: data.count })));
  return logsResult(logs, options.returnDict);
}

export async function testOnBatch(model: Model, x: DataInput, y: DataInput, options: { sampleWeight?: ArrayLikeData; resetMetrics?: boolean; returnDict?: boolean } = {}): Promise<number | number[] | Logs> {
  const state = compiledState(model, 'testOnBatch');
  const data = singleBatch(model, x, y, options.sampleWeight);
  if (options.resetMetrics ?? true) resetMetrics(state);
  const logs = tidy(() => steps(model).testStep(batchFrom(data, { start: 0, end: data.count })));
  return logsResult(logs, options.returnDict);
}

export async function predictOnBatch(model: Model, x: DataInput): Promise<Tensor | Tensor[]> {
  return predict(model, x, { batchSize: Number.MAX_SAFE_INTEGER, verbose: 0 });
}

