/** Layout ops (keras.ops): reshape, transpose, concatenate, stack, split, slice, pad, take, tile, broadcastTo, expandDims, squeeze, flip. */
import { checkOnHost, recordingStep } from '../runtime/compile.js';
import { run1 } from '../runtime/engine.js';
import { isSymbolic } from '../tensor/symbolic.js';
import { broadcastShapes, formatShape, normalizeAxes, normalizeAxis, shapesEqual, sizeOf, type Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { castTo, promote, toTensor, type TensorLike } from './convert.js';
import { add, less, where } from './elementwise.js';
import {
  concatPrimitive, gatherPrimitive, padPrimitive, reshapePrimitive, reversePrimitive, slicePrimitive, tilePrimitive, transposePrimitive,
} from './primitives/layout.js';

/** Resolves one -1 in a target shape and checks the element count, with a Keras-style error. */
export function resolveShape(from: Shape, newShape: readonly number[], where = 'reshape'): number[] {
  const target = [...newShape];
  const unknown = target.filter((d) => d === -1).length;
  if (unknown > 1 || target.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new Error(`${where}: invalid target shape ${JSON.stringify(newShape)}. Expected non-negative integers with at most one -1. Fix: use -1 for at most one axis.`);
  }
  const size = sizeOf(from);
  if (unknown === 1) {
    const known = sizeOf(target.filter((d) => d !== -1));
    if (known === 0 || size % known !== 0) {
      throw new Error(
        `${where}: cannot reshape ${formatShape(from)} (${size} elements) to ${formatShape(newShape.map((d) => (d === -1 ? null : d)))}: ${size} is not a multiple of ${known}. ` +
          `Fix: choose sizes whose product divides ${size}.`,
      );
    }
    target[target.indexOf(-1)] = size / known;
  }
  if (sizeOf(target) !== size) {
    throw new Error(
      `${where}: cannot reshape ${formatShape(from)} (${size} elements) to ${formatShape(target)} (${sizeOf(target)} elements). ` +
        `Expected a shape with the same number of elements. Fix: check the target shape, or use -1 for one axis to infer it.`,
    );
  }
  return target;
}

export function reshape(x: TensorLike, newShape: readonly number[]): Tensor {
  const t = toTensor(x, 'reshape');
  const shape = resolveShape(t.shape, newShape);
  return run1(reshapePrimitive, [t], { shape });
}

export function transpose(x: TensorLike, options: { axes?: readonly number[] | null } = {}): Tensor {
  const t = toTensor(x, 'transpose');
  const axes = options.axes ?? t.shape.map((_, i) => t.rank - 1 - i);
  const perm = axes.map((a) => normalizeAxis(a, t.rank, 'transpose'));
  if (perm.length !== t.rank || new Set(perm).size !== t.rank) {
    throw new Error(
      `transpose: axes ${JSON.stringify(axes)} are not a permutation of the ${t.rank} axes of a tensor of shape ${formatShape(t.shape)}. ` +
        `Fix: list each axis 0..${t.rank - 1} exactly once.`,
    );
  }
  return run1(transposePrimitive, [t], { perm });
}

export function concatenate(xs: readonly TensorLike[], options: { axis?: number } = {}): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new Error('concatenate: expected a non-empty list of tensors. Fix: pass at least one tensor.');
  const tensors = promote('concatenate', ...xs);
  const rank = tensors[0].rank;
  if (rank === 0) throw new Error('concatenate: cannot concatenate scalars (rank 0). Fix: use ops.stack, or expandDims first.');
  const axis = normalizeAxis(options.axis ?? 0, rank, 'concatenate');
  tensors.forEach((t, i) => {
    if (t.rank !== rank || t.shape.some((d, j) => j !== axis && d !== tensors[0].shape[j])) {
      throw new Error(
        `concatenate: tensor ${i} has shape ${formatShape(t.shape)}, which does not match ${formatShape(tensors[0].shape)} on every axis but axis ${axis}. ` +
          `Expected the same rank and sizes except along the concatenation axis. Fix: reshape the inputs, or concatenate along another axis.`,
      );
    }
  });
  if (tensors.length === 1) return tensors[0];
  return run1(concatPrimitive, tensors, { axis });
}

