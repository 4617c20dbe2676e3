/** Reductions (sum, mean, max, min, prod) and arg-reductions, with gradient rules. */
import type { ArgReduceOp, ReduceOp } from '../../backend/backend.js';
import { definePrimitive, type Primitive } from '../../runtime/primitive.js';
import { formatShape, sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as g from './grad_ops.js';

export interface ReduceAttrs {
  readonly op: ReduceOp;
  /** sorted, non-negative, non-empty */
  readonly axes: readonly number[];
}

/** The gradient of a reduction as a tensor shaped like x, from dy (reduced shape) and y. */
const REDUCE_GRADIENTS: Record<ReduceOp, (dy: Tensor, x: Tensor, y: Tensor, axes: readonly number[]) => Tensor> = {
  sum: (dy, x, _y, axes) => g.broadcastTo(g.keepDims(dy, x.shape, axes), x.shape),
  mean: (dy, x, _y, axes) => {
    const count = sizeOf(axes.map((a) => x.shape[a]));
    return g.div(g.broadcastTo(g.keepDims(dy, x.shape, axes), x.shape), g.scalarLike(count, dy));
  },
  // Ties share the gradient evenly, as PyTorch's amax/amin and TensorFlow do.
  max: (dy, x, y, axes) => extremumGradient(dy, x, y, axes),
  min: (dy, x, y, axes) => extremumGradient(dy, x, y, axes),
  prod: (dy, x, _y, axes) => {
    // Exact at zeros: the product of the other elements is the product of the non-zeros when the
    // element is the only zero in its group, and 0 when there are more.
    const isZero = g.binary('equal', x, g.scalarLike(0, x));
    const nonZero = g.where(isZero, g.onesLike(x), x);
    const productOfNonZeros = g.broadcastTo(g.keepDims(g.reduce('prod', nonZero, axes), x.shape, axes), x.shape);
    const zeroCount = g.broadcastTo(g.keepDims(g.reduce('sum', g.cast(isZero, 'float32'), axes), x.shape, axes), x.shape);
    const others = g.where(
      g.binary('equal', zeroCount, g.scalarLike(0, zeroCount)),
      g.div(productOfNonZeros, nonZero),
      g.where(g.binary('logicalAnd', isZero, g.binary('equal', zeroCount, g.scalarLike(1, zeroCount))), productOfNonZeros, g.zerosLike(x)),
    );
    return g.mul(g.broadcastTo(g.keepDims(dy, x.shape, axes), x.shape), others);
  },
};

function extremumGradient(dy: Tensor, x: Tensor, y: Tensor, axes: readonly number[]): Tensor {
  const yFull = g.broadcastTo(g.keepDims(y, x.shape, axes), x.shape);
  const mask = g.cast(g.binary('equal', x, yFull), 'float32');
  const ties = g.broadcastTo(g.keepDims(g.reduce('sum', mask, axes), x.shape, axes), x.shape);
  return g.mul(g.broadcastTo(g.keepDims(dy, x.shape, axes), x.shape), g.div(mask, ties));
}

export function reducedShape<D>(shape: readonly D[], axes: readonly number[]): D[] {
  return shape.filter((_, i) => !axes.includes(i));
}

export const reducePrimitive: Primitive<ReduceAttrs> = definePrimitive<ReduceAttrs>({
  name: 'reduce',
  infer([x], { op, axes }) {
    if (x.dtype === 'bool' && op !== 'max' && op !== 'min') {
      throw new TypeError(`${op}: cannot reduce a bool tensor ${formatShape(x.shape)}. Fix: cast it to int32 or float32 first.`);
    }
    return [{ shape: reducedShape(x.shape, axes), dtype: x.dtype }];
  },
  forward(backend, [x], { op, axes }, [out]) {
    return [backend.reduce(op, x, axes, out)];
  },
  grad({ dys: [dy], inputs: [x], outputs: [y], attrs: { op, axes } }) {
    return [x.dtype === 'float32' ? REDUCE_GRADIENTS[op](dy, x, y, axes) : null];
  },
});

export interface ArgReduceAttrs {
  readonly op: ArgReduceOp;
  readonly axis: number;
}

export const argReducePrimitive: Primitive<ArgReduceAttrs> = definePrimitive<ArgReduceAttrs>({
  name: 'argReduce',
  infer([x], { op, axis }) {
    if (x.shape[axis] === 0) throw new Error(`${op}: cannot take the ${op} of an empty axis (axis ${axis} of ${formatShape(x.shape)}).`);
    return [{ shape: reducedShape(x.shape, [axis]), dtype: 'int32' }];
  },
  forward(backend, [x], { op, axis }, [out]) {
    return [backend.argReduce(op, x, axis, out)];
  },
  // Indices are piecewise constant: no gradient.
  grad: () => [null],
});

