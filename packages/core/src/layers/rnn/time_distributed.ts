/**
 * TimeDistributed: applies a layer to every temporal slice of an input (batch, timesteps, ...), as
 * Keras 3's TimeDistributed. The timesteps are folded into the batch axis, the layer runs once, and
 * the result is unfolded to (batch, timesteps, ...output), so every timestep shares the layer's weights.
 *
 * ```ts
 * new layers.TimeDistributed({ layer: new layers.Dense({ units: 8 }) }).apply(Input({ shape: [10, 16] }));  // [null, 10, 8]
 * ```
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type CallOptions, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Activation } from '../activations/activation.js';
import { Conv2D } from '../convolutional/conv2d.js';
import { Dense } from '../core/dense.js';
import { BatchNormalization } from '../normalization/batch_normalization.js';
import { AveragePooling2D } from '../pooling/average_pooling2d.js';
import { MaxPooling2D } from '../pooling/max_pooling2d.js';
import { Dropout } from '../regularization/dropout.js';
import { Flatten } from '../reshaping/flatten.js';
import { Reshape } from '../reshaping/reshape.js';
import { deserializeCell, registerCell, serializeCell } from './rnn.js';

export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied to every timestep (or its `{ class_name, config }`). */
  layer: Layer | Record<string, unknown>;
}

export class TimeDistributed extends Layer<KerasTensor, Tensor> {
  readonly layer: Layer;

  constructor(args: TimeDistributedArgs) {
    super(args);
    const layer = args && typeof args === 'object' ? deserializeCell(args.layer, 'TimeDistributed') : undefined;
    if (!(layer instanceof Layer)) {
      throw new TypeError(
        `TimeDistributed: layer must be a keras-ts layer, got ${args && typeof args === 'object' ? JSON.stringify(args.layer) : JSON.stringify(args)}. ` +
          'Fix: new layers.TimeDistributed({ layer: new layers.Dense({ units: 8 }) }).',
      );
    }
    this.layer = layer;
  }

  private check(inputShape: SymbolicShape): void {
    if (inputShape.length < 3) {
      throw new Error(
        `TimeDistributed "${this.name}": the input must have at least 3 axes (batch, timesteps, ...), got shape ${formatShape(inputShape)}. ` +
          'Fix: give each example a timesteps axis, e.g. Input({ shape: [timesteps, features] }).',
      );
    }
  }

  override build(inputShape: SymbolicShape): void {
    this.check(inputShape);
    if (!this.layer.built) {
      this.layer.build([null, ...inputShape.slice(2)]);
      this.layer.built = true;
    }
    this.built = true;
  }

  call(inputs: Tensor, options: CallOptions = {}): Tensor {
    const [batch, steps, ...rest] = inputs.shape;
    const folded = ops.reshape(inputs, [batch * steps, ...rest]);
    const y = this.layer.apply(folded, { training: options.training }) as Tensor | Tensor[];
    if (Array.isArray(y)) throw new Error(`TimeDistributed "${this.name}": the wrapped layer "${this.layer.name}" returned ${y.length} tensors; TimeDistributed takes layers with one output.`);
    return ops.reshape(y, [batch, steps, ...y.shape.slice(1)]);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    this.check(inputShape);
    const inner = this.layer.computeOutputShape([null, ...inputShape.slice(2)]);
    if (Array.isArray(inner[0])) throw new Error(`TimeDistributed "${this.name}": the wrapped layer "${this.layer.name}" has several outputs; TimeDistributed takes layers with one output.`);
    return [inputShape[0], inputShape[1], ...(inner as Dim[]).slice(1)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: serializeCell(this.layer) };
  }
}

// The layers a TimeDistributed (or Bidirectional, RNN) config can name.
for (const Class of [Dense, Conv2D, Flatten, Reshape, Dropout, Activation, BatchNormalization, MaxPooling2D, AveragePooling2D]) {
  registerCell(Class.name, (config) => (Class as unknown as { fromConfig(c: Record<string, unknown>): Layer }).fromConfig(config));
}
registerCell('TimeDistributed', (config) => TimeDistributed.fromConfig(config));
