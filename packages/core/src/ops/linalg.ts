/** keras.ops.matmul with numpy semantics: 1-D operands, batched operands, broadcast batch axes. */
import { run1 } from '../runtime/engine.js';
import { broadcastShapes, formatShape, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { castTo, toTensor, type TensorLike } from './convert.js';
import { broadcastTo, reshape } from './layout.js';
import { matmulPrimitive } from './primitives/linalg.js';

export function matmul(x1: TensorLike, x2: TensorLike): Tensor {
  let a = castTo(toTensor(x1, 'matmul'), 'float32');
  let b = castTo(toTensor(x2, 'matmul'), 'float32');
  if (a.rank === 0 || b.rank === 0) {
    throw new Error(`matmul: operands must have at least one axis, got ${formatShape(a.shape)} and ${formatShape(b.shape)}. Fix: use ops.multiply for scalars.`);
  }
  // numpy: a 1-D a is a row vector, a 1-D b a column vector; the added axis is removed afterwards.
  const aVector = a.rank === 1;
  const bVector = b.rank === 1;
  if (aVector) a = reshape(a, [1, a.shape[0]]);
  if (bVector) b = reshape(b, [b.shape[0], 1]);
  const [m, k] = a.shape.slice(-2);
  const [k2, n] = b.shape.slice(-2);
  if (k !== k2) {
    throw new Error(
      `matmul: cannot multiply ${formatShape(toTensor(x1, 'matmul').shape)} by ${formatShape(toTensor(x2, 'matmul').shape)}: the last axis of the first (${k}) must equal the ` +
        `${bVector ? 'only' : 'second-to-last'} axis of the second (${k2}). Fix: transpose one operand (ops.transpose) or check the shapes.`,
    );
  }
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), 'matmul') as number[];
  const batchSize = sizeOf(batch);
  const asBatched = (t: Tensor, rows: number, cols: number): Tensor => {
    const own = t.shape.slice(0, -2);
    // An operand without batch axes (or with all of size 1) is broadcast by the kernel itself.
    if (sizeOf(own) === 1) return reshape(t, [1, rows, cols]);
    return reshape(broadcastTo(t, [...batch, rows, cols]), [batchSize, rows, cols]);
  };
  let y = run1(matmulPrimitive, [asBatched(a, m, k), asBatched(b, k, n)], { transposeA: false, transposeB: false });
  const outShape = [...batch, ...(aVector ? [] : [m]), ...(bVector ? [] : [n])];
  y = reshape(y, outShape);
  return y;
}
