/**
 * Elementwise kernels: unary ops, binary ops with numpy broadcasting, where, and cast.
 *
 * Dtypes (core checks them before calling):
 * - unary: the output has the input's dtype, except logicalNot (bool → bool) and isNan/isFinite
 *   (→ bool). exp, log, sqrt, tanh, sigmoid, erf, ... are only called on float32; neg, abs, sign,
 *   square, relu, floor, ceil and round may also get int32, where they stay exact integers.
 * - binary: both inputs have one dtype; arithmetic keeps it (int32 stays int32, wrapping on
 *   overflow), comparisons and logical ops return bool (0/1).
 */
import type { BinaryOp, DType, OutputSpec, TypedArray, UnaryOp } from '@keras-ts/core';
import { broadcastSource, makeArray, sizeOf, storeAs, type TensorData } from '../tensor_data.js';
import { erf, intPow, pow, roundHalfToEven, sigmoid, softplus } from './scalar_math.js';

type Unary = (x: number) => number;

/** Each unary op on one element (a float64 holding the stored value). */
const UNARY: Record<UnaryOp, Unary> = {
  neg: (x) => -x,
  abs: (x) => Math.abs(x),
  /** -1, 0 or 1 (NaN stays NaN, ±0 stays ±0). */
  sign: (x) => Math.sign(x),
  exp: (x) => Math.exp(x),
  /** e^x − 1, accurate near 0. */
  expm1: (x) => Math.expm1(x),
  log: (x) => Math.log(x),
  /** log(1 + x), accurate near 0. */
  log1p: (x) => Math.log1p(x),
  sqrt: (x) => Math.sqrt(x),
  /** 1/√x. */
  rsqrt: (x) => 1 / Math.sqrt(x),
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  sin: (x) => Math.sin(x),
  cos: (x) => Math.cos(x),
  tanh: (x) => Math.tanh(x),
  /** 1/(1+e^(−x)), stable for large |x|. */
  sigmoid,
  /** max(x, 0); NaN stays NaN. */
  relu: (x) => Math.max(x, 0),
  /** Cody's rational approximation, relative error < 1e-15. */
  erf,
  floor: (x) => Math.floor(x),
  ceil: (x) => Math.ceil(x),
  /** Round half to even, as numpy and TensorFlow do. */
  round: roundHalfToEven,
  /** log1p(e^(−|x|)) + max(x, 0). */
  softplus,
  logicalNot: (x) => (x === 0 ? 1 : 0),
  isNan: (x) => (Number.isNaN(x) ? 1 : 0),
  /** False for NaN and ±Infinity. */
  isFinite: (x) => (Number.isFinite(x) ? 1 : 0),
};

/** int32 versions where the float64 formula would not wrap like 32-bit integer arithmetic. */
const INT_UNARY: Partial<Record<UnaryOp, Unary>> = {
  square: (x) => Math.imul(x, x),
};

export function unary(op: UnaryOp, x: TensorData, out: OutputSpec): TypedArray {
  const f = (x.dtype === 'int32' ? INT_UNARY[op] : undefined) ?? UNARY[op];
  const store = storeAs(out.dtype);
  const result = makeArray(out.dtype, x.values.length);
  for (let i = 0; i < x.values.length; i++) result[i] = store(f(x.values[i]));
  return result;
}

type Binary = (a: number, b: number) => number;

/** numpy's float remainder: fmod, then moved into the divisor's sign; a zero result takes the divisor's sign. */
function floatMod(a: number, b: number): number {
  const r = a % b;
  if (r === 0) return b < 0 ? -0 : 0;
  return r < 0 !== b < 0 ? r + b : r;
}

/** numpy's integer remainder: the sign of the divisor; x mod 0 is 0. */
function intMod(a: number, b: number): number {
  if (b === 0) return 0;
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** Floor division of integers: rounds toward −∞ (−7 // 2 = −4); x // 0 is 0, as numpy gives. */
function intFloorDiv(a: number, b: number): number {
  return b === 0 ? 0 : Math.floor(a / b);
}

/** Each binary op on one pair of float64 values (float32 inputs, or bool 0/1). */
const BINARY: Record<BinaryOp, Binary> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  /** C's pow, not Math.pow: 1 ** NaN = 1, (−1) ** ±Infinity = 1, NaN ** 0 = 1 (numpy.power). */
  pow,
  /** NaN wins (as numpy.maximum). */
  maximum: (a, b) => Math.max(a, b),
  minimum: (a, b) => Math.min(a, b),
  /** floor(a / b). */
  floorDiv: (a, b) => Math.floor(a / b),
  /** a − floor(a/b)·b, with the sign of b (numpy.mod / Python %). */
  mod: floatMod,
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  logicalAnd: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  logicalOr: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
};

/**
 * int32 arithmetic where the float64 formula differs from integer semantics. `div` of int32 is
 * never called by core (true division casts to float32 first); if called it floors, like floorDiv.
 */
const INT_BINARY: Partial<Record<BinaryOp, Binary>> = {
  mul: (a, b) => Math.imul(a, b),
  div: intFloorDiv,
  floorDiv: intFloorDiv,
  mod: intMod,
  pow: intPow,
};

export function binary(op: BinaryOp, a: TensorData, b: TensorData, out: OutputSpec): TypedArray {
  const f = (a.dtype === 'int32' ? INT_BINARY[op] : undefined) ?? BINARY[op];
  const store = storeAs(out.dtype);
  const fromA = broadcastSource(a.shape, out.shape);
  const fromB = broadcastSource(b.shape, out.shape);
  const result = makeArray(out.dtype, sizeOf(out.shape));
  for (let i = 0; i < result.length; i++) result[i] = store(f(a.values[fromA[i]], b.values[fromB[i]]));
  return result;
}

/** out[i] = cond[i] ? a[i] : b[i], all three broadcast to out.shape. */
export function where(cond: TensorData, a: TensorData, b: TensorData, out: OutputSpec): TypedArray {
  const fromCond = broadcastSource(cond.shape, out.shape);
  const fromA = broadcastSource(a.shape, out.shape);
  const fromB = broadcastSource(b.shape, out.shape);
  const result = makeArray(out.dtype, sizeOf(out.shape));
  for (let i = 0; i < result.length; i++) {
    result[i] = cond.values[fromCond[i]] !== 0 ? a.values[fromA[i]] : b.values[fromB[i]];
  }
  return result;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * The value of `v` converted to `to`:
 * - to bool: 1 when v != 0 (NaN included, as numpy's bool(nan) is True), else 0;
 * - to int32: truncated toward zero (2.7 → 2, −2.7 → −2); NaN → 0 and values beyond the int32
 *   range saturate (numpy and TensorFlow leave both undefined);
 * - to float32: the nearest float32 (bool gives 0/1).
 */
export function convertValue(v: number, to: DType): number {
  if (to === 'bool') return v !== 0 ? 1 : 0;
  if (to === 'int32') {
    if (Number.isNaN(v)) return 0;
    return Math.min(INT32_MAX, Math.max(INT32_MIN, Math.trunc(v)));
  }
  return Math.fround(v);
}

export function cast(x: TensorData, out: OutputSpec): TypedArray {
  const result = makeArray(out.dtype, x.values.length);
  for (let i = 0; i < x.values.length; i++) result[i] = convertValue(x.values[i], out.dtype);
  return result;
}
