/** ELU: x for x > 0, `alpha * (exp(x) - 1)` otherwise (Keras's ELU layer, alpha default 1). */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface ELUArgs extends LayerArgs {
  /** The scale of the negative part. Default 1. */
  alpha?: number;
}

export class ELU extends Layer<KerasTensor, Tensor> {
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    super(args ?? {});
    const alpha = args?.alpha ?? 1;
    if (typeof alpha !== 'number' || !Number.isFinite(alpha)) {
      throw new TypeError(`ELU: alpha must be a finite number; received alpha=${JSON.stringify(alpha)}. Fix: e.g. new layers.ELU({ alpha: 1 }).`);
    }
    this.alpha = alpha;
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    return ops.elu(inputs, { alpha: this.alpha });
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