export function expandDims(x: TensorLike, axis: number): Tensor {
  const t = toTensor(x, 'expandDims');
  const a = normalizeAxis(axis, t.rank + 1, 'expandDims');
  const shape = [...t.shape];
  shape.splice(a, 0, 1);
  return run1(reshapePrimitive, [t], { shape });
}

export function squeeze(x: TensorLike, options: { axis?: number | readonly number[] | null } = {}): Tensor {
  const t = toTensor(x, 'squeeze');
  const axes = options.axis === null || options.axis === undefined ? t.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes(options.axis, t.rank, 'squeeze');
  for (const a of axes) {
    if (t.shape[a] !== 1) {
      throw new Error(`squeeze: axis ${a} of ${formatShape(t.shape)} has size ${t.shape[a]}, not 1. Expected only size-1 axes. Fix: squeeze another axis, or reshape.`);
    }
  }
  return run1(reshapePrimitive, [t], { shape: t.shape.filter((_, i) => !axes.includes(i)) });
}

export function stack(xs: readonly TensorLike[], options: { axis?: number } = {}): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new Error('stack: expected a non-empty list of tensors. Fix: pass at least one tensor.');
  const tensors = promote('stack', ...xs);
  tensors.forEach((t, i) => {
    if (!shapesEqual(t.shape, tensors[0].shape)) {
      throw new Error(`stack: tensor ${i} has shape ${formatShape(t.shape)} but tensor 0 has ${formatShape(tensors[0].shape)}. Expected every tensor to have the same shape.`);
    }
  });
  const axis = normalizeAxis(options.axis ?? 0, tensors[0].rank + 1, 'stack');
  return concatenate(tensors.map((t) => expandDims(t, axis)), { axis });
}

/**
 * `slice(x, startIndices, shape)` as keras.ops.slice: a block of `shape` starting at `startIndices`
 * (a size of -1 takes the rest of that axis).
 */
export function slice(x: TensorLike, startIndices: readonly number[], shape: readonly number[]): Tensor {
  const t = toTensor(x, 'slice');
  if (startIndices.length !== t.rank || shape.length !== t.rank) {
    throw new Error(`slice: a tensor of shape ${formatShape(t.shape)} needs ${t.rank} start indices and ${t.rank} sizes, got ${startIndices.length} and ${shape.length}.`);
  }
  const size = shape.map((s, i) => (s === -1 ? t.shape[i] - startIndices[i] : s));
  for (let i = 0; i < t.rank; i++) {
    if (startIndices[i] < 0 || size[i] < 0 || startIndices[i] + size[i] > t.shape[i]) {
      throw new RangeError(
        `slice: on axis ${i}, start ${startIndices[i]} and size ${size[i]} go outside the tensor of shape ${formatShape(t.shape)}. ` +
          `Expected 0 <= start and start + size <= ${t.shape[i]}. Fix: clamp the start and size to the tensor's extent.`,
      );
    }
  }
  return run1(slicePrimitive, [t], { begin: [...startIndices], size });
}

/** Splits into equal sections (a number) or at the given indices, as keras.ops.split. */
export function split(x: TensorLike, indicesOrSections: number | readonly number[], options: { axis?: number } = {}): Tensor[] {
  const t = toTensor(x, 'split');
  const axis = normalizeAxis(options.axis ?? 0, t.rank, 'split');
  const n = t.shape[axis];
  let bounds: number[];
  if (typeof indicesOrSections === 'number') {
    if (!Number.isInteger(indicesOrSections) || indicesOrSections <= 0 || n % indicesOrSections !== 0) {
      throw new Error(`split: cannot split axis ${axis} of size ${n} into ${indicesOrSections} equal sections. Expected a positive divisor of ${n}. Fix: pass a divisor, or a list of split indices.`);
    }
    const step = n / indicesOrSections;
    bounds = Array.from({ length: indicesOrSections + 1 }, (_, i) => i * step);
  } else bounds = [0, ...indicesOrSections.map((i) => Math.min(Math.max(i, 0), n)), n];
  const parts: Tensor[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const begin = t.shape.map((_, j) => (j === axis ? bounds[i] : 0));
    const size = t.shape.map((d, j) => (j === axis ? Math.max(bounds[i + 1] - bounds[i], 0) : d));
    parts.push(run1(slicePrimitive, [t], { begin, size }));
  }
  return parts;
}

