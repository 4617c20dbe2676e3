/**
 * Conv2D: 2-D convolution over images, `activation(conv2d(inputs, kernel) + bias)`.
 * Input (batch, height, width, channels), or (batch, channels, height, width) under channels_first;
 * kernel (kh, kw, channels / groups, filters), bias (filters).
 *
 * ```ts
 * new layers.Conv2D({ filters: 17, kernelSize: [3, 3] }).apply(Input({ shape: [64, 64, 3] }));   // [null, 62, 62, 17]
 * ```
 */
import { BaseConv, type BaseConvArgs } from './base_conv.js';

export type Conv2DArgs = BaseConvArgs;

export class Conv2D extends BaseConv {
  constructor(args: Conv2DArgs) {
    super(2, args);
  }
}
