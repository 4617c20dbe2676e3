/**
 * SeparableConv1D: 1-D separable convolution, a depthwise convolution then a pointwise (size-1) one that mixes the channels.
 *
 * ```ts
 * new layers.SeparableConv1D({ filters: 6, kernelSize: 3 }).apply(Input({ shape: [10, 4] }));   // [null, 8, 6]
 * ```
 */
import { BaseSeparableConv, type BaseSeparableConvArgs } from './base_separable_conv.js';

export type SeparableConv1DArgs = BaseSeparableConvArgs;

export class SeparableConv1D extends BaseSeparableConv {
  constructor(args: SeparableConv1DArgs) {
    super(1, args);
  }
}
