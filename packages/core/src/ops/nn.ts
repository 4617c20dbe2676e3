/** Neural-network ops (keras.ops.nn): moments, oneHot, the LSTM cell, softmax cross-entropy. */
import { backendOf } from '../runtime/backend_of.js';
import { run1, runPrimitive } from '../runtime/engine.js';
import { parseDType, type DType } from '../tensor/dtype.js';
import { formatShape, normalizeAxes, normalizeAxis, shapesEqual } from '../tensor/shape.js';
import { tensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { composeLstmCell, composeSoftmaxCrossEntropy } from './composites.js';
import { castTo, toTensor, type TensorLike } from './convert.js';
import { cast, equal } from './elementwise.js';
import { expandDims, reshape } from './layout.js';
import { lstmCellPrimitive, softmaxCrossEntropyPrimitive } from './primitives/fused.js';
import { momentsPrimitive } from './primitives/statistics.js';

/**
 * Mean and (biased) variance over `axes`, as keras.ops.moments. Computed in one kernel that stays
 * accurate when the mean is large against the spread.
 */
export function moments(x: TensorLike, axes: number | readonly number[], options: { keepdims?: boolean } = {}): { mean: Tensor; variance: Tensor } {
  const t = castTo(toTensor(x, 'moments'), 'float32');
  const normalized = normalizeAxes(axes, t.rank, 'moments');
  if (normalized.length === 0) throw new Error('moments: expected at least one axis. Fix: pass e.g. moments(x, [0]).');
  if (normalized.some((a) => t.shape[a] === 0)) {
    throw new Error(`moments: axis ${normalized.find((a) => t.shape[a] === 0)} of ${formatShape(t.shape)} is empty, so the mean is undefined. Fix: compute moments over non-empty axes.`);
  }
  let [mean, variance] = runPrimitive(momentsPrimitive, [t], { axes: normalized });
  if (options.keepdims) {
    const kept = t.shape.map((d, i) => (normalized.includes(i) ? 1 : d));
    mean = reshape(mean, kept);
    variance = reshape(variance, kept);
  }
  return { mean, variance };
}

/** One-hot encoding of int indices: a new axis of size `numClasses` (last by default). Out-of-range indices give all zeros. */
export function oneHot(x: TensorLike, numClasses: number, options: { axis?: number; dtype?: DType | string } = {}): Tensor {
  if (!Number.isInteger(numClasses) || numClasses <= 0) {
    throw new RangeError(`oneHot: numClasses must be a positive integer, got ${numClasses}.`);
  }
  const indices = castTo(toTensor(x, 'oneHot', 'int32'), 'int32');
  const axis = normalizeAxis(options.axis ?? -1, indices.rank + 1, 'oneHot');
  const classes = tensor(Int32Array.from({ length: numClasses }, (_, i) => i), [numClasses], 'int32');
  // Compare each index with 0..numClasses-1 along a new axis.
  const classShape = new Array<number>(indices.rank + 1).fill(1);
  classShape[axis] = numClasses;
  const hot = equal(expandDims(indices, axis), reshape(classes, classShape));
  return cast(hot, parseDType(options.dtype ?? 'float32', 'oneHot'));
}

/**
 * One LSTM step in Keras's gate order (i, f, c, o): returns [h', c']. Uses the backend's fused
 * kernel when it has one.
 */
export function lstmCell(
  x: TensorLike, h: TensorLike, c: TensorLike, kernel: TensorLike, recurrentKernel: TensorLike, bias: TensorLike,
): [Tensor, Tensor] {
  const [tx, th, tc, tk, tr, tb] = [x, h, c, kernel, recurrentKernel, bias].map((v) => castTo(toTensor(v, 'lstmCell'), 'float32'));
  const units = th.shape[1];
  const problems: string[] = [];
  if (tx.rank !== 2) problems.push(`x should be (batch, features), got ${formatShape(tx.shape)}`);
  if (th.rank !== 2 || !shapesEqual(th.shape, tc.shape)) problems.push(`h and c should both be (batch, units), got ${formatShape(th.shape)} and ${formatShape(tc.shape)}`);
  if (tk.rank !== 2 || tk.shape[0] !== tx.shape[1] || tk.shape[1] !== 4 * units) problems.push(`kernel should be (${tx.shape[1]}, ${4 * units}), got ${formatShape(tk.shape)}`);
  if (!shapesEqual(tr.shape, [units, 4 * units])) problems.push(`recurrentKernel should be (${units}, ${4 * units}), got ${formatShape(tr.shape)}`);
  if (!shapesEqual(tb.shape, [4 * units])) problems.push(`bias should be (${4 * units},), got ${formatShape(tb.shape)}`);
  if (tx.shape[0] !== th.shape[0]) problems.push(`x has batch ${tx.shape[0]} but h has batch ${th.shape[0]}`);
  if (problems.length > 0) {
    throw new Error(`lstmCell: ${problems.join('; ')}. The gates are ordered i, f, c, o along the last axis of the kernels, as in Keras.`);
  }
  if (backendOf(tx)?.lstmCell) {
    const [hNext, cNext] = runPrimitive(lstmCellPrimitive, [tx, th, tc, tk, tr, tb], {});
    return [hNext, cNext];
  }
  const [hNext, cNext] = composeLstmCell(tx, th, tc, tk, tr, tb);
  return [hNext, cNext];
}

/** Per-sample softmax cross-entropy from logits and one-hot (or soft) labels: `-sum(labels * logSoftmax(logits), -1)`. */
export function softmaxCrossEntropy(logits: TensorLike, labels: TensorLike): Tensor {
  const tl = castTo(toTensor(logits, 'softmaxCrossEntropy'), 'float32');
  const ty = castTo(toTensor(labels, 'softmaxCrossEntropy'), 'float32');
  if (!shapesEqual(tl.shape, ty.shape) || tl.rank < 1) {
    throw new Error(`softmaxCrossEntropy: logits ${formatShape(tl.shape)} and labels ${formatShape(ty.shape)} must have the same shape (batch..., classes).`);
  }
  if (tl.rank === 2 && backendOf(tl)?.softmaxCrossEntropy) return run1(softmaxCrossEntropyPrimitive, [tl, ty], {});
  return composeSoftmaxCrossEntropy(tl, ty);
}
