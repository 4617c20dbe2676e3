/**
 * Resizing: images (batch, rows, cols, channels), or (batch, channels, rows, cols) under
 * channels_first, to (height, width). 'bilinear' (the default) uses half-pixel centres without
 * antialiasing: output position o samples input position (o + 0.5) · in / out - 0.5, clamped to the
 * edges; 'nearest' takes input index floor((o + 0.5) · in / out). With cropToAspectRatio the
 * largest central window with the target's aspect ratio is cut out first. The output has the
 * layer's dtype. Keras's other interpolations and padToAspectRatio are not implemented and say so.
 */
import type { ImageDataFormat } from '../../backend/config.js';
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { InputSpec } from '../../engine/input_spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { standardizeDataFormat } from '../convolutional/spatial_input.js';
import { resizeAxis, type ResizeInterpolation } from './resize_axis.js';

export type ResizingInterpolation = Extract<ResizeInterpolation, 'bilinear' | 'nearest'>;
const KERAS_INTERPOLATIONS = ['bilinear', 'nearest', 'bicubic', 'lanczos3', 'lanczos5'];
const IMPLEMENTED = ['bilinear', 'nearest'];

export interface ResizingArgs extends LayerArgs {
  /** Output rows. */
  height: number;
  /** Output columns. */
  width: number;
  /** 'bilinear' (the default) or 'nearest'. */
  interpolation?: ResizingInterpolation;
  /** Crop the largest central window with the target aspect ratio before resizing; default false. */
  cropToAspectRatio?: boolean;
  /** Keras's padding to the aspect ratio; not implemented, so only false. */
  padToAspectRatio?: boolean;
  /** Used with padToAspectRatio only; Keras supports only 'constant'. */
  fillMode?: string;
  /** Used with padToAspectRatio only; default 0. */
  fillValue?: number;
  /** Where the channels are; default `keras.config.imageDataFormat()`. */
  dataFormat?: ImageDataFormat | null;
}

export class Resizing extends Layer<KerasTensor, Tensor> {
  readonly height: number;
  readonly width: number;
  readonly interpolation: ResizingInterpolation;
  readonly cropToAspectRatio: boolean;
  readonly padToAspectRatio: boolean;
  readonly fillMode: string;
  readonly fillValue: number;
  readonly dataFormat: ImageDataFormat;

  constructor(args: ResizingArgs) {
    super(args ?? {});
    for (const key of ['height', 'width'] as const) {
      const v = args?.[key];
      if (!Number.isInteger(v) || (v as number) <= 0) {
        throw new Error(`Resizing: ${key} must be a positive integer, got ${JSON.stringify(v)}. Fix: new layers.Resizing({ height: 224, width: 224 }).`);
      }
    }
    const interpolation = args.interpolation ?? 'bilinear';
    if (!IMPLEMENTED.includes(interpolation)) {
      throw new Error(
        KERAS_INTERPOLATIONS.includes(interpolation)
          ? `Resizing: interpolation '${interpolation}' is not implemented in keras-ts yet; only 'bilinear' and 'nearest' are. Fix: use one of those.`
          : `Resizing: unknown interpolation ${JSON.stringify(interpolation)}. Expected one of ${KERAS_INTERPOLATIONS.map((i) => `'${i}'`).join(', ')} (keras-ts implements 'bilinear' and 'nearest'). Fix: interpolation: 'bilinear'.`,
      );
    }
    if (args.padToAspectRatio) {
      throw new Error(`Resizing: padToAspectRatio is not implemented in keras-ts yet. Fix: leave it out, or use cropToAspectRatio: true.`);
    }
    this.height = args.height;
    this.width = args.width;
    this.interpolation = interpolation;
    this.cropToAspectRatio = args.cropToAspectRatio ?? false;
    this.padToAspectRatio = false;
    this.fillMode = args.fillMode ?? 'constant';
    this.fillValue = args.fillValue ?? 0;
    this.dataFormat = standardizeDataFormat('Resizing', args.dataFormat);
    this.inputSpec = new InputSpec({ ndim: 4 });
    this.built = true;
  }

  private get axes(): [number, number] {
    return this.dataFormat === 'channels_last' ? [1, 2] : [2, 3];
  }

  call(inputs: Tensor): Tensor {
    const [r, c] = this.axes;
    let x = ops.cast(inputs, this.dtype);
    if (this.cropToAspectRatio) {
      const h = x.shape[r];
      const w = x.shape[c];
      const cropH = Math.max(Math.min(h, Math.trunc((w * this.height) / this.width)), 1);
      const cropW = Math.max(Math.min(w, Math.trunc((h * this.width) / this.height)), 1);
      const start = x.shape.map(() => 0);
      const size = [...x.shape];
      start[r] = Math.trunc((h - cropH) / 2);
      start[c] = Math.trunc((w - cropW) / 2);
      size[r] = cropH;
      size[c] = cropW;
      x = ops.slice(x, start, size);
    }
    return resizeAxis(resizeAxis(x, r, this.height, this.interpolation), c, this.width, this.interpolation);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    const [r, c] = this.axes;
    const out = [...inputShape];
    out[r] = this.height;
    out[c] = this.width;
    return out;
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    return `Resizing expects a batch of images ${this.dataFormat === 'channels_last' ? '(batch, rows, cols, channels)' : '(batch, channels, rows, cols)'}; got rank ${shape.length}. Fix: add a batch axis (and a channels axis of size 1 if needed).`;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      height: this.height,
      width: this.width,
      interpolation: this.interpolation,
      crop_to_aspect_ratio: this.cropToAspectRatio,
      pad_to_aspect_ratio: this.padToAspectRatio,
      fill_mode: this.fillMode,
      fill_value: this.fillValue,
      data_format: this.dataFormat,
    };
  }
}
