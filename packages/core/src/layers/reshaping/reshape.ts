/**
 * Reshape: each example to `targetShape` (the batch axis untouched); one entry may be -1, inferred
 * from the rest. (batch, ...) -> (batch, ...targetShape).
 *
 * ```ts
 * new layers.Reshape({ targetShape: [-1, 2, 2] }).apply(Input({ shape: [12] }));   // [null, 3, 2, 2]
 * ```
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as ops from '../../ops/index.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';

export interface ReshapeArgs extends LayerArgs {
  /** The shape of one example, without the batch axis; at most one -1. */
  targetShape: readonly number[];
}

const product = (list: readonly number[]): number => list.reduce((a, b) => a * b, 1);

export class Reshape extends Layer<KerasTensor, Tensor> {
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    super(args ?? {});
    const target = args?.targetShape;
    if (!Array.isArray(target) || target.some((d) => !Number.isInteger(d) || (d < 1 && d !== -1))) {
      throw new Error(
        `Reshape: targetShape must be a list of positive integers (one of them may be -1), the shape of one example without the batch axis; ` +
          `received targetShape=${JSON.stringify(target)}. Fix: e.g. new layers.Reshape({ targetShape: [28, 28, 1] }).`,
      );
    }
    if (target.filter((d) => d === -1).length > 1) {
      throw new Error(
        `Reshape: the targetShape argument must not contain more than one -1 value; received targetShape=${formatShape(target)}. ` +
          `Fix: give every size but one, e.g. [${target.map((d, i) => (d === -1 && i !== target.indexOf(-1) ? 1 : d)).join(', ')}].`,
      );
    }
    this.targetShape = [...target];
    // No weights: built at once, as in Keras.
    this.built = true;
  }

  /** The target shape with -1 resolved (null where the input's per-example size is unknown). */
  private resolve(inputShape: SymbolicShape): Dim[] {
    const rest = inputShape.slice(1);
    if (rest.some((d) => d === null)) return this.targetShape.map((d) => (d === -1 ? null : d));
    const size = product(rest as number[]);
    const known = product(this.targetShape.filter((d) => d !== -1));
    const shown = formatShape([null, ...rest]);
    const target = formatShape(this.targetShape);
    if (!this.targetShape.includes(-1)) {
      if (known !== size) {
        throw new Error(
          `Reshape "${this.name}": the total size of each example must be unchanged. Received: input_shape=${shown} (${size} values per example), ` +
            `target_shape=${target} (${known} values). Fix: use a target shape with ${size} values, e.g. (${size},), or use -1 for one axis to infer it.`,
        );
      }
      return [...this.targetShape];
    }
    if (known === 0 || size % known !== 0) {
      throw new Error(
        `Reshape "${this.name}": the total size of each example must be unchanged, but input_shape=${shown} has ${size} values per example, ` +
          `which the known sizes of target_shape=${target} (product ${known}) do not divide. Fix: choose sizes whose product divides ${size}.`,
      );
    }
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  call(inputs: Tensor): Tensor {
    return ops.reshape(inputs, [inputs.shape[0], ...(this.resolve(inputs.shape) as number[])]);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    if (inputShape.length === 0) {
      throw new Error(`Reshape "${this.name}": the input has no axes; the first axis is the batch axis. Fix: pass a batch, e.g. shape (batch, ...).`);
    }
    return [inputShape[0], ...this.resolve(inputShape)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), target_shape: [...this.targetShape] };
  }
}
