/**
 * Turns what fit, evaluate and predict accept into batches. In-memory data (Tensors, nested
 * arrays, `{ data, shape }`, lists of those, records by input name) is kept on the host as typed
 * arrays, cut into batches (shuffled by core's seeded random, so every backend sees the same
 * batches) and uploaded one batch at a time. Generators and async iterables yield batches
 * themselves.
 */
import { dtypeOfTypedArray, type DType, type TypedArray } from '../tensor/dtype.js';
import { formatShape, sizeOf, type Dim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { borrowTypedArray, tensor, type TensorValues } from '../tensor/create.js';
import type { KerasTensor } from '../engine/keras_tensor.js';

/** One array of data: a Tensor, a nested array, or a typed array with its shape. */
export type ArrayLikeData = Tensor | TensorValues | { data: TypedArray; shape: readonly number[] };

/** What x or y may be: one array, a list (one per model input/output), or a record by name. */
export type DataInput = ArrayLikeData | readonly ArrayLikeData[] | Record<string, ArrayLikeData>;

/** A batch as a generator yields it: [x, y] or [x, y, sampleWeight]. */
export type BatchTuple = readonly [DataInput, DataInput?, ArrayLikeData?];

export type BatchSource = Iterable<BatchTuple> | AsyncIterable<BatchTuple>;

/** Host-side data of one input or output. */
export interface HostArray {
  values: TypedArray;
  shape: number[];
  dtype: DType;
}

function isTensorValuesList(value: unknown): boolean {
  return Array.isArray(value) && (value.length === 0 || typeof value[0] === 'number' || typeof value[0] === 'boolean' || Array.isArray(value[0]) || ArrayBuffer.isView(value[0]));
}

function isDataObject(value: unknown): value is { data: TypedArray; shape: readonly number[] } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && ArrayBuffer.isView((value as { data?: unknown }).data) && Array.isArray((value as { shape?: unknown }).shape);
}

/** One array to host storage, with a Keras-style error for what cannot be data. */
export function toHost(value: ArrayLikeData, what: string): HostArray {
  if (value instanceof Tensor) return { values: value.dataSync(), shape: [...value.shape], dtype: value.dtype };
  if (isDataObject(value)) {
    const dtype = dtypeOfTypedArray(value.data);
    if (!dtype) throw new TypeError(`${what}: a ${value.data.constructor.name} cannot be data. Expected a Float32Array, Int32Array or Uint8Array. Fix: convert it, e.g. Float32Array.from(data).`);
    if (sizeOf(value.shape) !== value.data.length) {
      throw new Error(`${what}: { data, shape } has ${value.data.length} values but shape ${formatShape(value.shape)} holds ${sizeOf(value.shape)}. Fix: give the shape of the data, batch axis first.`);
    }
    return { values: value.data, shape: [...value.shape], dtype };
  }
  let t: Tensor;
  try {
    t = tensor(value as TensorValues);
  } catch (error) {
    throw new TypeError(`${what}: ${(error as Error).message}`, { cause: error });
  }
  const host = { values: t.dataSync(), shape: [...t.shape], dtype: t.dtype };
  t.dispose();
  return host;
}

/**
 * Normalizes x (or y) to one host array per model input (or output), following API.md: a list of
 * Tensors or `{ data, shape }` is one entry per input; a plain nested number array is one array.
 */
export function normalizeData(data: DataInput, expected: readonly KerasTensor[] | undefined, names: readonly string[], what: string): HostArray[] {
  const count = expected?.length ?? 1;
  if (data === null || data === undefined) throw new TypeError(`${what}: got ${data}. Expected a Tensor, an array or { data, shape }.`);
  if (!(data instanceof Tensor) && !isDataObject(data) && !Array.isArray(data) && typeof data === 'object' && !ArrayBuffer.isView(data)) {
    const record = data as Record<string, ArrayLikeData>;
    const missing = names.filter((n) => !(n in record));
    if (missing.length > 0) {
      throw new Error(`${what}: the record has keys [${Object.keys(record).join(', ')}] but the model's ${what === 'x' ? 'inputs' : 'outputs'} are named [${names.join(', ')}]; missing ${missing.join(', ')}. Fix: key the data by those names.`);
    }
    return names.map((n) => toHost(record[n], `${what}['${n}']`));
  }
  if (Array.isArray(data) && !isTensorValuesList(data)) {
    const list = data as ArrayLikeData[];
    if (list.length !== count) {
      throw new Error(`${what}: got a list of ${list.length} arrays, but the model has ${count} ${what === 'x' ? 'input' : 'output'}(s). Fix: pass one array per ${what === 'x' ? 'input' : 'output'}, in order.`);
    }
    return list.map((d, i) => toHost(d, `${what}[${i}]`));
  }
  if (count !== 1) {
    throw new Error(`${what}: the model has ${count} ${what === 'x' ? 'inputs' : 'outputs'}, so ${what} must be a list with one array each (or a record by name). Fix: pass [${names.map((n) => `${n}Data`).join(', ')}].`);
  }
  return [toHost(data as ArrayLikeData, what)];
}

