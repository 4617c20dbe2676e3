/**
 * InputSpec: what a layer accepts (rank, sizes of given axes, dtype), checked on every call
 * before the layer builds or runs, so a shape mistake is reported in the user's terms.
 */
import type { DType } from '../tensor/dtype.js';
import { formatShape, type SymbolicShape } from '../tensor/shape.js';

export interface InputSpecArgs {
  /** Exact rank, batch axis included. */
  ndim?: number;
  minNdim?: number;
  maxNdim?: number;
  /** Required sizes of some axes (negative axes count from the end). */
  axes?: Record<number, number>;
  dtype?: DType;
  /** Whether the batch axis may be any size (it always may; kept for Keras parity). */
  allowLastAxisSqueeze?: boolean;
}

export class InputSpec {
  readonly ndim?: number;
  readonly minNdim?: number;
  readonly maxNdim?: number;
  readonly axes?: Record<number, number>;
  readonly dtype?: DType;

  constructor(args: InputSpecArgs) {
    this.ndim = args.ndim;
    this.minNdim = args.minNdim;
    this.maxNdim = args.maxNdim;
    this.axes = args.axes;
    this.dtype = args.dtype;
  }
}

/** What did not match, in Keras's words, or null when the shape is accepted. */
export function inputSpecProblem(spec: InputSpec, shape: SymbolicShape): string | null {
  const rank = shape.length;
  if (spec.ndim !== undefined && rank !== spec.ndim) return `expected ndim=${spec.ndim}, found ndim=${rank}`;
  if (spec.minNdim !== undefined && rank < spec.minNdim) return `expected min_ndim=${spec.minNdim}, found ndim=${rank}`;
  if (spec.maxNdim !== undefined && rank > spec.maxNdim) return `expected max_ndim=${spec.maxNdim}, found ndim=${rank}`;
  for (const [key, size] of Object.entries(spec.axes ?? {})) {
    const axis = Number(key);
    const actual = shape[axis < 0 ? rank + axis : axis];
    if (actual !== null && actual !== undefined && actual !== size) {
      return `expected axis ${axis} of input shape to have value ${size}, but received input with shape ${formatShape(shape)}`;
    }
  }
  return null;
}
