/**
 * keras.random's ops: normal, uniform, truncatedNormal, randint, dropout and shuffle. The numbers
 * are drawn in JavaScript (see philox.ts) and uploaded, so a seed means the same tensor on every
 * backend; only dropout's masking and shuffle's gather run as backend ops. Each draw is a
 * `replayableDraw`, so a compiled step can draw again before each run (runtime/compile.ts).
 */
import * as ops from '../ops/index.js';
import type { TensorLike } from '../ops/convert.js';
import { fromTypedArray } from '../tensor/create.js';
import { parseDType, type DType } from '../tensor/dtype.js';
import { formatShape, normalizeAxis, sizeOf, type Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { keepMask, permutation, standardNormals, streamOf, truncatedStandardNormals, uniformFloat32, uniformIntegers } from './distributions.js';
import { drawSeed, type Seed } from './seed_generator.js';
import { replayableDraw } from '../runtime/nondeterminism.js';

export interface NormalOptions {
  mean?: number;
  stddev?: number;
  /** Only float32 is a floating dtype keras-ts stores. */
  dtype?: DType | string;
  seed?: Seed;
}

export interface UniformOptions {
  /** Inclusive lower bound, default 0. */
  minval?: number;
  /** Exclusive upper bound, default 1. */
  maxval?: number;
  dtype?: DType | string;
  seed?: Seed;
}

export interface DropoutOptions {
  /** The mask's shape, broadcast against the input; `null` entries take the input's size. */
  noiseShape?: readonly (number | null)[] | null;
  seed?: Seed;
}

export function checkShape(shape: unknown, where: string): Shape {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new TypeError(`${where}: shape ${JSON.stringify(shape)} is not a list of non-negative integers. Fix: pass e.g. [2, 3].`);
  }
  return shape as number[];
}

function floatDType(dtype: DType | string | undefined, where: string): 'float32' {
  const parsed = dtype === undefined ? 'float32' : parseDType(dtype, where);
  if (parsed !== 'float32') {
    throw new TypeError(`${where}: dtype must be a floating dtype, got '${parsed}'. Fix: omit dtype (float32), or use random.randint for integers.`);
  }
  return parsed;
}

