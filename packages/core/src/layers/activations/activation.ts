/**
 * Activation: applies an activation function, by name (Keras's names, camelCase accepted) or as
 * a function, e.g. `new layers.Activation({ activation: 'relu' })`.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import * as activations from '../../activations/index.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface ActivationArgs extends LayerArgs {
  /** A name from keras.activations ('relu', 'softmax', ...), a function of a tensor, or null for linear. */
  activation: string | activations.Activation | null;
}

export class Activation extends Layer<KerasTensor, Tensor> {
  readonly activation: activations.NamedActivation;

  constructor(args: ActivationArgs) {
    if (typeof args === 'string' || typeof args === 'function') {
      throw new TypeError(`Activation: expected an options object, got ${typeof args === 'string' ? `'${args}'` : 'a function'}. Fix: new layers.Activation({ activation: ${typeof args === 'string' ? `'${args}'` : 'fn'} }).`);
    }
    super(args);
    // Keras passes an input's mask through this layer unchanged.
    this.supportsMasking = true;
    if (!args || typeof args !== 'object' || args.activation === undefined) {
      throw new TypeError(
        `Activation: the activation argument is required. Expected a name such as 'relu', a function, or null for linear. Fix: new layers.Activation({ activation: 'relu' }).`,
      );
    }
    this.activation = activations.get(args.activation);
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    return this.activation(inputs);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: activations.serialize(this.activation) };
  }
}
