/**
 * The optional fused kernels this backend offers: softmax (tfjs's Softmax kernel), logSoftmax and
 * softmaxCrossEntropy (tfjs has no kernel for them; composed here from its kernels in one call, so
 * core records one op instead of six), and one LSTM step.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelTensor, OutputSpec } from '@keras-ts/core';
import { type KernelRunner, type Scope, scoped } from './runner.js';

export function softmax(r: KernelRunner, x: KernelTensor<TensorInfo>, out: OutputSpec): TensorInfo {
  // The last axis by its index: tfjs's softmax op resolves -1 before calling the kernel, and
  // tfjs-wasm's kernel reads `shape[dim]` as given.
  const dim = x.shape.length - 1;
  return scoped(r, (s) => s.output(s.run('Softmax', { logits: s.cast(x.handle, 'float32') }, { dim }), out.dtype));
}

/** x − max − log(Σ exp(x − max)) along the last axis, stable for large logits. */
function logSoftmaxKernel(s: Scope, x: TensorInfo): TensorInfo {
  const last = x.shape.length - 1;
  const max = s.run('Max', { x }, { reductionIndices: [last], keepDims: true });
  const shifted = s.run('Sub', { a: x, b: max });
  const sumExp = s.run('Sum', { x: s.run('Exp', { x: shifted }) }, { axis: [last], keepDims: true });
  return s.run('Sub', { a: shifted, b: s.run('Log', { x: sumExp }) });
}

export function logSoftmax(r: KernelRunner, x: KernelTensor<TensorInfo>, out: OutputSpec): TensorInfo {
  return scoped(r, (s) => s.output(logSoftmaxKernel(s, s.cast(x.handle, 'float32')), out.dtype));
}

/** −Σ labels · logSoftmax(logits) over the last axis. */
export function softmaxCrossEntropy(
  r: KernelRunner, logits: KernelTensor<TensorInfo>, labels: KernelTensor<TensorInfo>, out: OutputSpec,
): TensorInfo {
  return scoped(r, (s) => {
    const logp = logSoftmaxKernel(s, s.cast(logits.handle, 'float32'));
    const last = logp.shape.length - 1;
    const weighted = s.run('Multiply', { a: s.cast(labels.handle, 'float32'), b: logp });
    return s.output(s.run('Neg', { x: s.run('Sum', { x: weighted }, { axis: [last], keepDims: false }) }), out.dtype);
  });
}

/**
 * One LSTM step in Keras's gate order: z = x·W + h·U + b split into i, f, g, o; c' = σ(f)·c + σ(i)·tanh(g);
 * h' = σ(o)·tanh(c').
 */
export function lstmCell(
  r: KernelRunner,
  x: KernelTensor<TensorInfo>, h: KernelTensor<TensorInfo>, c: KernelTensor<TensorInfo>,
  kernel: KernelTensor<TensorInfo>, recurrentKernel: KernelTensor<TensorInfo>, bias: KernelTensor<TensorInfo>,
  out: OutputSpec,
): [TensorInfo, TensorInfo] {
  return scoped(r, (s) => {
    const batch = x.shape[0];
    const units = h.shape[1];
    const matmul = (a: TensorInfo, b: TensorInfo) => s.run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
    const z = s.run('Add', {
      a: s.run('Add', { a: matmul(x.handle, kernel.handle), b: matmul(h.handle, recurrentKernel.handle) }),
      b: bias.handle,
    });
    const gate = (index: number) => s.run('Slice', { x: z }, { begin: [0, index * units], size: [batch, units] });
    const i = s.run('Sigmoid', { x: gate(0) });
    const f = s.run('Sigmoid', { x: gate(1) });
    const g = s.run('Tanh', { x: gate(2) });
    const o = s.run('Sigmoid', { x: gate(3) });
    const cNext = s.run('Add', { a: s.run('Multiply', { a: f, b: c.handle }), b: s.run('Multiply', { a: i, b: g }) });
    const hNext = s.run('Multiply', { a: o, b: s.run('Tanh', { x: cNext }) });
    return [s.output(hNext, out.dtype), s.output(cNext, out.dtype)];
  });
}
