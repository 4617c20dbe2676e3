/**
 * CenterCrop: keeps the central (height, width) window of images (batch, rows, cols, channels),
 * or (batch, channels, rows, cols) under channels_first. When an odd number of rows (columns) is
 * removed, the extra one comes from the bottom (right). An image smaller than the target on either
 * axis is instead cut to the largest central window with the target's aspect ratio and resized
 * bilinearly to (height, width), as Keras's smart resize does. The output has the layer's dtype.
 */
import type { ImageDataFormat } from '../../backend/config.js';
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { InputSpec } from '../../engine/input_spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import { type Dim, type SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { standardizeDataFormat } from '../convolutional/spatial_input.js';
import { Resizing } from './resizing.js';

export interface CenterCropArgs extends LayerArgs {
  /** Rows to keep. */
  height: number;
  /** Columns to keep. */
  width: number;
  /** Where the channels are; default `keras.config.imageDataFormat()`. */
  dataFormat?: ImageDataFormat | null;
}

export class CenterCrop extends Layer<KerasTensor, Tensor> {
  readonly height: number;
  readonly width: number;
  readonly dataFormat: ImageDataFormat;

  constructor(args: CenterCropArgs) {
    super(args ?? {});
    for (const key of ['height', 'width'] as const) {
      const v = args?.[key];
      if (!Number.isInteger(v) || (v as number) <= 0) {
        throw new Error(`CenterCrop: ${key} must be a positive integer, got ${JSON.stringify(v)}. Fix: new layers.CenterCrop({ height: 224, width: 224 }).`);
      }
    }
    this.height = args.height;
    this.width = args.width;
    this.dataFormat = standardizeDataFormat('CenterCrop', args.dataFormat);
    this.inputSpec = new InputSpec({ ndim: 4 });
    this.built = true;
  }

  private get axes(): [number, number] {
    return this.dataFormat === 'channels_last' ? [1, 2] : [2, 3];
  }

  call(inputs: Tensor): Tensor {
    const [r, c] = this.axes;
    if (inputs.shape[r] < this.height || inputs.shape[c] < this.width) {
      const resize = new Resizing({ height: this.height, width: this.width, cropToAspectRatio: true, dataFormat: this.dataFormat, dtype: this.dtype });
      return resize.call(inputs);
    }
    const start = inputs.shape.map(() => 0);
    const size = [...inputs.shape];
    start[r] = Math.floor((inputs.shape[r] - this.height) / 2);
    start[c] = Math.floor((inputs.shape[c] - this.width) / 2);
    size[r] = this.height;
    size[c] = this.width;
    return ops.cast(ops.slice(inputs, start, size), this.dtype);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    const [r, c] = this.axes;
    const out = [...inputShape];
    out[r] = this.height;
    out[c] = this.width;
    return out;
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    return `CenterCrop expects a batch of images ${this.dataFormat === 'channels_last' ? '(batch, rows, cols, channels)' : '(batch, channels, rows, cols)'}; got rank ${shape.length}. Fix: add a batch axis (and a channels axis of size 1 if needed).`;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width, data_format: this.dataFormat };
  }
}
