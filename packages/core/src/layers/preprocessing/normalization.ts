/**
 * Normalization: `(inputs - mean) / max(sqrt(variance), epsilon)` per index of the kept `axis`
 * (by default the last: one mean and variance per feature); with `invert`,
 * `mean + inputs · max(sqrt(variance), epsilon)`. The mean and variance are either given to the
 * constructor (no weights) or learned by `adapt(data)`, which stores them in the non-trainable
 * weights 'mean' and 'variance' of the kept axes' shape (population statistics over every other
 * axis, the batch axis included). `axis: null` keeps no axis: one scalar mean and variance.
 */
import { config } from '../../backend/config.js';
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import type { TensorLike } from '../../ops/convert.js';
import { formatShape, normalizeAxes, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import { tidy } from '../../runtime/tidy.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { TensorValues } from '../../tensor/create.js';
import type { Variable } from '../../runtime/variable.js';

export interface NormalizationArgs extends LayerArgs {
  /** The axis or axes that keep their own mean and variance (not the batch axis 0); default -1; null for one scalar. */
  axis?: number | readonly number[] | null;
  /** The mean to use instead of adapting: a scalar, or one value per index of the kept axes (flat or nested). */
  mean?: TensorValues | null;
  /** The variance to use instead of adapting; given together with `mean`. */
  variance?: TensorValues | null;
  /** Undo a normalization instead: mean + inputs · std. */
  invert?: boolean;
}

export class Normalization extends Layer<KerasTensor, Tensor> {
  readonly axis: number | number[] | null;
  readonly invert: boolean;
  readonly inputMean: TensorValues | null;
  readonly inputVariance: TensorValues | null;
  adaptMean: Variable | undefined;
  adaptVariance: Variable | undefined;
  private keepAxes: number[] = [];
  private broadcastShape: number[] = [];
  private adapted = false;

  constructor(args: NormalizationArgs = {}) {
    super(args ?? {});
    const axis = args?.axis === undefined ? -1 : args.axis;
    if (axis !== null && !(Number.isInteger(axis) || (Array.isArray(axis) && axis.every((a) => Number.isInteger(a))))) {
      throw new Error(`Normalization: axis must be an integer, a list of integers or null, got ${JSON.stringify(axis)}. Fix: axis: -1 (one mean and variance per feature).`);
    }
    this.axis = typeof axis === 'number' || axis === null ? axis : [...(axis as readonly number[])];
    const mean = args?.mean ?? null;
    const variance = args?.variance ?? null;
    if ((mean === null) !== (variance === null)) {
      throw new Error(`Normalization: mean and variance must be given together (or neither, to adapt them); got only ${mean === null ? 'variance' : 'mean'}. Fix: pass both, or call layer.adapt(data) instead.`);
    }
    this.inputMean = mean;
    this.inputVariance = variance;
    this.invert = args?.invert ?? false;
  }

  override build(inputShape: SymbolicShape): void {
    const rank = inputShape.length;
    this.keepAxes = this.axis === null ? [] : normalizeAxes(this.axis, rank, `Normalization "${this.name}"`);
    if (this.keepAxes.includes(0)) {
      throw new Error(`Normalization "${this.name}": axis may not be 0, the batch axis. Fix: keep a feature axis, e.g. axis: -1.`);
    }
    for (const a of this.keepAxes) {
      if (inputShape[a] === null) {
        throw new Error(`Normalization "${this.name}": the kept axis ${a} of the input ${formatShape(inputShape)} must have a known size. Fix: give the Input a fixed size there.`);
      }
    }
    const kept = this.keepAxes.map((a) => inputShape[a] as number);
    this.broadcastShape = inputShape.map((d, i) => (this.keepAxes.includes(i) ? (d as number) : 1));
    if (this.inputMean === null) {
      this.adaptMean = this.addWeight({ name: 'mean', shape: kept, initializer: 'zeros', trainable: false });
      this.adaptVariance = this.addWeight({ name: 'variance', shape: kept, initializer: 'ones', trainable: false });
    } else {
      const count = kept.reduce((a, b) => a * b, 1);
      for (const [what, value] of [['mean', this.inputMean], ['variance', this.inputVariance]] as const) {
        const n = tidy(() => ops.convertToTensor(value as TensorValues, 'Normalization').size);
        if (n !== 1 && n !== count) {
          throw new Error(`Normalization "${this.name}": ${what} has ${n} values, but the kept axes [${this.keepAxes.join(', ')}] of the input ${formatShape(inputShape)} have ${count}. Fix: pass a scalar or ${count} values.`);
        }
      }
    }
    this.built = true;
  }

  /** Computes the mean and variance of `data` (a batch, like the layer's inputs) over every axis but `axis`, and stores them. */
  adapt(data: TensorLike): void {
    if (this.inputMean !== null) {
      throw new Error(`Normalization "${this.name}": adapt() cannot replace the mean and variance given to the constructor. Fix: make the layer without mean and variance to adapt it.`);
    }
    tidy(() => {
      const x = ops.cast(ops.convertToTensor(data, 'Normalization.adapt'), 'float32');
      if (!this.built) this.build([null, ...x.shape.slice(1)]);
      else if (x.shape.length !== this.broadcastShape.length || this.keepAxes.some((a) => x.shape[a] !== this.broadcastShape[a])) {
        throw new Error(`Normalization "${this.name}": adapt data of shape ${formatShape(x.shape)} does not match the input the layer was built for (kept axes [${this.keepAxes.join(', ')}] of sizes ${formatShape(this.broadcastShape)}). Fix: adapt with data shaped like the layer's inputs.`);
      }
      const reduce = x.shape.map((_, i) => i).filter((i) => !this.keepAxes.includes(i));
      const { mean, variance } = ops.moments(x, reduce);
      (this.adaptMean as Variable).assign(ops.reshape(mean, [...(this.adaptMean as Variable).shape]));
      (this.adaptVariance as Variable).assign(ops.reshape(variance, [...(this.adaptVariance as Variable).shape]));
    });
    this.adapted = true;
  }

  override setWeights(values: readonly TensorLike[]): void {
    super.setWeights(values);
    if (values.length > 0) this.adapted = true;
  }

  call(inputs: Tensor): Tensor {
    let mean: Tensor;
    let variance: Tensor;
    if (this.inputMean !== null) {
      const shape = (v: Tensor) => (v.size === 1 ? [] : this.broadcastShape);
      mean = ops.convertToTensor(this.inputMean, 'Normalization', 'float32');
      variance = ops.convertToTensor(this.inputVariance as TensorValues, 'Normalization', 'float32');
      mean = ops.reshape(mean, shape(mean));
      variance = ops.reshape(variance, shape(variance));
    } else {
      if (!this.adapted) {
        throw new Error(
          `Normalization "${this.name}": the layer has no mean and variance yet. Fix: call layer.adapt(data) before using it, or pass mean and variance to the constructor.`,
        );
      }
      mean = ops.reshape(this.adaptMean as Variable, this.broadcastShape);
      variance = ops.reshape(this.adaptVariance as Variable, this.broadcastShape);
    }
    const std = ops.maximum(ops.sqrt(variance), config.epsilon());
    const x = ops.cast(inputs, this.dtype);
    return this.invert ? ops.add(mean, ops.multiply(x, std)) : ops.divide(ops.subtract(x, mean), std);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis, invert: this.invert, mean: this.inputMean, variance: this.inputVariance };
  }
}
