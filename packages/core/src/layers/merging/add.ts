/**
 * Add: the elementwise sum of a list of inputs, `new layers.Add().apply([a, b])` (shapes that
 * broadcast after the batch axis). `layers.add([a, b])` is the functional shorthand.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import type { LayerArgs, LayerOutput } from '../../engine/layer.js';
import type { TensorLike } from '../../ops/convert.js';
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Merge } from './base_merge.js';

export class Add extends Merge {
  protected mergeFunction(inputs: Tensor[]): Tensor {
    let output = inputs[0];
    for (let i = 1; i < inputs.length; i++) output = ops.add(output, inputs[i]);
    return output;
  }
}

/** Keras's `layers.add(inputs)`: an Add layer applied to the list. */
export function add(inputs: KerasTensor[], args?: LayerArgs): KerasTensor;
export function add(inputs: TensorLike[], args?: LayerArgs): Tensor;
export function add(inputs: (TensorLike | KerasTensor)[], args: LayerArgs = {}): KerasTensor | LayerOutput {
  return new Add(args).apply(inputs as TensorLike[]) as KerasTensor | Tensor;
}
