/**
 * Elementwise kernels as ONNX graphs: unary ops, binary ops (ONNX broadcasting is numpy's),
 * where and cast. Where an ONNX op differs from the reference semantics the graph says so:
 * integer division floors and x // 0 = x % 0 = 0 (ONNX Div truncates and traps on 0), float mod
 * follows the divisor's sign (ONNX float Mod is C fmod), int32 pow wraps (ORT's saturates),
 * float→int32 casts saturate and send NaN to 0, and expm1/log1p keep their accuracy near 0.
 * float pow is ORT's Pow as it is: C's pow, which the reference follows (1 ** NaN = 1,
 * (−1) ** ±Infinity = 1, x ** 0 = 1 even for NaN).
 */
import type { BinaryOp, DType, OutputSpec, UnaryOp } from '@keras-ts/core';
import type { GraphBuilder } from '../onnx/graph.js';
import { feedOf, type Executor, type T } from '../executor.js';
import type { OrtOut } from '../onnx/runtime.js';

type G = GraphBuilder;

const f32 = (g: G, v: number) => g.constant('float32', [v]);

/**
 * expm1 with full float32 accuracy: for |x| < 0.5, Kahan's (u − 1)·x / log(u) with u = eˣ
 * cancels the rounding of u (and gives x where u rounds to 1); elsewhere eˣ − 1 loses nothing.
 */
function expm1(g: G, x: string): string {
  const u = g.op('Exp', [x]);
  const um1 = g.op('Sub', [u, f32(g, 1)]);
  const kahan = g.op('Div', [g.op('Mul', [um1, x]), g.op('Log', [u])]);
  const small = g.op('Where', [g.op('Equal', [u, f32(g, 1)]), x, kahan]);
  return g.op('Where', [g.op('Less', [g.op('Abs', [x]), f32(g, 0.5)]), small, um1]);
}

/** log1p with full float32 accuracy: log(u)·x / (u − 1) with u = 1 + x for |x| < 0.5 (x where u rounds to 1). */
function log1p(g: G, x: string): string {
  const u = g.op('Add', [x, f32(g, 1)]);
  const logU = g.op('Log', [u]);
  const kahan = g.op('Div', [g.op('Mul', [logU, x]), g.op('Sub', [u, f32(g, 1)])]);
  const small = g.op('Where', [g.op('Equal', [u, f32(g, 1)]), x, kahan]);
  return g.op('Where', [g.op('Less', [g.op('Abs', [x]), f32(g, 0.5)]), small, logU]);
}

/** Each unary op on a float32 input (bool for logicalNot). */
const UNARY: Record<UnaryOp, (g: G, x: string) => string> = {
  neg: (g, x) => g.op('Neg', [x]),
  abs: (g, x) => g.op('Abs', [x]),
  sign: (g, x) => g.op('Sign', [x]),
  exp: (g, x) => g.op('Exp', [x]),
  expm1,
  log: (g, x) => g.op('Log', [x]),
  log1p,
  sqrt: (g, x) => g.op('Sqrt', [x]),
  rsqrt: (g, x) => g.op('Reciprocal', [g.op('Sqrt', [x])]),
  square: (g, x) => g.op('Mul', [x, x]),
  reciprocal: (g, x) => g.op('Reciprocal', [x]),
  sin: (g, x) => g.op('Sin', [x]),
  cos: (g, x) => g.op('Cos', [x]),
  tanh: (g, x) => g.op('Tanh', [x]),
  sigmoid: (g, x) => g.op('Sigmoid', [x]),
  relu: (g, x) => g.op('Relu', [x]),
  erf: (g, x) => g.op('Erf', [x]),
  floor: (g, x) => g.op('Floor', [x]),
  ceil: (g, x) => g.op('Ceil', [x]),
  // ONNX Round rounds half to even, like numpy and the reference.
  round: (g, x) => g.op('Round', [x]),
  softplus: (g, x) => g.op('Softplus', [x]),
  logicalNot: (g, x) => g.op('Not', [x]),
  isNan: (g, x) => g.op('IsNaN', [x]),
  isFinite: (g, x) => g.op('Not', [g.op('Or', [g.op('IsNaN', [x]), g.op('IsInf', [x])])]),
};

