/**
 * GlobalAveragePooling1D: the mean over the steps of each channel; keepdims keeps the spatial axes with size 1.
 *
 * ```ts
 * new layers.GlobalAveragePooling1D().apply(Input({ shape: [10, 8] }));   // [null, 8]
 * ```
 */
import { BaseGlobalPooling, type BaseGlobalPoolingArgs } from './base_global_pooling.js';

export type GlobalAveragePooling1DArgs = BaseGlobalPoolingArgs;

export class GlobalAveragePooling1D extends BaseGlobalPooling {
  /** dataFormat from keras.config, keepdims false by default. */
  constructor(args: GlobalAveragePooling1DArgs = {}) {
    super(1, 'average', args);
  }
}
