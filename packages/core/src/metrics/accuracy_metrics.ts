/**
 * Accuracy metrics as Keras 3 defines them: per-sample match functions (accuracy, binary,
 * categorical, sparse categorical, top-k) and the Mean-based classes that average them.
 */
import { toFloat } from '../losses/loss.js';
import { squeezeOrExpandToSameRank } from '../losses/shapes.js';
import * as ops from '../ops/index.js';
import { toTensor, type TensorLike } from '../ops/convert.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkMetricOptions, type MetricOptions } from './metric.js';
import { MeanMetricWrapper } from './reduction_metrics.js';

const asFloat = (x: Tensor): Tensor => ops.cast(x, 'float32');

/** 1 where yPred equals yTrue, averaged over the last axis. */
export function accuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = squeezeOrExpandToSameRank(toFloat(yTrue, 'accuracy'), toFloat(yPred, 'accuracy'));
  return ops.mean(asFloat(ops.equal(t, p)), { axis: -1 });
}

/** 1 where (yPred > threshold) equals the 0/1 label, averaged over the last axis. */
export function binaryAccuracy(yTrue: TensorLike, yPred: TensorLike, options: { threshold?: number } = {}): Tensor {
  const [t, p] = squeezeOrExpandToSameRank(toFloat(yTrue, 'binary_accuracy'), toFloat(yPred, 'binary_accuracy'));
  const predicted = asFloat(ops.greater(p, options.threshold ?? 0.5));
  return ops.mean(asFloat(ops.equal(t, predicted)), { axis: -1 });
}

/** 1 where the argmax of the one-hot label equals the argmax of the prediction. */
export function categoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  let t = ops.argmax(toTensor(yTrue, 'categorical_accuracy'), { axis: -1 });
  const p = toTensor(yPred, 'categorical_accuracy');
  const labelShape = t.shape;
  const reshapeMatches = t.rank === p.rank;
  if (reshapeMatches) t = ops.squeeze(t, { axis: -1 });
  const matches = asFloat(ops.equal(t, ops.argmax(p, { axis: -1 })));
  return reshapeMatches ? ops.reshape(matches, labelShape) : matches;
}

/** 1 where the integer label equals the argmax of the prediction; labels may be (batch,) or (batch, 1). */
export function sparseCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  let t = toTensor(yTrue, 'sparse_categorical_accuracy');
  const p = toTensor(yPred, 'sparse_categorical_accuracy');
  const labelShape = t.shape;
  const reshapeMatches = t.rank === p.rank && t.shape[t.rank - 1] === 1;
  if (reshapeMatches) t = ops.squeeze(t, { axis: -1 });
  // The argmax is compared in the labels' dtype, so float labels holding integers match too.
  const predicted = ops.cast(ops.argmax(p, { axis: -1 }), t.dtype === 'bool' ? 'int32' : t.dtype);
  let matches = asFloat(ops.equal(t.dtype === 'bool' ? ops.cast(t, 'int32') : t, predicted));
  if (reshapeMatches) matches = ops.reshape(matches, labelShape);
  if (matches.rank > 1 && matches.shape[matches.rank - 1] === 1) matches = ops.squeeze(matches, { axis: -1 });
  return matches;
}

/**
 * Whether each target is among the k largest predictions of its row, as TensorFlow's in_top_k:
 * ties count in the target's favour, k above the number of classes is always true, and a target
 * that is out of range or whose prediction is not finite is false.
 */
export function inTopK(targets: TensorLike, predictions: TensorLike, k: number): Tensor {
  const p = toFloat(predictions, 'inTopK');
  const t = ops.cast(toTensor(targets, 'inTopK'), 'int32');
  if (p.rank < 1 || !shapesEqual(t.shape, p.shape.slice(0, -1))) {
    throw new Error(`inTopK: targets of shape ${formatShape(t.shape)} do not fit predictions of shape ${formatShape(p.shape)}. Expected targets of shape ${formatShape(p.shape.slice(0, -1))}: one class index per row.`);
  }
  const classes = p.shape[p.rank - 1];
  const hot = ops.oneHot(t, classes, { dtype: 'bool' });
  const targetValue = ops.sum(ops.where(hot, p, 0), { axis: -1 });
  const larger = ops.sum(ops.cast(ops.greater(p, ops.expandDims(targetValue, -1)), 'int32'), { axis: -1 });
  const inRange = ops.logicalAnd(ops.greaterEqual(t, 0), ops.less(t, classes));
  return ops.logicalAnd(ops.logicalAnd(inRange, ops.isfinite(targetValue)), ops.less(larger, k));
}

