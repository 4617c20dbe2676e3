/**
 * The optional fused kernels. Each must equal core's composite definition (ops/composites.ts)
 * within float32 tolerance; core differentiates the composite, so these are forward passes only.
 * All arithmetic is float64, rounded once when stored.
 */
import type { AdamAttrs, OutputSpec, TypedArray } from '@keras-ts/core';
import { makeArray, sizeOf, type TensorData } from '../tensor_data.js';
import { beatsMax } from './reduction.js';
import { sigmoid } from './scalar_math.js';

/**
 * The two numbers that define softmax over one row of length k starting at `start`: its maximum
 * m and Σ exp(x − m). Subtracting m first means exp never overflows for large x, and the largest
 * term is exactly 1, so the sum never underflows to 0. A row holding +Infinity, or only
 * −Infinity, gives NaN downstream, as the composite does.
 */
function rowStats(x: TypedArray, start: number, k: number): { max: number; sumExp: number } {
  let max = -Infinity;
  for (let j = 0; j < k; j++) if (beatsMax(x[start + j], max)) max = x[start + j];
  let sumExp = 0;
  for (let j = 0; j < k; j++) sumExp += Math.exp(x[start + j] - max);
  return { max, sumExp };
}

/** Applies `f(x, max, sumExp)` to every element of every row along the last axis of x ([..., k]; a 0-d x is one row of one). */
function mapRows(x: TensorData, out: OutputSpec, f: (v: number, max: number, sumExp: number) => number): TypedArray {
  const k = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1];
  const result = makeArray(out.dtype, x.values.length);
  for (let start = 0; start < x.values.length; start += k) {
    const { max, sumExp } = rowStats(x.values, start, k);
    for (let j = 0; j < k; j++) result[start + j] = f(x.values[start + j], max, sumExp);
  }
  return result;
}

/** softmax along the last axis: exp(x − m) / Σ exp(x − m). */
export function softmax(x: TensorData, out: OutputSpec): TypedArray {
  return mapRows(x, out, (v, max, sumExp) => Math.exp(v - max) / sumExp);
}

/** log-softmax along the last axis: (x − m) − log Σ exp(x − m). */
export function logSoftmax(x: TensorData, out: OutputSpec): TypedArray {
  return mapRows(x, out, (v, max, sumExp) => v - max - Math.log(sumExp));
}

/**
 * Per-sample cross-entropy from logits [b, k] and labels [b, k] (one-hot or soft):
 * out[i] = −Σⱼ labels[i, j] · logSoftmax(logits)[i, j], shape [b]. Taken literally, so a label of
 * 0 times a log-probability of −Infinity is NaN, as in the composite.
 */
export function softmaxCrossEntropy(logits: TensorData, labels: TensorData, out: OutputSpec): TypedArray {
  const k = logits.shape[logits.shape.length - 1];
  const result = makeArray(out.dtype, sizeOf(out.shape));
  for (let r = 0; r < result.length; r++) {
    const { max, sumExp } = rowStats(logits.values, r * k, k);
    const logSumExp = Math.log(sumExp);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += labels.values[r * k + j] * (logits.values[r * k + j] - max - logSumExp);
    result[r] = -sum;
  }
  return result;
}

/** The weights of an LSTM in Keras's layout. */
interface LstmWeights {
  /** [inputs, 4·units] */
  readonly kernel: TensorData;
  /** [units, 4·units] */
  readonly recurrentKernel: TensorData;
  /** [4·units] */
  readonly bias: TensorData;
}

/**
 * One LSTM step for the whole batch, in Keras's gate order (i, f, c, o):
 *
 *     z  = x·kernel + h·recurrentKernel + bias          [b, 4·units], blocks z_i, z_f, z_c, z_o
 *     i  = σ(z_i),  f = σ(z_f),  g = tanh(z_c),  o = σ(z_o)
 *     c' = f·c + i·g
 *     h' = o·tanh(c')
 *
 * `x` is [b, inputs] read from `xValues` at row stride `xStride` (so a time step of a [b, t, in]
 * sequence can be read in place); h and c are [b, units] in float64. Returns [h', c'].
 */
