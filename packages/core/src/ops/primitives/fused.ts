/**
 * Fused kernels a backend may offer (softmax, log-softmax, softmax cross-entropy, the LSTM cell).
 * An op uses the fused primitive only when the backend has the kernel, and the composite from
 * `ops/composites.ts` otherwise. Either way a backend author writes the forward pass alone and
 * training stays correct: the gradient is the vjp of the composite, or, for softmax, log-softmax and
 * softmax cross-entropy, the closed form that TensorFlow and JAX use. Those are a handful of ops
 * where the composite's vjp recomputes the forward pass and differentiates its max-shift too (about
 * forty ops for a softmax, whose max contributes exactly nothing).
 */
import type { AdamAttrs, Backend, KernelTensor, OptionalKernelName, OutputSpec } from '../../backend/backend.js';
import { vjp } from '../../autodiff/gradients.js';
import { definePrimitive, type GradContext, type Primitive, type TensorSpec } from '../../runtime/primitive.js';
import type { Tensor } from '../../tensor/tensor.js';
import { composeAdamUpdate, composeLogSoftmax, composeLstmCell, composeSoftmax, composeSoftmaxCrossEntropy } from '../composites.js';
import { exp, multiply, negative, subtract } from '../elementwise.js';
import { expandDims } from '../layout.js';
import { sum } from '../reduction.js';

function missing(backend: Backend, kernel: OptionalKernelName): Error {
  return new Error(`Backend '${backend.name}' has no '${kernel}' kernel (an internal error: core should have used the composite).`);
}

/** A fused primitive's gradient: the vjp of its composite definition. */
function compositeGrad<A>(compose: (inputs: Tensor[], attrs: A) => Tensor[]) {
  return ({ dys, inputs, attrs }: GradContext<A>): (Tensor | null)[] => {
    const { grads, outputs } = vjp((...xs) => compose(xs, attrs), inputs, dys);
    for (const o of outputs) o.dispose();
    return grads;
  };
}

function fused<A>(
  name: OptionalKernelName,
  infer: (inputs: readonly TensorSpec[]) => TensorSpec[],
  forward: (backend: Backend, inputs: readonly KernelTensor[], out: readonly OutputSpec[], attrs: A) => unknown[],
  compose: (inputs: Tensor[], attrs: A) => Tensor[],
  grad: (ctx: GradContext<A>) => (Tensor | null)[] = compositeGrad(compose),
): Primitive<A> {
  return definePrimitive<A>({
    name,
    infer: (inputs) => infer(inputs),
    forward: (backend, inputs, attrs, out) => forward(backend, inputs, out, attrs),
    grad,
  });
}

const lastAxis = { axis: -1, keepdims: true };

export const softmaxPrimitive = fused<Record<string, never>>(
  'softmax',
  ([x]) => [{ shape: x.shape, dtype: 'float32' }],
  (backend, [x], [out]) => {
    if (!backend.softmax) throw missing(backend, 'softmax');
    return [backend.softmax(x, out)];
  },
  ([x]) => [composeSoftmax(x, -1)],
  // y = softmax(x): dx = y * (dy - sum(dy * y)).
  ({ dys: [dy], outputs: [y] }) => [multiply(y, subtract(dy, sum(multiply(dy, y), lastAxis)))],
);

export const logSoftmaxPrimitive = fused<Record<string, never>>(
  'logSoftmax',
  ([x]) => [{ shape: x.shape, dtype: 'float32' }],
  (backend, [x], [out]) => {
    if (!backend.logSoftmax) throw missing(backend, 'logSoftmax');
    return [backend.logSoftmax(x, out)];
  },
  ([x]) => [composeLogSoftmax(x, -1)],
  // y = log_softmax(x): dx = dy - exp(y) * sum(dy).
  ({ dys: [dy], outputs: [y] }) => [subtract(dy, multiply(exp(y), sum(dy, lastAxis)))],
);

export const softmaxCrossEntropyPrimitive = fused<Record<string, never>>(
  'softmaxCrossEntropy',
  ([logits]) => [{ shape: logits.shape.slice(0, -1), dtype: 'float32' }],
  (backend, [logits, labels], [out]) => {
    if (!backend.softmaxCrossEntropy) throw missing(backend, 'softmaxCrossEntropy');
    return [backend.softmaxCrossEntropy(logits, labels, out)];
  },
  ([logits, labels]) => [composeSoftmaxCrossEntropy(logits, labels)],
  // loss = -sum(labels * log_softmax(logits)): dlogits = dy * (softmax(logits) * sum(labels) - labels),
  // dlabels = -dy * log_softmax(logits).
  ({ dys: [dy], inputs: [logits, labels], needsGrad }) => {
    const scale = expandDims(dy, -1);
    const logProbabilities = composeLogSoftmax(logits, -1);
    const dLogits = needsGrad?.[0] === false ? null
      : multiply(scale, subtract(multiply(exp(logProbabilities), sum(labels, lastAxis)), labels));
    const dLabels = needsGrad?.[1] === false ? null : negative(multiply(scale, logProbabilities));
    return [dLogits, dLabels];
  },
);

export const lstmCellPrimitive = fused<Record<string, never>>(
  'lstmCell',
  ([, h]) => [
    { shape: h.shape, dtype: 'float32' },
    { shape: h.shape, dtype: 'float32' },
  ],
  (backend, [x, h, c, kernel, recurrentKernel, bias], [out]) => {
    if (!backend.lstmCell) throw missing(backend, 'lstmCell');
    return backend.lstmCell(x, h, c, kernel, recurrentKernel, bias, out);
  },
  ([x, h, c, kernel, recurrentKernel, bias]) => composeLstmCell(x, h, c, kernel, recurrentKernel, bias),
);

/** Adam's update of one weight: [variable', m', v'] (an optimizer step; its gradient, if ever taken, is the composite's). */
export const adamUpdatePrimitive = fused<AdamAttrs>(
  'adamUpdate',
  ([variable]) => [0, 1, 2].map(() => ({ shape: variable.shape, dtype: 'float32' as const })),
  (backend, [variable, m, v, gradient, alpha], [out], attrs) => {
    if (!backend.adamUpdate) throw missing(backend, 'adamUpdate');
    return backend.adamUpdate(variable, m, v, gradient, alpha, attrs, out);
  },
  ([variable, m, v, gradient, alpha], attrs) => composeAdamUpdate(variable, m, v, gradient, alpha, attrs),
);
