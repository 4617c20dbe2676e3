/**
 * Conv3D: 3-D convolution over volumes, `activation(conv3d(inputs, kernel) + bias)`. Input
 * (batch, depth, height, width, channels), or (batch, channels, depth, height, width) under
 * channels_first; kernel (kd, kh, kw, channels / groups, filters), bias (filters). Computed as a sum
 * over the kernel's depth of 2-D convolutions of depth slices.
 *
 * ```ts
 * new layers.Conv3D({ filters: 8, kernelSize: 3 }).apply(Input({ shape: [16, 16, 16, 1] }));   // [null, 14, 14, 14, 8]
 * ```
 */
import { BaseConv, type BaseConvArgs } from './base_conv.js';

export type Conv3DArgs = BaseConvArgs;

export class Conv3D extends BaseConv {
  constructor(args: Conv3DArgs) {
    super(3, args);
  }
}
