/**
 * Cross-entropy losses with Keras 3's formulas: from probabilities the predictions are clipped to
 * [epsilon, 1 - epsilon] (after normalising by their sum for the categorical ones); from logits
 * the stable forms (softplus, log-softmax) are used, so large logits never overflow.
 */
import { config } from '../backend/config.js';
import * as ops from '../ops/index.js';
import { toTensor, type TensorLike } from '../ops/convert.js';
import { checkOptions } from '../initializers/initializer.js';
import { formatShape, normalizeAxis, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { LossFunctionWrapper, toFloat, type LossOptions, type MaskedValues } from './loss.js';
import { checkLabelShapes, squeezeOrExpandToSameRank } from './shapes.js';

export interface BinaryCrossentropyOptions {
  /** Whether yPred holds logits rather than probabilities. */
  fromLogits?: boolean;
  /** In [0, 1]: labels are squeezed towards 0.5 (t * (1 - s) + s / 2). */
  labelSmoothing?: number;
  /** The axis the elementwise losses are averaged over. */
  axis?: number;
}

export interface CategoricalCrossentropyOptions {
  fromLogits?: boolean;
  /** In [0, 1]: labels become t * (1 - s) + s / numClasses. */
  labelSmoothing?: number;
  /** The class axis. */
  axis?: number;
}

export interface SparseCategoricalCrossentropyOptions {
  fromLogits?: boolean;
  /** A label value whose examples count for nothing (e.g. a 'void' class of -1 or 255). */
  ignoreClass?: number | null;
  /** The class axis of yPred. */
  axis?: number;
}

export interface BinaryFocalCrossentropyOptions extends BinaryCrossentropyOptions {
  /** Weight class 1 by alpha and class 0 by 1 - alpha. */
  applyClassBalancing?: boolean;
  alpha?: number;
  /** The focusing exponent of (1 - p_t); 0 gives binary crossentropy. */
  gamma?: number;
}

const warned = new Set<string>();
/** Warns once per message, as Python's warnings do, so a training loop does not repeat it every step. */
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(`keras-ts: ${message}`);
}

/** Labels and predictions as float32, brought to the same rank, with the family's shape check. */
function prepare(name: string, family: 'binary' | 'categorical', yTrue: TensorLike, yPred: TensorLike): [Tensor, Tensor] {
  const p = toFloat(yPred, name);
  const t = toFloat(yTrue, name);
  checkLabelShapes(family, name, t.shape, p.shape);
  return squeezeOrExpandToSameRank(t, p);
}

/** Elementwise -(t log p + (1 - t) log(1 - p)) of Keras's backend binary_crossentropy. */
function binaryElementwise(t: Tensor, p: Tensor, fromLogits: boolean): Tensor {
  if (fromLogits) {
    // -t log σ(z) - (1 - t) log(1 - σ(z)) = softplus(z) - t z, exact for any z.
    return ops.subtract(ops.softplus(p), ops.multiply(t, p));
  }
  const eps = config.epsilon();
  const q = ops.clip(p, eps, 1 - eps);
  return ops.negative(ops.add(ops.multiply(t, ops.log(q)), ops.multiply(ops.subtract(1, t), ops.log(ops.subtract(1, q)))));
}

const smoothBinary = (t: Tensor, s: number): Tensor => (s ? ops.add(ops.multiply(t, 1 - s), 0.5 * s) : t);

/** Per-sample binary crossentropy: the elementwise losses averaged over `axis` (shape yPred.shape without it). */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: BinaryCrossentropyOptions = {}): Tensor {
  const [t, p] = prepare('binary_crossentropy', 'binary', yTrue, yPred);
  const elementwise = binaryElementwise(smoothBinary(t, options.labelSmoothing ?? 0), p, options.fromLogits ?? false);
  return ops.mean(elementwise, { axis: options.axis ?? -1 });
}

/** Per-sample binary focal crossentropy (Lin et al., 2018), as keras.losses.binary_focal_crossentropy. */
export function binaryFocalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: BinaryFocalCrossentropyOptions = {}): Tensor {
  let [t, p] = prepare('binary_focal_crossentropy', 'binary', yTrue, yPred);
  t = smoothBinary(t, options.labelSmoothing ?? 0);
  if (options.fromLogits) p = ops.sigmoid(p);
  const bce = binaryElementwise(t, p, false);
  const pT = ops.add(ops.multiply(t, p), ops.multiply(ops.subtract(1, t), ops.subtract(1, p)));
  let focal = ops.multiply(ops.power(ops.subtract(1, pT), options.gamma ?? 2), bce);
  if (options.applyClassBalancing) {
    const alpha = options.alpha ?? 0.25;
    focal = ops.multiply(ops.add(ops.multiply(t, alpha), ops.multiply(ops.subtract(1, t), 1 - alpha)), focal);
  }
  return ops.mean(focal, { axis: options.axis ?? -1 });
}

