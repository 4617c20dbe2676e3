/**
 * UpSampling2D: enlarges rows and columns by `size` (default [2, 2]). interpolation 'nearest'
 * repeats each value; 'bilinear' interpolates between neighbours with half-pixel centres (as
 * Keras's resize with antialias off: output pixel i samples input position (i + 0.5) / size - 0.5,
 * clamped to the edges). Keras's other interpolations are not implemented and say so.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { resizeAxis } from '../preprocessing/resize_axis.js';
import { UpSamplingBase, type UpSamplingArgs } from './spatial_resize.js';

export interface UpSampling2DArgs extends UpSamplingArgs {
  /** 'nearest' (the default) or 'bilinear'. */
  interpolation?: string;
}

const KERAS_INTERPOLATIONS = ['nearest', 'bilinear', 'bicubic', 'lanczos3', 'lanczos5', 'area'];
const IMPLEMENTED = ['nearest', 'bilinear'];

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
    this.axes.forEach((a, i) => (x = resizeAxis(x, a, x.shape[a] * this.size[i], this.interpolation)));
    return x;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), interpolation: this.interpolation };
  }
}
