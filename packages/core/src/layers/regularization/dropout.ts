/**
 * Dropout: in training (`apply(x, { training: true })`, as fit calls it) each value is zeroed with
 * probability `rate` and the kept ones are scaled by 1 / (1 - rate), so the expected sum is
 * unchanged; in inference the input passes through. The masks come from core's Philox random
 * (one SeedGenerator per layer), so a seed gives the same masks on every backend.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type CallOptions, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import { dropout as randomDropout } from '../../random/random.js';
import { SeedGenerator, checkSeed } from '../../random/seed_generator.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface DropoutArgs extends LayerArgs {
  /** The fraction of the input units to drop, in [0, 1]. */
  rate: number;
  /**
   * The shape of the mask, broadcast against the input; `null` entries take the input's size.
   * E.g. `[null, 1, null]` on (batch, timesteps, features) drops the same features at every step.
   */
  noiseShape?: readonly (number | null)[] | null;
  /** Seed of the masks: the same seed gives the same sequence of masks. */
  seed?: number | null;
}

function checkNoiseShape(noiseShape: unknown): (number | null)[] | null {
  if (noiseShape === null || noiseShape === undefined) return null;
  if (!Array.isArray(noiseShape)) {
    throw new TypeError(`Dropout: noiseShape must be a list of positive integers or null, got ${JSON.stringify(noiseShape)}. Fix: e.g. noiseShape: [null, 1, null].`);
  }
  noiseShape.forEach((d, i) => {
    if (d !== null && (!Number.isInteger(d) || d <= 0)) {
      throw new RangeError(
        `Dropout: noiseShape entry ${i} is ${JSON.stringify(d)}; expected a positive integer or null (null takes the input's size). ` +
          `Fix: use 1 to share the mask along an axis, or null, e.g. noiseShape: [null, 1, null].`,
      );
    }
  });
  return [...(noiseShape as (number | null)[])];
}

export class Dropout extends Layer<KerasTensor, Tensor> {
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;
  readonly seedGenerator: SeedGenerator | undefined;

  constructor(args: DropoutArgs) {
    super(args);
    // Keras passes an input's mask through this layer unchanged.
    this.supportsMasking = true;
    if (!args || typeof args !== 'object') {
      throw new TypeError(`Dropout: expected an options object such as { rate: 0.5 }, got ${JSON.stringify(args)}. Fix: new layers.Dropout({ rate: 0.5 }).`);
    }
    if (typeof args.rate !== 'number' || !(args.rate >= 0 && args.rate <= 1)) {
      throw new RangeError(
        `Dropout: invalid value received for argument rate. Expected a number between 0 and 1 (the fraction of the input units to drop), got ${JSON.stringify(args.rate)}. ` +
          `Fix: e.g. new layers.Dropout({ rate: 0.5 }).`,
      );
    }
    this.rate = args.rate;
    this.seed = args.seed === undefined || args.seed === null ? null : checkSeed(args.seed, 'Dropout');
    this.noiseShape = checkNoiseShape(args.noiseShape);
    if (this.rate > 0) this.seedGenerator = new SeedGenerator(this.seed);
    this.built = true;
  }

  call(inputs: Tensor, options: CallOptions = {}): Tensor {
    if (options.training !== true || this.rate === 0) return inputs;
    // Everything dropped: zeros (where, so that an inf or NaN input also gives 0).
    if (this.rate === 1) return ops.where(false, inputs, 0);
    return randomDropout(inputs, this.rate, { noiseShape: this.noiseShape, seed: this.seedGenerator });
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, noise_shape: this.noiseShape };
  }
}
