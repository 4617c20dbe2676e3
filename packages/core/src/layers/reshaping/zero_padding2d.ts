/**
 * ZeroPadding2D: adds zeros before and after each of the 2 spatial axes (channels_last or channels_first).
 * padding: one integer for every side, one per axis, or [before, after] pairs; default 1.
 */
import { ZeroPaddingBase, type ZeroPaddingArgs } from './spatial_resize.js';

export type ZeroPadding2DArgs = ZeroPaddingArgs;

export class ZeroPadding2D extends ZeroPaddingBase {
  constructor(args: ZeroPadding2DArgs = {}) {
    super(args, 2);
  }
}
