/** Identity: returns its input unchanged (a placeholder layer, as Keras's Identity). */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export class Identity extends Layer<KerasTensor, Tensor> {
  constructor(args: LayerArgs = {}) {
    super(args ?? {});
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    return inputs;
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape];
  }
}
