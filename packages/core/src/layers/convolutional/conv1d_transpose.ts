/**
 * Conv1DTranspose: the transposed 1-D convolution (the input gradient of Conv1D), used to upsample
 * sequences. Kernel (k, filters, inChannels), bias (filters).
 *
 * ```ts
 * new layers.Conv1DTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }).apply(Input({ shape: [7, 16] }));   // [null, 14, 8]
 * ```
 */
import { BaseConvTranspose, type BaseConvTransposeArgs } from './base_conv_transpose.js';

export type Conv1DTransposeArgs = BaseConvTransposeArgs;

export class Conv1DTranspose extends BaseConvTranspose {
  constructor(args: Conv1DTransposeArgs) {
    super(1, args);
  }
}
