/** Turning what a user passes to an op into Tensors of compatible dtypes. */
import { Variable } from '../runtime/variable.js';
import { fill, tensor, type TensorValues } from '../tensor/create.js';
import { resultType, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { SymbolicTensor } from '../tensor/symbolic.js';
import { run1 } from '../runtime/engine.js';
import { castPrimitive } from './primitives/elementwise.js';

/** Anything an op accepts as a tensor argument. */
export type TensorLike = Tensor | Variable | TensorValues;

export function toTensor(x: TensorLike, where: string, dtype?: DType): Tensor {
  if (x instanceof Tensor) {
    x.assertLive(where);
    return x;
  }
  if (x instanceof Variable) return x.value;
  // A symbolic tensor passes through: ops on it run their shape rules only.
  if (x instanceof SymbolicTensor) return x as unknown as Tensor;
  if (x === null || x === undefined) {
    throw new TypeError(`${where}: got ${x === null ? 'null' : 'undefined'} where a tensor was expected. Fix: pass a Tensor, a number or a (nested) array.`);
  }
  return tensor(x, undefined, dtype);
}

/** Casts to `dtype` when needed. */
export function castTo(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : run1(castPrimitive, [x], { dtype });
}

/**
 * Converts the operands of an elementwise op and promotes them to one dtype. A plain JS number is
 * "weakly typed" as in Keras: it takes the other operand's dtype unless it needs float32.
 */
export function promote(where: string, ...args: TensorLike[]): Tensor[] {
  const strong = args.filter((a) => a instanceof Tensor || a instanceof Variable || a instanceof SymbolicTensor).map((a) => toTensor(a, where));
  let dtype: DType | undefined = strong.length > 0 ? resultType(...strong.map((t) => t.dtype)) : undefined;
  for (const a of args) {
    if (typeof a === 'number' && (dtype === undefined || dtype !== 'float32') && !Number.isInteger(a)) dtype = 'float32';
    else if (typeof a === 'number' && dtype === 'bool') dtype = 'int32';
  }
  const tensors = args.map((a) => {
    if (typeof a === 'number' || typeof a === 'boolean') return fill([], Number(a), dtype ?? (typeof a === 'boolean' ? 'bool' : 'float32'));
    return toTensor(a, where);
  });
  const common = dtype ?? resultType(...tensors.map((t) => t.dtype));
  return tensors.map((t) => castTo(t, common));
}
