/** LeakyReLU: x for x > 0, `negativeSlope * x` otherwise (default slope 0.3, as in Keras's layer). */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface LeakyReLUArgs extends LayerArgs {
  /** The slope for x ≤ 0, a number ≥ 0. Default 0.3. */
  negativeSlope?: number;
}

export class LeakyReLU extends Layer<KerasTensor, Tensor> {
  readonly negativeSlope: number;

  constructor(args: LeakyReLUArgs = {}) {
    super(args ?? {});
    const slope = args?.negativeSlope ?? 0.3;
    if (typeof slope !== 'number' || !Number.isFinite(slope) || slope < 0) {
      throw new RangeError(`LeakyReLU: negativeSlope must be a number ≥ 0; received negativeSlope=${JSON.stringify(slope)}. Fix: e.g. new layers.LeakyReLU({ negativeSlope: 0.3 }).`);
    }
    this.negativeSlope = slope;
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    return ops.leakyRelu(inputs, { negativeSlope: this.negativeSlope });
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), negative_slope: this.negativeSlope };
  }
}
