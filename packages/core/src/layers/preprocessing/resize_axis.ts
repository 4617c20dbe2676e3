/**
 * Resizing one spatial axis, as Keras's `ops.image.resize` does with antialias off, shared by the
 * Resizing and UpSampling2D layers. Output position o samples input position
 * s = (o + 0.5) · n / m − 0.5 (half-pixel centres).
 *
 * - 'nearest' takes input index floor((o + 0.5) · n / m);
 * - 'bilinear' interpolates between the two neighbours of s, clamped to the edges;
 * - 'bicubic' (Keys' cubic, a = −0.5), 'lanczos3' and 'lanczos5' weigh every input index i by the
 *   kernel at |s − i|; taps outside the image get no weight and the rest are renormalized to sum to 1
 *   (TensorFlow's resize_bicubic with half-pixel centres and scale_and_translate, and JAX's
 *   image.resize, do the same).
 *
 * Every method but 'nearest' is a fixed (n, m) weight matrix, so the resize is one matmul along the
 * axis: differentiable, and the same on every backend.
 */
import * as ops from '../../ops/index.js';
import { tensor } from '../../tensor/create.js';
import type { Tensor } from '../../tensor/tensor.js';

export type ResizeInterpolation = 'nearest' | 'bilinear' | 'bicubic' | 'lanczos3' | 'lanczos5';

/** Keys' cubic convolution kernel with a = −0.5. */
function keysCubic(x: number): number {
  if (x < 1) return (1.5 * x - 2.5) * x * x + 1;
  if (x < 2) return ((-0.5 * x + 2.5) * x - 4) * x + 2;
  return 0;
}

const sinc = (x: number): number => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));

/** The Lanczos kernel of the given radius: sinc(x) · sinc(x / radius) inside it. */
const lanczos = (radius: number) => (x: number): number => (x < radius ? sinc(x) * sinc(x / radius) : 0);

const KERNELS: Record<'bicubic' | 'lanczos3' | 'lanczos5', (x: number) => number> = {
  bicubic: keysCubic,
  lanczos3: lanczos(3),
  lanczos5: lanczos(5),
};

/** The (n, m) matrix whose column o holds output position o's weights over the n inputs. */
export function resizeWeights(n: number, m: number, interpolation: Exclude<ResizeInterpolation, 'nearest'>): number[] {
  const w = new Array<number>(n * m).fill(0);
  for (let o = 0; o < m; o++) {
    const s = ((o + 0.5) * n) / m - 0.5;
    if (interpolation === 'bilinear') {
      const src = Math.min(Math.max(s, 0), n - 1);
      const lo = Math.floor(src);
      const hi = Math.min(lo + 1, n - 1);
      w[lo * m + o] += 1 - (src - lo);
      w[hi * m + o] += src - lo;
      continue;
    }
    const kernel = KERNELS[interpolation];
    let total = 0;
    for (let i = 0; i < n; i++) total += kernel(Math.abs(s - i));
    // A column whose weights cancel out is left at zero, as TensorFlow and JAX do.
    if (Math.abs(total) < 1000 * 1.1920928955078125e-7) continue;
    for (let i = 0; i < n; i++) w[i * m + o] = kernel(Math.abs(s - i)) / total;
  }
  return w;
}

/** The input index each of `m` outputs takes from `n` inputs under 'nearest': floor((o + 0.5) · n / m). */
export function resizeNearestIndices(n: number, m: number): number[] {
  return Array.from({ length: m }, (_, o) => Math.min(Math.floor(((o + 0.5) * n) / m), n - 1));
}

/** Resizes one axis of `x` from its size to `m`. */
export function resizeAxis(x: Tensor, axis: number, m: number, interpolation: ResizeInterpolation): Tensor {
  const n = x.shape[axis];
  if (n === m) return x;
  if (interpolation === 'nearest') return ops.take(x, tensor(Int32Array.from(resizeNearestIndices(n, m)), [m], 'int32'), { axis });
  const rank = x.shape.length;
  const perm = [...Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis), axis];
  const moved = ops.transpose(x, { axes: perm });
  const lead = moved.shape.slice(0, -1);
  const flat = ops.reshape(moved, [lead.reduce((a, b) => a * b, 1), n]);
  const y = ops.reshape(ops.matmul(flat, tensor(resizeWeights(n, m, interpolation), [n, m])), [...lead, m]);
  return ops.transpose(y, { axes: perm.map((_, i) => perm.indexOf(i)) });
}
