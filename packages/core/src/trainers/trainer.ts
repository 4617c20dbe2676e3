/**
 * compile, fit, evaluate and predict: Keras's Trainer over any backend. Each step runs inside
 * a scope that frees everything it made; the weights, the optimizer's state and the metrics'
 * state are Variables made at compile time (or on the first step of a model built by its data),
 * so fit and evaluate leave the backend's tensor count where it was.
 */
import { valueAndGrad } from '../autodiff/gradients.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../runtime/variable.js';
import { tidy } from '../runtime/tidy.js';
import { compiledFunctionOf, signatureOf } from '../runtime/compile.js';
import * as ops from '../ops/index.js';
import type { Callback, Logs } from '../callbacks/callback.js';
import type { Model } from '../models/model.js';
import { resolvePending, type CompileState } from './compile_utils.js';
import {
  cardinality, checkAgainstInputs, normalizeData, takeRows, toHost,
  type ArrayLikeData, type BatchSource, type BatchTuple, type DataInput, type HostArray,
} from './data_adapter.js';
import { checkLabels, checkNumerics } from './checks.js';

/** One batch as a train or test step receives it. */
export interface Batch {
  x: Tensor[];
  y: Tensor[];
  sampleWeight?: Tensor;
}

export interface FitOptions {
  epochs?: number;
  batchSize?: number;
  verbose?: 0 | 1 | 2 | 'auto';
  callbacks?: Callback[];
  validationSplit?: number;
  validationData?: readonly [DataInput, DataInput] | readonly [DataInput, DataInput, ArrayLikeData];
  shuffle?: boolean;
  classWeight?: Record<number, number>;
  sampleWeight?: ArrayLikeData;
  initialEpoch?: number;
  stepsPerEpoch?: number;
  validationSteps?: number;
  validationFreq?: number | readonly number[];
  /** Give the event loop a turn: 'auto' (every ~25 ms), 'batch', 'epoch', 'never', or a number of milliseconds. */
  yieldEvery?: 'auto' | 'batch' | 'epoch' | 'never' | number;
  /** Check the data for NaN and infinities before training (off by default: it reads every value once). */
  checkNumerics?: boolean;
}

export interface EvaluateOptions {
  batchSize?: number;
  verbose?: 0 | 1 | 2 | 'auto';
  sampleWeight?: ArrayLikeData;
  steps?: number;
  callbacks?: Callback[];
  returnDict?: boolean;
  checkNumerics?: boolean;
}

export interface PredictOptions {
  batchSize?: number;
  verbose?: 0 | 1 | 2 | 'auto';
  steps?: number;
  callbacks?: Callback[];
}

export function compiledState(model: Model, what: string): CompileState {
  const state = (model as unknown as { compileState?: CompileState }).compileState;
  if (!state) {
    throw new Error(`You must call compile() before using the model: ${what} needs a loss and an optimizer. Fix: model.compile({ optimizer: 'adam', loss: 'mse' }) first.`);
  }
  return state;
}

const outputsOf = (y: Tensor | Tensor[]): Tensor[] => (Array.isArray(y) ? y : [y]);

/** The weighted sum of each output's loss: what the gradient is taken of. */
export function computeLoss(model: Model, batch: Batch, yPred: Tensor[]): Tensor {
  const state = compiledState(model, 'computing the loss');
  let total: Tensor | undefined;
  state.losses.forEach((compiled, i) => {
    if (!compiled) return;
    let value = compiled.loss.apply(batch.y[i], yPred[i], batch.sampleWeight);
    if (compiled.weight !== 1) value = ops.multiply(value, compiled.weight);
    total = total ? ops.add(total, value) : value;
  });
  if (!total) throw new Error('compile: no loss was given for any output. Fix: model.compile({ loss: ... }).');
  // Weight regularizers and the losses layers added during this forward pass (activity regularizers, addLoss).
  for (const extra of model.losses) total = ops.add(total, extra);
  return total;
}

/** Keras applies each weight's constraint right after the optimizer's update. */
function applyConstraints(variables: readonly Variable[]): void {
  for (const v of variables) if (v.constraint) v.assign(tidy(() => (v.constraint as NonNullable<Variable['constraint']>).call(v.value)));
}

/** Updates the loss tracker and every compiled metric with one batch, and returns the logs so far. */
export function computeMetrics(model: Model, batch: Batch, yPred: Tensor[], loss: Tensor): Logs {
  updateMetrics(model, batch, yPred, loss);
  return metricResults(compiledState(model, 'computing metrics'));
}

