/**
 * GlobalMaxPooling1D: the largest value over the steps of each channel; keepdims keeps the spatial axes with size 1.
 *
 * ```ts
 * new layers.GlobalMaxPooling1D().apply(Input({ shape: [10, 8] }));   // [null, 8]
 * ```
 */
import { BaseGlobalPooling, type BaseGlobalPoolingArgs } from './base_global_pooling.js';

export type GlobalMaxPooling1DArgs = BaseGlobalPoolingArgs;

export class GlobalMaxPooling1D extends BaseGlobalPooling {
  /** dataFormat from keras.config, keepdims false by default. */
  constructor(args: GlobalMaxPooling1DArgs = {}) {
    super(1, 'max', args);
  }
}
