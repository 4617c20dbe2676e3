/** SpatialDropout2D: dropout of whole channels of (batch, ...2 spatial axes, channels) or channels_first: a channel is dropped at every position. */
import { SpatialDropoutBase, type SpatialDropoutArgs } from './spatial_dropout.js';

export type SpatialDropout2DArgs = SpatialDropoutArgs;

export class SpatialDropout2D extends SpatialDropoutBase {
  constructor(args: SpatialDropout2DArgs) {
    super(args as SpatialDropoutArgs, 2);
  }
}
