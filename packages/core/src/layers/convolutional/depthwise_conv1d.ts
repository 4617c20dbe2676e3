/**
 * DepthwiseConv1D: 1-D depthwise convolution over sequences; each input channel is convolved with depthMultiplier filters of its own.
 *
 * ```ts
 * new layers.DepthwiseConv1D({ kernelSize: 3, depthMultiplier: 2 }).apply(Input({ shape: [10, 4] }));   // [null, 8, 8]
 * ```
 */
import { BaseDepthwiseConv, type BaseDepthwiseConvArgs } from './base_depthwise_conv.js';

export type DepthwiseConv1DArgs = BaseDepthwiseConvArgs;

export class DepthwiseConv1D extends BaseDepthwiseConv {
  constructor(args: DepthwiseConv1DArgs) {
    super(1, args);
  }
}