/** int32 ops that are the identity on integers (ORT has no int32 Floor/Ceil/Round). */
const INT_IDENTITY = new Set<UnaryOp>(['floor', 'ceil', 'round']);

export function unary(ex: Executor, op: UnaryOp, x: T, out: OutputSpec): OrtOut {
  const identity = x.dtype === 'int32' && INT_IDENTITY.has(op);
  return ex.run(`unary ${op}`, `unary:${op}`, [feedOf(x)], [out.dtype], (g, [xi]) => [identity ? g.op('Identity', [xi]) : UNARY[op](g, xi)])[0];
}

const COMPARE: Partial<Record<BinaryOp, string>> = {
  equal: 'Equal', less: 'Less', lessEqual: 'LessOrEqual', greater: 'Greater', greaterEqual: 'GreaterOrEqual',
};
const ARITH: Partial<Record<BinaryOp, string>> = { add: 'Add', sub: 'Sub', mul: 'Mul', div: 'Div', pow: 'Pow', maximum: 'Max', minimum: 'Min' };

/** numpy's float remainder: C fmod moved into the divisor's sign; a zero takes the divisor's sign. */
function floatMod(g: G, a: string, b: string): string {
  const r = g.op('Mod', [a, b], { fmod: 1 });
  const zero = f32(g, 0);
  const signsDiffer = g.op('Xor', [g.op('Less', [r, zero]), g.op('Less', [b, zero])]);
  const moved = g.op('Where', [g.op('And', [g.op('Not', [g.op('Equal', [r, zero])]), signsDiffer]), g.op('Add', [r, b]), r]);
  const signedZero = g.op('Where', [g.op('Less', [b, zero]), f32(g, -0), zero]);
  return g.op('Where', [g.op('Equal', [r, zero]), signedZero, moved]);
}

/**
 * int32 floor division and numpy remainder. The divisor 0 gives 0 for both (as the reference);
 * −1 is handled apart because INT_MIN / −1 traps on x86. Division: truncate, then step down
 * where the remainder is non-zero and its sign differs from the divisor's.
 */
function intDivMod(g: G, a: string, b: string, op: 'floorDiv' | 'mod'): string {
  const i32 = (v: number) => g.constant('int32', [v]);
  const isZero = g.op('Equal', [b, i32(0)]);
  const isMinusOne = g.op('Equal', [b, i32(-1)]);
  const safeB = g.op('Where', [g.op('Or', [isZero, isMinusOne]), i32(1), b]);
  let r: string;
  if (op === 'mod') {
    r = g.op('Where', [isMinusOne, i32(0), g.op('Mod', [a, safeB], { fmod: 0 })]);
  } else {
    const q = g.op('Div', [a, safeB]);
    const rem = g.op('Sub', [a, g.op('Mul', [q, safeB])]);
    const signsDiffer = g.op('Xor', [g.op('Less', [rem, i32(0)]), g.op('Less', [safeB, i32(0)])]);
    const step = g.op('And', [g.op('Not', [g.op('Equal', [rem, i32(0)])]), signsDiffer]);
    const floored = g.op('Sub', [q, g.cast(step, 'bool', 'int32')]);
    r = g.op('Where', [isMinusOne, g.op('Neg', [a]), floored]);
  }
  return g.op('Where', [isZero, i32(0), r]);
}

/**
 * int32 power with 32-bit wrapping, by square-and-multiply over the 31 exponent bits (ORT's int
 * Pow goes through double and saturates). Negative exponents give the integer part of 1/aⁿ.
 */
function intPow(g: G, a: string, b: string): string {
  const i32 = (v: number) => g.constant('int32', [v]);
  const one = i32(1);
  let result = '';
  let base = a;
  for (let bit = 0; bit < 31; bit++) {
    const set = g.cast(g.op('BitwiseAnd', [b, i32(2 ** bit)]), 'int32', 'bool');
    const factor = g.op('Where', [set, base, one]);
    result = bit === 0 ? factor : g.op('Mul', [result, factor]);
    if (bit < 30) base = g.op('Mul', [base, base]);
  }
  const odd = g.cast(g.op('BitwiseAnd', [b, one]), 'int32', 'bool');
  const minusOnePow = g.op('Where', [odd, i32(-1), one]);
  const negative = g.op('Where', [g.op('Equal', [a, one]), one, g.op('Where', [g.op('Equal', [a, i32(-1)]), minusOnePow, i32(0)])]);
  return g.op('Where', [g.op('Less', [b, i32(0)]), negative, result]);
}