/** -sum(t log q) over `axis`, q the softmax of logits or the clipped, sum-normalised probabilities. */
function crossentropyOverAxis(t: Tensor, p: Tensor, fromLogits: boolean, axis: number): Tensor {
  if (fromLogits) {
    if (axis === p.rank - 1) return ops.softmaxCrossEntropy(p, t);
    return ops.negative(ops.sum(ops.multiply(t, ops.logSoftmax(p, { axis })), { axis }));
  }
  const eps = config.epsilon();
  const q = ops.clip(ops.divide(p, ops.sum(p, { axis, keepdims: true })), eps, 1 - eps);
  return ops.negative(ops.sum(ops.multiply(t, ops.log(q)), { axis }));
}

function classAxis(p: Tensor, axis: number | undefined, name: string): number {
  if (p.rank < 1) {
    throw new Error(`${name}: predictions (y_pred) must have a class axis, got shape ${formatShape(p.shape)}. Expected (batch, num_classes). Fix: end the model with one unit per class.`);
  }
  return normalizeAxis(axis ?? -1, p.rank, name);
}

/** Per-sample categorical crossentropy over one-hot (or soft) labels shaped like yPred. */
export function categoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: CategoricalCrossentropyOptions = {}): Tensor {
  const [labels, p] = prepare('categorical_crossentropy', 'categorical', yTrue, yPred);
  const axis = classAxis(p, options.axis, 'categorical_crossentropy');
  if (p.shape[axis] === 1) {
    warnOnce(
      `categorical_crossentropy: the predictions have a single class (shape ${formatShape(p.shape)}), so this loss is always 0 and nothing is learned. ` +
        `Expected (batch, num_classes) with num_classes > 1. Fix: for two classes use 'binary_crossentropy' with a sigmoid output.`,
    );
  }
  const s = options.labelSmoothing ?? 0;
  const t = s ? ops.add(ops.multiply(labels, 1 - s), s / labels.shape[labels.rank - 1]) : labels;
  return crossentropyOverAxis(t, p, options.fromLogits ?? false, axis);
}

/** Sparse categorical crossentropy with its mask: entries labelled `ignoreClass` are 0 and masked out. */
export function sparseCategoricalCrossentropyMasked(yTrue: TensorLike, yPred: TensorLike, options: SparseCategoricalCrossentropyOptions = {}): MaskedValues {
  const name = 'sparse_categorical_crossentropy';
  const p = toFloat(yPred, name);
  let labels = toTensor(yTrue, name);
  const axis = classAxis(p, options.axis, name);
  if (axis === p.rank - 1) checkLabelShapes('sparse', name, labels.shape, p.shape);
  if (labels.rank === p.rank && labels.shape[labels.rank - 1] === 1) labels = ops.squeeze(labels, { axis: -1 });
  const expected = p.shape.filter((_, i) => i !== axis);
  if (!shapesEqual(labels.shape, expected)) {
    throw new Error(`${name}: labels (y_true) of shape ${formatShape(labels.shape)} do not fit predictions (y_pred) of shape ${formatShape(p.shape)} with the class axis ${axis}. Expected integer labels of shape ${formatShape(expected)}.`);
  }
  let valid: Tensor | null = null;
  if (options.ignoreClass !== null && options.ignoreClass !== undefined) {
    valid = ops.notEqual(labels, options.ignoreClass);
    // Ignored entries get class 0 so that the one-hot stays valid; their loss is replaced by 0 below.
    labels = ops.where(valid, labels, 0);
  }
  const oneHot = ops.oneHot(labels, p.shape[axis], { axis });
  let values = crossentropyOverAxis(oneHot, p, options.fromLogits ?? false, axis);
  if (valid !== null) values = ops.where(valid, values, 0);
  return { values, mask: valid };
}

/** Per-sample categorical crossentropy from integer class labels of shape yPred.shape[:-1] (or with a trailing 1). */
export function sparseCategoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: SparseCategoricalCrossentropyOptions = {}): Tensor {
  return sparseCategoricalCrossentropyMasked(yTrue, yPred, options).values;
}

const LOSS_KEYS = ['name', 'reduction', 'dtype'];