export type PadMode = 'constant' | 'edge' | 'reflect' | 'symmetric' | 'wrap';
const PAD_MODES: readonly PadMode[] = ['constant', 'edge', 'reflect', 'symmetric', 'wrap'];

export interface PadOptions {
  /** numpy's modes: 'constant' (the default), 'edge', 'reflect', 'symmetric', 'wrap'. */
  mode?: PadMode;
  constantValues?: number;
}

/** The rows of axis `axis` from `start` (inclusive) to `end` (exclusive). */
function rows(t: Tensor, axis: number, start: number, end: number): Tensor {
  return run1(slicePrimitive, [t], { begin: t.shape.map((_, i) => (i === axis ? start : 0)), size: t.shape.map((d, i) => (i === axis ? end - start : d)) });
}

/** What numpy puts before and after axis `axis` for a non-constant mode, built from slices of t. */
function padAxis(t: Tensor, axis: number, before: number, after: number, mode: Exclude<PadMode, 'constant'>): Tensor {
  const n = t.shape[axis];
  const flipAxis = (u: Tensor) => run1(reversePrimitive, [u], { axes: [axis] });
  // reflect mirrors around the edge row (excluding it), so it can take at most n - 1 rows.
  const limit = mode === 'reflect' ? n - 1 : n;
  if (before > limit || after > limit) {
    throw new RangeError(`pad: mode '${mode}' can pad axis ${axis} of size ${n} by at most ${limit} on each side; got [${before}, ${after}]. Fix: pad less, or in several steps.`);
  }
  let head: Tensor | undefined;
  let tail: Tensor | undefined;
  if (mode === 'edge') {
    if (before) head = tile(rows(t, axis, 0, 1), t.shape.map((_, i) => (i === axis ? before : 1)));
    if (after) tail = tile(rows(t, axis, n - 1, n), t.shape.map((_, i) => (i === axis ? after : 1)));
  } else if (mode === 'wrap') {
    if (before) head = rows(t, axis, n - before, n);
    if (after) tail = rows(t, axis, 0, after);
  } else {
    const skip = mode === 'reflect' ? 1 : 0;
    if (before) head = flipAxis(rows(t, axis, skip, before + skip));
    if (after) tail = flipAxis(rows(t, axis, n - after - skip, n - skip));
  }
  const parts = [head, t, tail].filter((p): p is Tensor => p !== undefined);
  return parts.length === 1 ? t : run1(concatPrimitive, parts, { axis });
}

/**
 * Pads like numpy's pad: with a constant (the default) or, with `mode`, by repeating the edge,
 * reflecting, mirroring or wrapping around. `padWidth` is `[[before, after], ...]` per axis, or
 * one pair for every axis.
 */
export function pad(x: TensorLike, padWidth: readonly (readonly [number, number])[] | readonly [number, number], options: PadOptions = {}): Tensor {
  const t = toTensor(x, 'pad');
  const mode = options.mode ?? 'constant';
  if (!PAD_MODES.includes(mode)) {
    throw new Error(`pad: unknown mode '${String(mode)}'. Expected one of ${PAD_MODES.map((m) => `'${m}'`).join(', ')}. Fix: use one of those.`);
  }
  const pairs = typeof padWidth[0] === 'number' ? t.shape.map(() => padWidth as readonly [number, number]) : (padWidth as readonly (readonly [number, number])[]);
  if (pairs.length !== t.rank || pairs.some((p) => p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < 0))) {
    throw new Error(`pad: padWidth ${JSON.stringify(padWidth)} does not fit a tensor of shape ${formatShape(t.shape)}. Expected ${t.rank} pairs [before, after] of non-negative integers.`);
  }
  if (mode !== 'constant') return pairs.reduce((acc, [b, a], axis) => (b || a ? padAxis(acc, axis, b, a, mode) : acc), t);
  return run1(padPrimitive, [t], { paddings: pairs.map((p) => [p[0], p[1]] as const), constantValue: options.constantValues ?? 0 });
}

