/**
 * A primitive: one record with its name, shape rule, forward call and gradient rule, together
 * (the micrograd/JAX way). Ops in `ops/` are written with primitives; only primitives reach a
 * backend, and only primitives need a gradient rule.
 */
import type { Backend, KernelTensor, OutputSpec } from '../backend/backend.js';
import type { DType } from '../tensor/dtype.js';
import type { SymbolicShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** Shape and dtype, possibly with unknown (null) sizes: what shape rules compute. */
export interface TensorSpec {
  readonly shape: SymbolicShape;
  readonly dtype: DType;
}

/** What a gradient rule receives. */
export interface GradContext<A> {
  /** The gradient flowing into each output (zeros where an output was unused). */
  readonly dys: readonly Tensor[];
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: A;
  /**
   * Which inputs need a gradient (those the tape watches). A rule may return null for the others
   * to skip work: the first layer's gradient with respect to the data costs as much as its weights'.
   * Absent means every input.
   */
  readonly needsGrad?: readonly boolean[];
}

/**
 * The gradient rule: the vector-Jacobian product for each input, written with ops, or null for an
 * input that has no gradient (indices, booleans). Results must have the input's shape.
 */
export type GradRule<A> = (ctx: GradContext<A>) => (Tensor | null)[];

export interface Primitive<A = unknown> {
  readonly name: string;
  /** Output specs from input specs; throws a Keras-style error on bad input. Must handle null sizes. */
  infer(inputs: readonly TensorSpec[], attrs: A): TensorSpec[];
  /** Runs the kernel(s); returns one handle per output. */
  forward(backend: Backend, inputs: readonly KernelTensor[], attrs: A, outputs: readonly OutputSpec[]): unknown[];
  /** Required: a primitive without a gradient rule does not typecheck. */
  grad: GradRule<A>;
}

export function definePrimitive<A>(primitive: Primitive<A>): Primitive<A> {
  return primitive;
}
