/**
 * Cropping2D: removes values before and after each of the 2 spatial axes (channels_last or channels_first).
 * cropping: one integer for every side, one per axis, or [before, after] pairs; default 0 (Keras's).
 */
import { CroppingBase, type CroppingArgs } from './spatial_resize.js';

export type Cropping2DArgs = CroppingArgs;

export class Cropping2D extends CroppingBase {
  constructor(args: Cropping2DArgs = {}) {
    super(args, 2, 0);
  }
}
