/**
 * Metrics by identifier (keras.metrics.get / serialize / deserialize), and the two helpers
 * `compile` needs: `resolveMetric`, which names a metric by the string it was given (as Keras's
 * logs show it), and `resolveAccuracy`, which turns 'accuracy' / 'acc' into the binary,
 * categorical or sparse categorical accuracy that fits the data, as Keras 3's compile_utils does.
 */
import { get as getLoss, lossFunctionName, LOSS_NAMES, type LossIdentifier } from '../losses/registry.js';
import { LossFunctionWrapper } from '../losses/loss.js';
import type { SymbolicShape } from '../tensor/shape.js';
import {
  Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy,
  accuracy, binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, sparseTopKCategoricalAccuracy, topKCategoricalAccuracy,
} from './accuracy_metrics.js';
import { AUC } from './auc.js';
import { FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives, TruePositives } from './confusion_metrics.js';
import { F1Score, FBetaScore } from './f_score_metrics.js';
import { BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge, Hinge, KLDivergence, Poisson, SparseCategoricalCrossentropy, SquaredHinge } from './loss_metrics.js';
import { Metric, toSnakeCase } from './metric.js';
import { Mean, MeanMetricWrapper, Sum, type MetricFunction } from './reduction_metrics.js';
import {
  CosineSimilarity, LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError, MeanSquaredLogarithmicError, R2Score, RootMeanSquaredError,
} from './regression_metrics.js';

type MetricClass = (new (options?: Record<string, unknown>) => Metric) & { readonly className: string; fromConfig(config?: Record<string, unknown>): Metric };

const CLASSES = [
  Mean, Sum, MeanSquaredError, RootMeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, CosineSimilarity, LogCoshError, R2Score,
  AUC, FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives, TruePositives, Hinge, SquaredHinge, CategoricalHinge,
  KLDivergence, Poisson, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
  Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy, F1Score, FBetaScore,
] as unknown as readonly MetricClass[];

const camel = (name: string): string => name[0].toLowerCase() + name.slice(1);
const camelOfSnake = (snake: string): string => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Class names, their snake_case (Keras's ALL_OBJECTS_DICT) and camelCase, and Keras's aliases. */
const BY_NAME = new Map<string, MetricClass>();
for (const cls of CLASSES) {
  BY_NAME.set(cls.className, cls);
  BY_NAME.set(toSnakeCase(cls.className), cls);
  BY_NAME.set(camelOfSnake(toSnakeCase(cls.className)), cls);
  BY_NAME.set(camel(cls.className), cls);
}
const ALIASES: Record<string, MetricClass> = {
  bce: BinaryCrossentropy, BCE: BinaryCrossentropy, mse: MeanSquaredError, MSE: MeanSquaredError, mae: MeanAbsoluteError, MAE: MeanAbsoluteError,
  mape: MeanAbsolutePercentageError, MAPE: MeanAbsolutePercentageError, msle: MeanSquaredLogarithmicError, MSLE: MeanSquaredLogarithmicError,
  acc: Accuracy, kld: KLDivergence, KLD: KLDivergence, logcosh: LogCoshError, log_cosh: LogCoshError, rmse: RootMeanSquaredError,
};
for (const [alias, cls] of Object.entries(ALIASES)) BY_NAME.set(alias, cls as unknown as MetricClass);

/** The per-sample metric functions, by the class that averages them. */
const FUNCTIONS = new Map<unknown, MetricClass>([
  [accuracy, Accuracy], [binaryAccuracy, BinaryAccuracy], [categoricalAccuracy, CategoricalAccuracy], [sparseCategoricalAccuracy, SparseCategoricalAccuracy],
  [topKCategoricalAccuracy, TopKCategoricalAccuracy], [sparseTopKCategoricalAccuracy, SparseTopKCategoricalAccuracy],
] as [unknown, MetricClass][]);

/** The snake_case names error messages list. */
export const METRIC_NAMES: readonly string[] = [...new Set(CLASSES.map((c) => toSnakeCase(c.className)))];

export type MetricIdentifier =
  | string
  | Metric
  | MetricFunction<never>
  | (abstract new (...args: never[]) => Metric)
  | { class_name: string; config?: Record<string, unknown>; module?: string | null; registered_name?: string | null }
  | { className: string; config?: Record<string, unknown> };

function fromLossName(name: string): Metric | undefined {
  // Every loss is also a metric: the mean of its per-sample values (e.g. 'huber', 'binary_focal_crossentropy').
  try {
    const loss = getLoss(name as LossIdentifier);
    if (loss instanceof LossFunctionWrapper) return new MeanMetricWrapper(loss.fn as MetricFunction<unknown>, { name }, loss.fnOptions);
  } catch {
    return undefined;
  }
  return undefined;
}

function byName(name: string, config?: Record<string, unknown>): Metric {
  const cls = BY_NAME.get(name);
  if (cls) return name === 'acc' && config === undefined ? new cls({ name: 'acc' }) : cls.fromConfig(config ?? {});
  const fromLoss = config === undefined ? fromLossName(name) : undefined;
  if (fromLoss) return fromLoss;
  const loose = (s: string): string => s.replace(/_/g, '').toLowerCase();
  const near = [...BY_NAME.keys()].find((k) => loose(k) === loose(name));
  throw new Error(
    `metrics.get: unknown metric ${JSON.stringify(name)}${near ? ` (did you mean '${near}'?)` : ''}. ` +
      `Expected one of ${METRIC_NAMES.map((n) => `'${n}'`).join(', ')}, an alias ('acc', 'mse', 'mae', 'mape', 'msle', 'bce', 'kld', 'rmse'), ` +
      `a loss name (${LOSS_NAMES.map((n) => `'${n}'`).join(', ')}), a class name such as 'AUC', or camelCase such as 'sparseCategoricalAccuracy'. ` +
      `Fix: use one of those names, or pass a Metric instance or a function (yTrue, yPred) => per-sample values.`,
  );
}

/**
 * A Metric from an identifier; `null`/`undefined` give null. A class or name gives a new instance
 * with the class's default name ('mse' gives MeanSquaredError named 'mean_squared_error', as Keras's
 * get); `resolveMetric` names it by the string instead, as compile does.
 */
export function get(identifier: MetricIdentifier): Metric;
export function get(identifier: MetricIdentifier | null | undefined): Metric | null;
export function get(identifier: MetricIdentifier | null | undefined): Metric | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier === 'string') return byName(identifier);
  if (typeof identifier === 'function') {
    if (identifier.prototype instanceof Metric) return new (identifier as unknown as new () => Metric)();
    const cls = FUNCTIONS.get(identifier);
    if (cls) return new cls();
    const lossName = lossFunctionName(identifier);
    return new MeanMetricWrapper(identifier as MetricFunction<never>, { name: lossName ?? (identifier.name ? toSnakeCase(identifier.name) : 'mean_metric_wrapper') });
  }
  if (typeof identifier === 'object') {
    const name = 'class_name' in identifier ? identifier.class_name : 'className' in identifier ? identifier.className : undefined;
    const config = identifier.config;
    if (name === 'MeanMetricWrapper' && config && typeof config.fn === 'string') {
      const inner = byName(config.fn);
      if (inner instanceof MeanMetricWrapper) return new MeanMetricWrapper(inner.fn, { name: (config.name as string | undefined) ?? config.fn });
    }
    if (typeof name === 'string' && (config === undefined || (typeof config === 'object' && config !== null && !Array.isArray(config)))) return byName(name, config ?? {});
  }
  const shown = typeof identifier === 'object' ? JSON.stringify(identifier) : String(identifier);
  throw new TypeError(`metrics.get: could not interpret metric identifier ${shown}. Expected a name such as 'accuracy', { class_name, config }, a Metric subclass, an instance, or a function.`);
}

