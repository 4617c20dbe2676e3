/** UpSampling3D: repeats each value `size[i]` times along each of the 3 spatial axes (nearest); default [2, 2, 2]. */
import { UpSamplingBase, type UpSamplingArgs } from './spatial_resize.js';

export type UpSampling3DArgs = UpSamplingArgs;

export class UpSampling3D extends UpSamplingBase {
  constructor(args: UpSampling3DArgs = {}) {
    super(args, 3);
  }
}