function lstmStep(
  xValues: TypedArray, xOffset: number, xStride: number, h: Float64Array, c: Float64Array,
  w: LstmWeights, batch: number, inputs: number, units: number,
): [Float64Array, Float64Array] {
  const gates = 4 * units;
  const hNext = new Float64Array(batch * units);
  const cNext = new Float64Array(batch * units);
  const z = new Float64Array(gates);
  for (let b = 0; b < batch; b++) {
    for (let q = 0; q < gates; q++) {
      let sum = w.bias.values[q];
      for (let k = 0; k < inputs; k++) sum += xValues[xOffset + b * xStride + k] * w.kernel.values[k * gates + q];
      for (let k = 0; k < units; k++) sum += h[b * units + k] * w.recurrentKernel.values[k * gates + q];
      z[q] = sum;
    }
    for (let u = 0; u < units; u++) {
      const i = sigmoid(z[u]);
      const f = sigmoid(z[units + u]);
      const g = Math.tanh(z[2 * units + u]);
      const o = sigmoid(z[3 * units + u]);
      const cell = f * c[b * units + u] + i * g;
      cNext[b * units + u] = cell;
      hNext[b * units + u] = o * Math.tanh(cell);
    }
  }
  return [hNext, cNext];
}

function stored(values: Float64Array, out: OutputSpec): TypedArray {
  const result = makeArray(out.dtype, values.length);
  result.set(values);
  return result;
}

/** One LSTM step: x [b, in], h and c [b, units] (= out.shape) → [h', c'], both of out.shape. */
export function lstmCell(x: TensorData, h: TensorData, c: TensorData, w: LstmWeights, out: OutputSpec): [TypedArray, TypedArray] {
  const [batch, inputs] = x.shape;
  const units = h.shape[1];
  const [hNext, cNext] = lstmStep(x.values, 0, inputs, Float64Array.from(h.values), Float64Array.from(c.values), w, batch, inputs, units);
  return [stored(hNext, out), stored(cNext, out)];
}

/**
 * The LSTM over a whole sequence x [b, t, in] from the initial states h0, c0 [b, units]: the
 * step above for t = 0, 1, …, with the states carried in float64. Returns
 * [sequences [b, t, units] (= out.shape; h after each step), last h [b, units], last c [b, units]].
 * With t = 0 the sequences are empty and the last states are h0 and c0.
 */
export function lstmSequence(x: TensorData, h0: TensorData, c0: TensorData, w: LstmWeights, out: OutputSpec): [TypedArray, TypedArray, TypedArray] {
  const [batch, steps, inputs] = x.shape;
  const units = h0.shape[1];
  const sequences = new Float64Array(batch * steps * units);
  let h: Float64Array = Float64Array.from(h0.values);
  let c: Float64Array = Float64Array.from(c0.values);
  for (let t = 0; t < steps; t++) {
    [h, c] = lstmStep(x.values, t * inputs, steps * inputs, h, c, w, batch, inputs, units);
    for (let b = 0; b < batch; b++) sequences.set(h.subarray(b * units, (b + 1) * units), (b * steps + t) * units);
  }
  const stateSpec: OutputSpec = { shape: [batch, units], dtype: out.dtype };
  return [stored(sequences, out), stored(h, stateSpec), stored(c, stateSpec)];
}

/**
 * Adam's update of one weight: [variable', m', v']. Unlike the other kernels here, each operation
 * is rounded to float32 as it is made: the kernel's contract is the composite's float32 operations in
 * their order, so a fused update gives the very numbers of an unfused one.
 */
export function adamUpdate(
  variable: TensorData, m: TensorData, v: TensorData, gradient: TensorData, alpha: TensorData,
  attrs: AdamAttrs, out: OutputSpec,
): [TypedArray, TypedArray, TypedArray] {
  const f = Math.fround;
  const n = sizeOf(out.shape);
  const [next, mNext, vNext] = [0, 1, 2].map(() => makeArray(out.dtype, n));
  const c1 = f(1 - attrs.beta1);
  const c2 = f(1 - attrs.beta2);
  const epsilon = f(attrs.epsilon);
  const a = alpha.values[0];
  for (let i = 0; i < n; i++) {
    const g = gradient.values[i];
    const mi = f(m.values[i] + f(f(g - m.values[i]) * c1));
    const vi = f(v.values[i] + f(f(f(g * g) - v.values[i]) * c2));
    mNext[i] = mi;
    vNext[i] = vi;
    next[i] = f(variable.values[i] - f(f(mi * a) / f(f(Math.sqrt(vi)) + epsilon)));
  }
  return [next, mNext, vNext];
}
