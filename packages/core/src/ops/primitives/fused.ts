/**
 * Fused kernels a backend may offer (softmax, log-softmax, softmax cross-entropy, the LSTM cell).
 * An op uses the fused primitive only when the backend has the kernel, and the composite from
 * `ops/composites.ts` otherwise. Either way the gradient is the vjp of the composite, so a backend
 * author writes the forward pass alone and training stays correct.
 */
import type { Backend, KernelTensor, OptionalKernelName, OutputSpec } from '../../backend/backend.js';
import { vjp } from '../../autodiff/gradients.js';
import { definePrimitive, type GradContext, type Primitive, type TensorSpec } from '../../runtime/primitive.js';
import type { Tensor } from '../../tensor/tensor.js';
import { composeLogSoftmax, composeLstmCell, composeSoftmax, composeSoftmaxCrossEntropy } from '../composites.js';

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
  forward: (backend: Backend, inputs: readonly KernelTensor[], out: readonly OutputSpec[]) => unknown[],
  compose: (inputs: Tensor[], attrs: A) => Tensor[],
): Primitive<A> {
  return definePrimitive<A>({
    name,
    infer: (inputs) => infer(inputs),
    forward: (backend, inputs, _attrs, out) => forward(backend, inputs, out),
    grad: compositeGrad(compose),
  });
}

export const softmaxPrimitive = fused<Record<string, never>>(
  'softmax',
  ([x]) => [{ shape: x.shape, dtype: 'float32' }],
  (backend, [x], [out]) => {
    if (!backend.softmax) throw missing(backend, 'softmax');
    return [backend.softmax(x, out)];
  },
  ([x]) => [composeSoftmax(x, -1)],
);

export const logSoftmaxPrimitive = fused<Record<string, never>>(
  'logSoftmax',
  ([x]) => [{ shape: x.shape, dtype: 'float32' }],
  (backend, [x], [out]) => {
    if (!backend.logSoftmax) throw missing(backend, 'logSoftmax');
    return [backend.logSoftmax(x, out)];
  },
  ([x]) => [composeLogSoftmax(x, -1)],
);

export const softmaxCrossEntropyPrimitive = fused<Record<string, never>>(
  'softmaxCrossEntropy',
  ([logits]) => [{ shape: logits.shape.slice(0, -1), dtype: 'float32' }],
  (backend, [logits, labels], [out]) => {
    if (!backend.softmaxCrossEntropy) throw missing(backend, 'softmaxCrossEntropy');
    return [backend.softmaxCrossEntropy(logits, labels, out)];
  },
  ([logits, labels]) => [composeSoftmaxCrossEntropy(logits, labels)],
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
