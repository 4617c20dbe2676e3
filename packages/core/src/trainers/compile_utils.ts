/**
 * What compile resolves: one loss per output (with its weight), the metrics of each output, and
 * the optimizer. `accuracy` becomes binary, categorical or sparse categorical accuracy the way
 * Keras decides it: by the loss, else by the shapes of labels and predictions.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { Dim } from '../tensor/shape.js';
import type { TrainingOptimizer } from '../optimizers/optimizer_interface.js';
import * as losses from '../losses/index.js';
import * as metrics from '../metrics/index.js';
import * as optimizers from '../optimizers/index.js';

export type LossIdentifier = Parameters<typeof losses.get>[0];
export type MetricIdentifier = NonNullable<Parameters<typeof metrics.get>[0]>;
type PerOutput<T> = T | readonly T[] | Record<string, T>;

export interface CompileArgs {
  optimizer?: Parameters<typeof optimizers.get>[0];
  loss?: PerOutput<LossIdentifier>;
  metrics?: readonly MetricIdentifier[] | readonly (readonly MetricIdentifier[])[] | Record<string, MetricIdentifier | readonly MetricIdentifier[]>;
  weightedMetrics?: readonly MetricIdentifier[] | readonly (readonly MetricIdentifier[])[] | Record<string, MetricIdentifier | readonly MetricIdentifier[]>;
  lossWeights?: readonly number[] | Record<string, number>;
  /**
   * Keras's jit_compile: 'auto' (the default) runs fit's, evaluate's and predict's default steps as
   * one compiled graph per batch signature on backends that can record one (onnx); false keeps
   * every step eager (kernel by kernel); true is 'auto' (steps that cannot compile stay eager).
   */
  jitCompile?: boolean | 'auto';
}

/** A loss as training uses it: reduced to a scalar with the sample weights. */
export interface CompiledLoss {
  output: string;
  loss: losses.Loss;
  weight: number;
}

export interface CompiledMetric {
  output: string;
  /** The name in logs (prefixed with the output's name when the model has several outputs). */
  logName: string;
  metric: metrics.Metric;
  weighted: boolean;
}

export interface CompileState {
  args: CompileArgs;
  optimizer: TrainingOptimizer;
  losses: (CompiledLoss | null)[];
  metrics: CompiledMetric[];
  /** Metric identifiers still to resolve against the first batch's shapes (e.g. 'accuracy' when the loss does not decide). */
  pending: { outputIndex: number; identifier: MetricIdentifier; weighted: boolean }[];
  lossTracker: metrics.Mean;
  outputNames: string[];
}

function perOutput<T>(value: PerOutput<T> | undefined, names: readonly string[], what: string): (T | undefined)[] {
  if (value === undefined) return names.map(() => undefined);
  if (Array.isArray(value)) {
    if (value.length !== names.length) {
      throw new Error(`compile: ${what} is a list of ${value.length}, but the model has ${names.length} output(s) (${names.join(', ')}). Fix: pass one per output, or a record keyed by output name.`);
    }
    return value as T[];
  }
  if (value !== null && typeof value === 'object' && !isIdentifierObject(value) && names.some((n) => n in (value as object))) {
    const record = value as Record<string, T>;
    const unknown = Object.keys(record).filter((k) => !names.includes(k));
    if (unknown.length > 0) throw new Error(`compile: ${what} names unknown outputs [${unknown.join(', ')}]; the outputs are [${names.join(', ')}].`);
    return names.map((n) => record[n]);
  }
  return names.map(() => value as T);
}

/** A `{ class_name, config }` object or an instance, as opposed to a record keyed by output names. */
function isIdentifierObject(value: object): boolean {
  return 'class_name' in value || 'className' in value || typeof (value as { call?: unknown }).call === 'function' || typeof (value as { updateState?: unknown }).updateState === 'function';
}

function metricList(value: MetricIdentifier | readonly MetricIdentifier[] | undefined): MetricIdentifier[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? [...value] : [value as MetricIdentifier];
}

function lossName(compiled: CompiledLoss | null): string | undefined {
  return compiled?.loss.name;
}

