/**
 * BasePooling: what the N-D pooling layers share (Keras's BasePooling): the max or the average of
 * each window, channels_last or channels_first, strides defaulting to the pool size.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import type { ImageDataFormat } from '../../backend/config.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as ops from '../../ops/index.js';
import { InputSpec } from '../../engine/input_spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import { explainSpatialRank, standardizeDataFormat, standardizePadding, standardizeTuple } from '../convolutional/spatial_input.js';

export interface BasePoolingArgs extends LayerArgs {
  /** The window: one size for every spatial axis, or one per axis. */
  poolSize?: number | readonly number[];
  /** Default (null): the pool size. */
  strides?: number | readonly number[] | null;
  /** 'valid' (default) or 'same', case-insensitive. */
  padding?: string;
  /** Where the channels are; default `keras.config.imageDataFormat()`. */
  dataFormat?: ImageDataFormat | null;
}

export type PoolMode = 'max' | 'average';

export abstract class BasePooling extends Layer<KerasTensor, Tensor> {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: ImageDataFormat;
  readonly poolMode: PoolMode;
  private readonly poolDimensions: number;
  private readonly dataFormatGiven: boolean;

  protected constructor(poolDimensions: number, poolMode: PoolMode, defaultPoolSize: number | readonly number[], args: BasePoolingArgs = {}) {
    super(args ?? {});
    const where = new.target.name;
    const options = args ?? {};
    this.poolDimensions = poolDimensions;
    this.poolMode = poolMode;
    this.poolSize = standardizeTuple(where, 'poolSize', options.poolSize ?? defaultPoolSize, poolDimensions);
    this.strides = options.strides === null || options.strides === undefined ? [...this.poolSize] : standardizeTuple(where, 'strides', options.strides, poolDimensions);
    this.padding = standardizePadding(where, options.padding ?? 'valid');
    this.dataFormatGiven = options.dataFormat !== null && options.dataFormat !== undefined;
    this.dataFormat = standardizeDataFormat(where, options.dataFormat);
    this.inputSpec = new InputSpec({ ndim: poolDimensions + 2 });
    // No weights: built at once, as in Keras.
    this.built = true;
  }

  private get className(): string {
    return this.constructor.name;
  }

  /** Rank and window checks, in the user's terms, before the op's own. */
  private checkInput(inputShape: SymbolicShape): void {
    if (inputShape.length !== this.poolDimensions + 2) {
      throw new Error(`Layer "${this.name}": ${explainSpatialRank(this.className, inputShape, this.poolDimensions, this.dataFormat, this.dataFormatGiven)}`);
    }
    if (this.padding !== 'valid') return;
    const spatial = this.dataFormat === 'channels_first' ? inputShape.slice(2) : inputShape.slice(1, -1);
    if (spatial.some((d, i) => d !== null && d < this.poolSize[i])) {
      const x = (list: readonly Dim[]): string => list.map((d) => (d === null ? 'None' : String(d))).join('x');
      throw new Error(
        `${this.className} "${this.name}": the ${x(this.poolSize)} pool window is larger than the ${x(spatial)} input (the spatial axes of ${formatShape(inputShape)}) ` +
          `with padding 'valid', so the output would be empty. Fix: use padding: 'same', a smaller poolSize, or a larger input.`,
      );
    }
  }

  call(inputs: Tensor): Tensor {
    this.checkInput(inputs.shape);
    const options = { strides: this.strides, padding: this.padding, dataFormat: this.dataFormat };
    return this.poolMode === 'max' ? ops.maxPool(inputs, this.poolSize, options) : ops.averagePool(inputs, this.poolSize, options);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    this.checkInput(inputShape);
    return ops.poolOutputShape(inputShape, this.poolSize, { strides: this.strides, padding: this.padding, dataFormat: this.dataFormat });
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    return shape.length !== this.poolDimensions + 2 ? explainSpatialRank(this.className, shape, this.poolDimensions, this.dataFormat, this.dataFormatGiven) : undefined;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      pool_size: [...this.poolSize],
      padding: this.padding,
      strides: [...this.strides],
      data_format: this.dataFormat,
    };
  }
}
