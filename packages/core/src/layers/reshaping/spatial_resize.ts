/**
 * The shared bodies of ZeroPadding1D/2D/3D, Cropping1D/2D/3D and UpSampling1D/2D/3D: each works
 * on the `rank` spatial axes of (batch, ...spatial, channels), or (batch, channels, ...spatial)
 * under channels_first.
 */
import type { ImageDataFormat } from '../../backend/config.js';
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { InputSpec } from '../../engine/input_spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { standardizeDataFormat, standardizeTuple } from '../convolutional/spatial_input.js';
import { repeatAlong, spatialAxes, standardizePairs } from './spatial_pairs.js';

export interface SpatialArgs extends LayerArgs {
  /** Where the channels are (2-D and 3-D layers); default `keras.config.imageDataFormat()`. */
  dataFormat?: ImageDataFormat | null;
}

abstract class SpatialLayer extends Layer<KerasTensor, Tensor> {
  readonly dataFormat: ImageDataFormat;

  constructor(
    args: SpatialArgs,
    protected readonly rank: number,
  ) {
    super(args ?? {});
    this.dataFormat = rank === 1 ? 'channels_last' : standardizeDataFormat(this.constructor.name, args?.dataFormat);
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
    this.built = true;
  }

  protected get axes(): number[] {
    return spatialAxes(this.dataFormat, this.rank);
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    const layout = this.rank === 1 ? '(batch, steps, features)' : this.dataFormat === 'channels_first' ? `(batch, channels, ${this.rank === 2 ? 'rows, cols' : 'dim1, dim2, dim3'})` : `(batch, ${this.rank === 2 ? 'rows, cols' : 'dim1, dim2, dim3'}, channels)`;
    return `${this.constructor.name} expects a ${this.rank + 2}-D input ${layout}; got rank ${shape.length}. Fix: reshape the input to that layout (add a channels axis of size 1 if needed).`;
  }

  override getConfig(): Record<string, unknown> {
    return this.rank === 1 ? super.getConfig() : { ...super.getConfig(), data_format: this.dataFormat };
  }
}

export interface ZeroPaddingArgs extends SpatialArgs {
  /** Zeros to add before and after each spatial axis: one integer, one per axis, or [before, after] pairs. */
  padding?: number | readonly number[] | readonly (readonly [number, number])[];
}

export abstract class ZeroPaddingBase extends SpatialLayer {
  readonly padding: [number, number][];

  constructor(args: ZeroPaddingArgs, rank: number) {
    super(args, rank);
    this.padding = standardizePairs(this.constructor.name, 'padding', args?.padding ?? 1, rank);
  }

  call(inputs: Tensor): Tensor {
    const widths = inputs.shape.map(() => [0, 0] as [number, number]);
    this.axes.forEach((a, i) => (widths[a] = this.padding[i]));
    return ops.pad(inputs, widths);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    const out = [...inputShape];
    this.axes.forEach((a, i) => {
      const d = out[a];
      out[a] = d === null ? null : d + this.padding[i][0] + this.padding[i][1];
    });
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.rank === 1 ? [...this.padding[0]] : this.padding.map((p) => [...p]) };
  }
}

export interface CroppingArgs extends SpatialArgs {
  /** Values to remove before and after each spatial axis: one integer, one per axis, or [before, after] pairs. */
  cropping?: number | readonly number[] | readonly (readonly [number, number])[];
}

export abstract class CroppingBase extends SpatialLayer {
  readonly cropping: [number, number][];

  constructor(args: CroppingArgs, rank: number, defaultCropping: number) {
    super(args, rank);
    this.cropping = standardizePairs(this.constructor.name, 'cropping', args?.cropping ?? defaultCropping, rank);
  }

  private croppedShape(inputShape: SymbolicShape): Dim[] {
    const out = [...inputShape];
    this.axes.forEach((a, i) => {
      const d = out[a];
      if (d === null) return;
      const kept = d - this.cropping[i][0] - this.cropping[i][1];
      if (kept <= 0) {
        throw new Error(
          `${this.constructor.name} "${this.name}": cropping ${JSON.stringify(this.cropping[i])} on axis ${a} removes all ${d} values of an input of shape ${formatShape(inputShape)}; ` +
            `the cropping must be smaller than the input. Fix: crop at most ${d - 1} values from that axis in total.`,
        );
      }
      out[a] = kept;
    });
    return out;
  }

  call(inputs: Tensor): Tensor {
    const out = this.croppedShape(inputs.shape) as number[];
    const start = inputs.shape.map(() => 0);
    this.axes.forEach((a, i) => (start[a] = this.cropping[i][0]));
    return ops.slice(inputs, start, out);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return this.croppedShape(inputShape);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.rank === 1 ? [...this.cropping[0]] : this.cropping.map((p) => [...p]) };
  }
}

export interface UpSamplingArgs extends SpatialArgs {
  /** The factor for each spatial axis: one positive integer or one per axis. */
  size?: number | readonly number[];
}

export abstract class UpSamplingBase extends SpatialLayer {
  readonly size: number[];

  constructor(args: UpSamplingArgs, rank: number) {
    super(args, rank);
    this.size = standardizeTuple(this.constructor.name, 'size', args?.size ?? 2, rank);
  }

  call(inputs: Tensor): Tensor {
    let x = inputs;
    this.axes.forEach((a, i) => (x = repeatAlong(x, a, this.size[i])));
    return x;
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    const out = [...inputShape];
    this.axes.forEach((a, i) => {
      const d = out[a];
      out[a] = d === null ? null : d * this.size[i];
    });
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.rank === 1 ? this.size[0] : [...this.size] };
  }
}
