/**
 * Multiply: the elementwise product of a list of inputs (shapes that broadcast after the batch axis).
 * `layers.multiply(inputs)` is the functional shorthand.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import type { LayerArgs, LayerOutput } from '../../engine/layer.js';
import type { TensorLike } from '../../ops/convert.js';
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Merge } from './base_merge.js';

export class Multiply extends Merge {
  protected mergeFunction(inputs: Tensor[]): Tensor {
    let output = inputs[0];
    for (let i = 1; i < inputs.length; i++) output = ops.multiply(output, inputs[i]);
    return output;
  }
}

/** Keras's `layers.multiply(inputs)`: a Multiply layer applied to the list. */
export function multiply(inputs: KerasTensor[], args?: LayerArgs): KerasTensor;
export function multiply(inputs: TensorLike[], args?: LayerArgs): Tensor;
export function multiply(inputs: (TensorLike | KerasTensor)[], args: LayerArgs = {}): KerasTensor | LayerOutput {
  return new Multiply(args).apply(inputs as TensorLike[]) as KerasTensor | Tensor;
}
