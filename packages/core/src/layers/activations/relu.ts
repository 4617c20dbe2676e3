/**
 * ReLU: `maxValue` where x ≥ maxValue, x where threshold ≤ x < maxValue, and
 * `negativeSlope * (x - threshold)` below the threshold (Keras's ReLU layer).
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface ReLUArgs extends LayerArgs {
  /** The largest output (no cap when null). Must be ≥ 0. */
  maxValue?: number | null;
  /** The slope below the threshold, ≥ 0. Default 0. */
  negativeSlope?: number;
  /** Below this value the output is negativeSlope * (x - threshold), ≥ 0. Default 0. */
  threshold?: number;
}

function nonNegative(value: unknown, name: string, example: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`ReLU: ${name} must be a number ≥ 0; received ${name}=${JSON.stringify(value)}. Fix: e.g. new layers.ReLU({ ${name}: ${example} }).`);
  }
  return value;
}

export class ReLU extends Layer<KerasTensor, Tensor> {
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    super(args ?? {});
    const a = args ?? {};
    this.maxValue = a.maxValue === undefined || a.maxValue === null ? null : nonNegative(a.maxValue, 'maxValue', '6');
    this.negativeSlope = nonNegative(a.negativeSlope ?? 0, 'negativeSlope', '0.1');
    this.threshold = nonNegative(a.threshold ?? 0, 'threshold', '0.5');
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    let y: Tensor;
    if (this.threshold !== 0 || this.negativeSlope !== 0) {
      const below = ops.multiply(ops.subtract(inputs, this.threshold), this.negativeSlope);
      y = ops.where(ops.greaterEqual(inputs, this.threshold), inputs, below);
    } else {
      y = ops.relu(inputs);
    }
    if (this.maxValue !== null) y = ops.minimum(y, this.maxValue);
    return y;
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), max_value: this.maxValue, negative_slope: this.negativeSlope, threshold: this.threshold };
  }
}