export function metricResults(state: CompileState): Logs {
  const logs: Logs = { loss: state.lossTracker.result() as number };
  for (const m of state.metrics) {
    const result = m.metric.result();
    // A metric with several values (e.g. per threshold) logs each as name_0, name_1, ...
    if (Array.isArray(result)) result.forEach((v, i) => (logs[`${m.logName}_${i}`] = v));
    else logs[m.logName] = result;
  }
  return logs;
}

export function resetMetrics(state: CompileState): void {
  state.lossTracker.resetState();
  for (const m of state.metrics) m.metric.resetState();
}

/** Updates the loss tracker and every compiled metric with one batch (no results read: a compiled step runs this). */
function updateMetrics(model: Model, batch: Batch, yPred: Tensor[], loss: Tensor): void {
  const state = compiledState(model, 'computing metrics');
  if (state.pending.length > 0) resolvePending(state, batch.y, yPred);
  state.lossTracker.updateState(loss, batch.x[0].shape[0]);
  for (const m of state.metrics) {
    const i = state.outputNames.indexOf(m.output);
    m.metric.updateState(batch.y[i], yPred[i], m.weighted ? batch.sampleWeight : undefined);
  }
}

/** Whether steps may run compiled: compile's jitCompile is not false. */
function jitWanted(model: Model): boolean {
  return (model as unknown as { compileState?: CompileState }).compileState?.args.jitCompile !== false;
}

/** The batch's tensors in a fixed order (x, y, sample weight) with its signature key. */
function batchTensors(batch: Batch): { tensors: Tensor[]; signature: string } {
  const tensors = [...batch.x, ...batch.y, ...(batch.sampleWeight ? [batch.sampleWeight] : [])];
  return { tensors, signature: `${batch.x.length}x${batch.y.length}y${batch.sampleWeight ? 'w' : ''}:${signatureOf(tensors)}` };
}

/**
 * Runs `fn` as a compiled step of `owner` where jitCompile allows it, else eagerly. `structure` joins
 * the batch's signature; `bakeWeights` for steps that do not train (see CompiledFunctionOptions).
 */
function maybeCompiled(model: Model, owner: object, name: string, batch: Batch, structure: string, bakeWeights: boolean, fn: () => Tensor[]): Tensor[] {
  if (!jitWanted(model)) return fn();
  const { tensors, signature } = batchTensors(batch);
  return compiledFunctionOf(owner, name, { bakeWeights }).call(`${signature} ${structure}`, tensors, fn);
}

/** Keras's default train step: forward with training on, loss, gradients, one optimizer update, metrics. */
export function defaultTrainStep(model: Model, batch: Batch): Logs {
  const state = compiledState(model, 'fit');
  // The metric results are read after the (possibly compiled) update: a compiled step reads nothing back.
  const step = (fn: () => Tensor[]): Tensor[] => (state.optimizer.duringStep ? state.optimizer.duringStep(fn) : fn());
  // The trainable weights are part of the signature: freezing a layer between steps records again.
  step(() => maybeCompiled(model, state, 'train', batch, `${model.trainableWeights.length} trainable`, false, () => {
    const variables = model.trainableWeights;
    const { value, grads } = valueAndGrad(() => {
      const yPred = outputsOf(model.apply(batch.x.length === 1 ? batch.x[0] : batch.x, { training: true }));
      return [computeLoss(model, batch, yPred), ...yPred];
    }, variables);
    const [loss, ...yPred] = value;
    state.optimizer.applyGradients(grads.map((g, i) => [g, variables[i]] as const));
    applyConstraints(variables);
    updateMetrics(model, batch, yPred, loss);
    return [];
  }));
  return metricResults(state);
}

export function defaultTestStep(model: Model, batch: Batch): Logs {
  const state = compiledState(model, 'evaluate');
  maybeCompiled(model, state, 'test', batch, '', true, () => {
    const yPred = outputsOf(model.apply(batch.x.length === 1 ? batch.x[0] : batch.x, { training: false }));
    updateMetrics(model, batch, yPred, computeLoss(model, batch, yPred));
    return [];
  });
  return metricResults(state);
}

/** Keras's default predict step: the model on x with training off (compiled per signature where jitCompile allows). */
export function defaultPredictStep(model: Model, x: Tensor[]): Tensor | Tensor[] {
  const apply = () => model.apply(x.length === 1 ? x[0] : x, { training: false });
  if (!jitWanted(model)) return apply();
  let single = true;
  // Inference bakes the weights into the graph, so that the backend can pre-pack them; new weights record again.
  const outputs = compiledFunctionOf(model, 'predict', { bakeWeights: true }).call(`${x.length}x:${signatureOf(x)}`, x, () => {
    const y = apply();
    single = !Array.isArray(y);
    return outputsOf(y);
  });
  return single && outputs.length === 1 ? outputs[0] : outputs;
}

