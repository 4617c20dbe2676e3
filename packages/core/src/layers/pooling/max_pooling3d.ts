/**
 * MaxPooling3D: the largest value of each window of a volume batch (batch, depth, height, width, channels), or channels first.
 *
 * ```ts
 * new layers.MaxPooling3D().apply(Input({ shape: [8, 8, 8, 3] }));   // [null, 4, 4, 4, 3]
 * ```
 */
import { BasePooling, type BasePoolingArgs } from './base_pooling.js';

export type MaxPooling3DArgs = BasePoolingArgs;

export class MaxPooling3D extends BasePooling {
  /** poolSize [2, 2, 2], strides the pool size, padding 'valid', dataFormat from keras.config by default. */
  constructor(args: MaxPooling3DArgs = {}) {
    super(3, 'max', [2, 2, 2], args);
  }
}
