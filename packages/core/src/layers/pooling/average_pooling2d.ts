/**
 * AveragePooling2D: the mean of each window of an image batch; with padding 'same' the padded
 * cells are not counted, as in Keras.
 *
 * ```ts
 * new layers.AveragePooling2D({ poolSize: 3, strides: 1, padding: 'same' }).apply(Input({ shape: [28, 28, 8] }));   // [null, 28, 28, 8]
 * ```
 */
import { BasePooling, type BasePoolingArgs } from './base_pooling.js';

export type AveragePooling2DArgs = BasePoolingArgs;

export class AveragePooling2D extends BasePooling {
  /** poolSize [2, 2], strides the pool size, padding 'valid', dataFormat from keras.config by default. */
  constructor(args: AveragePooling2DArgs = {}) {
    super(2, 'average', [2, 2], args);
  }
}
