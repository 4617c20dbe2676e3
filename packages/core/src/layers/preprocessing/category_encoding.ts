/**
 * CategoryEncoding: integer category indices in [0, numTokens) to dense vectors of numTokens.
 * 'one_hot' encodes each index (an input whose last axis is 1 loses that axis; otherwise a new
 * last axis is added); 'multi_hot' (the default) marks which indices occur along the last axis;
 * 'count' counts how often each occurs. An input of rank 1 (batch,) is one index per example in
 * every mode. The output has the layer's dtype (float32); indices out of range are an error.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { InputSpec } from '../../engine/input_spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import { checkOnHost } from '../../runtime/compile.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export type CategoryEncodingMode = 'one_hot' | 'multi_hot' | 'count';
const MODES: readonly string[] = ['one_hot', 'multi_hot', 'count'];

export interface CategoryEncodingArgs extends LayerArgs {
  /** How many categories: every input index must lie in [0, numTokens). */
  numTokens: number;
  /** 'multi_hot' by default. */
  outputMode?: CategoryEncodingMode;
  /** Keras's sparse output; keras-ts has only dense tensors, so only false. */
  sparse?: boolean;
}

export class CategoryEncoding extends Layer<KerasTensor, Tensor> {
  readonly numTokens: number;
  readonly outputMode: CategoryEncodingMode;
  readonly sparse: boolean;

  constructor(args: CategoryEncodingArgs) {
    super(args ?? {});
    if (!Number.isInteger(args?.numTokens) || args.numTokens <= 0) {
      throw new Error(`CategoryEncoding: numTokens must be a positive integer, got ${JSON.stringify(args?.numTokens)}. Fix: new layers.CategoryEncoding({ numTokens: 4, outputMode: 'one_hot' }).`);
    }
    const mode = args.outputMode ?? 'multi_hot';
    if (!MODES.includes(mode)) {
      throw new Error(`CategoryEncoding: unknown outputMode ${JSON.stringify(mode)}. Expected one of 'one_hot', 'multi_hot', 'count'. Fix: outputMode: 'multi_hot'.`);
    }
    if (args.sparse) {
      throw new Error(`CategoryEncoding: sparse outputs are not implemented in keras-ts; outputs are dense. Fix: leave sparse out (false).`);
    }
    this.numTokens = args.numTokens;
    this.outputMode = mode;
    this.sparse = false;
    this.inputSpec = new InputSpec({ minNdim: 1 });
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    // Checked on the host; a compiled step checks each later input the same way before it runs.
    checkOnHost(inputs, (values) => {
      for (let i = 0; i < values.length; i++) {
        const v = Number(values[i]);
        if (!(Number.isInteger(v) && v >= 0 && v < this.numTokens)) {
          throw new Error(
            `CategoryEncoding "${this.name}": input values must be integers with 0 <= value < numTokens (${this.numTokens}); got ${v}. ` +
              `Fix: raise numTokens above the largest index, or map the inputs into that range first.`,
          );
        }
      }
    });
    const indices = ops.cast(inputs, 'int32');
    const rank = inputs.shape.length;
    if (rank === 1) return ops.oneHot(indices, this.numTokens, { dtype: this.dtype });
    const hot = ops.oneHot(indices, this.numTokens, { dtype: this.dtype });
    if (this.outputMode === 'one_hot') return inputs.shape[rank - 1] === 1 ? ops.squeeze(hot, { axis: rank - 1 }) : hot;
    return this.outputMode === 'count' ? ops.sum(hot, { axis: rank - 1 }) : ops.max(hot, { axis: rank - 1 });
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    const rank = inputShape.length;
    if (rank === 1) return [inputShape[0], this.numTokens];
    if (this.outputMode === 'one_hot' && inputShape[rank - 1] !== 1) return [...inputShape, this.numTokens];
    return [...inputShape.slice(0, -1), this.numTokens];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), num_tokens: this.numTokens, output_mode: this.outputMode, sparse: this.sparse };
  }
}
