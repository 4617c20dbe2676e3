/**
 * Layout kernels. Every per-call number that is not part of the op's identity (slice starts,
 * pads, repeats, the shapes scatterAdd needs) is an int64 input, so the session key is the op,
 * the few attributes that must be attributes (transpose's perm, concat's and gather's axis) and
 * the inputs' types and ranks.
 */
import type { DType, OutputSpec } from '@keras-ts/core';
import { feedOf, int64Feed, scalarFeed, sizeOf, type Executor, type T } from '../executor.js';
import type { OrtOut } from '../onnx/runtime.js';

export function transpose(ex: Executor, x: T, perm: readonly number[], out: OutputSpec): OrtOut {
  return ex.run('transpose', `transpose:${perm.join(',')}`, [feedOf(x)], [out.dtype], (g, [xi]) => [g.op('Transpose', [xi], { perm })])[0];
}

export function slice(ex: Executor, x: T, begin: readonly number[], size: readonly number[], out: OutputSpec): OrtOut {
  const feeds = [feedOf(x), int64Feed(begin), int64Feed(begin.map((b, i) => b + size[i]))];
  return ex.run('slice', 'slice', feeds, [out.dtype], (g, [xi, starts, ends]) => [g.op('Slice', [xi, starts, ends])])[0];
}

export function concat(ex: Executor, xs: readonly T[], axis: number, out: OutputSpec): OrtOut {
  return ex.run('concat', `concat:${axis}`, xs.map(feedOf), [out.dtype], (g, names) => [g.op('Concat', names, { axis })])[0];
}

/** The pad value as the reference converts it: truncated for int32, != 0 for bool, rounded for float32. */
function padValue(value: number, dtype: DType): number {
  if (dtype === 'bool') return value !== 0 ? 1 : 0;
  if (dtype === 'int32') return Number.isNaN(value) ? 0 : Math.min(2147483647, Math.max(-2147483648, Math.trunc(value)));
  return value;
}

export function pad(ex: Executor, x: T, paddings: readonly (readonly [number, number])[], constantValue: number, out: OutputSpec): OrtOut {
  // ONNX pads: every axis's begin, then every axis's end.
  const pads = [...paddings.map((p) => p[0]), ...paddings.map((p) => p[1])];
  const feeds = [feedOf(x), int64Feed(pads), scalarFeed(x.dtype, padValue(constantValue, x.dtype))];
  return ex.run('pad', 'pad', feeds, [out.dtype], (g, [xi, p, v]) => [g.op('Pad', [xi, p, v], { mode: 'constant' })])[0];
}

export function gather(ex: Executor, x: T, indices: T, axis: number, out: OutputSpec): OrtOut {
  return ex.run('gather', `gather:${axis}`, [feedOf(x), feedOf(indices)], [out.dtype], (g, [xi, ii]) => [g.op('Gather', [xi, ii], { axis })])[0];
}

/**
 * A zero tensor viewed as [outer, n, inner] with updates viewed as [outer, k, inner] added at
 * indices[j] along the middle axis: ScatterElements with reduction 'add' over the indices
 * broadcast to the updates' shape. bool updates are summed as int32 and stored as != 0.
 */
export function scatterAdd(ex: Executor, updates: T, indices: T, axis: number, out: OutputSpec): OrtOut {
  const outer = sizeOf(out.shape.slice(0, axis));
  const inner = sizeOf(out.shape.slice(axis + 1));
  const k = sizeOf(indices.shape);
  const feeds = [
    feedOf(updates), feedOf(indices),
    int64Feed([outer, out.shape[axis], inner]), int64Feed([outer, k, inner]), int64Feed([1, k, 1]), int64Feed(out.shape),
  ];
  return ex.run('scatterAdd', 'scatterAdd', feeds, [out.dtype], (g, [u, idx, dataShape, updShape, idxShape, outShape]) => {
    const type = updates.dtype === 'bool' ? 'int32' : updates.dtype;
    const zero = g.op('ConstantOfShape', [dataShape], { value: { kind: 'tensor', type, dims: [1], values: [0] } });
    // allowzero: a 0 in these shapes is a real size (no indices), not "copy the input's dimension".
    const upd = g.op('Reshape', [g.cast(u, updates.dtype, type), updShape], { allowzero: 1 });
    const where = g.op('Expand', [g.op('Reshape', [idx, idxShape], { allowzero: 1 }), updShape]);
    const sums = g.op('ScatterElements', [zero, where, upd], { axis: 1, reduction: 'add' });
    return [g.cast(g.op('Reshape', [sums, outShape], { allowzero: 1 }), type, out.dtype)];
  })[0];
}

export function tile(ex: Executor, x: T, reps: readonly number[], out: OutputSpec): OrtOut {
  return ex.run('tile', 'tile', [feedOf(x), int64Feed(reps)], [out.dtype], (g, [xi, r]) => [g.op('Tile', [xi, r])])[0];
}

/** Slice with step −1 from the last element past the first (INT64_MIN) on each reversed axis. */
export function reverse(ex: Executor, x: T, axes: readonly number[], out: OutputSpec): OrtOut {
  const feeds = [
    feedOf(x), int64Feed(axes.map(() => -1)), int64Feed(axes.map(() => -(2n ** 63n))), int64Feed(axes), int64Feed(axes.map(() => -1)),
  ];
  return ex.run('reverse', 'reverse', feeds, [out.dtype], (g, [xi, starts, ends, ax, steps]) => [g.op('Slice', [xi, starts, ends, ax, steps])])[0];
}
