/** Making tensors from JavaScript values: `tensor(values, shape?, dtype?)` and friends. */
import { activeEntry, wrapHandle } from '../runtime/engine.js';
import { dtypeOfTypedArray, makeTypedArray, parseDType, toTypedArray, type DType, type TypedArray } from './dtype.js';
import { formatShape, sizeOf, type Shape } from './shape.js';
import type { Tensor } from './tensor.js';

/** What `tensor()` accepts: a number, a boolean, nested arrays of them, or a typed array. */
export type TensorValues = number | boolean | TypedArray | readonly TensorValues[] | readonly number[] | readonly boolean[];

/** Infers the shape of nested arrays, rejecting ragged ones with the path where they differ. */
function inferShape(values: unknown): number[] {
  const shape: number[] = [];
  let level: unknown = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  if (ArrayBuffer.isView(level)) shape.push((level as TypedArray).length);
  return shape;
}

function flatten(values: unknown, shape: readonly number[], axis: number, out: (number | boolean)[], path: string): void {
  if (axis === shape.length) {
    if (typeof values !== 'number' && typeof values !== 'boolean' && typeof values !== 'bigint') {
      throw new TypeError(`tensor: element at ${path || '[]'} is ${values === null ? 'null' : typeof values}. Expected a number or a boolean. Fix: pass numbers only.`);
    }
    out.push(typeof values === 'bigint' ? Number(values) : values);
    return;
  }
  const isList = Array.isArray(values) || ArrayBuffer.isView(values);
  const length = isList ? (values as ArrayLike<unknown>).length : -1;
  if (length !== shape[axis]) {
    throw new Error(
      `tensor: the nested array is ragged: element ${path || 'at the top'} has ${isList ? `length ${length}` : 'no sub-list'}, expected length ${shape[axis]} like its first sibling ` +
        `(shape so far ${formatShape(shape.slice(0, axis + 1))}). Fix: make every row the same length.`,
    );
  }
  for (let i = 0; i < length; i++) flatten((values as ArrayLike<unknown>)[i], shape, axis + 1, out, `${path}[${i}]`);
}

function checkShape(shape: unknown): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new TypeError(`tensor: shape ${JSON.stringify(shape)} is not a list of non-negative integers. Fix: pass e.g. [2, 3].`);
  }
  return shape as number[];
}

/**
 * Makes a tensor on the current backend.
 *
 * ```ts
 * tensor([[1, 2], [3, 4]]);                 // float32, shape [2, 2]
 * tensor([1, 2, 3, 4], [2, 2], 'int32');
 * ```
 */
export function tensor(values: TensorValues, shape?: readonly number[], dtype?: DType | string): Tensor {
  let flat: ArrayLike<number | boolean>;
  let inferred: number[];
  let defaultDType: DType = 'float32';
  if (ArrayBuffer.isView(values)) {
    flat = values as TypedArray;
    inferred = [flat.length];
    defaultDType = dtypeOfTypedArray(values) ?? 'float32';
  } else if (typeof values === 'number' || typeof values === 'boolean') {
    flat = [values];
    inferred = [];
    if (typeof values === 'boolean') defaultDType = 'bool';
  } else if (Array.isArray(values)) {
    inferred = inferShape(values);
    const list: (number | boolean)[] = [];
    flatten(values, inferred, 0, list, '');
    flat = list;
    if (list.length > 0 && typeof list[0] === 'boolean') defaultDType = 'bool';
  } else {
    throw new TypeError(
      `tensor: got ${values === null ? 'null' : typeof values}. Expected a number, a boolean, a (nested) array of them, or a typed array. Fix: pass e.g. tensor([[1, 2], [3, 4]]).`,
    );
  }
  const finalDType = dtype === undefined ? defaultDType : parseDType(dtype, 'tensor');
  let finalShape = inferred;
  if (shape !== undefined) {
    finalShape = checkShape(shape);
    if (sizeOf(finalShape) !== flat.length) {
      // A single value fills the whole shape, as in tfjs and numpy's full().
      if (flat.length === 1) flat = new Array<number | boolean>(sizeOf(finalShape)).fill(flat[0]);
      else {
        throw new Error(
          `tensor: ${flat.length} values cannot have shape ${formatShape(finalShape)} (${sizeOf(finalShape)} elements). ` +
            `Expected as many values as the shape holds. Fix: pass a shape whose sizes multiply to ${flat.length}, or omit the shape.`,
        );
      }
    }
  }
  return fromTypedArray(toStorage(flat, finalDType), finalShape, finalDType);
}

function toStorage(values: ArrayLike<number | boolean>, dtype: DType): TypedArray {
  if (dtype === 'float32' && values instanceof Float32Array) return values.slice();
  if (dtype === 'int32' && values instanceof Int32Array) return values.slice();
  if (dtype === 'bool' && values instanceof Uint8Array) return values.slice();
  return toTypedArray(values, dtype);
}

/** @internal uploads storage of the right type without copying it again */
export function fromTypedArray(values: TypedArray, shape: Shape, dtype: DType): Tensor {
  const entry = activeEntry();
  const handle = entry.backend.upload(values, shape, dtype);
  return wrapHandle(handle, { shape, dtype }, entry);
}

/**
 * @internal A tensor over `values` that core will not change while the tensor lives (a batch's
 * rows): the backend may keep the view (`borrow`); otherwise the rows are copied and uploaded.
 */
export function borrowTypedArray(values: TypedArray, shape: Shape, dtype: DType): Tensor {
  const entry = activeEntry();
  const backend = entry.backend;
  const handle = backend.borrow ? backend.borrow(values, shape, dtype) : backend.upload(values.slice(), shape, dtype);
  return wrapHandle(handle, { shape, dtype }, entry);
}

/** A tensor of the given shape filled with one value. */
export function fill(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  const storage = toTypedArray([value], dtype);
  const data = makeTypedArray(dtype, sizeOf(checkShape([...shape])));
  data.fill(storage[0]);
  return fromTypedArray(data, shape, dtype);
}

export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 0, dtype);
}

export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 1, dtype);
}

export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return tensor(value, [], dtype);
}
