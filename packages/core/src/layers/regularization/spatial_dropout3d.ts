/** SpatialDropout3D: dropout of whole channels of (batch, ...3 spatial axes, channels) or channels_first: a channel is dropped at every position. */
import { SpatialDropoutBase, type SpatialDropoutArgs } from './spatial_dropout.js';

export type SpatialDropout3DArgs = SpatialDropoutArgs;

export class SpatialDropout3D extends SpatialDropoutBase {
  constructor(args: SpatialDropout3DArgs) {
    super(args as SpatialDropoutArgs, 3);
  }
}
