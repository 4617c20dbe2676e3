/**
 * Dot: the dot product of two batched inputs along `axes` (one axis for both, or [axis1, axis2];
 * the batch axis is 0 and may not be one of them), each example with its own (Keras's batch_dot).
 * With `normalize`, each input is first L2-normalized along its axis, so the result is the cosine
 * similarity. (batch, n)·(batch, n) -> (batch, 1).
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import type { LayerArgs, LayerOutput } from '../../engine/layer.js';
import type { TensorLike } from '../../ops/convert.js';
import * as ops from '../../ops/index.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Merge, listShapes, shapeList } from './base_merge.js';

export interface DotArgs extends LayerArgs {
  /** The axis to contract, or one per input; negative axes count from the end. */
  axes: number | readonly [number, number];
  /** L2-normalize each input along its axis first (cosine similarity). Default false. */
  normalize?: boolean;
}

export class Dot extends Merge {
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(args: DotArgs) {
    super(args ?? {});
    const axes = args?.axes as unknown;
    const ok = Number.isInteger(axes) || (Array.isArray(axes) && axes.length === 2 && axes.every((a) => Number.isInteger(a)));
    if (!ok) {
      throw new TypeError(`Dot: axes must be an integer or a list of 2 integers; received axes=${JSON.stringify(axes)}. Fix: e.g. new layers.Dot({ axes: 1 }) or { axes: [1, 2] }.`);
    }
    this.axes = Array.isArray(axes) ? [axes[0] as number, axes[1] as number] : (axes as number);
    this.normalize = args.normalize ?? false;
  }

  /** The two axes, made non-negative, checked against the input shapes. */
  private resolveAxes(shapes: readonly SymbolicShape[]): [number, number] {
    if (shapes.length !== 2) {
      throw new Error(`A Dot layer should be called on a list of 2 inputs (layer "${this.name}"); received ${shapes.length}: ${listShapes(shapes)}. Fix: new layers.Dot({ axes: 1 }).apply([a, b]).`);
    }
    const pair = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    const resolved = shapes.map((s, i) => {
      const rank = s.length;
      const a = pair[i] < 0 ? pair[i] + rank : pair[i];
      if (a < 1 || a >= rank) {
        throw new RangeError(
          `Dot (layer "${this.name}"): axis ${pair[i]} of input ${i} (shape ${listShapes([s])}) is not allowed; expected an axis in 1..${rank - 1} or -${rank - 1}..-1 (axis 0 is the batch axis). ` +
            `Fix: pass axes that name a non-batch axis of each input.`,
        );
      }
      return a;
    }) as [number, number];
    const [d1, d2] = [shapes[0][resolved[0]], shapes[1][resolved[1]]];
    if (d1 !== null && d2 !== null && d1 !== d2) {
      throw new Error(
        `Incompatible input shapes for Dot (layer "${this.name}"): axis ${resolved[0]} of input 0 has size ${d1} and axis ${resolved[1]} of input 1 has size ${d2}. ` +
          `Received shapes ${listShapes(shapes)}. Fix: choose axes of equal size.`,
      );
    }
    const [b1, b2] = [shapes[0][0], shapes[1][0]];
    if (b1 !== null && b2 !== null && b1 !== b2) {
      throw new Error(`Cannot take the Dot of tensors with different batch sizes (layer "${this.name}"). Received shapes ${listShapes(shapes)}. Fix: give both inputs the same batch size.`);
    }
    return resolved;
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    this.resolveAxes(shapeList(inputShape, this));
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const shapes = shapeList(Array.isArray(inputs) ? inputs.map((t) => t.shape) : inputs.shape, this);
    const [a1, a2] = this.resolveAxes(shapes);
    let [x1, x2] = inputs as Tensor[];
    if (this.normalize) {
      x1 = l2Normalize(x1, a1);
      x2 = l2Normalize(x2, a2);
    }
    const r1 = x1.shape.length;
    const r2 = x2.shape.length;
    const batch = x1.shape[0];
    const k = x1.shape[a1];
    // x1 -> (batch, rest1..., k), x2 -> (batch, k, rest2...), then one batched matmul.
    const rest1 = x1.shape.filter((_, i) => i !== 0 && i !== a1);
    const rest2 = x2.shape.filter((_, i) => i !== 0 && i !== a2);
    const p1 = ops.transpose(x1, { axes: [0, ...Array.from({ length: r1 }, (_, i) => i).filter((i) => i !== 0 && i !== a1), a1] });
    const p2 = ops.transpose(x2, { axes: [0, a2, ...Array.from({ length: r2 }, (_, i) => i).filter((i) => i !== 0 && i !== a2)] });
    const size = (l: readonly number[]) => l.reduce((a, b) => a * b, 1);
    const m = ops.matmul(ops.reshape(p1, [batch, size(rest1), k]), ops.reshape(p2, [batch, k, size(rest2)]));
    const out = [...rest1, ...rest2];
    return ops.reshape(m, [batch, ...(out.length === 0 ? [1] : out)]);
  }

  protected mergeFunction(inputs: Tensor[]): Tensor {
    return this.call(inputs);
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): Dim[] {
    const shapes = shapeList(inputShape, this);
    const [a1, a2] = this.resolveAxes(shapes);
    const out = [...shapes[0].filter((_, i) => i !== 0 && i !== a1), ...shapes[1].filter((_, i) => i !== 0 && i !== a2)];
    return [shapes[0][0] ?? shapes[1][0], ...(out.length === 0 ? [1] : out)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: this.axes, normalize: this.normalize };
  }
}

/** x / sqrt(max(sum(x², axis), 1e-12)), as Keras's l2_normalize. */
function l2Normalize(x: Tensor, axis: number): Tensor {
  const squares = ops.sum(ops.square(x), { axis, keepdims: true });
  return ops.multiply(x, ops.rsqrt(ops.maximum(squares, 1e-12)));
}

/** Keras's `layers.dot(inputs, axes, normalize)`: a Dot layer applied to the pair. */
export function dot(inputs: KerasTensor[], args: DotArgs): KerasTensor;
export function dot(inputs: TensorLike[], args: DotArgs): Tensor;
export function dot(inputs: (TensorLike | KerasTensor)[], args: DotArgs): KerasTensor | LayerOutput {
  return new Dot(args).apply(inputs as TensorLike[]) as KerasTensor | Tensor;
}
