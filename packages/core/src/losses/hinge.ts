/**
 * Hinge losses (hinge, squared hinge, categorical hinge) for labels in {-1, 1}; 0/1 labels are
 * mapped to -1/1 first, as Keras does when every label is 0 or 1.
 */
import * as ops from '../ops/index.js';
import type { TensorLike } from '../ops/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { BuiltinLoss, builtinOptions, type LossOptions } from './loss.js';
import { prepareElementwise } from './regression.js';

/**
 * 2t - 1 when every label is 0 or 1, else the labels unchanged. Decided on the device (a scalar
 * `where`), so it costs no read-back and works inside a gradient.
 */
export function convertBinaryLabelsToHinge(t: Tensor): Tensor {
  const isBinary = ops.logicalOr(ops.equal(t, 0), ops.equal(t, 1));
  const allBinary = ops.greater(ops.min(ops.cast(isBinary, 'float32')), 0.5);
  return ops.where(allBinary, ops.subtract(ops.multiply(t, 2), 1), t);
}

function margins(name: string, yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = prepareElementwise(name, yTrue, yPred);
  return ops.maximum(ops.subtract(1, ops.multiply(convertBinaryLabelsToHinge(t), p)), 0);
}

/** mean(max(1 - yTrue * yPred, 0), -1). */
export function hinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return ops.mean(margins('hinge', yTrue, yPred), { axis: -1 });
}

/** mean(square(max(1 - yTrue * yPred, 0)), -1). */
export function squaredHinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return ops.mean(ops.square(margins('squared_hinge', yTrue, yPred)), { axis: -1 });
}

/** max(neg - pos + 1, 0) with pos = sum(yTrue * yPred, -1) and neg = max((1 - yTrue) * yPred, -1), for one-hot labels. */
export function categoricalHinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = prepareElementwise('categorical_hinge', yTrue, yPred);
  const pos = ops.sum(ops.multiply(t, p), { axis: -1 });
  const neg = ops.max(ops.multiply(ops.subtract(1, t), p), { axis: -1 });
  return ops.maximum(ops.add(ops.subtract(neg, pos), 1), 0);
}

export class Hinge extends BuiltinLoss {
  static override readonly className: string = 'Hinge';
  constructor(options: LossOptions = {}) {
    super(hinge, builtinOptions(options, 'hinge', 'hinge', 'Hinge'));
  }
}

export class SquaredHinge extends BuiltinLoss {
  static override readonly className: string = 'SquaredHinge';
  constructor(options: LossOptions = {}) {
    super(squaredHinge, builtinOptions(options, 'squared_hinge', 'squared_hinge', 'SquaredHinge'));
  }
}

export class CategoricalHinge extends BuiltinLoss {
  static override readonly className: string = 'CategoricalHinge';
  constructor(options: LossOptions = {}) {
    super(categoricalHinge, builtinOptions(options, 'categorical_hinge', 'categorical_hinge', 'CategoricalHinge'));
  }
}
