/**
 * AveragePooling3D: the mean of each window of a volume batch; with padding 'same' the padded cells are not counted, as in Keras.
 *
 * ```ts
 * new layers.AveragePooling3D().apply(Input({ shape: [8, 8, 8, 3] }));   // [null, 4, 4, 4, 3]
 * ```
 */
import { BasePooling, type BasePoolingArgs } from './base_pooling.js';

export type AveragePooling3DArgs = BasePoolingArgs;

export class AveragePooling3D extends BasePooling {
  /** poolSize [2, 2, 2], strides the pool size, padding 'valid', dataFormat from keras.config by default. */
  constructor(args: AveragePooling3DArgs = {}) {
    super(3, 'average', [2, 2, 2], args);
  }
}
