/** Reductions (keras.ops.sum, mean, max, min, prod, argmax, argmin) with `axis` and `keepdims`. */
import type { ReduceOp } from '../backend/backend.js';
import { run1 } from '../runtime/engine.js';
import { fill } from '../tensor/create.js';
import { formatShape, normalizeAxes, normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { castTo, toTensor, type TensorLike } from './convert.js';
import { reshapePrimitive } from './primitives/layout.js';
import { argReducePrimitive, reducePrimitive } from './primitives/reduction.js';

export interface ReduceOptions {
  /** The axis or axes to reduce; all axes when null or omitted. */
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
}

/** What a reduction over no elements gives (numpy's identities; mean of nothing is NaN). */
const EMPTY_VALUE: Record<ReduceOp, number> = { sum: 0, mean: NaN, max: -Infinity, min: Infinity, prod: 1 };

function reduceOp(op: ReduceOp, x: TensorLike, options: ReduceOptions = {}, name: string = op): Tensor {
  let t = toTensor(x, name);
  if (t.dtype === 'bool' && (op === 'sum' || op === 'mean' || op === 'prod')) t = castTo(t, 'int32');
  const axes = normalizeAxes(options.axis, t.rank, name);
  const keptShape = t.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outShape = options.keepdims ? keptShape : t.shape.filter((_, i) => !axes.includes(i));
  if (axes.length === 0) return t;
  let y: Tensor;
  if (axes.some((a) => t.shape[a] === 0)) {
    if (t.dtype !== 'float32' && (op === 'max' || op === 'min' || op === 'mean')) {
      throw new Error(`${name}: cannot reduce an empty axis of a ${t.dtype} tensor ${formatShape(t.shape)}: there is no identity for ${op}. Fix: reduce a non-empty axis.`);
    }
    return fill(outShape, EMPTY_VALUE[op], t.dtype);
  }
  y = run1(reducePrimitive, [t], { op, axes });
  if (options.keepdims) y = run1(reshapePrimitive, [y], { shape: outShape });
  return y;
}

export const sum = (x: TensorLike, options?: ReduceOptions): Tensor => reduceOp('sum', x, options);
export const mean = (x: TensorLike, options?: ReduceOptions): Tensor => {
  const t = toTensor(x, 'mean');
  return reduceOp('mean', t.dtype === 'float32' ? t : castTo(t, 'float32'), options);
};
export const max = (x: TensorLike, options?: ReduceOptions): Tensor => reduceOp('max', x, options, 'max');
export const min = (x: TensorLike, options?: ReduceOptions): Tensor => reduceOp('min', x, options, 'min');
export const prod = (x: TensorLike, options?: ReduceOptions): Tensor => reduceOp('prod', x, options);
export const amax = max;
export const amin = min;

export interface ArgReduceOptions {
  /** The axis; null (the default) flattens first, as numpy does. */
  axis?: number | null;
  keepdims?: boolean;
}

function argOp(op: 'argmax' | 'argmin', x: TensorLike, options: ArgReduceOptions = {}): Tensor {
  let t = toTensor(x, op);
  if (t.dtype === 'bool') t = castTo(t, 'int32');
  let axis: number;
  if (options.axis === null || options.axis === undefined) {
    t = run1(reshapePrimitive, [t], { shape: [t.size] });
    axis = 0;
  } else axis = normalizeAxis(options.axis, t.rank, op);
  let y = run1(argReducePrimitive, [t], { op, axis });
  if (options.keepdims) {
    const shape = options.axis === null || options.axis === undefined ? toTensor(x, op).shape.map(() => 1) : t.shape.map((d, i) => (i === axis ? 1 : d));
    y = run1(reshapePrimitive, [y], { shape });
  }
  return y;
}

export const argmax = (x: TensorLike, options?: ArgReduceOptions): Tensor => argOp('argmax', x, options);
export const argmin = (x: TensorLike, options?: ArgReduceOptions): Tensor => argOp('argmin', x, options);
