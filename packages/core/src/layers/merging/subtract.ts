/**
 * Subtract: the first input minus the second (exactly two inputs, shapes that broadcast after the batch axis).
 * `layers.subtract(inputs)` is the functional shorthand.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import type { LayerArgs, LayerOutput } from '../../engine/layer.js';
import type { TensorLike } from '../../ops/convert.js';
import * as ops from '../../ops/index.js';
import type { SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Merge, listShapes, shapeList } from './base_merge.js';

export class Subtract extends Merge {
  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const shapes = shapeList(inputShape, this);
    if (shapes.length !== 2) {
      throw new Error(`A Subtract layer should be called on exactly 2 inputs (layer "${this.name}"); received ${shapes.length} inputs of shapes ${listShapes(shapes)}. Fix: new layers.Subtract().apply([a, b]) gives a - b.`);
    }
    super.build(shapes);
  }

  protected mergeFunction(inputs: Tensor[]): Tensor {
    if (inputs.length !== 2) {
      throw new Error(`A Subtract layer should be called on exactly 2 inputs (layer "${this.name}"); received ${inputs.length}. Fix: new layers.Subtract().apply([a, b]) gives a - b.`);
    }
    return ops.subtract(inputs[0], inputs[1]);
  }
}

/** Keras's `layers.subtract(inputs)`: a Subtract layer applied to the list. */
export function subtract(inputs: KerasTensor[], args?: LayerArgs): KerasTensor;
export function subtract(inputs: TensorLike[], args?: LayerArgs): Tensor;
export function subtract(inputs: (TensorLike | KerasTensor)[], args: LayerArgs = {}): KerasTensor | LayerOutput {
  return new Subtract(args).apply(inputs as TensorLike[]) as KerasTensor | Tensor;
}
