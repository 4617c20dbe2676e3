/** Layout kernels: reshape, transpose, slice, concat, pad, gather, scatterAdd, tile, reverse. */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelTensor, OutputSpec } from '@keras-ts/core';
import { type KernelRunner, scoped } from './runner.js';

const product = (dims: readonly number[]): number => dims.reduce((p, d) => p * d, 1);

/** tfjs's Reshape shares the storage (it raises its reference count), so this copies nothing. */
export function reshape(r: KernelRunner, x: KernelTensor<TensorInfo>, out: OutputSpec): TensorInfo {
  return scoped(r, (s) => s.output(s.reshape(x.handle, out.shape), out.dtype));
}

export function transpose(r: KernelRunner, x: KernelTensor<TensorInfo>, perm: readonly number[], out: OutputSpec): TensorInfo {
  return scoped(r, (s) => s.output(s.run('Transpose', { x: x.handle }, { perm: [...perm] }), out.dtype));
}

export function slice(
  r: KernelRunner, x: KernelTensor<TensorInfo>, begin: readonly number[], size: readonly number[], out: OutputSpec,
): TensorInfo {
  return scoped(r, (s) => s.output(s.run('Slice', { x: x.handle }, { begin: [...begin], size: [...size] }), out.dtype));
}

export function concat(r: KernelRunner, xs: readonly KernelTensor<TensorInfo>[], axis: number, out: OutputSpec): TensorInfo {
  return scoped(r, (s) => s.output(s.run('Concat', xs.map((x) => x.handle), { axis }), out.dtype));
}

export function pad(
  r: KernelRunner, x: KernelTensor<TensorInfo>, paddings: readonly (readonly [number, number])[], constantValue: number, out: OutputSpec,
): TensorInfo {
  const attrs = { paddings: paddings.map(([before, after]) => [before, after]), constantValue };
  return scoped(r, (s) => s.output(s.run('PadV2', { x: x.handle }, attrs), out.dtype));
}

export function gather(r: KernelRunner, x: KernelTensor<TensorInfo>, indices: KernelTensor<TensorInfo>, axis: number, out: OutputSpec): TensorInfo {
  return scoped(r, (s) => s.output(s.run('GatherV2', { x: x.handle, indices: indices.handle }, { axis, batchDims: 0 }), out.dtype));
}

/**
 * The adjoint of gather, through tfjs's ScatterNd (which sums repeated indices) on the axis moved
 * to the front. tfjs's UnsortedSegmentSum would also do, but on tfjs-cpu it makes one full pass
 * over the updates per output row (an Equal, a Multiply and a Sum each), which is hopeless for an
 * embedding's vocabulary; ScatterNd is one pass.
 */
export function scatterAdd(
  r: KernelRunner, updates: KernelTensor<TensorInfo>, indices: KernelTensor<TensorInfo>, axis: number, out: OutputSpec,
): TensorInfo {
  return scoped(r, (s) => {
    const numIndices = product(indices.shape);
    const outer = product(out.shape.slice(0, axis));
    const inner = product(out.shape.slice(axis + 1));
    const rows = out.shape[axis];
    if (numIndices === 0 || product(out.shape) === 0) {
      return s.output(s.run('Fill', {}, { shape: [...out.shape], value: 0, dtype: out.dtype }), out.dtype);
    }
    const idx = s.reshape(indices.handle, [numIndices, 1]);
    let upd: TensorInfo;
    if (outer === 1) {
      upd = s.reshape(updates.handle, [numIndices, inner]);
    } else {
      // [outer, numIndices, inner] -> [numIndices, outer, inner]
      const u3 = s.reshape(updates.handle, [outer, numIndices, inner]);
      upd = s.reshape(s.run('Transpose', { x: u3 }, { perm: [1, 0, 2] }), [numIndices, outer * inner]);
    }
    const scattered = s.run('ScatterNd', { indices: idx, updates: upd }, { shape: [rows, outer * inner] });
    if (outer === 1) return s.output(s.reshape(scattered, out.shape), out.dtype);
    const back = s.run('Transpose', { x: s.reshape(scattered, [rows, outer, inner]) }, { perm: [1, 0, 2] });
    return s.output(s.reshape(back, out.shape), out.dtype);
  });
}

export function tile(r: KernelRunner, x: KernelTensor<TensorInfo>, reps: readonly number[], out: OutputSpec): TensorInfo {
  return scoped(r, (s) => s.output(s.run('Tile', { x: x.handle }, { reps: [...reps] }), out.dtype));
}

export function reverse(r: KernelRunner, x: KernelTensor<TensorInfo>, axes: readonly number[], out: OutputSpec): TensorInfo {
  return scoped(r, (s) => s.output(axes.length === 0 ? x.handle : s.run('Reverse', { x: x.handle }, { dims: [...axes] }), out.dtype));
}
