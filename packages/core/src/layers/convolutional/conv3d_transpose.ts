/**
 * Conv3DTranspose: the transposed 3-D convolution (the input gradient of Conv3D), used to upsample
 * volumes. Kernel (kd, kh, kw, filters, inChannels), bias (filters). Computed as a sum over the
 * kernel's depth of 2-D transposed convolutions of depth slices.
 *
 * ```ts
 * new layers.Conv3DTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }).apply(Input({ shape: [4, 7, 7, 16] }));   // [null, 8, 14, 14, 8]
 * ```
 */
import { BaseConvTranspose, type BaseConvTransposeArgs } from './base_conv_transpose.js';

export type Conv3DTransposeArgs = BaseConvTransposeArgs;

export class Conv3DTranspose extends BaseConvTranspose {
  constructor(args: Conv3DTransposeArgs) {
    super(3, args);
  }
}
