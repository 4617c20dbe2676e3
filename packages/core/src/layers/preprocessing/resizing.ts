/**
 * Resizing: images (batch, rows, cols, channels), or (batch, channels, rows, cols) under
 * channels_first, to (height, width). 'bilinear' (the default) uses half-pixel centres without
 * antialiasing: output position o samples input position (o + 0.5) · in / out - 0.5, clamped to the
 * edges; 'nearest' takes input index floor((o + 0.5) · in / out); 'bicubic', 'lanczos3' and
 * 'lanczos5' weigh the inputs by their kernel and renormalize at the edges (see resize_axis.ts).
 * With cropToAspectRatio the largest central window with the target's aspect ratio is cut out
 * first; with padToAspectRatio the image is padded with fillValue instead, by the same number of
 * rows (columns) on both sides, floor((max(h, floor(w · height / width)) − h) / 2), as Keras does.
 * The output has the layer's dtype.
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

export type ResizingInterpolation = ResizeInterpolation;
const INTERPOLATIONS: readonly string[] = ['bilinear', 'nearest', 'bicubic', 'lanczos3', 'lanczos5'];

export interface ResizingArgs extends LayerArgs {
  /** Output rows. */
  height: number;
  /** Output columns. */
  width: number;
  /** 'bilinear' (the default), 'nearest', 'bicubic', 'lanczos3' or 'lanczos5'. */
  interpolation?: ResizingInterpolation;
  /** Crop the largest central window with the target aspect ratio before resizing; default false. */
  cropToAspectRatio?: boolean;
  /** Pad (with fillValue) to the target aspect ratio before resizing, keeping the whole image; default false. */
  padToAspectRatio?: boolean;
  /** Used with padToAspectRatio only; 'constant' (the only mode Keras supports here). */
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
    if (!INTERPOLATIONS.includes(interpolation)) {
      throw new Error(
        `Resizing: unknown interpolation ${JSON.stringify(interpolation)}. Expected one of ${INTERPOLATIONS.map((i) => `'${i}'`).join(', ')}. Fix: interpolation: 'bilinear'.`,
      );
    }
    if (args.padToAspectRatio && args.cropToAspectRatio) {
      throw new Error('Resizing: padToAspectRatio and cropToAspectRatio cannot both be true (one pads, the other crops). Fix: set only one of them.');
    }
    const fillMode = args.fillMode ?? 'constant';
    if (fillMode !== 'constant') {
      throw new Error(`Resizing: fillMode ${JSON.stringify(fillMode)} is not supported; padToAspectRatio pads with fillValue only ('constant'). Fix: fillMode: 'constant'.`);
    }
    if (args.fillValue !== undefined && !Number.isFinite(args.fillValue)) {
      throw new Error(`Resizing: fillValue must be a finite number, got ${JSON.stringify(args.fillValue)}. Fix: fillValue: 0.`);
    }
    this.height = args.height;
    this.width = args.width;
    this.interpolation = interpolation;
    this.cropToAspectRatio = args.cropToAspectRatio ?? false;
    this.padToAspectRatio = args.padToAspectRatio ?? false;
    this.fillMode = fillMode;
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
    } else if (this.padToAspectRatio) {
      const h = x.shape[r];
      const w = x.shape[c];
      const padH = Math.max(h, Math.trunc((w * this.height) / this.width));
      const padW = Math.max(w, Math.trunc((h * this.width) / this.height));
      const pairs = x.shape.map((): [number, number] => [0, 0]);
      pairs[r] = [Math.trunc((padH - h) / 2), Math.trunc((padH - h) / 2)];
      pairs[c] = [Math.trunc((padW - w) / 2), Math.trunc((padW - w) / 2)];
      x = ops.pad(x, pairs, { constantValues: this.fillValue });
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
