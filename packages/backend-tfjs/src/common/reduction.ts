/** Reductions: reduce, argReduce and moments. */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { ArgReduceOp, KernelTensor, OutputSpec, ReduceOp } from '@keras-ts/core';
import { type KernelRunner, type Scope, scoped } from './runner.js';

/** tfjs's reduction kernel of each op and the name of its axis attribute (Max calls it reductionIndices). */
const REDUCE_KERNELS: Record<ReduceOp, { kernel: string; axisAttr: string }> = {
  sum: { kernel: 'Sum', axisAttr: 'axis' },
  mean: { kernel: 'Mean', axisAttr: 'axis' },
  max: { kernel: 'Max', axisAttr: 'reductionIndices' },
  min: { kernel: 'Min', axisAttr: 'axis' },
  prod: { kernel: 'Prod', axisAttr: 'axis' },
};

const ARG_REDUCE_KERNELS: Record<ArgReduceOp, string> = { argmax: 'ArgMax', argmin: 'ArgMin' };

export function reduceKernel(s: Scope, op: ReduceOp, x: TensorInfo, axes: readonly number[], keepDims: boolean): TensorInfo {
  const { kernel, axisAttr } = REDUCE_KERNELS[op];
  return s.run(kernel, { x }, { [axisAttr]: [...axes], keepDims });
}

/**
 * tfjs's Mean of int32 returns float32; core wants int32 truncated toward zero, which the final
 * Cast gives. Sum and Prod of bool come back int32 and are cast to `out.dtype` likewise.
 */
export function reduce(r: KernelRunner, op: ReduceOp, x: KernelTensor<TensorInfo>, axes: readonly number[], out: OutputSpec): TensorInfo {
  return scoped(r, (s) => s.output(reduceKernel(s, op, x.handle, axes, false), out.dtype));
}

/** tfjs's ArgMax/ArgMin keep the first index on ties, as core asks. */
export function argReduce(r: KernelRunner, op: ArgReduceOp, x: KernelTensor<TensorInfo>, axis: number, out: OutputSpec): TensorInfo {
  return scoped(r, (s) => s.output(s.run(ARG_REDUCE_KERNELS[op], { x: x.handle }, { axis }), out.dtype));
}

/**
 * Two passes: the mean, then the mean of squared differences from it (tfjs's SquaredDifference
 * broadcasts the kept-dims mean). Never E[x²] − E[x]², which cancels catastrophically when the
 * mean is large against the spread.
 */
export function moments(r: KernelRunner, x: KernelTensor<TensorInfo>, axes: readonly number[], out: OutputSpec): [TensorInfo, TensorInfo] {
  return scoped(r, (s) => {
    const xf = s.cast(x.handle, 'float32');
    const meanKept = s.run('Mean', { x: xf }, { axis: [...axes], keepDims: true });
    const sq = s.run('SquaredDifference', { a: xf, b: meanKept });
    const variance = s.run('Mean', { x: sq }, { axis: [...axes], keepDims: false });
    return [s.output(s.reshape(meanKept, out.shape), out.dtype), s.output(variance, out.dtype)];
  });
}
