/**
 * Layout kernels: they move or repeat elements without arithmetic (scatterAdd adds). Each output
 * element is defined by where it comes from in the input, written as an index formula.
 */
import type { OutputSpec, TypedArray } from '@keras-ts/core';
import { convertValue } from './elementwise.js';
import { makeArray, ravel, sizeOf, stridesOf, storeAs, unravel, type TensorData } from '../tensor_data.js';

/** Builds an output of `out` where element `i` (multi-index `index`) is `x.values[source(index)]`. */
function gatherElements(x: TensorData, out: OutputSpec, source: (index: number[]) => number): TypedArray {
  const result = makeArray(out.dtype, sizeOf(out.shape));
  for (let i = 0; i < result.length; i++) result[i] = x.values[source(unravel(i, out.shape))];
  return result;
}

/** The same elements in the same row-major order under a new shape (the values are shared, never copied). */
export function reshape(x: TensorData): TypedArray {
  return x.values;
}

/** out[i₀, …, iₙ] = x[j] where j[perm[k]] = i_k: output axis k is input axis perm[k]. */
export function transpose(x: TensorData, perm: readonly number[], out: OutputSpec): TypedArray {
  const strides = stridesOf(x.shape);
  const permuted = perm.map((p) => strides[p]);
  return gatherElements(x, out, (index) => ravel(index, permuted));
}

/** out[i] = x[begin + i] for 0 <= i < size on every axis. */
export function slice(x: TensorData, begin: readonly number[], out: OutputSpec): TypedArray {
  const strides = stridesOf(x.shape);
  return gatherElements(x, out, (index) => ravel(index.map((v, k) => v + begin[k]), strides));
}

/** The inputs placed one after another along `axis`; every other axis is shared. */
export function concat(xs: readonly TensorData[], axis: number, out: OutputSpec): TypedArray {
  const result = makeArray(out.dtype, sizeOf(out.shape));
  const outer = sizeOf(out.shape.slice(0, axis));
  const inner = sizeOf(out.shape.slice(axis + 1));
  const outRow = out.shape[axis] * inner; // elements of one outer step of the output
  let offset = 0; // where the current input starts inside an output row
  for (const x of xs) {
    const row = x.shape[axis] * inner;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < row; j++) result[o * outRow + offset + j] = x.values[o * row + j];
    }
    offset += row;
  }
  return result;
}

/**
 * Constant padding: out has `before + x.shape[i] + after` on axis i; out[before + i] = x[i] and
 * every other element is `constantValue` (converted to out.dtype as cast converts: truncated for
 * int32, != 0 for bool).
 */
export function pad(x: TensorData, paddings: readonly (readonly [number, number])[], constantValue: number, out: OutputSpec): TypedArray {
  const result = makeArray(out.dtype, sizeOf(out.shape));
  result.fill(convertValue(constantValue, out.dtype));
  const outStrides = stridesOf(out.shape);
  for (let i = 0; i < x.values.length; i++) {
    const index = unravel(i, x.shape).map((v, k) => v + paddings[k][0]);
    result[ravel(index, outStrides)] = x.values[i];
  }
  return result;
}

function checkIndex(index: number, length: number, kernel: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new RangeError(`${kernel}: index ${index} is out of range [0, ${length}) (core should have checked it).`);
  }
}

/**
 * Slices of x along `axis` at the int32 `indices`: with x viewed as [outer, n, inner] and k
 * indices, out viewed as [outer, k, inner] has out[o, j, i] = x[o, indices[j], i]. The output
 * shape is x.shape[:axis] + indices.shape + x.shape[axis+1:].
 */
export function gather(x: TensorData, indices: TensorData, axis: number, out: OutputSpec): TypedArray {
  const n = x.shape[axis];
  const k = indices.values.length;
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const result = makeArray(out.dtype, outer * k * inner);
  for (let j = 0; j < k; j++) checkIndex(indices.values[j], n, 'gather');
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      for (let i = 0; i < inner; i++) result[(o * k + j) * inner + i] = x.values[(o * n + indices.values[j]) * inner + i];
    }
  }
  return result;
}

/**
 * The adjoint of gather: a zero tensor of out.shape ([outer, n, inner]) into which each slice
 * updates[o, j, i] is added at out[o, indices[j], i]. Repeated indices accumulate.
 */
export function scatterAdd(updates: TensorData, indices: TensorData, axis: number, out: OutputSpec): TypedArray {
  const n = out.shape[axis];
  const k = indices.values.length;
  const outer = sizeOf(out.shape.slice(0, axis));
  const inner = sizeOf(out.shape.slice(axis + 1));
  for (let j = 0; j < k; j++) checkIndex(indices.values[j], n, 'scatterAdd');
  const sums = new Float64Array(sizeOf(out.shape));
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      for (let i = 0; i < inner; i++) sums[(o * n + indices.values[j]) * inner + i] += updates.values[(o * k + j) * inner + i];
    }
  }
  const store = storeAs(out.dtype);
  const result = makeArray(out.dtype, sums.length);
  for (let i = 0; i < sums.length; i++) result[i] = store(sums[i]);
  return result;
}

/** x repeated reps[i] times along axis i: out[i] = x[i mod x.shape] on every axis. */
export function tile(x: TensorData, out: OutputSpec): TypedArray {
  const strides = stridesOf(x.shape);
  return gatherElements(x, out, (index) => ravel(index.map((v, k) => v % x.shape[k]), strides));
}

/** x reversed along the sorted `axes`: out[i] = x[n − 1 − i] on those axes, out[i] = x[i] on the others. */
export function reverse(x: TensorData, axes: readonly number[], out: OutputSpec): TypedArray {
  const strides = stridesOf(x.shape);
  return gatherElements(x, out, (index) => ravel(index.map((v, k) => (axes.includes(k) ? x.shape[k] - 1 - v : v)), strides));
}
