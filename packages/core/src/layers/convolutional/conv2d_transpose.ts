/**
 * Conv2DTranspose: the transposed 2-D convolution (the input gradient of Conv2D), used to upsample
 * images. Kernel (kh, kw, filters, inChannels), bias (filters).
 *
 * ```ts
 * new layers.Conv2DTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }).apply(Input({ shape: [7, 7, 16] }));   // [null, 14, 14, 8]
 * ```
 */
import { BaseConvTranspose, type BaseConvTransposeArgs } from './base_conv_transpose.js';

export type Conv2DTransposeArgs = BaseConvTransposeArgs;

export class Conv2DTranspose extends BaseConvTranspose {
  constructor(args: Conv2DTransposeArgs) {
    super(2, args);
  }
}
