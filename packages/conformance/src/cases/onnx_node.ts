/**
 * Runners for the ONNX backend node tests, mapped onto Keras ops. ONNX defaults differ from
 * Keras's (LeakyRelu 0.01, HardSigmoid 0.2x + 0.5, Selu constants): each runner passes the case's
 * own attributes. Modes Keras does not have are reported as not covered, with the reason.
 */
import { ops, type Tensor } from '@keras-ts/core';
import { attr, NotCovered, type CaseInputs, type CaseOutputs, type CaseRunner } from './types.js';
import type { ConformanceCase } from '../vectors.js';

/** The single output, named as the node names it. */
const one = (io: CaseInputs, y: Tensor): CaseOutputs => ({ [io.outputName(0) as string]: y });

const unary = (f: (x: Tensor, c: ConformanceCase) => Tensor): CaseRunner => (c, io) => one(io, f(io.node(0) as Tensor, c));
const binary = (f: (a: Tensor, b: Tensor) => Tensor): CaseRunner => (_c, io) => one(io, f(io.node(0) as Tensor, io.node(1) as Tensor));

/** Variadic Max/Min fold their inputs with broadcasting. */
const variadic = (f: (a: Tensor, b: Tensor) => Tensor): CaseRunner => (c, io) => {
  const inputs = (c.node_inputs ?? []).map((_, i) => io.node(i)).filter((t): t is Tensor => t !== undefined);
  return one(io, inputs.slice(1).reduce(f, inputs[0]));
};

/** ReduceX (opset 18): axes is an optional input; empty axes reduce everything unless noop_with_empty_axes. */
const reduction = (f: (x: Tensor, o: ops.ReduceOptions) => Tensor): CaseRunner => (c, io) => {
  const x = io.node(0) as Tensor;
  const axes = io.nodeNumbers(1);
  const keepdims = attr(c, 'keepdims', 1) === 1;
  if ((axes === undefined || axes.length === 0) && attr(c, 'noop_with_empty_axes', 0) === 1) return one(io, x);
  return one(io, f(x, { axis: axes && axes.length > 0 ? axes : null, keepdims }));
};

function argmax(c: ConformanceCase, io: CaseInputs): CaseOutputs {
  const x = io.node(0) as Tensor;
  const axis = attr(c, 'axis', 0);
  const keepdims = attr(c, 'keepdims', 1) === 1;
  if (attr(c, 'select_last_index', 0) === 1) {
    // The last index of the maximum is n - 1 - (first index in the reversed tensor).
    const rank = x.shape.length;
    const a = axis < 0 ? axis + rank : axis;
    const first = ops.argmax(ops.flip(x, { axis: a }), { axis: a, keepdims });
    return one(io, ops.subtract(x.shape[a] - 1, first));
  }
  return one(io, ops.argmax(x, { axis, keepdims }));
}

function flatten(c: ConformanceCase, io: CaseInputs): CaseOutputs {
  const x = io.node(0) as Tensor;
  const rank = x.shape.length;
  const given = attr(c, 'axis', 1);
  const axis = given < 0 ? given + rank : given;
  const outer = x.shape.slice(0, axis).reduce((p, d) => p * d, 1);
  return one(io, ops.reshape(x, [outer, -1]));
}

function reshape(c: ConformanceCase, io: CaseInputs): CaseOutputs {
  const x = io.node(0) as Tensor;
  const target = io.nodeNumbers(1) as number[];
  const allowZero = attr(c, 'allowzero', 0) === 1;
  // ONNX: 0 copies the input's size at that axis unless allowzero.
  const shape = target.map((d, i) => (d === 0 && !allowZero ? x.shape[i] : d));
  return one(io, ops.reshape(x, shape));
}

function pad(c: ConformanceCase, io: CaseInputs): CaseOutputs | NotCovered {
  const mode = attr(c, 'mode', 'constant') as 'constant' | 'reflect' | 'edge' | 'wrap';
  const x = io.node(0) as Tensor;
  const pads = io.nodeNumbers(1) as number[];
  const value = io.nodeNumbers(2)?.[0] ?? 0;
  const axes = io.nodeNumbers(3);
  const rank = x.shape.length;
  const widths: [number, number][] = x.shape.map(() => [0, 0]);
  const which = axes ?? [...Array(rank).keys()];
  which.forEach((a, i) => (widths[(a + rank) % rank] = [pads[i], pads[i + which.length]]));
  if (pads.some((p) => p < 0)) return new NotCovered('negative pads crop, which keras.ops.pad does not do');
  return one(io, ops.pad(x, widths, { mode, constantValues: value }));
}