export class BinaryCrossentropy extends LossFunctionWrapper<BinaryCrossentropyOptions> {
  static override readonly className: string = 'BinaryCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  constructor(options: BinaryCrossentropyOptions & LossOptions = {}) {
    checkOptions(options, [...LOSS_KEYS, 'fromLogits', 'labelSmoothing', 'axis'], 'BinaryCrossentropy');
    const fnOptions = { fromLogits: options.fromLogits ?? false, labelSmoothing: options.labelSmoothing ?? 0, axis: options.axis ?? -1 };
    super(binaryCrossentropy, { name: options.name ?? 'binary_crossentropy', reduction: options.reduction, dtype: options.dtype, family: 'binary', fnName: 'binary_crossentropy' }, fnOptions);
    ({ fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis } = fnOptions);
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction, from_logits: this.fromLogits, label_smoothing: this.labelSmoothing, axis: this.axis };
  }
}

export class BinaryFocalCrossentropy extends LossFunctionWrapper<BinaryFocalCrossentropyOptions> {
  static override readonly className: string = 'BinaryFocalCrossentropy';
  readonly applyClassBalancing: boolean;
  readonly alpha: number;
  readonly gamma: number;
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  constructor(options: BinaryFocalCrossentropyOptions & LossOptions = {}) {
    checkOptions(options, [...LOSS_KEYS, 'applyClassBalancing', 'alpha', 'gamma', 'fromLogits', 'labelSmoothing', 'axis'], 'BinaryFocalCrossentropy');
    const fnOptions = {
      applyClassBalancing: options.applyClassBalancing ?? false, alpha: options.alpha ?? 0.25, gamma: options.gamma ?? 2,
      fromLogits: options.fromLogits ?? false, labelSmoothing: options.labelSmoothing ?? 0, axis: options.axis ?? -1,
    };
    super(binaryFocalCrossentropy, { name: options.name ?? 'binary_focal_crossentropy', reduction: options.reduction, dtype: options.dtype, family: 'binary', fnName: 'binary_focal_crossentropy' }, fnOptions);
    ({
      applyClassBalancing: this.applyClassBalancing, alpha: this.alpha, gamma: this.gamma,
      fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis,
    } = fnOptions);
  }

  override getConfig(): Record<string, unknown> {
    return {
      name: this.name, reduction: this.reduction, from_logits: this.fromLogits, label_smoothing: this.labelSmoothing, axis: this.axis,
      apply_class_balancing: this.applyClassBalancing, alpha: this.alpha, gamma: this.gamma,
    };
  }
}

export class CategoricalCrossentropy extends LossFunctionWrapper<CategoricalCrossentropyOptions> {
  static override readonly className: string = 'CategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  constructor(options: CategoricalCrossentropyOptions & LossOptions = {}) {
    checkOptions(options, [...LOSS_KEYS, 'fromLogits', 'labelSmoothing', 'axis'], 'CategoricalCrossentropy');
    const fnOptions = { fromLogits: options.fromLogits ?? false, labelSmoothing: options.labelSmoothing ?? 0, axis: options.axis ?? -1 };
    super(categoricalCrossentropy, { name: options.name ?? 'categorical_crossentropy', reduction: options.reduction, dtype: options.dtype, family: 'categorical', fnName: 'categorical_crossentropy' }, fnOptions);
    ({ fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis } = fnOptions);
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction, from_logits: this.fromLogits, label_smoothing: this.labelSmoothing, axis: this.axis };
  }
}

export class SparseCategoricalCrossentropy extends LossFunctionWrapper<SparseCategoricalCrossentropyOptions> {
  static override readonly className: string = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly ignoreClass: number | null;

  constructor(options: Omit<SparseCategoricalCrossentropyOptions, 'axis'> & LossOptions = {}) {
    checkOptions(options, [...LOSS_KEYS, 'fromLogits', 'ignoreClass'], 'SparseCategoricalCrossentropy');
    const fnOptions = { fromLogits: options.fromLogits ?? false, ignoreClass: options.ignoreClass ?? null };
    super(sparseCategoricalCrossentropy, { name: options.name ?? 'sparse_categorical_crossentropy', reduction: options.reduction, dtype: options.dtype, family: 'sparse', fnName: 'sparse_categorical_crossentropy' }, fnOptions);
    ({ fromLogits: this.fromLogits, ignoreClass: this.ignoreClass } = fnOptions);
  }

  override callMasked(yTrue: Tensor, yPred: Tensor): MaskedValues {
    const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
    return sparseCategoricalCrossentropyMasked(t, p, this.fnOptions);
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction, from_logits: this.fromLogits, ignore_class: this.ignoreClass };
  }
}
