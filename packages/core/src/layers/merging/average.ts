/**
 * Average: the elementwise mean of a list of inputs (shapes that broadcast after the batch axis).
 * `layers.average(inputs)` is the functional shorthand.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import type { LayerArgs, LayerOutput } from '../../engine/layer.js';
import type { TensorLike } from '../../ops/convert.js';
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Merge } from './base_merge.js';

export class Average extends Merge {
  protected mergeFunction(inputs: Tensor[]): Tensor {
    let output = inputs[0];
    for (let i = 1; i < inputs.length; i++) output = ops.add(output, inputs[i]);
    return ops.divide(output, inputs.length);
  }
}

/** Keras's `layers.average(inputs)`: a Average layer applied to the list. */
export function average(inputs: KerasTensor[], args?: LayerArgs): KerasTensor;
export function average(inputs: TensorLike[], args?: LayerArgs): Tensor;
export function average(inputs: (TensorLike | KerasTensor)[], args: LayerArgs = {}): KerasTensor | LayerOutput {
  return new Average(args).apply(inputs as TensorLike[]) as KerasTensor | Tensor;
}
