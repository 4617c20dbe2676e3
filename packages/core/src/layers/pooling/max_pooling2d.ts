/**
 * MaxPooling2D: the largest value of each window of an image batch (batch, height, width,
 * channels), or (batch, channels, height, width) under channels_first.
 *
 * ```ts
 * new layers.MaxPooling2D().apply(Input({ shape: [28, 28, 8] }));   // [null, 14, 14, 8]
 * ```
 */
import { BasePooling, type BasePoolingArgs } from './base_pooling.js';

export type MaxPooling2DArgs = BasePoolingArgs;

export class MaxPooling2D extends BasePooling {
  /** poolSize [2, 2], strides the pool size, padding 'valid', dataFormat from keras.config by default. */
  constructor(args: MaxPooling2DArgs = {}) {
    super(2, 'max', [2, 2], args);
  }
}
