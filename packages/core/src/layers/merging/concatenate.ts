/**
 * Concatenate: joins a list of inputs along `axis` (the last by default); every other axis must
 * match. `layers.concatenate([a, b], { axis })` is the functional shorthand.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import type { LayerArgs, LayerOutput } from '../../engine/layer.js';
import type { TensorLike } from '../../ops/convert.js';
import * as ops from '../../ops/index.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Merge, listShapes, shapeList } from './base_merge.js';

export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along; negative axes count from the end. Default -1. */
  axis?: number;
}

export class Concatenate extends Merge {
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    if (!Number.isInteger(axis)) throw new TypeError(`Concatenate: axis must be an integer, got ${JSON.stringify(args.axis)}. Fix: e.g. new layers.Concatenate({ axis: -1 }).`);
    this.axis = axis;
  }

  /** The output shape; the error lists every input shape when they do not line up. */
  private concatenatedShape(shapes: readonly SymbolicShape[]): Dim[] {
    const rank = shapes[0].length;
    const mismatch = (why: string): Error =>
      new Error(
        `A Concatenate layer requires inputs with matching shapes except for the concatenation axis (layer "${this.name}", axis ${this.axis}). ` +
          `Received: input_shape=${listShapes(shapes)}; ${why}. Fix: make every axis but axis ${this.axis} the same size (e.g. with Reshape or Dense), or concatenate along another axis.`,
      );
    if (shapes.some((s) => s.length !== rank)) throw mismatch(`the inputs have different ranks (${shapes.map((s) => s.length).join(', ')})`);
    if (rank === 0 || this.axis < -rank || this.axis >= rank) {
      throw new RangeError(
        `Concatenate (layer "${this.name}"): axis ${this.axis} is out of bounds for inputs of rank ${rank} (shapes ${listShapes(shapes)}). ` +
          `Expected an integer in [${-rank}, ${rank - 1}]. Fix: pass an axis the inputs have, e.g. -1 for the last.`,
      );
    }
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    const out: Dim[] = [];
    for (let i = 0; i < rank; i++) {
      const dims = shapes.map((s) => s[i]);
      if (i === axis) {
        out.push(dims.some((d) => d === null) ? null : (dims as number[]).reduce((a, b) => a + b, 0));
        continue;
      }
      const known = [...new Set(dims.filter((d) => d !== null))];
      if (known.length > 1) throw mismatch(`axis ${i} has sizes ${dims.map((d) => (d === null ? 'None' : d)).join(', ')}`);
      out.push(known.length === 1 ? known[0] : null);
    }
    return out;
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    this.concatenatedShape(shapeList(inputShape, this));
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const shapes = shapeList(Array.isArray(inputs) ? inputs.map((t) => t.shape) : inputs.shape, this);
    this.concatenatedShape(shapes);
    return this.mergeFunction(inputs as Tensor[]);
  }

  protected mergeFunction(inputs: Tensor[]): Tensor {
    return ops.concatenate(inputs, { axis: this.axis });
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): Dim[] {
    return this.concatenatedShape(shapeList(inputShape, this));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/** Keras's `layers.concatenate(inputs, axis)`: a Concatenate layer applied to the list. */
export function concatenate(inputs: KerasTensor[], args?: ConcatenateArgs): KerasTensor;
export function concatenate(inputs: TensorLike[], args?: ConcatenateArgs): Tensor;
export function concatenate(inputs: (TensorLike | KerasTensor)[], args: ConcatenateArgs = {}): KerasTensor | LayerOutput {
  return new Concatenate(args).apply(inputs as TensorLike[]) as KerasTensor | Tensor;
}
