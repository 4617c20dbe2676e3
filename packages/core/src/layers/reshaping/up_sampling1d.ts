/** UpSampling1D: repeats each step `size` times along axis 1 of (batch, steps, features); default 2. */
import { UpSamplingBase, type UpSamplingArgs } from './spatial_resize.js';

export interface UpSampling1DArgs extends Omit<UpSamplingArgs, 'dataFormat'> {
  size?: number;
}

export class UpSampling1D extends UpSamplingBase {
  constructor(args: UpSampling1DArgs = {}) {
    super(args, 1);
  }
}
