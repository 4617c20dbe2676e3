/** RepeatVector: repeats each example's vector `n` times: (batch, features) -> (batch, n, features). */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { InputSpec } from '../../engine/input_spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface RepeatVectorArgs extends LayerArgs {
  /** How many times to repeat, a positive integer. */
  n: number;
}

export class RepeatVector extends Layer<KerasTensor, Tensor> {
  readonly n: number;

  constructor(args: RepeatVectorArgs) {
    super(args ?? {});
    if (!Number.isInteger(args?.n) || args.n < 1) {
      throw new Error(`RepeatVector: expected n to be a positive integer, received n=${JSON.stringify(args?.n)}. Fix: e.g. new layers.RepeatVector({ n: 3 }).`);
    }
    this.n = args.n;
    this.inputSpec = new InputSpec({ ndim: 2 });
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    return ops.broadcastTo(ops.expandDims(inputs, 1), [inputs.shape[0], this.n, inputs.shape[1]]);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [inputShape[0], this.n, inputShape[1]];
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    return `RepeatVector takes (batch, features) and gives (batch, n, features); got rank ${shape.length}. Fix: Flatten or Reshape the input to (batch, features) first.`;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}