/** One binary op on inputs of `dtype` (float32 or int32; bool is routed through float32 first). */
function binaryGraph(g: G, op: BinaryOp, a: string, b: string, dtype: DType): string {
  if (op === 'logicalAnd') return g.op('And', [a, b]);
  if (op === 'logicalOr') return g.op('Or', [a, b]);
  if (op === 'notEqual') return g.op('Not', [g.op('Equal', [a, b])]);
  const cmp = COMPARE[op];
  if (cmp) return g.op(cmp, [a, b]);
  if (dtype === 'int32') {
    if (op === 'div' || op === 'floorDiv' || op === 'mod') return intDivMod(g, a, b, op === 'mod' ? 'mod' : 'floorDiv');
    if (op === 'pow') return intPow(g, a, b);
  }
  if (op === 'floorDiv') {
    // In float64: a float32 quotient can round up onto the next integer (2.5 / 0.001 → 2500, floor 2499).
    const q = g.op('Div', [g.cast(a, 'float32', 'float64'), g.cast(b, 'float32', 'float64')]);
    return g.cast(g.op('Floor', [q]), 'float64', 'float32');
  }
  if (op === 'mod') return floatMod(g, a, b);
  return g.op(ARITH[op] as string, [a, b]);
}

export function binary(ex: Executor, op: BinaryOp, a: T, b: T, out: OutputSpec): OrtOut {
  return ex.run(`binary ${op}`, `binary:${op}`, [feedOf(a), feedOf(b)], [out.dtype], (g, [ai, bi]) => {
    if (a.dtype !== 'bool' || op === 'logicalAnd' || op === 'logicalOr' || op === 'equal' || op === 'notEqual') {
      return [binaryGraph(g, op, ai, bi, a.dtype)];
    }
    // bool arithmetic and ordering: computed on 0/1 float32 (as the reference does), stored as != 0.
    const y = binaryGraph(g, op, g.cast(ai, 'bool', 'float32'), g.cast(bi, 'bool', 'float32'), 'float32');
    return [out.dtype === 'bool' && COMPARE[op] === undefined ? g.cast(y, 'float32', 'bool') : y];
  })[0];
}

export function where(ex: Executor, cond: T, a: T, b: T, out: OutputSpec): OrtOut {
  return ex.run('where', 'where', [feedOf(cond), feedOf(a), feedOf(b)], [out.dtype], (g, [c, ai, bi]) => {
    // ORT has no bool Where: select among uint8 0/1 and cast back.
    if (out.dtype !== 'bool') return [g.op('Where', [c, ai, bi])];
    return [g.cast(g.op('Where', [c, g.cast(ai, 'bool', 'uint8'), g.cast(bi, 'bool', 'uint8')]), 'uint8', 'bool')];
  })[0];
}

/** float32 → int32: truncate, NaN → 0, saturate beyond the int32 range (ORT's Cast leaves those undefined). */
function floatToInt(g: G, x: string): string {
  const clipped = g.op('Clip', [x, g.constant('float32', [-2147483648]), g.constant('float32', [2147483520])]);
  let y = g.cast(clipped, 'float32', 'int32');
  y = g.op('Where', [g.op('GreaterOrEqual', [x, g.constant('float32', [2147483648])]), g.constant('int32', [2147483647]), y]);
  return g.op('Where', [g.op('IsNaN', [x]), g.constant('int32', [0]), y]);
}

export function cast(ex: Executor, x: T, out: OutputSpec): OrtOut {
  return ex.run('cast', `cast:${out.dtype}`, [feedOf(x)], [out.dtype], (g, [xi]) => [
    x.dtype === 'float32' && out.dtype === 'int32' ? floatToInt(g, xi) : g.cast(xi, x.dtype, out.dtype),
  ])[0];
}
