/** Elementwise ops (keras.ops): arithmetic with broadcasting, math functions, comparisons, where, clip, cast. */
import type { BinaryOp, UnaryOp } from '../backend/backend.js';
import { run1 } from '../runtime/engine.js';
import { parseDType, type DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { castTo, promote, toTensor, type TensorLike } from './convert.js';
import { binaryPrimitive, unaryPrimitive, wherePrimitive } from './primitives/elementwise.js';

function unaryOp(op: UnaryOp, x: TensorLike, name: string = op, float = false): Tensor {
  let t = toTensor(x, name);
  if (float && t.dtype !== 'float32') t = castTo(t, 'float32');
  return run1(unaryPrimitive, [t], { op });
}

function binaryOp(op: BinaryOp, a: TensorLike, b: TensorLike, name: string): Tensor {
  const [ta, tb] = promote(name, a, b);
  return run1(binaryPrimitive, [ta, tb], { op });
}

export const add = (a: TensorLike, b: TensorLike): Tensor => binaryOp('add', a, b, 'add');
export const subtract = (a: TensorLike, b: TensorLike): Tensor => binaryOp('sub', a, b, 'subtract');
export const multiply = (a: TensorLike, b: TensorLike): Tensor => binaryOp('mul', a, b, 'multiply');
/** True division: integer operands give float32, as in Keras. */
export function divide(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = promote('divide', a, b);
  return run1(binaryPrimitive, [castTo(ta, 'float32'), castTo(tb, 'float32')], { op: 'div' });
}
export const trueDivide = divide;
export const floorDivide = (a: TensorLike, b: TensorLike): Tensor => binaryOp('floorDiv', a, b, 'floorDivide');
export const mod = (a: TensorLike, b: TensorLike): Tensor => binaryOp('mod', a, b, 'mod');
export const power = (a: TensorLike, b: TensorLike): Tensor => binaryOp('pow', a, b, 'power');
export const pow = power;
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binaryOp('maximum', a, b, 'maximum');
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binaryOp('minimum', a, b, 'minimum');
export const equal = (a: TensorLike, b: TensorLike): Tensor => binaryOp('equal', a, b, 'equal');
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => binaryOp('notEqual', a, b, 'notEqual');
export const less = (a: TensorLike, b: TensorLike): Tensor => binaryOp('less', a, b, 'less');
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => binaryOp('lessEqual', a, b, 'lessEqual');
export const greater = (a: TensorLike, b: TensorLike): Tensor => binaryOp('greater', a, b, 'greater');
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => binaryOp('greaterEqual', a, b, 'greaterEqual');
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => run1(binaryPrimitive, bools('logicalAnd', a, b), { op: 'logicalAnd' });
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => run1(binaryPrimitive, bools('logicalOr', a, b), { op: 'logicalOr' });
export const logicalNot = (x: TensorLike): Tensor => run1(unaryPrimitive, bools('logicalNot', x), { op: 'logicalNot' });

function bools(name: string, ...xs: TensorLike[]): Tensor[] {
  return xs.map((x) => {
    const t = toTensor(x, name, 'bool');
    return t.dtype === 'bool' ? t : run1(binaryPrimitive, promote(name, t, 0), { op: 'notEqual' });
  });
}

export const negative = (x: TensorLike): Tensor => unaryOp('neg', x, 'negative');
export const abs = (x: TensorLike): Tensor => unaryOp('abs', x);
export const absolute = abs;
export const sign = (x: TensorLike): Tensor => unaryOp('sign', x);
export const exp = (x: TensorLike): Tensor => unaryOp('exp', x, 'exp', true);
export const expm1 = (x: TensorLike): Tensor => unaryOp('expm1', x, 'expm1', true);
export const log = (x: TensorLike): Tensor => unaryOp('log', x, 'log', true);
export const log1p = (x: TensorLike): Tensor => unaryOp('log1p', x, 'log1p', true);
export const sqrt = (x: TensorLike): Tensor => unaryOp('sqrt', x, 'sqrt', true);
export const rsqrt = (x: TensorLike): Tensor => unaryOp('rsqrt', x, 'rsqrt', true);
export const square = (x: TensorLike): Tensor => unaryOp('square', x);
export const reciprocal = (x: TensorLike): Tensor => unaryOp('reciprocal', x, 'reciprocal', true);
export const sin = (x: TensorLike): Tensor => unaryOp('sin', x, 'sin', true);
export const cos = (x: TensorLike): Tensor => unaryOp('cos', x, 'cos', true);
export const erf = (x: TensorLike): Tensor => unaryOp('erf', x, 'erf', true);
export const floor = (x: TensorLike): Tensor => unaryOp('floor', x);
export const ceil = (x: TensorLike): Tensor => unaryOp('ceil', x);
export const round = (x: TensorLike): Tensor => unaryOp('round', x);
export const isnan = (x: TensorLike): Tensor => unaryOp('isNan', x, 'isnan', true);
export const isfinite = (x: TensorLike): Tensor => unaryOp('isFinite', x, 'isfinite', true);

/** `where(condition, x1, x2)`: x1 where condition is true, else x2, with broadcasting. */
export function where(condition: TensorLike, x1: TensorLike, x2: TensorLike): Tensor {
  const [cond] = bools('where', condition);
  const [a, b] = promote('where', x1, x2);
  return run1(wherePrimitive, [cond, a, b], {});
}

/** Clips values to [min, max], as `keras.ops.clip(x, x_min, x_max)`. */
export function clip(x: TensorLike, xMin: TensorLike, xMax: TensorLike): Tensor {
  const t = toTensor(x, 'clip');
  if (typeof xMin === 'number' && typeof xMax === 'number' && xMin > xMax) {
    throw new RangeError(`clip: xMin (${xMin}) is greater than xMax (${xMax}). Expected xMin <= xMax. Fix: swap them.`);
  }
  return minimum(maximum(t, xMin), xMax);
}

export function cast(x: TensorLike, dtype: DType | string): Tensor {
  return castTo(toTensor(x, 'cast'), parseDType(dtype, 'cast'));
}
