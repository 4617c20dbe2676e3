/**
 * GlobalMaxPooling3D: the largest value over depth, height and width of each channel; keepdims keeps the spatial axes with size 1.
 *
 * ```ts
 * new layers.GlobalMaxPooling3D().apply(Input({ shape: [4, 4, 4, 8] }));   // [null, 8]
 * ```
 */
import { BaseGlobalPooling, type BaseGlobalPoolingArgs } from './base_global_pooling.js';

export type GlobalMaxPooling3DArgs = BaseGlobalPoolingArgs;

export class GlobalMaxPooling3D extends BaseGlobalPooling {
  /** dataFormat from keras.config, keepdims false by default. */
  constructor(args: GlobalMaxPooling3DArgs = {}) {
    super(3, 'max', args);
  }
}
