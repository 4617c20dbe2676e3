/**
 * Composite definitions of the fused kernels, written with ops. They run when a backend lacks the
 * fused kernel, and they define the fused kernels' gradients.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { AdamAttrs } from '../backend/backend.js';
import { add, divide, exp, log, multiply, negative, sqrt, square, subtract } from './elementwise.js';
import { sigmoid, tanh } from './activations.js';
import { matmul } from './linalg.js';
import { split } from './layout.js';
import { max, sum } from './reduction.js';

/** softmax = exp(x - max) / sum(exp(x - max)), stable for large inputs. */
export function composeSoftmax(x: Tensor, axis: number): Tensor {
  const shifted = subtract(x, max(x, { axis, keepdims: true }));
  const e = exp(shifted);
  return divide(e, sum(e, { axis, keepdims: true }));
}

/** log-softmax = (x - max) - log(sum(exp(x - max))). */
export function composeLogSoftmax(x: Tensor, axis: number): Tensor {
  const shifted = subtract(x, max(x, { axis, keepdims: true }));
  return subtract(shifted, log(sum(exp(shifted), { axis, keepdims: true })));
}

/** -sum(labels * logSoftmax(logits), -1): per-sample cross-entropy from logits. */
export function composeSoftmaxCrossEntropy(logits: Tensor, labels: Tensor): Tensor {
  return negative(sum(multiply(labels, composeLogSoftmax(logits, -1)), { axis: -1 }));
}

/** One LSTM step in Keras's gate order (i, f, c, o). Returns [h', c']. */
export function composeLstmCell(x: Tensor, h: Tensor, c: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor): Tensor[] {
  const z = add(add(matmul(x, kernel), matmul(h, recurrentKernel)), bias);
  const [zi, zf, zc, zo] = split(z, 4, { axis: -1 });
  const i = sigmoid(zi);
  const f = sigmoid(zf);
  const candidate = tanh(zc);
  const o = sigmoid(zo);
  const cNext = add(multiply(f, c), multiply(i, candidate));
  const hNext = multiply(o, tanh(cNext));
  return [hNext, cNext];
}

/**
 * Adam's update of one weight (see `OptionalKernels.adamUpdate`): [variable', m', v']. The scalars
 * 1 - beta1 and 1 - beta2 are taken in float64 and rounded once, as any scalar operand of an op.
 */
export function composeAdamUpdate(variable: Tensor, m: Tensor, v: Tensor, gradient: Tensor, alpha: Tensor, attrs: AdamAttrs): Tensor[] {
  const mNext = add(m, multiply(subtract(gradient, m), 1 - attrs.beta1));
  const vNext = add(v, multiply(subtract(square(gradient), v), 1 - attrs.beta2));
  const step = divide(multiply(mNext, alpha), add(sqrt(vNext), attrs.epsilon));
  return [subtract(variable, step), mNext, vNext];
}
