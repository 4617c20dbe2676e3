/**
 * Reductions (sum, mean, max, min, prod) over a sorted, non-empty list of axes, and argmax/argmin
 * along one axis. The output drops the reduced axes; core re-adds them for keepdims.
 */
import type { ArgReduceOp, OutputSpec, ReduceOp, TypedArray } from '@keras-ts/core';
import { makeArray, reductionTarget, sizeOf, storeAs, type TensorData } from '../tensor_data.js';

/** True when `v` should replace `best` as the maximum: larger, or NaN (NaN beats every number, as numpy's max; the first NaN wins). */
export function beatsMax(v: number, best: number): boolean {
  return v > best || (Number.isNaN(v) && !Number.isNaN(best));
}

/** True when `v` should replace `best` as the minimum: smaller, or NaN. */
export function beatsMin(v: number, best: number): boolean {
  return v < best || (Number.isNaN(v) && !Number.isNaN(best));
}

/**
 * Reduces `x` over `axes`.
 * - sum, prod: float32 accumulates in float64 and rounds once; int32 wraps like 32-bit integers.
 *   The sum of an empty group is 0, the product 1.
 * - mean: sum / count. For int32 the result is int32, truncated toward zero (−7/2 → −3), as tfjs.
 *   The mean of an empty group is NaN for float32 (0/0) and 0 for int32.
 * - max, min: NaN propagates. An empty group gives −Infinity (max) / +Infinity (min) for float32;
 *   for int32 and bool those are stored as the storage rule converts them (0 and 0/1). bool max is
 *   logical or, bool min logical and.
 */
export function reduce(op: ReduceOp, x: TensorData, axes: readonly number[], out: OutputSpec): TypedArray {
  const target = reductionTarget(x.shape, axes);
  const outSize = sizeOf(out.shape);
  const count = sizeOf(axes.map((a) => x.shape[a]));
  const isInt = x.dtype === 'int32';
  const acc = new Float64Array(outSize);
  if (op === 'prod') acc.fill(1);
  if (op === 'max') acc.fill(-Infinity);
  if (op === 'min') acc.fill(Infinity);
  for (let i = 0; i < x.values.length; i++) {
    const v = x.values[i];
    const o = target[i];
    if (op === 'sum' || op === 'mean') acc[o] = isInt && op === 'sum' ? (acc[o] + v) | 0 : acc[o] + v;
    else if (op === 'prod') acc[o] = isInt ? Math.imul(acc[o], v) : acc[o] * v;
    else if (op === 'max') acc[o] = beatsMax(v, acc[o]) ? v : acc[o];
    else acc[o] = beatsMin(v, acc[o]) ? v : acc[o];
  }
  const store = storeAs(out.dtype);
  const result = makeArray(out.dtype, outSize);
  for (let o = 0; o < outSize; o++) {
    let v = acc[o];
    if (op === 'mean') v = isInt ? (count === 0 ? 0 : Math.trunc(v / count)) : v / count;
    result[o] = store(v);
  }
  return result;
}

/**
 * The index along `axis` of the largest (argmax) or smallest (argmin) element, int32, without
 * that axis. Ties go to the first index; NaN counts as beyond every number (the first NaN wins,
 * as numpy.argmax does). Core never calls it on an empty axis.
 */
export function argReduce(op: ArgReduceOp, x: TensorData, axis: number, out: OutputSpec): TypedArray {
  const beats = op === 'argmax' ? beatsMax : beatsMin;
  const length = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1));
  const outer = sizeOf(x.shape.slice(0, axis));
  const result = makeArray(out.dtype, outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (j: number) => x.values[(o * length + j) * inner + i];
      let best = 0;
      for (let j = 1; j < length; j++) if (beats(at(j), at(best))) best = j;
      result[o * inner + i] = best;
    }
  }
  return result;
}
