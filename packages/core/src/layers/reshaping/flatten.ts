/**
 * Flatten: each example to one vector, the batch axis untouched: (batch, ...) -> (batch, prod(...)).
 * Under channels_first the channels are moved last first, so the order matches channels_last
 * (as Keras does); an input (batch,) becomes (batch, 1).
 *
 * ```ts
 * new layers.Flatten().apply(Input({ shape: [10, 64] }));   // [null, 640]
 * ```
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import type { ImageDataFormat } from '../../backend/config.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as ops from '../../ops/index.js';
import { InputSpec } from '../../engine/input_spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import { standardizeDataFormat } from '../convolutional/spatial_input.js';

export interface FlattenArgs extends LayerArgs {
  /** Where the channels are; default `keras.config.imageDataFormat()`. */
  dataFormat?: ImageDataFormat | null;
}

export class Flatten extends Layer<KerasTensor, Tensor> {
  readonly dataFormat: ImageDataFormat;

  constructor(args: FlattenArgs = {}) {
    super(args ?? {});
    this.dataFormat = standardizeDataFormat('Flatten', args?.dataFormat);
    this.inputSpec = new InputSpec({ minNdim: 1 });
  }

  call(inputs: Tensor): Tensor {
    const rank = inputs.shape.length;
    let x = inputs;
    if (this.dataFormat === 'channels_first' && rank > 2) {
      x = ops.transpose(x, { axes: [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1] });
    }
    const perExample = inputs.shape.slice(1).reduce((a, b) => a * b, 1);
    return ops.reshape(x, [inputs.shape[0], perExample]);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    const rest = inputShape.slice(1);
    const size = rest.some((d) => d === null) ? null : rest.reduce<number>((a, b) => a * (b as number), 1);
    return [inputShape[0], size];
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    return shape.length === 0 ? 'Flatten keeps the first axis as the batch axis, so it needs at least one axis. Fix: pass a batch, e.g. shape (batch, ...).' : undefined;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: this.dataFormat };
  }
}
