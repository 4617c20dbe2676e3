/**
 * ZeroPadding1D: adds zeros before and after each of the 1 spatial axes (axis 1 of (batch, steps, features)).
 * padding: one integer for every side, one per axis, or [before, after] pairs; default 1.
 */
import { ZeroPaddingBase, type ZeroPaddingArgs } from './spatial_resize.js';

export type ZeroPadding1DArgs = ZeroPaddingArgs;

export class ZeroPadding1D extends ZeroPaddingBase {
  constructor(args: ZeroPadding1DArgs = {}) {
    super(args, 1);
  }
}
