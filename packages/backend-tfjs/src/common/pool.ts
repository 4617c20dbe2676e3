/**
 * 2-D max and average pooling (NHWC) and the average's gradient over tfjs's pooling kernels, always
 * with core's explicit pads ([[0,0],[top,bottom],[left,right],[0,0]] in tfjs's terms). tfjs's forward
 * kernels only visit real cells, so padding never wins a max and the average divides by the number
 * of real cells, as Keras does; its AvgPoolGrad, though, divides by the full window everywhere, which
 * `avgPool2dBackprop` corrects at the border. tfjs's MaxPool skips NaN, so an input holding NaN is
 * pooled by the loop of pool_loops.ts instead; the max gradient is always that file's loop.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelTensor, OutputSpec, Pool2DAttrs } from '@keras-ts/core';
import { hasNaN } from './nan.js';
import * as loops from './pool_loops.js';
import { type KernelRunner, type Scope, scoped } from './runner.js';

function poolAttrs(attrs: Pool2DAttrs): { filterSize: [number, number]; strides: [number, number]; pad: [number, number][] } {
  const [[top, bottom], [left, right]] = attrs.pads;
  return {
    filterSize: [...attrs.poolSize],
    strides: [...attrs.strides],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
  };
}

/**
 * tfjs's MaxPool, unless x holds a NaN: then a window holding NaN must give NaN, which tfjs's kernels
 * do not (tfjs-cpu's skips it, tfjs-wasm's XNNPACK kernel returns another cell, even −Infinity), and
 * the whole pooling is the loop of pool_loops.ts. Looking for NaN costs one pass over x: on
 * tfjs-wasm's heap a WebAssembly SIMD loop, 0.1 ms over [32,24,24,64] against 0.31 ms for the
 * MaxPool (see nan.ts). tfjs-cpu runs the loop always (cpu_backend.ts).
 */
export function maxPool2d(r: KernelRunner, x: KernelTensor<TensorInfo>, attrs: Pool2DAttrs, out: OutputSpec): TensorInfo {
  // peek's view is read at once, before any allocation.
  if (x.dtype === 'float32' && hasNaN(r.peek(x.handle) as Float32Array)) return loops.maxPool2d(r, x, attrs, out);
  return scoped(r, (s) => s.output(s.run('MaxPool', { x: x.handle }, poolAttrs(attrs)), out.dtype));
}

export function avgPool2d(r: KernelRunner, x: KernelTensor<TensorInfo>, attrs: Pool2DAttrs, out: OutputSpec): TensorInfo {
  return scoped(r, (s) => s.output(s.run('AvgPool', { x: s.cast(x.handle, 'float32') }, poolAttrs(attrs)), out.dtype));
}

/**
 * The loop of pool_loops.ts on both backends: tfjs's MaxPoolGrad skips NaN, is slow on tfjs-cpu, and
 * on tfjs-wasm misplaces the gradient of negative windows and of ties.
 */
export const maxPool2dBackprop = loops.maxPool2dBackprop;

export function avgPool2dBackprop(r: KernelRunner, dy: KernelTensor<TensorInfo>, attrs: Pool2DAttrs, out: OutputSpec): TensorInfo {
  return scoped(r, (s) => {
    const a = poolAttrs(attrs);
    // AvgPoolGrad reads only the shape of its `input`: a handle without storage stands in for x.
    const input = s.track(r.placeholder(out.shape, 'float32'));
    const scaled = borderScaled(s, s.cast(dy.handle, 'float32'), attrs, out.shape[1], out.shape[2]);
    return s.output(s.run('AvgPoolGrad', { dy: scaled, input }, a), out.dtype);
  });
}

/**
 * dy · (window size / real cells in the window): after AvgPoolGrad's division by the window size,
 * each window's gradient is spread over its real cells only. `dy` itself where no window reaches
 * into the padding.
 */
function borderScaled(s: Scope, dy: TensorInfo, attrs: Pool2DAttrs, inHeight: number, inWidth: number): TensorInfo {
  const [[top], [left]] = attrs.pads;
  const [outHeight, outWidth] = [dy.shape[1], dy.shape[2]];
  const rows = realCells(outHeight, inHeight, attrs.poolSize[0], attrs.strides[0], top);
  const cols = realCells(outWidth, inWidth, attrs.poolSize[1], attrs.strides[1], left);
  const window = attrs.poolSize[0] * attrs.poolSize[1];
  if (rows.every((n) => n === attrs.poolSize[0]) && cols.every((n) => n === attrs.poolSize[1])) return dy;
  const scale = new Float32Array(outHeight * outWidth);
  for (let i = 0; i < outHeight; i++) {
    for (let j = 0; j < outWidth; j++) {
      const real = rows[i] * cols[j];
      scale[i * outWidth + j] = real > 0 ? window / real : 0;
    }
  }
  const scaleHandle = s.track(s.runner.adopt(scale, [1, outHeight, outWidth, 1], 'float32'));
  return s.run('Multiply', { a: dy, b: scaleHandle });
}

/** The number of real (unpadded) cells along one axis in each output position's window. */
function realCells(outSize: number, inSize: number, window: number, stride: number, padBefore: number): number[] {
  const counts: number[] = [];
  for (let o = 0; o < outSize; o++) {
    const start = o * stride - padBefore;
    counts.push(Math.max(0, Math.min(inSize, start + window) - Math.max(0, start)));
  }
  return counts;
}