function gemm(c: ConformanceCase, io: CaseInputs): CaseOutputs {
  let a = io.node(0) as Tensor;
  let b = io.node(1) as Tensor;
  if (attr(c, 'transA', 0) === 1) a = ops.transpose(a);
  if (attr(c, 'transB', 0) === 1) b = ops.transpose(b);
  let y = ops.multiply(ops.matmul(a, b), attr(c, 'alpha', 1));
  const bias = io.node(2);
  if (bias) y = ops.add(y, ops.multiply(bias, attr(c, 'beta', 1)));
  return one(io, y);
}

function clip(_c: ConformanceCase, io: CaseInputs): CaseOutputs {
  let y = io.node(0) as Tensor;
  const low = io.node(1);
  const high = io.node(2);
  if (low) y = ops.maximum(y, low);
  if (high) y = ops.minimum(y, high);
  return one(io, y);
}

function dropout(c: ConformanceCase, io: CaseInputs): CaseOutputs | NotCovered {
  const x = io.node(0) as Tensor;
  const ratio = io.nodeNumbers(1)?.[0] ?? attr(c, 'ratio', 0.5);
  const training = (io.nodeNumbers(2)?.[0] ?? 0) !== 0;
  if (training && ratio > 0) return new NotCovered('training-mode dropout with ratio > 0 is random');
  const result: CaseOutputs = one(io, x);
  const maskName = io.outputName(1);
  if (maskName) result[maskName] = ops.greaterEqual(ops.abs(x), 0);
  return result;
}

export const ONNX_NODE_RUNNERS: Record<string, CaseRunner> = {
  Abs: unary(ops.abs),
  Neg: unary(ops.negative),
  Exp: unary(ops.exp),
  Log: unary(ops.log),
  Sqrt: unary(ops.sqrt),
  Relu: unary(ops.relu),
  Sigmoid: unary(ops.sigmoid),
  Tanh: unary(ops.tanh),
  Erf: unary(ops.erf),
  Softplus: unary(ops.softplus),
  Softsign: unary(ops.softsign),
  Mish: unary(ops.mish),
  HardSwish: unary(ops.hardSwish),
  Swish: unary((x, c) => ops.multiply(x, ops.sigmoid(ops.multiply(x, attr(c, 'alpha', 1))))),
  Elu: unary((x, c) => ops.elu(x, { alpha: attr(c, 'alpha', 1) })),
  Selu: unary((x, c) =>
    // ONNX's own constants (its defaults are float32 roundings of Keras's).
    ops.multiply(ops.elu(x, { alpha: attr(c, 'alpha', 1.67326319217681884765625) }), attr(c, 'gamma', 1.05070102214813232421875)),
  ),
  LeakyRelu: unary((x, c) => ops.leakyRelu(x, { negativeSlope: attr(c, 'alpha', 0.01) })),
  HardSigmoid: unary((x, c) => ops.clip(ops.add(ops.multiply(x, attr(c, 'alpha', 0.2)), attr(c, 'beta', 0.5)), 0, 1)),
  Gelu: unary((x, c) => ops.gelu(x, { approximate: attr(c, 'approximate', 'none') === 'tanh' })),
  Softmax: unary((x, c) => ops.softmax(x, { axis: attr(c, 'axis', -1) })),
  LogSoftmax: unary((x, c) => ops.logSoftmax(x, { axis: attr(c, 'axis', -1) })),
  Add: binary(ops.add),
  Sub: binary(ops.subtract),
  Mul: binary(ops.multiply),
  Div: binary(ops.divide),
  Pow: binary(ops.power),
  MatMul: binary(ops.matmul),
  Max: variadic(ops.maximum),
  Min: variadic(ops.minimum),
  Where: (_c, io) => one(io, ops.where(io.node(0) as Tensor, io.node(1) as Tensor, io.node(2) as Tensor)),
  Clip: clip,
  ReduceSum: reduction(ops.sum),
  ReduceMean: reduction(ops.mean),
  ReduceMax: reduction(ops.max),
  ReduceMin: reduction(ops.min),
  ArgMax: argmax,
  Transpose: (c, io) => one(io, ops.transpose(io.node(0) as Tensor, { axes: attr<number[] | null>(c, 'perm', null) })),
  Reshape: reshape,
  Flatten: flatten,
  Concat: (c, io) => one(io, ops.concatenate((c.node_inputs ?? []).map((_, i) => io.node(i) as Tensor), { axis: attr(c, 'axis', 0) })),
  Gather: (c, io) => one(io, ops.take(io.node(0) as Tensor, io.node(1) as Tensor, { axis: attr(c, 'axis', 0) })),
  Pad: pad,
  Gemm: gemm,
  Dropout: dropout,
  // The float64 data runs in float32: the case's tolerance (rtol 1e-3) covers the rounding.
  Einsum: (c, io) => one(io, ops.einsum(attr(c, 'equation', ''), ...(c.node_inputs ?? []).map((_, i) => io.node(i) as Tensor))),
};
