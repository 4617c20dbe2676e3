/**
 * GlobalAveragePooling3D: the mean over depth, height and width of each channel; keepdims keeps the spatial axes with size 1.
 *
 * ```ts
 * new layers.GlobalAveragePooling3D().apply(Input({ shape: [4, 4, 4, 8] }));   // [null, 8]
 * ```
 */
import { BaseGlobalPooling, type BaseGlobalPoolingArgs } from './base_global_pooling.js';

export type GlobalAveragePooling3DArgs = BaseGlobalPoolingArgs;

export class GlobalAveragePooling3D extends BaseGlobalPooling {
  /** dataFormat from keras.config, keepdims false by default. */
  constructor(args: GlobalAveragePooling3DArgs = {}) {
    super(3, 'average', args);
  }
}
