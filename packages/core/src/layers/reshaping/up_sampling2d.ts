/**
 * UpSampling2D: enlarges rows and columns by `size` (default [2, 2]). interpolation 'nearest'
 * repeats each value, and so does 'area' (each output pixel lies inside one input pixel when the
 * factor is an integer, so its area average is that pixel); 'bilinear', 'bicubic', 'lanczos3' and
 * 'lanczos5' interpolate with half-pixel centres as Keras's resize does with antialias off (output
 * pixel i samples input position (i + 0.5) / size - 0.5; see resize_axis.ts).
 */
import type { Tensor } from '../../tensor/tensor.js';
import { resizeAxis, type ResizeInterpolation } from '../preprocessing/resize_axis.js';
import { UpSamplingBase, type UpSamplingArgs } from './spatial_resize.js';

export interface UpSampling2DArgs extends UpSamplingArgs {
  /** 'nearest' (the default), 'bilinear', 'bicubic', 'lanczos3', 'lanczos5' or 'area'. */
  interpolation?: string;
}

type UpSampling2DInterpolation = ResizeInterpolation | 'area';
const INTERPOLATIONS: readonly string[] = ['nearest', 'bilinear', 'bicubic', 'lanczos3', 'lanczos5', 'area'];

export class UpSampling2D extends UpSamplingBase {
  readonly interpolation: UpSampling2DInterpolation;

  constructor(args: UpSampling2DArgs = {}) {
    super(args, 2);
    const interpolation = args?.interpolation ?? 'nearest';
    if (!INTERPOLATIONS.includes(interpolation)) {
      throw new Error(
        `UpSampling2D: unknown interpolation ${JSON.stringify(interpolation)}. Expected one of ${INTERPOLATIONS.map((i) => `'${i}'`).join(', ')}. Fix: interpolation: 'nearest'.`,
      );
    }
    this.interpolation = interpolation as UpSampling2DInterpolation;
  }

  override call(inputs: Tensor): Tensor {
    if (this.interpolation === 'nearest' || this.interpolation === 'area') return super.call(inputs);
    const interpolation = this.interpolation;
    let x = inputs;
    this.axes.forEach((a, i) => (x = resizeAxis(x, a, x.shape[a] * this.size[i], interpolation)));
    return x;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), interpolation: this.interpolation };
  }
}
