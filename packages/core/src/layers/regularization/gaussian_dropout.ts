/**
 * GaussianDropout: in training multiplies the input by normal noise of mean 1 and standard
 * deviation sqrt(rate / (1 - rate)); in inference the input passes through. The noise comes from
 * core's Philox random, so a seed gives the same noise on every backend.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type CallOptions, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import { randomNormal } from '../../random/random.js';
import { SeedGenerator, checkSeed } from '../../random/seed_generator.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkRate } from './spatial_dropout.js';

export interface GaussianDropoutArgs extends LayerArgs {
  /** The drop probability, in [0, 1]: the noise has stddev sqrt(rate / (1 - rate)). */
  rate: number;
  seed?: number | null;
}

export class GaussianDropout extends Layer<KerasTensor, Tensor> {
  readonly rate: number;
  readonly seed: number | null;
  readonly seedGenerator: SeedGenerator | undefined;

  constructor(args: GaussianDropoutArgs) {
    super(args ?? ({} as GaussianDropoutArgs));
    this.rate = checkRate('GaussianDropout', args?.rate, 'the drop probability');
    this.seed = args.seed === undefined || args.seed === null ? null : checkSeed(args.seed, 'GaussianDropout');
    if (this.rate > 0) this.seedGenerator = new SeedGenerator(this.seed);
    this.built = true;
  }

  call(inputs: Tensor, options: CallOptions = {}): Tensor {
    // Keras applies the noise only for 0 < rate < 1 (rate 1 would need an infinite stddev).
    if (options.training !== true || this.rate <= 0 || this.rate >= 1) return inputs;
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    return ops.multiply(inputs, randomNormal([...inputs.shape], { mean: 1, stddev, seed: this.seedGenerator }));
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
