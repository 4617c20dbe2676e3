/**
 * The few ops gradient rules are written with. They call primitives directly, with no user-input
 * checks or dtype promotion, since rules always pass consistent tensors.
 */
import type { BinaryOp, ReduceOp, UnaryOp } from '../../backend/backend.js';
import { run1 } from '../../runtime/engine.js';
import { fill } from '../../tensor/create.js';
import type { DType } from '../../tensor/dtype.js';
import { broadcastedAxes, shapesEqual, type Shape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { binaryPrimitive, castPrimitive, unaryPrimitive, wherePrimitive } from './elementwise.js';
import { reshapePrimitive, tilePrimitive, transposePrimitive } from './layout.js';
import { reducePrimitive } from './reduction.js';

export const unary = (op: UnaryOp, x: Tensor): Tensor => run1(unaryPrimitive, [x], { op });
export const binary = (op: BinaryOp, a: Tensor, b: Tensor): Tensor => run1(binaryPrimitive, [a, b], { op });
export const add = (a: Tensor, b: Tensor): Tensor => binary('add', a, b);
export const sub = (a: Tensor, b: Tensor): Tensor => binary('sub', a, b);
export const mul = (a: Tensor, b: Tensor): Tensor => binary('mul', a, b);
export const div = (a: Tensor, b: Tensor): Tensor => binary('div', a, b);
export const neg = (x: Tensor): Tensor => unary('neg', x);
export const where = (c: Tensor, a: Tensor, b: Tensor): Tensor => run1(wherePrimitive, [c, a, b], {});
export const cast = (x: Tensor, dtype: DType): Tensor => (x.dtype === dtype ? x : run1(castPrimitive, [x], { dtype }));
export const reshape = (x: Tensor, shape: Shape): Tensor => (shapesEqual(x.shape, shape) ? x : run1(reshapePrimitive, [x], { shape }));
export const transpose = (x: Tensor, perm: readonly number[]): Tensor => run1(transposePrimitive, [x], { perm });
export const scalarLike = (value: number, like: Tensor): Tensor => fill([], value, like.dtype);
export const zerosLike = (x: Tensor): Tensor => fill(x.shape, 0, x.dtype);
export const onesLike = (x: Tensor): Tensor => fill(x.shape, 1, x.dtype);

export function reduce(op: ReduceOp, x: Tensor, axes: readonly number[]): Tensor {
  return axes.length === 0 ? x : run1(reducePrimitive, [x], { op, axes });
}

/** Sums a broadcast gradient back to `shape`: over the axes the input was broadcast along. */
export function sumToShape(dx: Tensor, shape: Shape): Tensor {
  if (shapesEqual(dx.shape, shape)) return dx;
  return reshape(reduce('sum', dx, broadcastedAxes(shape, dx.shape)), shape);
}

/** Broadcasts x (whose shape broadcasts to `shape`) to exactly `shape`. */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const padded = [...new Array<number>(shape.length - x.rank).fill(1), ...x.shape];
  const reps = shape.map((d, i) => (padded[i] === d ? 1 : d));
  return run1(tilePrimitive, [reshape(x, padded)], { reps });
}

/** Re-inserts reduced axes as size 1, so a reduced gradient broadcasts against the input. */
export function keepDims(x: Tensor, inputShape: Shape, axes: readonly number[]): Tensor {
  const shape = inputShape.map((d, i) => (axes.includes(i) ? 1 : d));
  return reshape(x, shape);
}
