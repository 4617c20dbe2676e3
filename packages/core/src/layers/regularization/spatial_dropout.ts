/**
 * The shared body of SpatialDropout1D/2D/3D: dropout of whole feature maps. In training each
 * channel of each example is dropped (all its steps or pixels together) with probability `rate`
 * and the kept ones are scaled by 1 / (1 - rate); in inference the input passes through. The
 * masks come from core's Philox random, so a seed gives the same masks on every backend.
 */
import type { ImageDataFormat } from '../../backend/config.js';
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { InputSpec } from '../../engine/input_spec.js';
import { Layer, type CallOptions, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import { dropout as randomDropout } from '../../random/random.js';
import { SeedGenerator, checkSeed } from '../../random/seed_generator.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { standardizeDataFormat } from '../convolutional/spatial_input.js';

export interface SpatialDropoutArgs extends LayerArgs {
  /** The fraction of the channels to drop, in [0, 1]. */
  rate: number;
  /** Seed of the masks: the same seed gives the same sequence of masks. */
  seed?: number | null;
  /** Where the channels are (2-D and 3-D); default `keras.config.imageDataFormat()`. */
  dataFormat?: ImageDataFormat | null;
}

/** A rate in [0, 1], or an error that says what came. */
export function checkRate(where: string, rate: unknown, what = 'the fraction of the input units to drop'): number {
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw new RangeError(
      `${where}: invalid value received for argument rate. Expected a number between 0 and 1 (${what}), got ${JSON.stringify(rate)}. Fix: e.g. new layers.${where}({ rate: 0.5 }).`,
    );
  }
  return rate;
}

export abstract class SpatialDropoutBase extends Layer<KerasTensor, Tensor> {
  readonly rate: number;
  readonly seed: number | null;
  readonly dataFormat: ImageDataFormat;
  readonly seedGenerator: SeedGenerator | undefined;

  constructor(
    args: SpatialDropoutArgs,
    protected readonly spatialRank: number,
  ) {
    super(args ?? ({} as SpatialDropoutArgs));
    const where = this.constructor.name;
    if (!args || typeof args !== 'object') {
      throw new TypeError(`${where}: expected an options object such as { rate: 0.5 }, got ${JSON.stringify(args)}. Fix: new layers.${where}({ rate: 0.5 }).`);
    }
    this.rate = checkRate(where, args.rate, 'the fraction of the channels to drop');
    this.seed = args.seed === undefined || args.seed === null ? null : checkSeed(args.seed, where);
    this.dataFormat = spatialRank === 1 ? 'channels_last' : standardizeDataFormat(where, args.dataFormat);
    if (this.rate > 0) this.seedGenerator = new SeedGenerator(this.seed);
    this.inputSpec = new InputSpec({ ndim: spatialRank + 2 });
    this.built = true;
  }

  /** One mask value per example and channel: size 1 along the spatial axes. */
  private noiseShape(shape: readonly number[]): number[] {
    return shape.map((d, i) => (i === 0 ? d : (this.dataFormat === 'channels_first' ? i === 1 : i === shape.length - 1) ? d : 1));
  }

  call(inputs: Tensor, options: CallOptions = {}): Tensor {
    if (options.training !== true || this.rate === 0) return inputs;
    if (this.rate === 1) return ops.where(false, inputs, 0);
    return randomDropout(inputs, this.rate, { noiseShape: this.noiseShape(inputs.shape), seed: this.seedGenerator });
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape];
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    const spatial = this.spatialRank === 1 ? 'steps' : this.spatialRank === 2 ? 'rows, cols' : 'dim1, dim2, dim3';
    const layout = this.dataFormat === 'channels_first' ? `(batch, channels, ${spatial})` : `(batch, ${spatial}, channels)`;
    return `${this.constructor.name} expects a ${this.spatialRank + 2}-D input ${layout}; got rank ${shape.length}. Fix: use the SpatialDropout layer that matches the input's rank, or Dropout.`;
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { ...super.getConfig(), rate: this.rate, seed: this.seed };
    if (this.spatialRank > 1) config.data_format = this.dataFormat;
    return config;
  }
}
