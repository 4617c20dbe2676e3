/**
 * Permute: reorders the axes of each example; `dims` is a permutation of 1..rank-1 (the batch axis
 * 0 stays). `new layers.Permute({ dims: [2, 1] })` swaps the two axes of (batch, a, b).
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { InputSpec } from '../../engine/input_spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface PermuteArgs extends LayerArgs {
  /** A permutation of 1..n, the new order of the non-batch axes. */
  dims: readonly number[];
}

export class Permute extends Layer<KerasTensor, Tensor> {
  readonly dims: number[];

  constructor(args: PermuteArgs) {
    super(args ?? {});
    const dims = args?.dims as unknown;
    const sorted = Array.isArray(dims) ? [...(dims as number[])].sort((a, b) => a - b) : [];
    if (!Array.isArray(dims) || dims.length === 0 || sorted.some((d, i) => d !== i + 1)) {
      throw new Error(
        `Permute: invalid permutation argument dims=${JSON.stringify(dims)}. Expected a permutation of the integers 1..n (indexing starts at 1; the batch axis 0 does not move). ` +
          `Fix: e.g. new layers.Permute({ dims: [2, 1] }).`,
      );
    }
    this.dims = [...(dims as number[])];
    this.inputSpec = new InputSpec({ ndim: this.dims.length + 1 });
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    return ops.transpose(inputs, { axes: [0, ...this.dims] });
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [inputShape[0], ...this.dims.map((d) => inputShape[d])];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: [...this.dims] };
  }
}
