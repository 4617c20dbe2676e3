/**
 * GlobalAveragePooling2D: the mean over height and width of each channel; keepdims keeps the spatial axes with size 1.
 *
 * ```ts
 * new layers.GlobalAveragePooling2D().apply(Input({ shape: [7, 7, 8] }));   // [null, 8]
 * ```
 */
import { BaseGlobalPooling, type BaseGlobalPoolingArgs } from './base_global_pooling.js';

export type GlobalAveragePooling2DArgs = BaseGlobalPoolingArgs;

export class GlobalAveragePooling2D extends BaseGlobalPooling {
  /** dataFormat from keras.config, keepdims false by default. */
  constructor(args: GlobalAveragePooling2DArgs = {}) {
    super(2, 'average', args);
  }
}
