/**
 * How the ONNX node-test cases of ops that are single kernels map onto the reference backend.
 * Inputs are taken by position (a single-node case lists them in the node's order); the runner
 * returns the node's first output. int64 tensors are uploaded as int32 (their values are small).
 */
import type { BinaryOp, Shape, UnaryOp } from '@keras-ts/core';
import { dtypeOf, type CaseTensor, type ConformanceCase } from './conformance.js';
import type { Harness, T } from './harness.js';
import { axesOf, matmulOperands, matmulSkip, softmaxAlong } from './torch_ref.js';

type OnnxRunner = (h: Harness, c: ConformanceCase) => number[];

const upload = (h: Harness, t: CaseTensor, shape?: Shape): T => h.t(t.data, shape ?? t.shape, dtypeOf(t));
const outShape = (c: ConformanceCase) => c.outputs[0].shape;
const without = (shape: Shape, axes: readonly number[]) => shape.filter((_, i) => !axes.includes(i));
const attr = <V>(c: ConformanceCase, name: string, fallback: V): V => (c.attributes[name] ?? fallback) as V;

const unary = (op: UnaryOp): OnnxRunner => (h, c) => {
  const x = upload(h, c.inputs[0]);
  return h.read(h.backend.unary(op, x, h.out(x.shape)), x.shape);
};

/** A binary op, folded left over every input (ONNX Max/Min take any number), broadcasting each time. */
const binary = (op: BinaryOp): OnnxRunner => (h, c) => {
  const shape = outShape(c);
  const dtype = dtypeOf(c.outputs[0]);
  let acc = upload(h, c.inputs[0]);
  for (const next of c.inputs.slice(1)) acc = h.as(h.backend.binary(op, acc, upload(h, next), h.out(shape, dtype)), shape, dtype);
  return h.read(acc.handle, shape, dtype);
};

const where: OnnxRunner = (h, c) => {
  const [cond, a, b] = c.inputs.map((t) => upload(h, t));
  const shape = outShape(c);
  return h.read(h.backend.where(cond, a, b, h.out(shape, a.dtype)), shape, a.dtype);
};

const transpose: OnnxRunner = (h, c) => {
  const x = upload(h, c.inputs[0]);
  const perm = attr(c, 'perm', x.shape.map((_, i) => x.shape.length - 1 - i));
  return h.read(h.backend.transpose(x, perm, h.out(outShape(c))), outShape(c));
};

const concat: OnnxRunner = (h, c) => {
  const xs = c.inputs.map((t) => upload(h, t));
  const axis = axesOf([attr(c, 'axis', 0)], xs[0].shape.length)[0];
  return h.read(h.backend.concat(xs, axis, h.out(outShape(c))), outShape(c));
};

const gather: OnnxRunner = (h, c) => {
  const [x, indices] = c.inputs.map((t) => upload(h, t));
  const axis = axesOf([attr(c, 'axis', 0)], x.shape.length)[0];
  return h.read(h.backend.gather(x, indices, axis, h.out(outShape(c))), outShape(c));
};

/** Pad (constant mode): pads = [begin₀, …, end₀, …] over `axes` (default all), value default 0. */
const pad: OnnxRunner = (h, c) => {
  const x = upload(h, c.inputs[0]);
  const rank = x.shape.length;
  const pads = c.inputs[1].data;
  const value = c.inputs[2]?.data[0] ?? 0;
  const axes = c.inputs[3] ? axesOf(c.inputs[3].data, rank) : Array.from({ length: rank }, (_, i) => i);
  const paddings = x.shape.map((): [number, number] => [0, 0]);
  axes.forEach((axis, i) => (paddings[axis] = [pads[i], pads[i + axes.length]]));
  return h.read(h.backend.pad(x, paddings, value, h.out(outShape(c))), outShape(c));
};

