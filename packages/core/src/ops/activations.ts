/**
 * Activation ops (keras.ops.relu, sigmoid, softmax, gelu, ...), with Keras 3's definitions and
 * defaults. Where a backend has a fused kernel (softmax on the last axis) it is used.
 */
import { backendOf } from '../runtime/backend_of.js';
import { run1 } from '../runtime/engine.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { composeLogSoftmax, composeSoftmax } from './composites.js';
import { castTo, toTensor, type TensorLike } from './convert.js';
import { add, divide, erf, exp, greater, log1p, minimum, multiply, subtract, where, abs, square } from './elementwise.js';
import { unaryPrimitive } from './primitives/elementwise.js';
import { logSoftmaxPrimitive, softmaxPrimitive } from './primitives/fused.js';

const floatTensor = (x: TensorLike, where: string): Tensor => castTo(toTensor(x, where), 'float32');

export const relu = (x: TensorLike): Tensor => run1(unaryPrimitive, [floatTensor(x, 'relu')], { op: 'relu' });
export const sigmoid = (x: TensorLike): Tensor => run1(unaryPrimitive, [floatTensor(x, 'sigmoid')], { op: 'sigmoid' });
export const tanh = (x: TensorLike): Tensor => run1(unaryPrimitive, [floatTensor(x, 'tanh')], { op: 'tanh' });
export const softplus = (x: TensorLike): Tensor => run1(unaryPrimitive, [floatTensor(x, 'softplus')], { op: 'softplus' });

/** min(max(x, 0), 6). */
export const relu6 = (x: TensorLike): Tensor => minimum(relu(x), 6);

/** x / (1 + |x|). */
export function softsign(x: TensorLike): Tensor {
  const t = floatTensor(x, 'softsign');
  return divide(t, add(abs(t), 1));
}

/** x * sigmoid(x) (also called swish). */
export function silu(x: TensorLike): Tensor {
  const t = floatTensor(x, 'silu');
  return multiply(t, sigmoid(t));
}
export const swish = silu;

/** x where x > 0, else negativeSlope * x. keras.ops.leaky_relu's default slope is 0.2. */
export function leakyRelu(x: TensorLike, options: { negativeSlope?: number } = {}): Tensor {
  const t = floatTensor(x, 'leakyRelu');
  const slope = options.negativeSlope ?? 0.2;
  return where(greater(t, 0), t, multiply(t, slope));
}

/** x where x > 0, else alpha * (exp(x) - 1). */
export function elu(x: TensorLike, options: { alpha?: number } = {}): Tensor {
  const t = floatTensor(x, 'elu');
  const alpha = options.alpha ?? 1;
  // exp is evaluated on min(x, 0) so that large positive inputs cannot overflow into the unused branch.
  return where(greater(t, 0), t, multiply(subtract(exp(minimum(t, 0)), 1), alpha));
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** scale * elu(x, alpha) with Keras's constants. */
export function selu(x: TensorLike): Tensor {
  return multiply(elu(x, { alpha: SELU_ALPHA }), SELU_SCALE);
}

/**
 * Gaussian error linear unit. `approximate: true` (keras.ops.gelu's default) is the tanh form;
 * `false` is the exact erf form (keras.activations.gelu's default).
 */
export function gelu(x: TensorLike, options: { approximate?: boolean } = {}): Tensor {
  const t = floatTensor(x, 'gelu');
  if (options.approximate ?? true) {
    const inner = multiply(add(t, multiply(multiply(square(t), t), 0.044715)), Math.sqrt(2 / Math.PI));
    return multiply(multiply(t, 0.5), add(tanh(inner), 1));
  }
  return multiply(multiply(t, 0.5), add(erf(multiply(t, Math.SQRT1_2)), 1));
}

/** Keras 3: relu6(x + 3) / 6 (Keras 2 used clip(0.2x + 0.5, 0, 1)). */
export function hardSigmoid(x: TensorLike): Tensor {
  return divide(relu6(add(floatTensor(x, 'hardSigmoid'), 3)), 6);
}

/** x * hardSigmoid(x). */
export function hardSilu(x: TensorLike): Tensor {
  const t = floatTensor(x, 'hardSilu');
  return multiply(t, hardSigmoid(t));
}
export const hardSwish = hardSilu;

/** x * tanh(softplus(x)). */
export function mish(x: TensorLike): Tensor {
  const t = floatTensor(x, 'mish');
  return multiply(t, tanh(softplus(t)));
}

/** log(sigmoid(x)) = -softplus(-x), computed stably. */
export function logSigmoid(x: TensorLike): Tensor {
  const t = floatTensor(x, 'logSigmoid');
  return subtract(minimum(t, 0), log1p(exp(multiply(abs(t), -1))));
}

export function softmax(x: TensorLike, options: { axis?: number } = {}): Tensor {
  const t = floatTensor(x, 'softmax');
  const axis = normalizeAxis(options.axis ?? -1, t.rank, 'softmax');
  if (axis === t.rank - 1 && backendOf(t)?.softmax) return run1(softmaxPrimitive, [t], {});
  return composeSoftmax(t, axis);
}

export function logSoftmax(x: TensorLike, options: { axis?: number } = {}): Tensor {
  const t = floatTensor(x, 'logSoftmax');
  const axis = normalizeAxis(options.axis ?? -1, t.rank, 'logSoftmax');
  if (axis === t.rank - 1 && backendOf(t)?.logSoftmax) return run1(logSoftmaxPrimitive, [t], {});
  return composeLogSoftmax(t, axis);
}

