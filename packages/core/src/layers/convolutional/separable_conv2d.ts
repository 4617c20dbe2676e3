/**
 * SeparableConv2D: 2-D separable convolution, a depthwise convolution then a pointwise (1x1) one that mixes the channels.
 *
 * ```ts
 * new layers.SeparableConv2D({ filters: 6, kernelSize: 3 }).apply(Input({ shape: [10, 10, 4] }));   // [null, 8, 8, 6]
 * ```
 */
import { BaseSeparableConv, type BaseSeparableConvArgs } from './base_separable_conv.js';

export type SeparableConv2DArgs = BaseSeparableConvArgs;

export class SeparableConv2D extends BaseSeparableConv {
  constructor(args: SeparableConv2DArgs) {
    super(2, args);
  }
}
