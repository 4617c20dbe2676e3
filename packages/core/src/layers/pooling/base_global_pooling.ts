/**
 * BaseGlobalPooling: what the global pooling layers share (Keras's BaseGlobalPooling): the max or
 * mean over every spatial axis, keeping the channels; with `keepdims` the spatial axes stay, of size 1.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import type { ImageDataFormat } from '../../backend/config.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as ops from '../../ops/index.js';
import { InputSpec } from '../../engine/input_spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import { explainSpatialRank, standardizeDataFormat } from '../convolutional/spatial_input.js';

export interface BaseGlobalPoolingArgs extends LayerArgs {
  /** Where the channels are; default `keras.config.imageDataFormat()`. */
  dataFormat?: ImageDataFormat | null;
  /** Keep the spatial axes (size 1). Default false. */
  keepdims?: boolean;
}

export abstract class BaseGlobalPooling extends Layer<KerasTensor, Tensor> {
  readonly dataFormat: ImageDataFormat;
  readonly keepdims: boolean;
  readonly poolMode: 'max' | 'average';
  private readonly poolDimensions: number;
  private readonly dataFormatGiven: boolean;

  protected constructor(poolDimensions: number, poolMode: 'max' | 'average', args: BaseGlobalPoolingArgs = {}) {
    super(args ?? {});
    const where = new.target.name;
    const options = args ?? {};
    if (options.keepdims !== undefined && typeof options.keepdims !== 'boolean') {
      throw new Error(`${where}: keepdims must be true or false; received keepdims=${JSON.stringify(options.keepdims)}. Fix: pass keepdims: true to keep the spatial axes (size 1).`);
    }
    this.poolDimensions = poolDimensions;
    this.poolMode = poolMode;
    this.keepdims = options.keepdims ?? false;
    this.dataFormatGiven = options.dataFormat !== null && options.dataFormat !== undefined;
    this.dataFormat = standardizeDataFormat(where, options.dataFormat);
    this.inputSpec = new InputSpec({ ndim: poolDimensions + 2 });
    this.built = true;
  }

  private axes(rank: number): number[] {
    if (rank !== this.poolDimensions + 2) {
      throw new Error(`Layer "${this.name}": expected a rank-${this.poolDimensions + 2} input, got rank ${rank}.`);
    }
    const first = this.dataFormat === 'channels_first' ? 2 : 1;
    return Array.from({ length: this.poolDimensions }, (_, i) => first + i);
  }

  call(inputs: Tensor): Tensor {
    const axis = this.axes(inputs.rank);
    return this.poolMode === 'max' ? ops.max(inputs, { axis, keepdims: this.keepdims }) : ops.mean(inputs, { axis, keepdims: this.keepdims });
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    const axes = this.axes(inputShape.length);
    if (this.keepdims) return inputShape.map((d, i) => (axes.includes(i) ? 1 : d));
    return inputShape.filter((_, i) => !axes.includes(i));
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    return shape.length !== this.poolDimensions + 2 ? explainSpatialRank(this.constructor.name, shape, this.poolDimensions, this.dataFormat, this.dataFormatGiven) : undefined;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: this.dataFormat, keepdims: this.keepdims };
  }
}