const argMax: OnnxRunner = (h, c) => {
  const x = upload(h, c.inputs[0]);
  const axis = axesOf([attr(c, 'axis', 0)], x.shape.length)[0];
  const shape = without(x.shape, [axis]);
  return h.read(h.backend.argReduce('argmax', x, axis, h.out(shape, 'int32')), shape, 'int32');
};

/** Reductions; the axes come as the optional second input (absent or empty: all axes). */
const reduce = (op: 'sum' | 'mean' | 'max' | 'min'): OnnxRunner => (h, c) => {
  const x = upload(h, c.inputs[0]);
  const given = c.inputs[1]?.data ?? [];
  const axes = axesOf(given.length > 0 ? given : null, x.shape.length);
  const shape = without(x.shape, axes);
  return h.read(h.backend.reduce(op, x, axes, h.out(shape)), shape);
};

const softmax = (kind: 'softmax' | 'logSoftmax'): OnnxRunner => (h, c) => {
  const x = upload(h, c.inputs[0]);
  return softmaxAlong(h, x, axesOf([attr(c, 'axis', -1)], x.shape.length)[0], kind);
};

const matmul: OnnxRunner = (h, c) => {
  const { a2, b2, aBatch, bBatch } = matmulOperands(c.inputs[0].shape, c.inputs[1].shape);
  const batchA = aBatch.reduce((p, d) => p * d, 1);
  const batchB = bBatch.reduce((p, d) => p * d, 1);
  const [m, k] = a2.slice(-2);
  const n = b2[b2.length - 1];
  const shape = [Math.max(batchA, batchB), m, n];
  const a = upload(h, c.inputs[0], [batchA, m, k]);
  const b = upload(h, c.inputs[1], [batchB, k, n]);
  return h.read(h.backend.matmul(a, b, false, false, h.out(shape)), shape);
};

export const ONNX_RUNNERS: Record<string, OnnxRunner> = {
  Abs: unary('abs'), Neg: unary('neg'), Relu: unary('relu'), Sigmoid: unary('sigmoid'), Tanh: unary('tanh'),
  Exp: unary('exp'), Log: unary('log'), Sqrt: unary('sqrt'), Erf: unary('erf'), Softplus: unary('softplus'),
  Add: binary('add'), Sub: binary('sub'), Mul: binary('mul'), Div: binary('div'), Pow: binary('pow'),
  Max: binary('maximum'), Min: binary('minimum'),
  Where: where, Transpose: transpose, Concat: concat, Gather: gather, Pad: pad, ArgMax: argMax,
  ReduceSum: reduce('sum'), ReduceMean: reduce('mean'), ReduceMax: reduce('max'), ReduceMin: reduce('min'),
  Softmax: softmax('softmax'), LogSoftmax: softmax('logSoftmax'), MatMul: matmul,
};

/** Why a case of a covered op is not a single kernel call, or undefined when it is. */
export function onnxSkipReason(c: ConformanceCase): string | undefined {
  const dtypes = new Set(c.inputs.filter((t) => t.dtype !== 'bool').map((t) => t.dtype));
  if (['Add', 'Sub', 'Mul', 'Div', 'Pow'].includes(c.op) && dtypes.size > 1) return 'mixed input dtypes (core casts first)';
  if ((c.op === 'Max' || c.op === 'Min') && c.inputs.length < 2) return 'one input: nothing to compute';
  if (c.op === 'Pad' && c.attributes.mode !== 'constant') return `mode '${String(c.attributes.mode)}' (only constant padding is a kernel)`;
  if (c.op === 'ArgMax' && c.attributes.select_last_index === 1) return 'select_last_index (the kernel takes the first index)';
  if (c.op.startsWith('Reduce') && c.attributes.noop_with_empty_axes === 1) return 'noop_with_empty_axes: no reduction';
  if (c.op === 'MatMul') return matmulSkip(c.inputs[0].shape, c.inputs[1].shape);
  return undefined;
}