// --- data -------------------------------------------------------------------------------------

export interface InMemory {
  x: HostArray[];
  y: HostArray[];
  sampleWeight?: HostArray;
  count: number;
}

export function namesOf(model: Model, which: 'inputs' | 'outputs'): string[] {
  if (!model.isFunctional) return [which === 'inputs' ? 'input' : 'output'];
  return (which === 'inputs' ? model.inputs : model.outputs).map((t) => t.kerasHistory?.layer.name ?? t.name);
}

export function prepare(model: Model, x: DataInput, y: DataInput | undefined, sampleWeight: ArrayLikeData | undefined, options: { checkNumerics?: boolean }): InMemory {
  const xs = normalizeData(x, model.isFunctional ? model.inputs : undefined, namesOf(model, 'inputs'), 'x');
  if (model.isFunctional) checkAgainstInputs(xs, model.inputs, 'x');
  const ys = y === undefined ? [] : normalizeData(y, model.isFunctional ? model.outputs : undefined, namesOf(model, 'outputs'), 'y');
  const sw = sampleWeight === undefined ? undefined : toHost(sampleWeight, 'sampleWeight');
  const groups = [{ name: 'x', arrays: xs }, ...(ys.length ? [{ name: 'y', arrays: ys }] : []), ...(sw ? [{ name: 'sampleWeight', arrays: [sw] }] : [])];
  const count = cardinality(groups);
  if (ys.length) checkLabels(model, ys);
  if (options.checkNumerics) checkNumerics([...groups.flatMap((g) => g.arrays.map((a, i) => ({ name: `${g.name}${g.arrays.length > 1 ? `[${i}]` : ''}`, array: a })))]);
  return { x: xs, y: ys, sampleWeight: sw, count };
}

/** Sample weights from classWeight: each sample gets the weight of its class (argmax of one-hot, or the integer label). */
export function classSampleWeights(y: HostArray, classWeight: Record<number, number>): HostArray {
  const n = y.shape[0];
  const width = y.shape.length > 1 ? y.shape.slice(1).reduce((a, b) => a * b, 1) : 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let label: number;
    if (width === 1) label = Math.round(y.values[i]);
    else {
      label = 0;
      for (let j = 1; j < width; j++) if (y.values[i * width + j] > y.values[i * width + label]) label = j;
    }
    if (!(label in classWeight)) {
      throw new Error(`fit: classWeight has no weight for class ${label} (found in y at sample ${i}). Expected a weight for every class. Fix: add { ${label}: 1 } or remove classWeight.`);
    }
    out[i] = classWeight[label];
  }
  return { values: out, shape: [n], dtype: 'float32' };
}

export function batchFrom(data: InMemory, rows: number[] | { start: number; end: number }): Batch {
  return {
    x: data.x.map((a) => takeRows(a, rows)),
    y: data.y.map((a) => takeRows(a, rows)),
    sampleWeight: data.sampleWeight ? takeRows(data.sampleWeight, rows) : undefined,
  };
}

/** A generator's batch as Tensors (it may yield Tensors, arrays, or `{ data, shape }`). */
export function batchFromTuple(model: Model, tuple: BatchTuple): Batch {
  if (!Array.isArray(tuple) || tuple.length < 1) {
    throw new TypeError('fit: each batch a generator yields must be [x, y] or [x, y, sampleWeight]. Fix: yield [xBatch, yBatch].');
  }
  const [x, y, sw] = tuple;
  const data = prepare(model, x, y, sw, {});
  return batchFrom(data, { start: 0, end: data.count });
}

export async function* batchesOf(source: BatchSource): AsyncGenerator<BatchTuple> {
  if (Symbol.asyncIterator in source) yield* source as AsyncIterable<BatchTuple>;
  else yield* source as Iterable<BatchTuple>;
}

// --- yielding ---------------------------------------------------------------------------------

export function yielder(option: FitOptions['yieldEvery']): (atEpochEnd: boolean) => Promise<void> {
  let last = Date.now();
  const pause = () => new Promise<void>((resolve) => setImmediate(resolve));
  return async (atEpochEnd) => {
    const every = option ?? 'auto';
    if (every === 'never') return;
    if (every === 'epoch') {
      if (atEpochEnd) await pause();
      return;
    }
    if (every === 'batch') return pause();
    const ms = every === 'auto' ? 25 : every;
    if (Date.now() - last >= ms) {
      await pause();
      last = Date.now();
    }
  };
}

export function verbosity(v: FitOptions['verbose']): 0 | 1 | 2 {
  return v === undefined || v === 'auto' ? 1 : v;
}