function finite(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${where}: ${name} must be a finite number, got ${String(value)}. Fix: pass a number such as 0.05.`);
  }
  return value;
}

function scaled(z: Float64Array, mean: number, stddev: number): Float32Array {
  const out = new Float32Array(z.length);
  for (let i = 0; i < z.length; i++) out[i] = mean + stddev * z[i];
  return out;
}

/** Normal samples (keras.random.normal): mean 0 and stddev 1 unless given. */
export function randomNormal(shape: readonly number[], options: NormalOptions = {}): Tensor {
  const where = 'random.normal';
  const s = checkShape(shape, where);
  const mean = finite(options.mean ?? 0, 'mean', where);
  const stddev = finite(options.stddev ?? 1, 'stddev', where);
  const dtype = floatDType(options.dtype, where);
  return replayableDraw(() => fromTypedArray(scaled(standardNormals(streamOf(drawSeed(options.seed, where)), sizeOf(s)), mean, stddev), s, dtype));
}

/** Normal samples with every value beyond 2 stddev from the mean re-drawn (keras.random.truncated_normal). */
export function truncatedNormal(shape: readonly number[], options: NormalOptions = {}): Tensor {
  const where = 'random.truncatedNormal';
  const s = checkShape(shape, where);
  const mean = finite(options.mean ?? 0, 'mean', where);
  const stddev = finite(options.stddev ?? 1, 'stddev', where);
  const dtype = floatDType(options.dtype, where);
  return replayableDraw(() => fromTypedArray(scaled(truncatedStandardNormals(streamOf(drawSeed(options.seed, where)), sizeOf(s)), mean, stddev), s, dtype));
}

/** Uniform samples on [minval, maxval) (keras.random.uniform), [0, 1) by default. */
export function randomUniform(shape: readonly number[], options: UniformOptions = {}): Tensor {
  const where = 'random.uniform';
  const s = checkShape(shape, where);
  const minval = finite(options.minval ?? 0, 'minval', where);
  const maxval = finite(options.maxval ?? 1, 'maxval', where);
  if (!(maxval > minval)) {
    throw new RangeError(`${where}: maxval (${maxval}) must be greater than minval (${minval}). Fix: pass minval < maxval.`);
  }
  const dtype = floatDType(options.dtype, where);
  return replayableDraw(() => fromTypedArray(uniformFloat32(streamOf(drawSeed(options.seed, where)), sizeOf(s), minval, maxval), s, dtype));
}

/** Integers uniform on [minval, maxval) (keras.random.randint), as int32. */
export function randint(shape: readonly number[], minval: number, maxval: number, options: { dtype?: DType | string; seed?: Seed } = {}): Tensor {
  const where = 'random.randint';
  const s = checkShape(shape, where);
  const int32 = (v: number, name: string): number => {
    if (!Number.isInteger(v) || v < -(2 ** 31) || v > 2 ** 31) {
      throw new RangeError(`${where}: ${name} must be an integer in the int32 range, got ${v}. Fix: pass integer bounds.`);
    }
    return v;
  };
  const low = int32(minval, 'minval');
  const high = int32(maxval, 'maxval');
  if (!(high > low)) throw new RangeError(`${where}: maxval (${high}) must be greater than minval (${low}). Fix: pass minval < maxval.`);
  const dtype = options.dtype === undefined ? 'int32' : parseDType(options.dtype, where);
  if (dtype !== 'int32') throw new TypeError(`${where}: dtype must be an integer dtype, got '${dtype}'. Fix: omit dtype (int32).`);
  return replayableDraw(() => fromTypedArray(uniformIntegers(streamOf(drawSeed(options.seed, where)), sizeOf(s), low, high), s, dtype));
}

function checkRate(rate: unknown, where: string): number {
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    throw new RangeError(`${where}: rate must be a number in [0, 1), got ${String(rate)}. Fix: pass the fraction of values to drop, e.g. 0.5.`);
  }
  return rate;
}

/**
 * The keep mask of dropout: a bool tensor, true with probability 1 - rate. Exposed so that a
 * layer can reuse one mask across time steps (recurrent dropout).
 */
export function dropoutMask(shape: readonly number[], rate: number, seed?: Seed): Tensor {
  const where = 'random.dropoutMask';
  const s = checkShape(shape, where);
  const r = checkRate(rate, where);
  return replayableDraw(() => fromTypedArray(keepMask(streamOf(drawSeed(seed, where)), sizeOf(s), r), s, 'bool'));
}

/** Keras's noise_shape: `null` entries take the input's size, and every entry must be that size or 1. */
function resolveNoiseShape(noiseShape: readonly (number | null)[] | null | undefined, shape: Shape, where: string): number[] {
  if (noiseShape === null || noiseShape === undefined) return [...shape];
  const resolved = noiseShape.map((d, i) => (d === null ? shape[i] : d));
  if (resolved.length !== shape.length || resolved.some((d, i) => d !== shape[i] && d !== 1)) {
    throw new Error(
      `${where}: noiseShape ${JSON.stringify(noiseShape)} does not fit an input of shape ${formatShape(shape)}. ` +
        `Expected one entry per axis, each the input's size, 1 (to share the mask along that axis) or null. Fix: e.g. [batch, 1, features] to drop the same features at every step.`,
    );
  }
  return resolved;
}

/**
 * Inverted dropout (keras.random.dropout): each value is zeroed with probability `rate` and the
 * kept ones are divided by 1 - rate, so the expected sum is unchanged and inference needs no scaling.
 * Gradients flow to kept values only.
 */
export function dropout(x: TensorLike, rate: number, options: DropoutOptions = {}): Tensor {
  const where = 'random.dropout';
  const t = ops.convertToTensor(x, where);
  const r = checkRate(rate, where);
  const mask = dropoutMask(resolveNoiseShape(options.noiseShape, t.shape, where), r, options.seed);
  // `where` rather than multiplying by a 0/scale mask: a dropped inf or NaN becomes 0, as in Keras.
  return ops.where(mask, ops.divide(t, 1 - r), 0);
}

/** A seeded random permutation of 0..n-1 (Fisher–Yates), e.g. for shuffling batches in fit. */
export function shuffleIndices(n: number, seed?: Seed): Int32Array {
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) {
    throw new RangeError(`random.shuffleIndices: n must be a non-negative int32, got ${n}. Fix: pass the number of samples.`);
  }
  return permutation(streamOf(drawSeed(seed, 'random.shuffleIndices')), n);
}

/** The tensor with its slices along `axis` (default 0) in a random order (keras.random.shuffle). */
export function shuffle(x: TensorLike, options: { axis?: number; seed?: Seed } = {}): Tensor {
  const t = ops.convertToTensor(x, 'random.shuffle');
  if (t.rank === 0) throw new Error('random.shuffle: cannot shuffle a scalar. Expected a tensor of rank 1 or more. Fix: shuffle a list of values.');
  const axis = normalizeAxis(options.axis ?? 0, t.rank, 'random.shuffle');
  const order = shuffleIndices(t.shape[axis], options.seed);
  return ops.take(t, fromTypedArray(order, [order.length], 'int32'), { axis });
}
