/**
 * AveragePooling1D: the mean of each window of a sequence batch; with padding 'same' the padded cells are not counted, as in Keras.
 *
 * ```ts
 * new layers.AveragePooling1D().apply(Input({ shape: [10, 8] }));   // [null, 5, 8]
 * ```
 */
import { BasePooling, type BasePoolingArgs } from './base_pooling.js';

export type AveragePooling1DArgs = BasePoolingArgs;

export class AveragePooling1D extends BasePooling {
  /** poolSize 2, strides the pool size, padding 'valid', dataFormat from keras.config by default. */
  constructor(args: AveragePooling1DArgs = {}) {
    super(1, 'average', 2, args);
  }
}
