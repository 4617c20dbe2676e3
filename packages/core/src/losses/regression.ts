/**
 * Regression losses (mean squared / absolute / absolute percentage / squared logarithmic error,
 * Huber, log-cosh, cosine similarity), each averaged over the last axis as Keras 3 defines them.
 */
import { config } from '../backend/config.js';
import * as ops from '../ops/index.js';
import type { TensorLike } from '../ops/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { BuiltinLoss, builtinOptions, toFloat, type LossOptions } from './loss.js';
import { checkLabelShapes, squeezeOrExpandToSameRank } from './shapes.js';

/** Labels and predictions as float32 at the same rank, after checking that they broadcast. */
export function prepareElementwise(name: string, yTrue: TensorLike, yPred: TensorLike): [Tensor, Tensor] {
  const p = toFloat(yPred, name);
  const t = toFloat(yTrue, name);
  checkLabelShapes('elementwise', name, t.shape, p.shape);
  return squeezeOrExpandToSameRank(t, p);
}

const lastAxisMean = (x: Tensor): Tensor => ops.mean(x, { axis: -1 });

/** mean(square(yTrue - yPred), -1). */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = prepareElementwise('mean_squared_error', yTrue, yPred);
  return lastAxisMean(ops.square(ops.subtract(t, p)));
}

/** mean(abs(yTrue - yPred), -1). */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = prepareElementwise('mean_absolute_error', yTrue, yPred);
  return lastAxisMean(ops.abs(ops.subtract(t, p)));
}

/** 100 * mean(abs((yTrue - yPred) / max(abs(yTrue), epsilon)), -1). */
export function meanAbsolutePercentageError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = prepareElementwise('mean_absolute_percentage_error', yTrue, yPred);
  const diff = ops.abs(ops.divide(ops.subtract(t, p), ops.maximum(ops.abs(t), config.epsilon())));
  return ops.multiply(lastAxisMean(diff), 100);
}

/** mean(square(log(max(yPred, eps) + 1) - log(max(yTrue, eps) + 1)), -1). */
export function meanSquaredLogarithmicError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = prepareElementwise('mean_squared_logarithmic_error', yTrue, yPred);
  const eps = config.epsilon();
  const first = ops.log(ops.add(ops.maximum(p, eps), 1));
  const second = ops.log(ops.add(ops.maximum(t, eps), 1));
  return lastAxisMean(ops.square(ops.subtract(first, second)));
}

/** Huber: 0.5 e² where |e| <= delta, else delta (|e| - delta / 2), averaged over the last axis. */
export function huber(yTrue: TensorLike, yPred: TensorLike, options: { delta?: number } = {}): Tensor {
  const [t, p] = prepareElementwise('huber', yTrue, yPred);
  const delta = options.delta ?? 1;
  const error = ops.subtract(p, t);
  const absError = ops.abs(error);
  const quadratic = ops.multiply(ops.square(error), 0.5);
  const linear = ops.subtract(ops.multiply(absError, delta), 0.5 * delta * delta);
  return lastAxisMean(ops.where(ops.lessEqual(absError, delta), quadratic, linear));
}

/** mean(log(cosh(yPred - yTrue)), -1), computed as x + softplus(-2x) - log 2 so large errors do not overflow. */
export function logCosh(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = prepareElementwise('log_cosh', yTrue, yPred);
  const x = ops.subtract(p, t);
  return lastAxisMean(ops.subtract(ops.add(x, ops.softplus(ops.multiply(x, -2))), Math.LN2));
}

/** x / ||x|| along `axis`, as Keras's normalize: x * min(1/||x||, 1/epsilon), written so zero vectors have finite gradients. */
export function l2Normalize(x: Tensor, axis: number): Tensor {
  const eps = config.epsilon();
  const squareSum = ops.sum(ops.square(x), { axis, keepdims: true });
  return ops.multiply(x, ops.rsqrt(ops.maximum(squareSum, eps * eps)));
}

/** -sum(l2_normalize(yTrue) * l2_normalize(yPred), axis): -1 for the same direction, 0 for orthogonal or zero vectors. */
export function cosineSimilarity(yTrue: TensorLike, yPred: TensorLike, options: { axis?: number } = {}): Tensor {
  const [t, p] = prepareElementwise('cosine_similarity', yTrue, yPred);
  const axis = options.axis ?? -1;
  return ops.negative(ops.sum(ops.multiply(l2Normalize(t, axis), l2Normalize(p, axis)), { axis }));
}

export class MeanSquaredError extends BuiltinLoss {
  static override readonly className: string = 'MeanSquaredError';
  constructor(options: LossOptions = {}) {
    super(meanSquaredError, builtinOptions(options, 'mean_squared_error', 'mean_squared_error', 'MeanSquaredError'));
  }
}

export class MeanAbsoluteError extends BuiltinLoss {
  static override readonly className: string = 'MeanAbsoluteError';
  constructor(options: LossOptions = {}) {
    super(meanAbsoluteError, builtinOptions(options, 'mean_absolute_error', 'mean_absolute_error', 'MeanAbsoluteError'));
  }
}

export class MeanAbsolutePercentageError extends BuiltinLoss {
  static override readonly className: string = 'MeanAbsolutePercentageError';
  constructor(options: LossOptions = {}) {
    super(meanAbsolutePercentageError, builtinOptions(options, 'mean_absolute_percentage_error', 'mean_absolute_percentage_error', 'MeanAbsolutePercentageError'));
  }
}

export class MeanSquaredLogarithmicError extends BuiltinLoss {
  static override readonly className: string = 'MeanSquaredLogarithmicError';
  constructor(options: LossOptions = {}) {
    super(meanSquaredLogarithmicError, builtinOptions(options, 'mean_squared_logarithmic_error', 'mean_squared_logarithmic_error', 'MeanSquaredLogarithmicError'));
  }
}

export class Huber extends BuiltinLoss<{ delta?: number }> {
  static override readonly className: string = 'Huber';
  readonly delta: number;
  constructor(options: { delta?: number } & LossOptions = {}) {
    const delta = options.delta ?? 1;
    super(huber, builtinOptions(options, 'huber_loss', 'huber', 'Huber', ['delta']), { delta });
    this.delta = delta;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), delta: this.delta };
  }
}

export class LogCosh extends BuiltinLoss {
  static override readonly className: string = 'LogCosh';
  constructor(options: LossOptions = {}) {
    super(logCosh, builtinOptions(options, 'log_cosh', 'log_cosh', 'LogCosh'));
  }
}

export class CosineSimilarity extends BuiltinLoss<{ axis?: number }> {
  static override readonly className: string = 'CosineSimilarity';
  readonly axis: number;
  constructor(options: { axis?: number } & LossOptions = {}) {
    const axis = options.axis ?? -1;
    super(cosineSimilarity, builtinOptions(options, 'cosine_similarity', 'cosine_similarity', 'CosineSimilarity', ['axis']), { axis });
    this.axis = axis;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
