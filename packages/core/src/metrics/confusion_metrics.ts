/**
 * Confusion-matrix metrics: true/false positive/negative counts, Precision and Recall (with
 * thresholds, topK and classId), as Keras's update_confusion_matrix_variables counts them: a
 * prediction is positive when it is strictly greater than the threshold, and a label is positive
 * when it is not 0.
 */
import { toFloat } from '../losses/loss.js';
import { squeezeOrExpandToSameRank } from '../losses/shapes.js';
import * as ops from '../ops/index.js';
import type { TensorLike } from '../ops/convert.js';
import { tidy } from '../runtime/tidy.js';
import type { Variable } from '../runtime/variable.js';
import { ones, tensor } from '../tensor/create.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Metric, checkMetricOptions, type MetricOptions } from './metric.js';

/** The value below every prediction, which top-k filtering gives the entries outside the top k. */
export const NEG_INF = -1e10;

export interface ConfusionOptions {
  topK?: number | null;
  classId?: number | null;
  sampleWeight?: TensorLike | null;
  /** Count each label column separately (AUC's multiLabel): counts of shape (thresholds, labels). */
  multiLabel?: boolean;
  /** Per-label weights applied to the flattened data (not with multiLabel). */
  labelWeights?: readonly number[] | null;
}

export interface ConfusionCounts {
  tp: Tensor;
  fp: Tensor;
  tn: Tensor;
  fn: Tensor;
}

/** Keeps the k largest entries of the last axis (the first ones among ties, as top_k) and sets the rest to NEG_INF. */
export function filterTopK(x: Tensor, k: number): Tensor {
  const classes = x.shape[x.rank - 1];
  const xi = ops.expandDims(x, -1);
  const xj = ops.expandDims(x, -2);
  const before = tensor(Array.from({ length: classes * classes }, (_, n) => (n % classes < Math.floor(n / classes) ? 1 : 0)), [classes, classes], 'bool');
  const ahead = ops.logicalOr(ops.greater(xj, xi), ops.logicalAnd(ops.equal(xj, xi), before));
  const rank = ops.sum(ops.cast(ahead, 'int32'), { axis: -1 });
  return ops.where(ops.less(rank, k), x, NEG_INF);
}

/** The weighted counts of one batch at each threshold: shape (thresholds,), or (thresholds, labels) with multiLabel. */
export function confusionCounts(yTrue: TensorLike, yPred: TensorLike, thresholds: readonly number[], options: ConfusionOptions = {}): ConfusionCounts {
  let [p, t] = squeezeOrExpandToSameRank(toFloat(yPred, 'confusion matrix'), toFloat(yTrue, 'confusion matrix'));
  let sw: Tensor | null = null;
  if (options.sampleWeight !== null && options.sampleWeight !== undefined) {
    [, sw] = squeezeOrExpandToSameRank(t, ops.expandDims(toFloat(options.sampleWeight, 'sampleWeight'), -1), false);
  }
  if (options.topK !== null && options.topK !== undefined) p = filterTopK(p, options.topK);
  if (options.classId !== null && options.classId !== undefined) {
    if (p.rank < 2) {
      throw new Error(`classId ${options.classId} needs predictions of shape (num_samples, num_classes), got ${formatShape(p.shape)}. Fix: drop classId for single-output models.`);
    }
    const pick = (x: Tensor): Tensor => ops.slice(x, x.shape.map((_, i) => (i === x.rank - 1 ? (options.classId as number) : 0)), x.shape.map((d, i) => (i === x.rank - 1 ? 1 : d)));
    t = pick(t);
    p = pick(p);
  }
  const labels = ops.cast(ops.notEqual(t, 0), 'float32');
  let weights = sw !== null ? ops.broadcastTo(sw, p.shape) : ones(p.shape);
  if (options.labelWeights && !options.multiLabel) weights = ops.multiply(weights, ops.broadcastTo(tensor([...options.labelWeights]), p.shape));
  const thr = tensor([...thresholds]);
  let predicted: Tensor;
  let lab: Tensor;
  let w: Tensor;
  if (options.multiLabel) {
    if (p.rank !== 2) throw new Error(`multiLabel expects predictions of shape (num_samples, num_labels), got ${formatShape(p.shape)}.`);
    predicted = ops.cast(ops.greater(ops.expandDims(p, 0), ops.reshape(thr, [thresholds.length, 1, 1])), 'float32');
    lab = ops.expandDims(labels, 0);
    w = ops.expandDims(weights, 0);
  } else {
    predicted = ops.cast(ops.greater(ops.reshape(p, [1, -1]), ops.reshape(thr, [thresholds.length, 1])), 'float32');
    lab = ops.reshape(labels, [1, -1]);
    w = ops.reshape(weights, [1, -1]);
  }
  const notPredicted = ops.subtract(1, predicted);
  const positives = ops.multiply(lab, w);
  const negatives = ops.multiply(ops.subtract(1, lab), w);
  const count = (a: Tensor, b: Tensor): Tensor => ops.sum(ops.multiply(a, b), { axis: 1 });
  return { tp: count(predicted, positives), fp: count(predicted, negatives), tn: count(notPredicted, negatives), fn: count(notPredicted, positives) };
}

