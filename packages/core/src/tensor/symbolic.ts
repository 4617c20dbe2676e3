/**
 * A tensor with a shape and a dtype but no values: what flows through ops while a layer's output
 * shape is traced (Keras's compute_output_spec). Ops given a symbolic input run only their shape
 * rules. KerasTensor (the graph's edges) extends it.
 */
import type { DType } from './dtype.js';
import { formatShape, sizeOf, type Shape, type SymbolicShape } from './shape.js';

export class SymbolicTensor {
  readonly shape: SymbolicShape;
  readonly dtype: DType;

  constructor(shape: SymbolicShape, dtype: DType) {
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The element count, or null when a size is unknown. */
  get size(): number | null {
    return this.shape.some((d) => d === null) ? null : sizeOf(this.shape as Shape);
  }

  private noValues(what: string): never {
    throw new Error(
      `${what}: this is a symbolic tensor of shape ${formatShape(this.shape)} (${this.dtype}); it stands for values that do not exist yet. ` +
        `Fix: call the layer or model on real data (a Tensor or an array) to get values, e.g. model.predict(x).`,
    );
  }

  dataSync(): never {
    return this.noValues('dataSync');
  }

  data(): Promise<never> {
    return Promise.reject(new Error(`data: this is a symbolic tensor of shape ${formatShape(this.shape)}; it has no values. Fix: call the layer or model on real data.`));
  }

  arraySync(): never {
    return this.noValues('arraySync');
  }

  array(): Promise<never> {
    return this.data();
  }

  /** Symbolic tensors own no memory. */
  dispose(): void {}

  toString(): string {
    return `SymbolicTensor(shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
  }
}

export function isSymbolic(x: unknown): x is SymbolicTensor {
  return x instanceof SymbolicTensor;
}
