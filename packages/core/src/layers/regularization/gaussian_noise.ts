/**
 * GaussianNoise: in training adds zero-mean normal noise of standard deviation `stddev` (a
 * regularizer against overfitting); in inference the input passes through. The noise comes from
 * core's Philox random, so a seed gives the same noise on every backend.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type CallOptions, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import { randomNormal } from '../../random/random.js';
import { SeedGenerator, checkSeed } from '../../random/seed_generator.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface GaussianNoiseArgs extends LayerArgs {
  /** The standard deviation of the noise, in [0, 1]. */
  stddev: number;
  seed?: number | null;
}

export class GaussianNoise extends Layer<KerasTensor, Tensor> {
  readonly stddev: number;
  readonly seed: number | null;
  readonly seedGenerator: SeedGenerator | undefined;

  constructor(args: GaussianNoiseArgs) {
    super(args ?? ({} as GaussianNoiseArgs));
    const stddev = args?.stddev as unknown;
    if (typeof stddev !== 'number' || !(stddev >= 0 && stddev <= 1)) {
      throw new RangeError(
        `GaussianNoise: invalid value received for argument stddev. Expected a number between 0 and 1 (the standard deviation of the noise), got ${JSON.stringify(stddev)}. ` +
          `Fix: e.g. new layers.GaussianNoise({ stddev: 0.1 }).`,
      );
    }
    this.stddev = stddev;
    this.seed = args.seed === undefined || args.seed === null ? null : checkSeed(args.seed, 'GaussianNoise');
    if (this.stddev > 0) this.seedGenerator = new SeedGenerator(this.seed);
    this.built = true;
  }

  call(inputs: Tensor, options: CallOptions = {}): Tensor {
    if (options.training !== true || this.stddev === 0) return inputs;
    return ops.add(inputs, randomNormal([...inputs.shape], { mean: 0, stddev: this.stddev, seed: this.seedGenerator }));
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }
}
