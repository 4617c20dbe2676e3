/** Elementwise kernels: unary, binary (numpy broadcasting), where, cast. */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BinaryOp, KernelTensor, OutputSpec, Shape, UnaryOp } from '@keras-ts/core';
import { hasNaN } from './nan.js';
import { type KernelRunner, type Scope, scoped } from './runner.js';

/** The tfjs kernel of each unary op; a Record, so a new op tag in core fails the typecheck here. */
const UNARY_KERNELS: Record<UnaryOp, string> = {
  neg: 'Neg', abs: 'Abs', sign: 'Sign', exp: 'Exp', expm1: 'Expm1', log: 'Log', log1p: 'Log1p',
  sqrt: 'Sqrt', rsqrt: 'Rsqrt', square: 'Square', reciprocal: 'Reciprocal', sin: 'Sin', cos: 'Cos',
  tanh: 'Tanh', sigmoid: 'Sigmoid', relu: 'Relu', erf: 'Erf', floor: 'Floor', ceil: 'Ceil',
  round: 'Round', softplus: 'Softplus', logicalNot: 'LogicalNot', isNan: 'IsNan', isFinite: 'IsFinite',
};

/**
 * The tfjs kernel of each binary op. `div` and `floorDiv` depend on the dtype and are handled in
 * `binaryKernel`; the others map one to one (tfjs's Mod already takes the divisor's sign, as Python).
 */
const BINARY_KERNELS: Record<BinaryOp, string> = {
  add: 'Add', sub: 'Sub', mul: 'Multiply', div: 'RealDiv', pow: 'Pow', maximum: 'Maximum',
  minimum: 'Minimum', floorDiv: 'FloorDiv', mod: 'Mod', equal: 'Equal', notEqual: 'NotEqual',
  less: 'Less', lessEqual: 'LessEqual', greater: 'Greater', greaterEqual: 'GreaterEqual',
  logicalAnd: 'LogicalAnd', logicalOr: 'LogicalOr',
};

/** Ops that leave an integer unchanged: run on int32 they are an identity (tfjs-wasm's kernels would read int32 storage as float32). */
const INTEGER_IDENTITY = new Set<string>(['floor', 'ceil', 'round']);

/** Ops whose result is bool whatever the input: the others, on bool, are computed in int32 (see `binary`). */
const BOOL_RESULT = new Set<string>(['logicalNot', 'isNan', 'isFinite', 'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr']);

export function unary(r: KernelRunner, op: UnaryOp, x: KernelTensor<TensorInfo>, out: OutputSpec): TensorInfo {
  return scoped(r, (s) => {
    if (x.dtype !== 'float32' && INTEGER_IDENTITY.has(op)) return s.output(x.handle, out.dtype);
    const input = x.dtype === 'bool' && !BOOL_RESULT.has(op) ? s.cast(x.handle, 'int32') : x.handle;
    const y = s.run(UNARY_KERNELS[op], { x: input });
    // tfjs's Sign gives 0 for NaN; numpy and Keras give NaN.
    if (op === 'sign' && x.dtype === 'float32') {
      return s.output(s.run('Select', { condition: s.run('IsNan', { x: x.handle }), t: x.handle, e: y }), out.dtype);
    }
    return s.output(y, out.dtype);
  });
}

export function binary(r: KernelRunner, op: BinaryOp, a: KernelTensor<TensorInfo>, b: KernelTensor<TensorInfo>, out: OutputSpec): TensorInfo {
  return scoped(r, (s) => {
    const isFloat = out.dtype === 'float32';
    // Arithmetic runs in the output's dtype (tfjs would compute in the inputs'), and arithmetic on
    // bool in int32: tfjs would store bool + bool = 2 (or -1 as 255) in bool's Uint8Array. The final
    // cast to bool then maps nonzero to 1.
    const computeIn = isFloat ? 'float32' : out.dtype === 'bool' && !BOOL_RESULT.has(op) ? 'int32' : undefined;
    const ha = computeIn ? s.cast(a.handle, computeIn) : a.handle;
    const hb = computeIn ? s.cast(b.handle, computeIn) : b.handle;
    return s.output(binaryKernel(s, op, ha, hb, isFloat), out.dtype);
  });
}

