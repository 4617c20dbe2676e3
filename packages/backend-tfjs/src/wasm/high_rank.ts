/**
 * XNNPACK, behind tfjs-wasm's arithmetic binary kernels (Add, Sub, Mul, RealDiv, ...) and PadV2,
 * takes at most 6 dimensions: a rank-7 call prints "XNN status for xnn_setup_*_nd_f32 is not
 * successful" and leaves whatever the output held (an einsum over 7 indices multiplies rank-7
 * operands). Such calls are first brought to 6 dimensions or fewer without changing the element
 * order: adjacent axes that broadcast alike (both operands full, or the same one of size 1) merge
 * into one, as do an axis and the unpadded axes after it; a binary op that still needs more runs on
 * both operands broadcast to the output and flattened, and a pad on more than 5 padded axes runs in
 * passes of at most 5.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelTensor, OutputSpec, Shape } from '@keras-ts/core';
import * as common from '../common/elementwise.js';
import { type KernelRunner, scoped } from '../common/runner.js';

export const XNN_MAX_DIMS = 6;

type T = KernelTensor<TensorInfo>;

/** a's, b's and the output's shapes with adjacent axes that broadcast alike merged (and size-1 output axes dropped). */
export function collapseBroadcast(a: Shape, b: Shape, out: Shape): { a: number[]; b: number[]; out: number[] } {
  const pad = (s: Shape) => [...new Array<number>(out.length - s.length).fill(1), ...s];
  const [pa, pb] = [pad(a), pad(b)];
  const merged = { a: [] as number[], b: [] as number[], out: [] as number[] };
  let previous = '';
  out.forEach((size, k) => {
    if (size === 1) return;
    const kind = `${pa[k] === 1 ? 0 : 1}${pb[k] === 1 ? 0 : 1}`;
    if (kind === previous) {
      const last = merged.out.length - 1;
      merged.out[last] *= size;
      merged.a[last] *= pa[k];
      merged.b[last] *= pb[k];
    } else {
      merged.out.push(size);
      merged.a.push(pa[k]);
      merged.b.push(pb[k]);
    }
    previous = kind;
  });
  if (merged.out.length === 0) return { a: [1], b: [1], out: [1] };
  return merged;
}

/**
 * A binary op whose output has more than XNN_MAX_DIMS axes, through `run` (the backend's binary
 * kernel) on collapsed shapes, or on flattened full-size operands when collapsing is not enough.
 */
export function highRankBinary(r: KernelRunner, a: T, b: T, out: OutputSpec, run: (a: T, b: T, out: OutputSpec) => TensorInfo): TensorInfo {
  const collapsed = collapseBroadcast(a.shape, b.shape, out.shape);
  return scoped(r, (s) => {
    if (collapsed.out.length <= XNN_MAX_DIMS) {
      const y = s.track(run(
        { handle: s.reshape(a.handle, collapsed.a), shape: collapsed.a, dtype: a.dtype },
        { handle: s.reshape(b.handle, collapsed.b), shape: collapsed.b, dtype: b.dtype },
        { shape: collapsed.out, dtype: out.dtype },
      ));
      return s.output(s.reshape(y, out.shape), out.dtype);
    }
    const size = out.shape.reduce((p, d) => p * d, 1);
    const flat = (t: T): T => ({ handle: s.reshape(common.broadcastTo(s, t.handle, out.shape), [size]), shape: [size], dtype: t.dtype });
    const y = s.track(run(flat(a), flat(b), { shape: [size], dtype: out.dtype }));
    return s.output(s.reshape(y, out.shape), out.dtype);
  });
}

/** The shape and paddings with each unpadded axis merged into the axis before it (whose padding then counts in rows of it). */
export function collapsePadding(shape: Shape, paddings: readonly (readonly [number, number])[]): { shape: number[]; paddings: [number, number][] } {
  const merged = { shape: [] as number[], paddings: [] as [number, number][] };
  shape.forEach((size, k) => {
    const [before, after] = paddings[k];
    const last = merged.shape.length - 1;
    if (before === 0 && after === 0 && last >= 0) {
      merged.shape[last] *= size;
      merged.paddings[last] = [merged.paddings[last][0] * size, merged.paddings[last][1] * size];
    } else {
      merged.shape.push(size);
      merged.paddings.push([before, after]);
    }
  });
  return merged;
}

/** PadV2 on at most XNN_MAX_DIMS axes: collapsed, and in passes of at most XNN_MAX_DIMS - 1 padded axes. */
export function highRankPad(r: KernelRunner, x: T, paddings: readonly (readonly [number, number])[], constantValue: number, out: OutputSpec): TensorInfo {
  return scoped(r, (s) => {
    let current = x.handle;
    let shape = [...x.shape];
    const padded = paddings.map((p, k) => k).filter((k) => paddings[k][0] !== 0 || paddings[k][1] !== 0);
    for (let start = 0; start < Math.max(padded.length, 1); start += XNN_MAX_DIMS - 1) {
      const now = new Set(padded.slice(start, start + XNN_MAX_DIMS - 1));
      const pass = paddings.map((p, k): [number, number] => (now.has(k) ? [p[0], p[1]] : [0, 0]));
      const collapsed = collapsePadding(shape, pass);
      const result = s.run('PadV2', { x: s.reshape(current, collapsed.shape) }, { paddings: collapsed.paddings, constantValue });
      shape = shape.map((d, k) => d + pass[k][0] + pass[k][1]);
      current = s.reshape(result, shape);
    }
    return s.output(current, out.dtype);
  });
}
