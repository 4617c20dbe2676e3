/** Batched matrix multiplication of rank-3 tensors, the kernel under Dense, attention and LSTM. */
import type { OutputSpec, TypedArray } from '@keras-ts/core';
import { makeArray, sizeOf, storeAs, type TensorData } from '../tensor_data.js';

/**
 * out[b, i, j] = Σₖ A[b, i, k] · B[b, k, j], with A = a (or aᵀ per batch when transposeA) and
 * B = b (or bᵀ when transposeB):
 * - a is [batchA, m, k], or [batchA, k, m] with transposeA;
 * - b is [batchB, k, n], or [batchB, n, k] with transposeB;
 * - batchA and batchB are equal, or one of them is 1 and that operand is used for every batch.
 * The output is [max(batchA, batchB), m, n]. Each sum is accumulated in float64 and rounded once.
 */
export function matmul(a: TensorData, b: TensorData, transposeA: boolean, transposeB: boolean, out: OutputSpec): TypedArray {
  const [batch, m, n] = out.shape;
  const k = transposeA ? a.shape[1] : a.shape[2];
  const [, aRows, aCols] = a.shape;
  const [, bRows, bCols] = b.shape;
  // Element (i, kk) of A and (kk, j) of B in batch `t`, following the transposes and the batch broadcast.
  const aAt = (t: number, i: number, kk: number): number => {
    const base = (a.shape[0] === 1 ? 0 : t) * aRows * aCols;
    return a.values[base + (transposeA ? kk * aCols + i : i * aCols + kk)];
  };
  const bAt = (t: number, kk: number, j: number): number => {
    const base = (b.shape[0] === 1 ? 0 : t) * bRows * bCols;
    return b.values[base + (transposeB ? j * bCols + kk : kk * bCols + j)];
  };
  const store = storeAs(out.dtype);
  const result = makeArray(out.dtype, sizeOf(out.shape));
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let kk = 0; kk < k; kk++) sum += aAt(t, i, kk) * bAt(t, kk, j);
        result[(t * m + i) * n + j] = store(sum);
      }
    }
  }
  return result;
}