function binaryKernel(s: Scope, op: BinaryOp, a: TensorInfo, b: TensorInfo, isFloat: boolean): TensorInfo {
  if (op === 'floorDiv') {
    // tfjs's FloorDiv always outputs int32, which would truncate float results.
    return isFloat ? s.run('Floor', { x: s.run('RealDiv', { a, b }) }) : s.run('FloorDiv', { a, b });
  }
  // int32 division floors, as tfjs's div does for int32 (RealDiv would truncate toward zero).
  if (op === 'div' && a.dtype === 'int32') return s.run('FloorDiv', { a, b });
  if (op === 'pow' && isFloat) return powAsC(s, a, b, s.run('Pow', { a, b }));
  return s.run(BINARY_KERNELS[op], { a, b });
}

/**
 * float32 pow with C's (and numpy's) special values where tfjs-cpu's Pow, JavaScript's Math.pow,
 * gives NaN: 1 ** y = 1 for every y, NaN included, and (−1) ** ±Infinity = 1 (x ** ±0 = 1 for
 * every x, NaN included, holds in both). Every such element is NaN in `y`, so one pass looking for
 * NaN leaves `y` as it is in the common case; otherwise a copy is corrected where the inputs are
 * those special values. tfjs-wasm's Pow already follows C: there the correction changes nothing.
 */
function powAsC(s: Scope, a: TensorInfo, b: TensorInfo, y: TensorInfo): TensorInfo {
  const r = s.runner;
  if (!hasNaN(r.peek(y) as Float32Array)) return y;
  const fromA = broadcastIndex(a.shape, y.shape);
  const fromB = broadcastIndex(b.shape, y.shape);
  return s.track(r.produce(y.shape, 'float32', (out) => {
    const [yv, av, bv] = [r.peek(y), r.peek(a), r.peek(b)];
    out.set(yv);
    for (let i = 0; i < out.length; i++) {
      if (out[i] === out[i]) continue;
      const [base, exponent] = [av[fromA(i)], bv[fromB(i)]];
      if (base === 1 || (base === -1 && Math.abs(exponent) === Infinity)) out[i] = 1;
    }
  }));
}

/** The flat index in an input of `shape` that numpy broadcasting sends to each flat index of `outShape`. */
function broadcastIndex(shape: Shape, outShape: Shape): (i: number) => number {
  const rank = outShape.length;
  const padded = [...new Array<number>(rank - shape.length).fill(1), ...shape];
  if (padded.every((d, k) => d === outShape[k])) return (i) => i;
  if (padded.every((d) => d === 1)) return () => 0;
  // Per output axis (innermost first): its size, and the input's stride along it (0 where broadcast).
  const axes: [number, number][] = [];
  for (let k = rank - 1, stride = 1; k >= 0; k--) {
    axes.push([outShape[k], padded[k] === 1 ? 0 : stride]);
    stride *= padded[k];
  }
  return (i) => {
    let at = 0;
    for (const [size, stride] of axes) {
      at += (i % size) * stride;
      i = Math.floor(i / size);
    }
    return at;
  };
}

export function where(
  r: KernelRunner, cond: KernelTensor<TensorInfo>, a: KernelTensor<TensorInfo>, b: KernelTensor<TensorInfo>, out: OutputSpec,
): TensorInfo {
  return scoped(r, (s) => {
    // tfjs's Select does not broadcast: its three inputs must have the output's shape.
    const c = broadcastTo(s, cond.handle, out.shape);
    const t = broadcastTo(s, s.cast(a.handle, out.dtype), out.shape);
    const e = broadcastTo(s, s.cast(b.handle, out.dtype), out.shape);
    return s.output(s.run('Select', { condition: c, t, e }), out.dtype);
  });
}

export function cast(r: KernelRunner, x: KernelTensor<TensorInfo>, out: OutputSpec): TensorInfo {
  return scoped(r, (s) => s.output(x.handle, out.dtype));
}

/** numpy broadcasting of `t` to `shape` with Reshape (leading 1s) and Tile; `t` itself when it already has that shape. */
export function broadcastTo(s: Scope, t: TensorInfo, shape: Shape): TensorInfo {
  if (t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i])) return t;
  const padded = [...new Array<number>(shape.length - t.shape.length).fill(1), ...t.shape];
  const reps = shape.map((d, i) => (padded[i] === d ? 1 : d));
  const reshaped = padded.length === t.shape.length ? t : s.reshape(t, padded);
  return reps.every((n) => n === 1) ? reshaped : s.run('Tile', { x: reshaped }, { reps });
}
