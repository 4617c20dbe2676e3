/**
 * Binary ops where tfjs-wasm's kernels differ from numpy and the reference backend, composed from
 * other wasm kernels; every other op goes to the shared kernels of src/common.
 *
 * - maximum, minimum: wasm's kernels return the other operand where one is NaN (C's fmax); numpy
 *   and Keras return NaN.
 * - int32 floorDiv, mod (and div, which floors on int32): wasm's FloorDiv gives −2³¹ for a zero
 *   divisor and its Mod traps ("remainder by zero"); numpy gives 0 for both.
 * - int32 pow: wasm's turns 0 ** −n (infinite) into −2³¹; computed in float32 and cast as tfjs-cpu
 *   does, it is 0 (as the reference's integer power).
 * - outputs of more than 6 axes, which XNNPACK's kernels cannot take (high_rank.ts).
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BinaryOp, KernelTensor, OutputSpec } from '@keras-ts/core';
import * as common from '../common/elementwise.js';
import { type KernelRunner, type Scope, scoped } from '../common/runner.js';
import { XNN_MAX_DIMS, highRankBinary } from './high_rank.js';

type T = KernelTensor<TensorInfo>;

export function binary(r: KernelRunner, op: BinaryOp, a: T, b: T, out: OutputSpec): TensorInfo {
  if (out.shape.length > XNN_MAX_DIMS) return highRankBinary(r, a, b, out, (ai, bi, o) => binary(r, op, ai, bi, o));
  if ((op === 'maximum' || op === 'minimum') && out.dtype === 'float32') return nanPropagating(r, op, a, b, out);
  if ((op === 'floorDiv' || op === 'mod' || op === 'div') && out.dtype === 'int32') return zeroSafeDivision(r, op, a, b, out);
  if (op === 'pow' && out.dtype === 'int32') {
    return scoped(r, (s) => s.output(s.run('Pow', { a: s.cast(a.handle, 'float32'), b: s.cast(b.handle, 'float32') }), out.dtype));
  }
  return common.binary(r, op, a, b, out);
}

function nanPropagating(r: KernelRunner, op: 'maximum' | 'minimum', a: T, b: T, out: OutputSpec): TensorInfo {
  return scoped(r, (s) => {
    const m = s.run(op === 'maximum' ? 'Maximum' : 'Minimum', { a: a.handle, b: b.handle });
    const eitherNaN = s.run('LogicalOr', { a: s.run('IsNan', { x: a.handle }), b: s.run('IsNan', { x: b.handle }) });
    const nans = fill(s, out, NaN);
    return s.output(s.run('Select', { condition: eitherNaN, t: nans, e: m }), out.dtype);
  });
}

/** The op with every zero divisor replaced by 1, then 0 wherever the divisor was 0. */
function zeroSafeDivision(r: KernelRunner, op: BinaryOp, a: T, b: T, out: OutputSpec): TensorInfo {
  return scoped(r, (s) => {
    const zeroDivisor = s.run('Equal', { a: b.handle, b: fill(s, { shape: [], dtype: 'int32' }, 0) });
    const safe = s.run('Select', { condition: zeroDivisor, t: fill(s, b, 1), e: b.handle });
    const result = s.run(op === 'mod' ? 'Mod' : 'FloorDiv', { a: a.handle, b: safe });
    const zeroed = common.broadcastTo(s, zeroDivisor, out.shape);
    return s.output(s.run('Select', { condition: zeroed, t: fill(s, out, 0), e: result }), out.dtype);
  });
}

function fill(s: Scope, like: OutputSpec, value: number): TensorInfo {
  return s.run('Fill', {}, { shape: [...like.shape], value, dtype: like.dtype });
}
