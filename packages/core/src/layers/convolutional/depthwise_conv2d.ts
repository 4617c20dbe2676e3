/**
 * DepthwiseConv2D: 2-D depthwise convolution over images; each input channel is convolved with depthMultiplier filters of its own.
 *
 * ```ts
 * new layers.DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2 }).apply(Input({ shape: [10, 10, 4] }));   // [null, 8, 8, 8]
 * ```
 */
import { BaseDepthwiseConv, type BaseDepthwiseConvArgs } from './base_depthwise_conv.js';

export type DepthwiseConv2DArgs = BaseDepthwiseConvArgs;

export class DepthwiseConv2D extends BaseDepthwiseConv {
  constructor(args: DepthwiseConv2DArgs) {
    super(2, args);
  }
}
