/**
 * UnitNormalization: scales each example so that its L2 norm over `axis` (the last by default) is
 * 1, `x / sqrt(max(sum(x^2), 1e-12))`. No weights.
 *
 * ```ts
 * new layers.UnitNormalization().apply(Input({ shape: [16] }));   // [null, 16]
 * ```
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as ops from '../../ops/index.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import { readAxis, resolveAxes } from './normalization_axes.js';

export interface UnitNormalizationArgs extends LayerArgs {
  /** The axis or axes the norm is taken over. Default -1. */
  axis?: number | readonly number[];
}

export class UnitNormalization extends Layer<KerasTensor, Tensor> {
  readonly axis: number | number[];

  constructor(args: UnitNormalizationArgs = {}) {
    super(args ?? {});
    this.axis = readAxis('UnitNormalization', (args ?? {}).axis, -1);
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    const axis = resolveAxes(`UnitNormalization "${this.name}"`, this.axis, inputs.shape);
    const squareSum = ops.sum(ops.square(inputs), { axis, keepdims: true });
    return ops.multiply(inputs, ops.rsqrt(ops.maximum(squareSum, 1e-12)));
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    resolveAxes(`UnitNormalization "${this.name}"`, this.axis, inputShape);
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis };
  }
}