/** `take(x, indices, { axis })`: elements at int indices along an axis (negative indices count from the end). */
export function take(x: TensorLike, indices: TensorLike, options: { axis?: number | null } = {}): Tensor {
  let t = toTensor(x, 'take');
  let axis = 0;
  if (options.axis === null || options.axis === undefined) t = run1(reshapePrimitive, [t], { shape: [t.size] });
  else axis = normalizeAxis(options.axis, t.rank, 'take');
  const source = toTensor(indices, 'take', 'int32');
  let idx = source.dtype === 'float32' ? castTo(source, 'int32') : source;
  const n = t.shape[axis];
  // Symbolic indices (shape tracing) have no values to check.
  if (isSymbolic(idx) || isSymbolic(t)) return run1(gatherPrimitive, [t, idx], { axis });
  // The range is checked on the given indices (float ones as the int32 cast reads them), so that a compiled
  // step whose indices are an input checks each later input the same way before it runs.
  let wrapped = false;
  checkOnHost(source, (values) => {
    for (let i = 0; i < values.length; i++) {
      const v = source.dtype === 'float32' ? castFloatToInt32(values[i]) : values[i];
      if (v < -n || v >= n) {
        throw new RangeError(`take: index ${v} is out of bounds for axis ${axis} of size ${n} (shape ${formatShape(t.shape)}). Expected indices in [${-n}, ${n - 1}].`);
      }
      if (v < 0) wrapped = true;
    }
  });
  // Negative indices count from the end, as in numpy; the kernel takes them in [0, n). A recorded step
  // wraps them with ops, since later inputs may hold negatives where this one does not.
  if (recordingStep()) idx = where(less(idx, 0), add(idx, n), idx);
  else if (wrapped) idx = wrapNegative(idx, n);
  return run1(gatherPrimitive, [t, idx], { axis });
}

/** What the float32 to int32 cast makes of a value: truncated toward zero, NaN to 0, saturated. */
function castFloatToInt32(v: number): number {
  if (Number.isNaN(v)) return 0;
  return Math.max(-2147483648, Math.min(2147483647, Math.trunc(v)));
}

function wrapNegative(idx: Tensor, n: number): Tensor {
  const values = idx.dataSync().map((v) => (v < 0 ? v + n : v));
  return toTensor(values as Int32Array, 'take', 'int32');
}

export const gather = (x: TensorLike, indices: TensorLike, options: { axis?: number } = {}): Tensor => take(x, indices, { axis: options.axis ?? 0 });

export function tile(x: TensorLike, repeats: readonly number[]): Tensor {
  let t = toTensor(x, 'tile');
  if (repeats.some((r) => !Number.isInteger(r) || r < 0)) throw new Error(`tile: repeats ${JSON.stringify(repeats)} must be non-negative integers.`);
  const rank = Math.max(t.rank, repeats.length);
  if (t.rank < rank) t = run1(reshapePrimitive, [t], { shape: [...new Array<number>(rank - t.rank).fill(1), ...t.shape] });
  const reps = [...new Array<number>(rank - repeats.length).fill(1), ...repeats];
  return run1(tilePrimitive, [t], { reps });
}

export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = toTensor(x, 'broadcastTo');
  const out = broadcastShapes(t.shape, shape, 'broadcastTo');
  if (!shapesEqual(out, shape)) {
    throw new Error(`broadcastTo: cannot broadcast ${formatShape(t.shape)} to ${formatShape(shape)}. Expected each axis of the input to be 1 or equal to the target's, counted from the last.`);
  }
  if (shapesEqual(t.shape, shape)) return t;
  const padded = [...new Array<number>(shape.length - t.rank).fill(1), ...t.shape];
  const reshaped = run1(reshapePrimitive, [t], { shape: padded });
  return run1(tilePrimitive, [reshaped], { reps: shape.map((d, i) => (padded[i] === d ? 1 : d)) });
}

export function flip(x: TensorLike, options: { axis?: number | readonly number[] | null } = {}): Tensor {
  const t = toTensor(x, 'flip');
  return run1(reversePrimitive, [t], { axes: normalizeAxes(options.axis, t.rank, 'flip') });
}