function topKMatches(labels: Tensor, yPred: Tensor, k: number): Tensor {
  let p = yPred;
  let t = labels;
  const labelShape = t.shape;
  if (p.rank > 2) p = ops.reshape(p, [-1, p.shape[p.rank - 1]]);
  const reshapeMatches = t.rank > 1;
  if (reshapeMatches) t = ops.reshape(t, [-1]);
  const matches = asFloat(inTopK(t, p, k));
  return reshapeMatches ? ops.reshape(matches, labelShape) : matches;
}

/** 1 where the class of the one-hot label is among the k largest predictions. */
export function topKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, options: { k?: number } = {}): Tensor {
  const labels = ops.argmax(toTensor(yTrue, 'top_k_categorical_accuracy'), { axis: -1 });
  return topKMatches(labels, toFloat(yPred, 'top_k_categorical_accuracy'), options.k ?? 5);
}

/** 1 where the integer label is among the k largest predictions. */
export function sparseTopKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, options: { k?: number } = {}): Tensor {
  return topKMatches(toTensor(yTrue, 'sparse_top_k_categorical_accuracy'), toFloat(yPred, 'sparse_top_k_categorical_accuracy'), options.k ?? 5);
}

/** How often predictions equal labels exactly. */
export class Accuracy extends MeanMetricWrapper {
  static override readonly className: string = 'Accuracy';
  constructor(options: MetricOptions = {}) {
    checkMetricOptions(options, [], 'Accuracy');
    super(accuracy, { ...options, name: options.name ?? 'accuracy' });
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: 'float32' };
  }
}

/** How often (prediction > threshold) matches 0/1 labels. */
export class BinaryAccuracy extends MeanMetricWrapper<{ threshold?: number }> {
  static override readonly className: string = 'BinaryAccuracy';
  readonly threshold: number;
  constructor(options: MetricOptions & { threshold?: number } = {}) {
    checkMetricOptions(options, ['threshold'], 'BinaryAccuracy');
    const threshold = options.threshold ?? 0.5;
    if (!(threshold > 0 && threshold < 1)) {
      throw new RangeError(`BinaryAccuracy: invalid threshold ${threshold}. Expected a value in the open interval (0, 1). Fix: use e.g. 0.5, or 0 with logits via a sigmoid first.`);
    }
    super(binaryAccuracy, { name: options.name ?? 'binary_accuracy', dtype: options.dtype }, { threshold });
    this.threshold = threshold;
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: 'float32', threshold: this.threshold };
  }
}

/** How often the argmax of the prediction matches the one-hot label. */
export class CategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'CategoricalAccuracy';
  constructor(options: MetricOptions = {}) {
    checkMetricOptions(options, [], 'CategoricalAccuracy');
    super(categoricalAccuracy, { ...options, name: options.name ?? 'categorical_accuracy' });
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: 'float32' };
  }
}

/** How often the argmax of the prediction matches the integer label. */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'SparseCategoricalAccuracy';
  constructor(options: MetricOptions = {}) {
    checkMetricOptions(options, [], 'SparseCategoricalAccuracy');
    super(sparseCategoricalAccuracy, { ...options, name: options.name ?? 'sparse_categorical_accuracy' });
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: 'float32' };
  }
}

function checkK(k: number, where: string): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`${where}: k must be a positive integer, got ${k}. Fix: use e.g. k: 5.`);
  return k;
}

/** How often the one-hot label's class is among the k largest predictions (k = 5 by default). */
export class TopKCategoricalAccuracy extends MeanMetricWrapper<{ k?: number }> {
  static override readonly className: string = 'TopKCategoricalAccuracy';
  readonly k: number;
  constructor(options: MetricOptions & { k?: number } = {}) {
    checkMetricOptions(options, ['k'], 'TopKCategoricalAccuracy');
    const k = checkK(options.k ?? 5, 'TopKCategoricalAccuracy');
    super(topKCategoricalAccuracy, { name: options.name ?? 'top_k_categorical_accuracy', dtype: options.dtype }, { k });
    this.k = k;
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: 'float32', k: this.k };
  }
}

/** How often the integer label is among the k largest predictions (k = 5 by default). */
export class SparseTopKCategoricalAccuracy extends MeanMetricWrapper<{ k?: number }> {
  static override readonly className: string = 'SparseTopKCategoricalAccuracy';
  readonly k: number;
  constructor(options: MetricOptions & { k?: number } = {}) {
    checkMetricOptions(options, ['k'], 'SparseTopKCategoricalAccuracy');
    const k = checkK(options.k ?? 5, 'SparseTopKCategoricalAccuracy');
    super(sparseTopKCategoricalAccuracy, { name: options.name ?? 'sparse_top_k_categorical_accuracy', dtype: options.dtype }, { k });
    this.k = k;
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: 'float32', k: this.k };
  }
}
