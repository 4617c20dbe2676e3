/**
 * Cropping1D: removes values before and after each of the 1 spatial axes (axis 1 of (batch, steps, features)).
 * cropping: one integer for every side, one per axis, or [before, after] pairs; default 1 (Keras's).
 */
import { CroppingBase, type CroppingArgs } from './spatial_resize.js';

export type Cropping1DArgs = CroppingArgs;

export class Cropping1D extends CroppingBase {
  constructor(args: Cropping1DArgs = {}) {
    super(args, 1, 1);
  }
}
