/**
 * ActivityRegularization: passes its input through and adds l1 · sum(|x|) + l2 · sum(x²) of it to
 * the loss in training (through the base layer's activity regularizer).
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { L1L2 } from '../../regularizers/index.js';

export interface ActivityRegularizationArgs extends LayerArgs {
  l1?: number;
  l2?: number;
}

export class ActivityRegularization extends Layer<KerasTensor, Tensor> {
  readonly l1: number;
  readonly l2: number;

  constructor(args: ActivityRegularizationArgs = {}) {
    const regularizer = new L1L2({ l1: args.l1 ?? 0, l2: args.l2 ?? 0 });
    super({ ...args, activityRegularizer: regularizer });
    this.l1 = regularizer.l1;
    this.l2 = regularizer.l2;
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    return inputs;
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { ...super.getConfig(), l1: this.l1, l2: this.l2 };
    // The regularizer is the layer's own, rebuilt from l1 and l2.
    delete config.activity_regularizer;
    return config;
  }
}