/** Checks that the data fits the model's inputs, explaining a missing batch axis. */
export function checkAgainstInputs(arrays: readonly HostArray[], expected: readonly KerasTensor[], what: string): void {
  arrays.forEach((a, i) => {
    const want = expected[i]?.shape;
    if (!want) return;
    const fits = a.shape.length === want.length && want.every((d, j) => d === null || j === 0 || d === a.shape[j]);
    if (fits) return;
    const label = arrays.length === 1 ? what : `${what}[${i}]`;
    const missingBatch = a.shape.length === want.length - 1 && want.slice(1).every((d: Dim, j) => d === null || d === a.shape[j]);
    if (missingBatch) {
      throw new Error(
        `${label} has shape ${formatShape(a.shape)} but the model expects ${formatShape(want)}: the first axis is the batch axis, even for one example. ` +
          `Fix: pass shape ${formatShape([1, ...a.shape])} for one example (wrap it in a list), or a batch (n, ${a.shape.join(', ')}).`,
      );
    }
    throw new Error(`${label} has shape ${formatShape(a.shape)} but the model's input ${i} expects ${formatShape(want)} (the batch axis first). Fix: reshape the data to (samples, ${want.slice(1).map((d) => d ?? 'any').join(', ')}).`);
  });
}

/** The number of samples all arrays share, or a Keras-style error listing the sizes. */
export function cardinality(groups: { name: string; arrays: readonly HostArray[] }[]): number {
  const sizes = groups.flatMap((g) => g.arrays.map((a) => ({ name: g.name, n: a.shape[0] })));
  const n = sizes[0]?.n;
  if (sizes.some((s) => s.n !== n)) {
    const byName = groups.map((g) => `'${g.name}' sizes: ${g.arrays.map((a) => a.shape[0]).join(', ')}`).join('\n');
    throw new Error(`Data cardinality is ambiguous. Make sure all arrays contain the same number of samples.\n${byName}\nFix: give x, y and sampleWeight one entry per sample each.`);
  }
  return n ?? 0;
}

/** Rows `indices` of a host array, uploaded as one Tensor. Contiguous rows are copied as one block. */
export function takeRows(a: HostArray, indices: readonly number[] | { start: number; end: number }): Tensor {
  const row = sizeOf(a.shape.slice(1));
  if (!Array.isArray(indices)) {
    const { start, end } = indices as { start: number; end: number };
    // The batch tensor lives for one step, during which nothing writes the host array: a view will do where the backend can keep one.
    return borrowTypedArray(a.values.subarray(start * row, end * row), [end - start, ...a.shape.slice(1)], a.dtype);
  }
  const list = indices as readonly number[];
  const out = new (a.values.constructor as new (n: number) => TypedArray)(list.length * row);
  list.forEach((r, i) => out.set(a.values.subarray(r * row, (r + 1) * row), i * row));
  // `out` is this batch's own array: a backend that can keep it saves a second copy.
  return borrowTypedArray(out, [list.length, ...a.shape.slice(1)], a.dtype);
}

/** Splits host arrays at sample `at`: [0, at) and [at, n). */
export function splitAt(a: HostArray, at: number): [HostArray, HostArray] {
  const row = sizeOf(a.shape.slice(1));
  const n = a.shape[0];
  return [
    { values: a.values.slice(0, at * row), shape: [at, ...a.shape.slice(1)], dtype: a.dtype },
    { values: a.values.slice(at * row), shape: [n - at, ...a.shape.slice(1)], dtype: a.dtype },
  ];
}

/** A generator or (async) iterable of batches, as opposed to in-memory data (typed arrays are iterable too). */
export function isBatchSource(x: unknown): x is BatchSource {
  if (x === null || typeof x !== 'object' || Array.isArray(x) || x instanceof Tensor || ArrayBuffer.isView(x) || isDataObject(x)) return false;
  return Symbol.iterator in x || Symbol.asyncIterator in x;
}
