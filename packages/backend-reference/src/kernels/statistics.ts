/** moments: the mean and variance that BatchNormalization and keras.ops.moments need. */
import type { OutputSpec, TypedArray } from '@keras-ts/core';
import { makeArray, reductionTarget, sizeOf, type TensorData } from '../tensor_data.js';

/**
 * Mean and biased variance (divide by N, not N − 1) of `x` over the sorted `axes`, both float32
 * of `out.shape` (x's shape without those axes).
 *
 * Two passes, in float64: first the mean, then the mean of the squared deviations from it. This
 * stays accurate when the mean is large against the spread, where the one-pass
 * E[x²] − E[x]² loses every digit to cancellation (and can even come out negative).
 * A group of N = 0 elements gives NaN for both.
 */
export function moments(x: TensorData, axes: readonly number[], out: OutputSpec): [TypedArray, TypedArray] {
  const target = reductionTarget(x.shape, axes);
  const outSize = sizeOf(out.shape);
  const n = sizeOf(axes.map((a) => x.shape[a]));

  const mean = new Float64Array(outSize);
  for (let i = 0; i < x.values.length; i++) mean[target[i]] += x.values[i];
  for (let o = 0; o < outSize; o++) mean[o] /= n;

  const variance = new Float64Array(outSize);
  for (let i = 0; i < x.values.length; i++) {
    const d = x.values[i] - mean[target[i]];
    variance[target[i]] += d * d;
  }
  for (let o = 0; o < outSize; o++) variance[o] /= n;

  const meanOut = makeArray(out.dtype, outSize);
  const varianceOut = makeArray(out.dtype, outSize);
  meanOut.set(mean);
  varianceOut.set(variance);
  return [meanOut, varianceOut];
}