/** Thresholds as Keras parses them: a number or a list, each in [0, 1]; `fallback` when none is given. */
export function parseThresholds(thresholds: number | readonly number[] | null | undefined, fallback: number, where: string): number[] {
  if (thresholds === null || thresholds === undefined) return [fallback];
  const list = typeof thresholds === 'number' ? [thresholds] : [...thresholds];
  const bad = list.filter((t) => typeof t !== 'number' || !(t >= 0 && t <= 1));
  if (bad.length > 0 || list.length === 0) {
    throw new RangeError(`${where}: threshold values must be in [0, 1], got ${JSON.stringify(thresholds)}. Fix: use values such as 0.5 (or apply a sigmoid to logits first).`);
  }
  return list;
}

const read = (v: Variable): number[] => Array.from(v.dataSync());
const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const oneOrMany = (values: number[]): number | number[] => (values.length === 1 ? values[0] : values);

type Condition = 'tp' | 'fp' | 'tn' | 'fn';

export interface ConditionCountOptions extends MetricOptions {
  thresholds?: number | readonly number[] | null;
}

/** The weighted count of one confusion-matrix condition at each threshold. */
abstract class ConfusionMatrixConditionCount extends Metric {
  readonly thresholds: number[];
  private readonly initThresholds: number | readonly number[] | null;
  private readonly accumulator: Variable;

  constructor(private readonly condition: Condition, options: ConditionCountOptions) {
    checkMetricOptions(options, ['thresholds'], new.target.className);
    super(options);
    this.initThresholds = options.thresholds ?? null;
    this.thresholds = parseThresholds(options.thresholds, 0.5, this.className);
    this.accumulator = this.addVariable([this.thresholds.length], 'accumulator');
  }

  updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    tidy(() => this.accumulate(this.accumulator, confusionCounts(yTrue, yPred, this.thresholds, { sampleWeight })[this.condition]));
  }

  result(): number | number[] {
    return oneOrMany(read(this.accumulator));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), thresholds: this.initThresholds };
  }
}

export class TruePositives extends ConfusionMatrixConditionCount {
  static override readonly className: string = 'TruePositives';
  constructor(options: ConditionCountOptions = {}) {
    super('tp', options);
  }
}

export class FalsePositives extends ConfusionMatrixConditionCount {
  static override readonly className: string = 'FalsePositives';
  constructor(options: ConditionCountOptions = {}) {
    super('fp', options);
  }
}

export class TrueNegatives extends ConfusionMatrixConditionCount {
  static override readonly className: string = 'TrueNegatives';
  constructor(options: ConditionCountOptions = {}) {
    super('tn', options);
  }
}

export class FalseNegatives extends ConfusionMatrixConditionCount {
  static override readonly className: string = 'FalseNegatives';
  constructor(options: ConditionCountOptions = {}) {
    super('fn', options);
  }
}

export interface PrecisionRecallOptions extends MetricOptions {
  /** Predictions above a threshold count as positive; 0.5 by default (or none with topK). One result per threshold. */
  thresholds?: number | readonly number[] | null;
  /** Only the k largest predictions of each row count as positive. */
  topK?: number | null;
  /** Only this class (a column of the predictions) counts. */
  classId?: number | null;
}

/** What Precision and Recall share: true positives and one other count per threshold. */
abstract class PrecisionRecallBase extends Metric {
  readonly thresholds: number[];
  readonly topK: number | null;
  readonly classId: number | null;
  private readonly initThresholds: number | readonly number[] | null;
  protected readonly truePositives: Variable;
  protected readonly other: Variable;

  constructor(private readonly otherCondition: 'fp' | 'fn', options: PrecisionRecallOptions, where: string) {
    checkMetricOptions(options, ['thresholds', 'topK', 'classId'], where);
    super(options);
    this.initThresholds = options.thresholds ?? null;
    this.topK = options.topK ?? null;
    this.classId = options.classId ?? null;
    this.thresholds = parseThresholds(options.thresholds, this.topK === null ? 0.5 : NEG_INF, where);
    this.truePositives = this.addVariable([this.thresholds.length], 'true_positives');
    this.other = this.addVariable([this.thresholds.length], otherCondition === 'fp' ? 'false_positives' : 'false_negatives');
  }

  updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    tidy(() => {
      const counts = confusionCounts(yTrue, yPred, this.thresholds, { sampleWeight, topK: this.topK, classId: this.classId });
      this.accumulate(this.truePositives, counts.tp);
      this.accumulate(this.other, counts[this.otherCondition]);
    });
  }

  /** tp / (tp + other) per threshold, 0 where nothing was counted. */
  result(): number | number[] {
    const tp = read(this.truePositives);
    const other = read(this.other);
    return oneOrMany(tp.map((v, i) => ratio(v, v + other[i])));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), thresholds: this.initThresholds, top_k: this.topK, class_id: this.classId };
  }
}

/** tp / (tp + fp): how many of the predicted positives are positive. */
export class Precision extends PrecisionRecallBase {
  static override readonly className: string = 'Precision';
  constructor(options: PrecisionRecallOptions = {}) {
    super('fp', options, 'Precision');
  }
}

/** tp / (tp + fn): how many of the positives are predicted positive. */
export class Recall extends PrecisionRecallBase {
  static override readonly className: string = 'Recall';
  constructor(options: PrecisionRecallOptions = {}) {
    super('fn', options, 'Recall');
  }
}
