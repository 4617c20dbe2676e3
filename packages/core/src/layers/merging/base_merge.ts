/**
 * Merge: the base of the elementwise merge layers (Add, ...). They take a list of tensors, whose
 * shapes after the batch axis broadcast against each other (aligned from the last axis; a missing
 * or size-1 axis stretches), and whose batch sizes agree.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

/** The shapes of a list of inputs as a merge layer receives them, or an error when it got one tensor. */
export function shapeList(inputShape: SymbolicShape | SymbolicShape[] | readonly SymbolicShape[], layer: Layer): SymbolicShape[] {
  if (!Array.isArray(inputShape) || inputShape.length === 0 || !inputShape.every((s) => Array.isArray(s))) {
    throw new Error(
      `A merge layer should be called on a list of inputs (layer "${layer.name}", ${layer.constructor.name}). ` +
        `Received: ${Array.isArray(inputShape) && inputShape.length === 0 ? 'an empty list' : `one input of shape ${formatShape(inputShape as SymbolicShape)}`}. ` +
        `Fix: pass a list of at least one tensor, e.g. new layers.${layer.constructor.name}().apply([a, b]).`,
    );
  }
  return inputShape as SymbolicShape[];
}

export function listShapes(shapes: readonly SymbolicShape[]): string {
  return shapes.map((s) => formatShape(s)).join(', ');
}

export abstract class Merge extends Layer<KerasTensor, Tensor> {
  constructor(args: LayerArgs = {}) {
    super(args);
  }

  /** Combines inputs of equal rank (the base has expanded the lower-rank ones). */
  protected abstract mergeFunction(inputs: Tensor[]): Tensor;

  /** The broadcast shape after the batch axis, checking that the batch sizes agree; the error lists every input's shape. */
  protected mergedShape(shapes: readonly SymbolicShape[]): Dim[] {
    const batches = new Set(shapes.filter((s) => s.length > 0 && s[0] !== null).map((s) => s[0]));
    if (batches.size > 1) {
      throw new Error(
        `Cannot merge tensors with different batch sizes (layer "${this.name}"). Received tensors with shapes ${listShapes(shapes)}. ` +
          `Fix: give every input the same batch size.`,
      );
    }
    let out: Dim[] = [];
    for (const shape of shapes) {
      const rest = shape.slice(1);
      const rank = Math.max(out.length, rest.length);
      const merged: Dim[] = [];
      for (let i = 0; i < rank; i++) {
        const a = i < rank - out.length ? 1 : out[i - (rank - out.length)];
        const b = i < rank - rest.length ? 1 : rest[i - (rank - rest.length)];
        // An unknown size broadcasts with 1 to unknown and with n to n (core's broadcasting rule).
        if (a === null) merged.push(b === 1 ? null : b);
        else if (b === null) merged.push(a === 1 ? null : a);
        else if (a === 1) merged.push(b);
        else if (b === 1 || a === b) merged.push(a);
        else {
          throw new Error(
            `Inputs have incompatible shapes for layer "${this.name}" (${this.constructor.name}). Received shapes ${listShapes(shapes)}. ` +
              `Expected shapes that broadcast together after the batch axis (each axis, counted from the last, equal or 1). ` +
              `Fix: make the inputs the same shape (e.g. with a Dense or Reshape layer) before merging them.`,
          );
        }
      }
      out = merged;
    }
    return [batches.size === 1 ? [...batches][0] : null, ...out];
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    this.mergedShape(shapeList(inputShape, this));
    this.built = true;
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    this.mergedShape(shapeList(Array.isArray(inputs) ? inputs.map((t) => t.shape) : inputs.shape, this));
    // Inputs of lower rank get size-1 axes after the batch axis, so that they broadcast from the right.
    const rank = Math.max(...list.map((t) => t.shape.length));
    const aligned = list.map((t) => {
      let x = t;
      while (x.shape.length < rank) x = ops.expandDims(x, 1);
      return x;
    });
    return this.mergeFunction(aligned);
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): Dim[] {
    return this.mergedShape(shapeList(inputShape, this));
  }
}
