/**
 * Conv1D: 1-D convolution over sequences, `activation(conv1d(inputs, kernel) + bias)`. Input
 * (batch, steps, channels), or (batch, channels, steps) under channels_first; kernel
 * (k, channels / groups, filters). Besides 'valid' and 'same' it takes padding 'causal': the input
 * is padded on the left by `(kernelSize - 1) * dilationRate` zeros, so output step t only sees
 * input steps up to t.
 *
 * ```ts
 * new layers.Conv1D({ filters: 4, kernelSize: 3, padding: 'causal' }).apply(Input({ shape: [10, 2] }));   // [null, 10, 4]
 * ```
 */
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as ops from '../../ops/index.js';
import { BaseConv, type BaseConvArgs } from './base_conv.js';

export interface Conv1DArgs extends BaseConvArgs {
  /** 'valid' (default), 'same' or 'causal', case-insensitive. */
  padding?: string;
}

function readPadding(args: Conv1DArgs): { causal: boolean; padding: string | undefined } {
  const given = args?.padding;
  const mode = typeof given === 'string' ? given.toLowerCase() : given;
  if (mode !== undefined && mode !== 'valid' && mode !== 'same' && mode !== 'causal') {
    throw new Error(`Conv1D: padding must be 'valid', 'same' or 'causal'; received padding=${JSON.stringify(given)}. Fix: pass one of those ('causal' for sequence models that must not see the future).`);
  }
  return { causal: mode === 'causal', padding: mode === 'causal' ? 'valid' : (mode as string | undefined) };
}

export class Conv1D extends BaseConv {
  /** Whether padding is 'causal' (the base sees 'valid' on the left-padded input). */
  readonly causal: boolean;

  constructor(args: Conv1DArgs) {
    const { causal, padding } = readPadding(args);
    super(1, args && typeof args === 'object' ? { ...args, padding } : args);
    this.causal = causal;
  }

  private get leftPad(): number {
    return (this.kernelSize[0] - 1) * this.dilationRate[0];
  }

  /** The input shape after the causal left padding. */
  private padded(shape: SymbolicShape): Dim[] {
    if (!this.causal || shape.length !== 3) return [...shape];
    const axis = this.dataFormat === 'channels_first' ? 2 : 1;
    return shape.map((d, i) => (i === axis && d !== null ? d + this.leftPad : d));
  }

  override build(inputShape: SymbolicShape): void {
    super.build(this.padded(inputShape));
  }

  override call(inputs: Tensor): Tensor {
    if (!this.causal) return super.call(inputs);
    const pads: [number, number][] = this.dataFormat === 'channels_first' ? [[0, 0], [0, 0], [this.leftPad, 0]] : [[0, 0], [this.leftPad, 0], [0, 0]];
    return super.call(ops.pad(inputs, pads));
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return super.computeOutputShape(this.padded(inputShape));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.causal ? 'causal' : this.padding };
  }
}
