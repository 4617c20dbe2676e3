/**
 * The values every kernel works on, and the few helpers they share: sizes, row-major strides,
 * index arithmetic, broadcasting, and the rule that turns a computed number into a stored one.
 *
 * Storage: a tensor of shape `s` is a flat typed array of `prod(s)` elements in row-major
 * (C) order, the last axis fastest. float32 lives in a Float32Array, int32 in an Int32Array and
 * bool in a Uint8Array of 0/1. A 0-d tensor (shape `[]`) has one element.
 *
 * Arithmetic: kernels read elements as JavaScript numbers (float64), compute in float64, and round
 * once when they store the result (see `storeAs`). For float32 +, -, *, / and sqrt this gives the
 * correctly rounded float32 result; sums and products of many terms are more accurate than a
 * float32 accumulator, which is what a reference should be.
 */
import type { DType, Shape, TypedArray } from '@keras-ts/core';

/** The reference backend's handle: just the stored values. Shape and dtype come with each KernelTensor. */
export interface RefHandle {
  readonly values: TypedArray;
}

/** What a kernel reads: a tensor's values with the shape and dtype core knows for it. */
export interface TensorData {
  readonly values: TypedArray;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** The number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides: the flat distance between neighbours along each axis. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** The multi-index of flat position `flat` in a tensor of `shape`. */
export function unravel(flat: number, shape: Shape): number[] {
  const index = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    index[i] = flat % shape[i];
    flat = Math.floor(flat / shape[i]);
  }
  return index;
}

/** The flat position of a multi-index, given the strides of the tensor it indexes. */
export function ravel(index: readonly number[], strides: readonly number[]): number {
  let flat = 0;
  for (let i = 0; i < index.length; i++) flat += index[i] * strides[i];
  return flat;
}

/** A new zero-filled typed array of the storage type of `dtype`. */
export function makeArray(dtype: DType, size: number): TypedArray {
  if (dtype === 'float32') return new Float32Array(size);
  if (dtype === 'int32') return new Int32Array(size);
  return new Uint8Array(size);
}

/**
 * How a computed number is stored in a tensor of `dtype`:
 * - float32: rounded to the nearest float32 (what a Float32Array store does);
 * - int32: wrapped to 32-bit two's complement after truncation (what an Int32Array store does).
 *   Kernels that produce int32 from int32 give exact integers, so this is int32 overflow
 *   wrapping, as in numpy and TensorFlow. (Float-to-int conversion is `cast`'s job, with its own rule.)
 * - bool: 1 when the number is non-zero (NaN included), else 0.
 */
export function storeAs(dtype: DType): (v: number) => number {
  if (dtype === 'bool') return (v) => (v !== 0 ? 1 : 0);
  return (v) => v;
}

/**
 * numpy broadcasting, as a table: for each flat position of `outShape`, the flat position of the
 * element of an input of `inShape` that broadcasts to it. Shapes are aligned at their last axis;
 * an input axis of size 1 (or a missing leading axis) repeats its single element.
 */
export function broadcastSource(inShape: Shape, outShape: Shape): Int32Array {
  const offset = outShape.length - inShape.length;
  const inStrides = stridesOf(inShape);
  // The stride of each output axis in the input: 0 where the input is broadcast along it.
  const strides = outShape.map((_, axis) => {
    const inAxis = axis - offset;
    return inAxis < 0 || inShape[inAxis] === 1 ? 0 : inStrides[inAxis];
  });
  const size = sizeOf(outShape);
  const source = new Int32Array(size);
  const same = inShape.length === outShape.length && inShape.every((d, i) => d === outShape[i]);
  for (let flat = 0; flat < size; flat++) source[flat] = same ? flat : ravel(unravel(flat, outShape), strides);
  return source;
}

/**
 * For a reduction over sorted `axes`: for each flat position of the input, the flat position of
 * the output element it contributes to (the output is the input shape without those axes).
 */
export function reductionTarget(shape: Shape, axes: readonly number[]): Int32Array {
  const keptStrides = stridesOf(shape.filter((_, i) => !axes.includes(i)));
  // The output stride of each input axis; 0 for a reduced axis.
  const strides: number[] = [];
  let k = 0;
  for (let axis = 0; axis < shape.length; axis++) strides.push(axes.includes(axis) ? 0 : keptStrides[k++]);
  const size = sizeOf(shape);
  const target = new Int32Array(size);
  for (let flat = 0; flat < size; flat++) target[flat] = ravel(unravel(flat, shape), strides);
  return target;
}

/** The shape after a reduction drops `axes`. */
export function reducedShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}
