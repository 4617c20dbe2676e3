/** Batched matrix multiplication, the heaviest kernel of training. */
import { definePrimitive, type Primitive } from '../../runtime/primitive.js';
import { run1 } from '../../runtime/engine.js';
import { formatShape, type Dim } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as g from './grad_ops.js';

export interface MatmulAttrs {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

const mm = (a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor => run1(matmulPrimitive, [a, b], { transposeA, transposeB });

/** Sums a [batch, m, n] gradient back to batch 1 when that operand was broadcast along the batch. */
function sumBatch(d: Tensor, batch: number): Tensor {
  return batch === 1 && d.shape[0] !== 1 ? g.reshape(g.reduce('sum', d, [0]), [1, d.shape[1], d.shape[2]]) : d;
}

export const matmulPrimitive: Primitive<MatmulAttrs> = definePrimitive<MatmulAttrs>({
  name: 'matmul',
  infer([a, b], { transposeA, transposeB }) {
    const [ba, m, ka] = transposeA ? [a.shape[0], a.shape[2], a.shape[1]] : a.shape;
    const [bb, kb, n] = transposeB ? [b.shape[0], b.shape[2], b.shape[1]] : b.shape;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') throw new TypeError(`matmul: expected float32 operands, got ${a.dtype} and ${b.dtype}.`);
    if (ka !== null && kb !== null && ka !== kb) {
      throw new Error(`matmul: inner sizes differ: ${formatShape(a.shape)} x ${formatShape(b.shape)} (${ka} vs ${kb}).`);
    }
    let batch: Dim;
    if (ba === 1) batch = bb;
    else if (bb === 1 || ba === bb) batch = ba;
    else if (ba === null || bb === null) batch = ba ?? bb;
    else throw new Error(`matmul: batch sizes ${ba} and ${bb} differ and neither is 1.`);
    return [{ shape: [batch, m, n], dtype: 'float32' }];
  },
  forward(backend, [a, b], { transposeA, transposeB }, [out]) {
    return [backend.matmul(a, b, transposeA, transposeB, out)];
  },
  grad({ dys: [dy], inputs: [a, b], attrs: { transposeA, transposeB }, needsGrad }) {
    const [needA, needB] = needsGrad ?? [true, true];
    let da: () => Tensor;
    let db: () => Tensor;
    if (!transposeA && !transposeB) {
      da = () => mm(dy, b, false, true);
      db = () => mm(a, dy, true, false);
    } else if (!transposeA && transposeB) {
      da = () => mm(dy, b, false, false);
      db = () => mm(dy, a, true, false);
    } else if (transposeA && !transposeB) {
      da = () => mm(b, dy, false, true);
      db = () => mm(a, dy, false, false);
    } else {
      da = () => mm(b, dy, true, true);
      db = () => mm(dy, a, true, true);
    }
    return [needA ? sumBatch(da(), a.shape[0]) : null, needB ? sumBatch(db(), b.shape[0]) : null];
  },
});
