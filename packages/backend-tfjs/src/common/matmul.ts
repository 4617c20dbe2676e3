/** Batched matrix product over tfjs's BatchMatMul. */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelTensor, OutputSpec } from '@keras-ts/core';
import { type KernelRunner, scoped } from './runner.js';

/** Rank-3 operands; tfjs's BatchMatMul broadcasts a batch of 1 against the other's batch. */
export function matmul(
  r: KernelRunner, a: KernelTensor<TensorInfo>, b: KernelTensor<TensorInfo>, transposeA: boolean, transposeB: boolean, out: OutputSpec,
): TensorInfo {
  return scoped(r, (s) => {
    const ha = s.cast(a.handle, 'float32');
    const hb = s.cast(b.handle, 'float32');
    return s.output(s.run('BatchMatMul', { a: ha, b: hb }, { transposeA, transposeB }), out.dtype);
  });
}
