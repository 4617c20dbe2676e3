/**
 * Softmax: `exp(x) / sum(exp(x))` along `axis` (default -1, a list sums over several axes). With a
 * mask (`apply(x, { mask })`, true where kept), masked positions get a large negative logit first.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type CallOptions, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface SoftmaxArgs extends LayerArgs {
  /** The axis (or axes) to normalize over. Default -1. */
  axis?: number | readonly number[];
}

export class Softmax extends Layer<KerasTensor, Tensor> {
  readonly axis: number | number[];

  constructor(args: SoftmaxArgs = {}) {
    super(args ?? {});
    const axis = args?.axis ?? -1;
    const list = Array.isArray(axis) ? axis : [axis];
    if (list.length === 0 || list.some((a) => !Number.isInteger(a))) {
      throw new TypeError(`Softmax: axis must be an integer or a non-empty list of integers; received axis=${JSON.stringify(axis)}. Fix: e.g. new layers.Softmax({ axis: -1 }).`);
    }
    this.axis = Array.isArray(axis) ? [...(axis as number[])] : (axis as number);
    this.built = true;
  }

  call(inputs: Tensor, options: CallOptions = {}): Tensor {
    let x = inputs;
    if (options.mask) {
      // Keras adds (1 - mask) * large negative so that masked positions get (almost) no weight.
      const adder = ops.multiply(ops.subtract(1, ops.cast(options.mask, 'float32')), -1e9);
      x = ops.add(x, adder);
    }
    if (!Array.isArray(this.axis)) return ops.softmax(x, { axis: this.axis });
    // Several axes: exp(x - logsumexp over them).
    const m = ops.max(x, { axis: this.axis, keepdims: true });
    const e = ops.exp(ops.subtract(x, m));
    return ops.divide(e, ops.sum(e, { axis: this.axis, keepdims: true }));
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