/** Resolves compile's arguments against the model's outputs. */
export function resolveCompile(args: CompileArgs, outputNames: readonly string[], outputShapes: readonly (readonly Dim[])[]): CompileState {
  const multi = outputNames.length > 1;
  const lossIds = perOutput(args.loss, outputNames, 'loss');
  const compiledLosses = lossIds.map((id, i): CompiledLoss | null => (id === undefined || id === null ? null : { output: outputNames[i], loss: losses.get(id), weight: 1 }));
  const weights = args.lossWeights === undefined ? undefined : perOutput(args.lossWeights as PerOutput<number>, outputNames, 'lossWeights');
  weights?.forEach((w, i) => {
    const compiled = compiledLosses[i];
    if (compiled && w !== undefined) compiled.weight = w;
  });
  const state: CompileState = {
    args,
    optimizer: optimizers.get(args.optimizer ?? 'rmsprop') as TrainingOptimizer,
    losses: compiledLosses,
    metrics: [],
    pending: [],
    lossTracker: new metrics.Mean({ name: 'loss' }),
    outputNames: [...outputNames],
  };
  const addMetrics = (spec: CompileArgs['metrics'], weighted: boolean) => {
    if (spec === undefined) return;
    // A flat list applies to every output (Keras: the same metrics for each output).
    const lists: MetricIdentifier[][] = Array.isArray(spec) && spec.length > 0 && Array.isArray(spec[0])
      ? perOutput(spec as readonly MetricIdentifier[][], outputNames, 'metrics').map((m) => metricList(m))
      : Array.isArray(spec)
        ? outputNames.map(() => [...(spec as MetricIdentifier[])])
        : perOutput(spec as Record<string, MetricIdentifier | readonly MetricIdentifier[]>, outputNames, 'metrics').map((m) => metricList(m));
    lists.forEach((ids, outputIndex) => {
      for (const id of ids) {
        const metric = resolveAtCompile(id, lossName(compiledLosses[outputIndex]), outputShapes[outputIndex]);
        if (!metric) state.pending.push({ outputIndex, identifier: id, weighted });
        else state.metrics.push(named(metric, outputNames[outputIndex], multi, weighted));
      }
    });
  };
  addMetrics(args.metrics, false);
  addMetrics(args.weightedMetrics, true);
  return state;
}

function named(metric: metrics.Metric, output: string, multi: boolean, weighted: boolean): CompiledMetric {
  const base = weighted ? `weighted_${metric.name}` : metric.name;
  return { output, logName: multi ? `${output}_${base}` : base, metric, weighted };
}

const ACCURACY_NAMES = ['accuracy', 'acc'];

/**
 * 'accuracy' needs the labels' shape, which compile does not know. Keras 3 decides by shapes at
 * the first batch; compile decides now where the outcome is certain (a prediction of last size 1
 * is binary; a sparse loss means integer labels; a categorical loss one-hot ones), so the metric's
 * state exists before fit. Returns undefined when only the first batch can tell.
 */
function resolveAtCompile(id: MetricIdentifier, loss: string | undefined, yPredShape: readonly Dim[] | undefined): metrics.Metric | undefined {
  if (!(typeof id === 'string' && ACCURACY_NAMES.includes(id))) return metrics.get(id as NonNullable<MetricIdentifier>);
  const last = yPredShape?.[yPredShape.length - 1];
  if (!yPredShape || last === null || last === undefined) return undefined;
  let labels: Dim[] | undefined;
  if (last === 1) labels = [...yPredShape];
  else if (loss?.startsWith('sparse_')) labels = yPredShape.slice(0, -1);
  else if (loss && ['categorical_crossentropy', 'categorical_hinge', 'categorical_focal_crossentropy', 'kl_divergence'].includes(loss)) labels = [...yPredShape];
  return labels ? metrics.resolveMetric(id, labels, yPredShape, loss) : undefined;
}

/** Resolves the pending metrics once the first batch shows the labels' shapes. */
export function resolvePending(state: CompileState, yTrue: readonly Tensor[], yPred: readonly Tensor[]): void {
  const multi = state.outputNames.length > 1;
  for (const p of state.pending) {
    const metric = metrics.resolveMetric(p.identifier, yTrue[p.outputIndex].shape, yPred[p.outputIndex].shape, lossName(state.losses[p.outputIndex]));
    state.metrics.push(named(metric, state.outputNames[p.outputIndex], multi, p.weighted));
  }
  state.pending = [];
}
