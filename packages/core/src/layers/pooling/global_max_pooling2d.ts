/**
 * GlobalMaxPooling2D: the largest value over height and width of each channel; keepdims keeps the spatial axes with size 1.
 *
 * ```ts
 * new layers.GlobalMaxPooling2D().apply(Input({ shape: [7, 7, 8] }));   // [null, 8]
 * ```
 */
import { BaseGlobalPooling, type BaseGlobalPoolingArgs } from './base_global_pooling.js';

export type GlobalMaxPooling2DArgs = BaseGlobalPoolingArgs;

export class GlobalMaxPooling2D extends BaseGlobalPooling {
  /** dataFormat from keras.config, keepdims false by default. */
  constructor(args: GlobalMaxPooling2DArgs = {}) {
    super(2, 'max', args);
  }
}