/** Keras 3's serialized form: `{ module, class_name, config, registered_name }`. */
export function serialize(metric: Metric): { module: string | null; class_name: string; config: Record<string, unknown>; registered_name: string | null } {
  if (!(metric instanceof Metric)) throw new TypeError(`metrics.serialize: expected a Metric, got ${typeof metric}. Fix: pass e.g. metrics.get('auc').`);
  const builtin = BY_NAME.get(metric.className) === metric.constructor || metric.constructor === MeanMetricWrapper;
  return { module: builtin ? 'keras.metrics' : null, class_name: metric.className, config: metric.getConfig(), registered_name: builtin ? null : metric.className };
}

/** The inverse of `serialize` (also accepts anything `get` does). */
export function deserialize(config: MetricIdentifier): Metric {
  return get(config);
}

const last = (shape: SymbolicShape): number | null | undefined => shape[shape.length - 1];

/**
 * The accuracy metric that 'accuracy' / 'acc' stands for, as Keras 3's compile_utils decides it
 * from the shapes: BinaryAccuracy when the predictions have one column, SparseCategoricalAccuracy
 * when the labels have fewer axes than the predictions (or one column against several), else
 * CategoricalAccuracy. The loss decides only where the shapes cannot (an unknown last size).
 * The metric is named `name` ('accuracy' or 'acc'), as the logs show it.
 */
export function resolveAccuracy(lossName: string | null | undefined, yTrueShape: SymbolicShape, yPredShape: SymbolicShape, name = 'accuracy'): Metric {
  const trueLast = last(yTrueShape);
  const predLast = last(yPredShape);
  let kind: 'binary' | 'sparse' | 'categorical';
  if (predLast === 1) kind = 'binary';
  else if (yTrueShape.length < yPredShape.length || (trueLast === 1 && predLast !== null && predLast !== undefined && predLast > 1)) kind = 'sparse';
  else if (predLast === null || trueLast === null) {
    const loss = lossName ?? '';
    kind = /binary/i.test(loss) || loss === 'bce' ? 'binary' : /sparse/i.test(loss) ? 'sparse' : 'categorical';
  } else kind = 'categorical';
  if (kind === 'binary') return new BinaryAccuracy({ name });
  if (kind === 'sparse') return new SparseCategoricalAccuracy({ name });
  return new CategoricalAccuracy({ name });
}

/**
 * A metric for `compile({ metrics })`, as Keras 3's compile_utils.get_metric: 'accuracy' / 'acc'
 * resolve by shape (`resolveAccuracy`), and a metric given by a string is named by that string
 * (so `metrics: ['mae']` logs 'mae'), anything else keeps its own name.
 */
export function resolveMetric(identifier: MetricIdentifier, yTrueShape: SymbolicShape, yPredShape: SymbolicShape, lossName?: string | null): Metric {
  if (typeof identifier === 'string' && ['accuracy', 'acc'].includes(identifier.toLowerCase())) return resolveAccuracy(lossName, yTrueShape, yPredShape, identifier);
  const metric = get(identifier);
  if (typeof identifier === 'string') metric.name = identifier;
  return metric;
}
