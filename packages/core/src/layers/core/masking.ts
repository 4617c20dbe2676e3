/**
 * Masking: skips timesteps whose features all equal `maskValue`. The output is the input with
 * those timesteps zeroed; `computeMask(inputs)` gives the (batch, timesteps) bool mask, true where
 * a timestep is kept, which can be passed on as `apply(x, { mask })` (e.g. to an LSTM).
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import type { TensorLike } from '../../ops/convert.js';
import * as ops from '../../ops/index.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface MaskingArgs extends LayerArgs {
  /** The value that marks a skipped timestep when every feature has it. Default 0. */
  maskValue?: number;
}

export class Masking extends Layer<KerasTensor, Tensor> {
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    super(args ?? {});
    const value = args?.maskValue ?? 0;
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new TypeError(`Masking: maskValue must be a number; received maskValue=${JSON.stringify(value)}. Fix: e.g. new layers.Masking({ maskValue: 0 }).`);
    }
    this.maskValue = value;
    this.built = true;
  }

  /** True where some feature differs from maskValue: shape (batch, ..., 1) before squeezing. */
  private keep(inputs: Tensor): Tensor {
    return ops.greater(ops.max(ops.cast(ops.notEqual(inputs, this.maskValue), 'float32'), { axis: -1, keepdims: true }), 0);
  }

  /** Keras's compute_mask: a bool tensor of the input's shape without its last axis. */
  override computeMask(inputs: TensorLike | Tensor[]): Tensor {
    return ops.squeeze(this.keep(ops.convertToTensor(inputs as TensorLike, this.name)), { axis: -1 });
  }

  call(inputs: Tensor): Tensor {
    return ops.multiply(inputs, ops.cast(this.keep(inputs), inputs.dtype));
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mask_value: this.maskValue };
  }
}
