/**
 * UpSampling2D: enlarges rows and columns by `size` (default [2, 2]). interpolation 'nearest'
 * repeats each value; 'bilinear' interpolates between neighbours with half-pixel centres (as
 * Keras's resize with antialias off: output pixel i samples input position (i + 0.5) / size - 0.5,
 * clamped to the edges). Keras's other interpolations are not implemented and say so.
 */
import * as ops from '../../ops/index.js';
import { tensor } from '../../tensor/create.js';
import type { Tensor } from '../../tensor/tensor.js';
import { UpSamplingBase, type UpSamplingArgs } from './spatial_resize.js';

export interface UpSampling2DArgs extends UpSamplingArgs {
  /** 'nearest' (the default) or 'bilinear'. */
  interpolation?: string;
}

const KERAS_INTERPOLATIONS = ['nearest', 'bilinear', 'bicubic', 'lanczos3', 'lanczos5', 'area'];
const IMPLEMENTED = ['nearest', 'bilinear'];

/** The (n, n·s) matrix whose column o holds the bilinear weights of output position o over the n inputs. */
function bilinearWeights(n: number, s: number): number[] {
  const m = new Array<number>(n * n * s).fill(0);
  for (let o = 0; o < n * s; o++) {
    const src = Math.min(Math.max((o + 0.5) / s - 0.5, 0), n - 1);
    const lo = Math.floor(src);
    const hi = Math.min(lo + 1, n - 1);
    const f = src - lo;
    m[lo * n * s + o] += 1 - f;
    m[hi * n * s + o] += f;
  }
  return m;
}

/** Bilinear resize of one axis by an integer factor: move it last, multiply by the weight matrix, move it back. */
function bilinearAlong(x: Tensor, axis: number, s: number): Tensor {
  if (s === 1) return x;
  const rank = x.shape.length;
  const n = x.shape[axis];
  const perm = [...Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis), axis];
  const moved = ops.transpose(x, { axes: perm });
  const lead = moved.shape.slice(0, -1);
  const flat = ops.reshape(moved, [lead.reduce((a, b) => a * b, 1), n]);
  const y = ops.reshape(ops.matmul(flat, tensor(bilinearWeights(n, s), [n, n * s])), [...lead, n * s]);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return ops.transpose(y, { axes: inverse });
}

export class UpSampling2D extends UpSamplingBase {
  readonly interpolation: 'nearest' | 'bilinear';

  constructor(args: UpSampling2DArgs = {}) {
    super(args, 2);
    const interpolation = args?.interpolation ?? 'nearest';
    if (!IMPLEMENTED.includes(interpolation)) {
      throw new Error(
        KERAS_INTERPOLATIONS.includes(interpolation)
          ? `UpSampling2D: interpolation '${interpolation}' is not implemented in keras-ts yet; only 'nearest' and 'bilinear' are. Fix: use one of those.`
          : `UpSampling2D: unknown interpolation ${JSON.stringify(interpolation)}. Expected one of ${KERAS_INTERPOLATIONS.map((i) => `'${i}'`).join(', ')} (keras-ts implements 'nearest' and 'bilinear'). Fix: interpolation: 'nearest'.`,
      );
    }
    this.interpolation = interpolation as 'nearest' | 'bilinear';
  }

  override call(inputs: Tensor): Tensor {
    if (this.interpolation === 'nearest') return super.call(inputs);
    let x = inputs;
    this.axes.forEach((a, i) => (x = bilinearAlong(x, a, this.size[i])));
    return x;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), interpolation: this.interpolation };
  }
}
