/**
 * Cropping3D: removes values before and after each of the 3 spatial axes (channels_last or channels_first).
 * cropping: one integer for every side, one per axis, or [before, after] pairs; default 0 (Keras's).
 */
import { CroppingBase, type CroppingArgs } from './spatial_resize.js';

export type Cropping3DArgs = CroppingArgs;

export class Cropping3D extends CroppingBase {
  constructor(args: Cropping3DArgs = {}) {
    super(args, 3, 0);
  }
}
