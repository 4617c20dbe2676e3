/**
 * MaxPooling1D: the largest value of each window of a sequence batch (batch, steps, channels), or (batch, channels, steps) under channels_first.
 *
 * ```ts
 * new layers.MaxPooling1D().apply(Input({ shape: [10, 8] }));   // [null, 5, 8]
 * ```
 */
import { BasePooling, type BasePoolingArgs } from './base_pooling.js';

export type MaxPooling1DArgs = BasePoolingArgs;

export class MaxPooling1D extends BasePooling {
  /** poolSize 2, strides the pool size, padding 'valid', dataFormat from keras.config by default. */
  constructor(args: MaxPooling1DArgs = {}) {
    super(1, 'max', 2, args);
  }
}
