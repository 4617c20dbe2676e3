/**
 * AlphaDropout: dropout for SELU networks. In training a dropped value is set to SELU's negative
 * saturation value -alpha·scale instead of 0, then an affine map `a·x + b` restores the input's
 * mean and variance (self-normalization is kept); in inference the input passes through. The
 * masks come from core's Philox random, so a seed gives the same masks on every backend.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type CallOptions, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import { dropoutMask } from '../../random/random.js';
import { SeedGenerator, checkSeed } from '../../random/seed_generator.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkRate } from './spatial_dropout.js';

export interface AlphaDropoutArgs extends LayerArgs {
  /** The drop probability, in [0, 1]. */
  rate: number;
  /** The shape of the mask; null entries take the input's size (as Dropout's). */
  noiseShape?: readonly (number | null)[] | null;
  seed?: number | null;
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

export class AlphaDropout extends Layer<KerasTensor, Tensor> {
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;
  readonly seedGenerator: SeedGenerator | undefined;

  constructor(args: AlphaDropoutArgs) {
    super(args ?? ({} as AlphaDropoutArgs));
    this.rate = checkRate('AlphaDropout', args?.rate, 'the drop probability');
    const noise = args.noiseShape;
    if (noise !== undefined && noise !== null && (!Array.isArray(noise) || noise.some((d) => d !== null && (!Number.isInteger(d) || d <= 0)))) {
      throw new RangeError(`AlphaDropout: noiseShape must be a list of positive integers or nulls; received noiseShape=${JSON.stringify(noise)}. Fix: e.g. noiseShape: [null, 1, null].`);
    }
    this.noiseShape = noise ? [...noise] : null;
    this.seed = args.seed === undefined || args.seed === null ? null : checkSeed(args.seed, 'AlphaDropout');
    if (this.rate > 0) this.seedGenerator = new SeedGenerator(this.seed);
    this.built = true;
  }

  call(inputs: Tensor, options: CallOptions = {}): Tensor {
    if (options.training !== true || this.rate <= 0 || this.rate >= 1) return inputs;
    const shape = [...inputs.shape];
    const noise = this.noiseShape ? this.noiseShape.map((d, i) => (d === null ? shape[i] : d)) : shape;
    if (noise.length !== shape.length || noise.some((d, i) => d !== shape[i] && d !== 1)) {
      throw new Error(`AlphaDropout "${this.name}": noiseShape ${JSON.stringify(this.noiseShape)} does not fit an input of shape ${formatShape(shape)}. Fix: one entry per axis, each the input's size, 1 or null.`);
    }
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const keep = dropoutMask(noise, this.rate, this.seedGenerator);
    const a = ((1 - this.rate) * (1 + this.rate * alphaP * alphaP)) ** -0.5;
    const b = -a * alphaP * this.rate;
    const dropped = ops.where(keep, inputs, alphaP);
    return ops.add(ops.multiply(dropped, a), b);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, noise_shape: this.noiseShape };
  }
}
