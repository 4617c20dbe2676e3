/**
 * ZeroPadding3D: adds zeros before and after each of the 3 spatial axes (channels_last or channels_first).
 * padding: one integer for every side, one per axis, or [before, after] pairs; default 1.
 */
import { ZeroPaddingBase, type ZeroPaddingArgs } from './spatial_resize.js';

export type ZeroPadding3DArgs = ZeroPaddingArgs;

export class ZeroPadding3D extends ZeroPaddingBase {
  constructor(args: ZeroPadding3DArgs = {}) {
    super(args, 3);
  }
}
