/** SpatialDropout1D: dropout of whole channels of (batch, steps, channels): a channel is dropped at every step. */
import { SpatialDropoutBase, type SpatialDropoutArgs } from './spatial_dropout.js';

export type SpatialDropout1DArgs = Omit<SpatialDropoutArgs, 'dataFormat'>;

export class SpatialDropout1D extends SpatialDropoutBase {
  constructor(args: SpatialDropout1DArgs) {
    super(args as SpatialDropoutArgs, 1);
  }
}
