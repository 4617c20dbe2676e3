/**
 * How each torch-ref conformance op maps onto the reference backend's kernels. A runner returns
 * the outputs it computed, by the case's output names; outputs it does not return (gradients that
 * core derives from its own rules, losses that are composites) are not compared. `skipReason`
 * says why a case does not fit the kernels, for the few that do not.
 */
import type { Conv2DAttrs, Pool2DAttrs, ReduceOp, Shape, UnaryOp } from '@keras-ts/core';
import type { RefHandle } from '@keras-ts/backend-reference';
import { dtypeOf, hasInput, tensorOf, type ConformanceCase } from './conformance.js';
import type { Harness, T } from './harness.js';

export type Outputs = Record<string, number[]>;
export type Runner = (h: Harness, c: ConformanceCase) => Outputs;

const size = (shape: Shape) => shape.reduce((p, d) => p * d, 1);
const shapeOf = (c: ConformanceCase, name: string) => tensorOf(c, name).shape;

/** Uploads a case tensor, optionally under another shape with the same elements. */
function input(h: Harness, c: ConformanceCase, name: string, shape?: Shape): T {
  const t = tensorOf(c, name);
  return h.t(t.data, shape ?? t.shape, dtypeOf(t));
}

/** Sorted non-negative axes from a case's `axes` attribute (null: all axes). */
export function axesOf(value: unknown, rank: number): number[] {
  const list = value === null || value === undefined ? Array.from({ length: rank }, (_, i) => i) : (value as number[]);
  return list.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
}

const without = (shape: Shape, axes: readonly number[]) => shape.filter((_, i) => !axes.includes(i));

function convAttrs(a: Record<string, unknown>): Conv2DAttrs {
  return {
    strides: a.strides as [number, number],
    pads: a.explicit_padding as [[number, number], [number, number]],
    dilations: a.dilation_rate as [number, number],
  };
}

function poolAttrs(a: Record<string, unknown>): Pool2DAttrs {
  return {
    poolSize: a.pool_size as [number, number],
    strides: a.strides as [number, number],
    padding: a.padding as 'valid' | 'same',
    pads: a.explicit_padding as [[number, number], [number, number]],
  };
}

/** conv2d (+ bias, added with the broadcasting `add` kernel) and, with dy, its three gradients. */
const conv2d: Runner = (h, c) => {
  const attrs = convAttrs(c.attributes);
  const x = input(h, c, 'x');
  const kernel = input(h, c, 'kernel');
  const yShape = shapeOf(c, 'y');
  let y = h.backend.conv2d(x, kernel, attrs, h.out(yShape));
  if (hasInput(c, 'bias')) y = h.backend.binary('add', h.as(y, yShape), input(h, c, 'bias'), h.out(yShape));
  const result: Outputs = { y: h.read(y, yShape) };
  if (hasInput(c, 'dy')) {
    const dy = input(h, c, 'dy');
    result.dx = h.read(h.backend.conv2dBackpropInput(dy, kernel, attrs, h.out(x.shape)), x.shape);
    result.dkernel = h.read(h.backend.conv2dBackpropFilter(x, dy, attrs, h.out(kernel.shape)), kernel.shape);
    result.dbias = h.read(h.backend.reduce('sum', dy, [0, 1, 2], h.out([yShape[3]])), [yShape[3]]);
  }
  return result;
};

/** max/avg pooling forward, and dx through the backprop kernels. */
const pool = (kind: 'max' | 'avg'): Runner => (h, c) => {
  const attrs = poolAttrs(c.attributes);
  const x = input(h, c, 'x');
  const dy = input(h, c, 'dy');
  const yShape = shapeOf(c, 'y');
  const y = kind === 'max' ? h.backend.maxPool2d(x, attrs, h.out(yShape)) : h.backend.avgPool2d(x, attrs, h.out(yShape));
  const dx = kind === 'max' ? h.backend.maxPool2dBackprop(dy, x, attrs, h.out(x.shape)) : h.backend.avgPool2dBackprop(dy, attrs, h.out(x.shape));
  return { y: h.read(y, yShape), dx: h.read(dx, x.shape) };
};

/**
 * numpy matmul on the rank-3 kernel: 1-D a is a row [1, k] and 1-D b a column [k, 1]; the batch
 * dims of each operand are flattened into one, which fits the kernel when both batch shapes are
 * equal or one holds a single matrix. da = dy·bᵀ and db = aᵀ·dy, summed over a broadcast batch.
 */
/** numpy's view of matmul operands: 1-D a as a row, 1-D b as a column, and their batch dims. */
export function matmulOperands(aShape: Shape, bShape: Shape) {
  const a2 = aShape.length === 1 ? [1, aShape[0]] : aShape;
  const b2 = bShape.length === 1 ? [bShape[0], 1] : bShape;
  return { a2, b2, aBatch: a2.slice(0, -2), bBatch: b2.slice(0, -2) };
}

/** Why numpy matmul of these shapes does not fit the rank-3 kernel, or undefined when it does. */
export function matmulSkip(aShape: Shape, bShape: Shape): string | undefined {
  const { aBatch, bBatch } = matmulOperands(aShape, bShape);
  const sameBatch = aBatch.length === bBatch.length && aBatch.every((d, i) => d === bBatch[i]);
  if (sameBatch || size(aBatch) === 1 || size(bBatch) === 1) return undefined;
  return `batch shapes [${aBatch}] and [${bBatch}] do not flatten to one batch axis`;
}

const matmul: Runner = (h, c) => {
  const { a2, b2, aBatch, bBatch } = matmulOperands(shapeOf(c, 'a'), shapeOf(c, 'b'));
  const [batchA, batchB] = [size(aBatch), size(bBatch)];
  const [m, k] = a2.slice(-2);
  const n = b2[b2.length - 1];
  const batch = Math.max(batchA, batchB);
  const a = input(h, c, 'a', [batchA, m, k]);
  const b = input(h, c, 'b', [batchB, k, n]);
  const dy = input(h, c, 'dy', [batch, m, n]);
  const y = h.backend.matmul(a, b, false, false, h.out([batch, m, n]));
  const sumBatch = (handle: RefHandle, own: number, rows: number, cols: number) =>
    own === 1 && batch > 1
      ? h.read(h.backend.reduce('sum', h.as(handle, [batch, rows, cols]), [0], h.out([rows, cols])), [rows, cols])
      : h.read(handle, [own, rows, cols]);
  const da = h.backend.matmul(dy, b, false, true, h.out([batch, m, k]));
  const db = h.backend.matmul(a, dy, true, false, h.out([batch, k, n]));
  return { y: h.read(y, [batch, m, n]), da: sumBatch(da, batchA, m, k), db: sumBatch(db, batchB, k, n) };
};

const moments: Runner = (h, c) => {
  const x = input(h, c, 'x');
  const axes = axesOf(c.attributes.axes, x.shape.length);
  const outShape = without(x.shape, axes);
  const [mean, variance] = h.backend.moments(x, axes, h.out(outShape));
  return { mean: h.read(mean, outShape), variance: h.read(variance, outShape) };
};

/** batch_normalization in training mode: its batch statistics are `moments` over the reduction axes. */
const batchNormStatistics: Runner = (h, c) => {
  const x = input(h, c, 'x');
  const axes = axesOf(c.attributes.reduction_axes, x.shape.length);
  const outShape = without(x.shape, axes);
  const [mean, variance] = h.backend.moments(x, axes, h.out(outShape));
  return { batch_mean: h.read(mean, outShape), batch_variance: h.read(variance, outShape) };
};

const lstmStep: Runner = (h, c) => {
  const hShape = shapeOf(c, 'h');
  const [hNext, cNext] = h.backend.lstmCell(
    input(h, c, 'x'), input(h, c, 'h'), input(h, c, 'c'),
    input(h, c, 'kernel'), input(h, c, 'recurrent_kernel'), input(h, c, 'bias'), h.out(hShape),
  );
  return { h_new: h.read(hNext, hShape), c_new: h.read(cNext, hShape) };
};

/** lstm_sequence forward outputs; missing initial states are zeros (Keras). */
const lstmSequence: Runner = (h, c) => {
  const seqShape = shapeOf(c, 'sequences');
  const stateShape = shapeOf(c, 'h');
  const state = (name: string) => (hasInput(c, name) ? input(h, c, name) : h.t(new Array<number>(size(stateShape)).fill(0), stateShape));
  const [seq, hLast, cLast] = h.backend.lstmSequence(
    input(h, c, 'x'), state('initial_h'), state('initial_c'),
    input(h, c, 'kernel'), input(h, c, 'recurrent_kernel'), input(h, c, 'bias'), h.out(seqShape),
  );
  return { sequences: h.read(seq, seqShape), h: h.read(hLast, stateShape), c: h.read(cLast, stateShape) };
};

/** softmax/log-softmax of x along any axis: transpose that axis last, apply the kernel, transpose back. */
export function softmaxAlong(h: Harness, x: T, axis: number, kind: 'softmax' | 'logSoftmax'): number[] {
  const rank = x.shape.length;
  const perm = [...Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis), axis];
  const inverse = perm.map((_, i) => perm.indexOf(i));
  const movedShape = perm.map((p) => x.shape[p]);
  const moved = h.backend.transpose(x, perm, h.out(movedShape));
  const y = h.backend[kind](h.as(moved, movedShape), h.out(movedShape));
  return h.read(h.backend.transpose(h.as(y, movedShape), inverse, h.out(x.shape)), x.shape);
}

const softmax = (kind: 'softmax' | 'logSoftmax'): Runner => (h, c) => {
  const x = input(h, c, 'x');
  return { y: softmaxAlong(h, x, axesOf([c.attributes.axis as number], x.shape.length)[0], kind) };
};

/** -sum(y_true * log_softmax(y_pred), -1) from logits; sparse labels become one-hot rows. */
const crossEntropy = (sparse: boolean): Runner => (h, c) => {
  const logits = input(h, c, 'y_pred');
  const [batch, classes] = logits.shape;
  const labels = sparse
    ? h.t(tensorOf(c, 'y_true').data.flatMap((label) => Array.from({ length: classes }, (_, j) => (j === label ? 1 : 0))), [batch, classes])
    : input(h, c, 'y_true');
  return { per_sample_loss: h.read(h.backend.softmaxCrossEntropy(logits, labels, h.out([batch])), [batch]) };
};

const unary = (op: UnaryOp): Runner => (h, c) => {
  const x = input(h, c, 'x');
  return { y: h.read(h.backend.unary(op, x, h.out(x.shape)), x.shape) };
};

const reduce = (op: ReduceOp): Runner => (h, c) => {
  const x = input(h, c, 'x');
  const axes = axesOf(c.attributes.axes, x.shape.length);
  const outShape = without(x.shape, axes);
  return { y: h.read(h.backend.reduce(op, x, axes, h.out(outShape)), outShape) };
};

const binary = (op: 'add' | 'sub' | 'mul' | 'div'): Runner => (h, c) => {
  const yShape = shapeOf(c, 'y');
  return { y: h.read(h.backend.binary(op, input(h, c, 'a'), input(h, c, 'b'), h.out(yShape)), yShape) };
};

const fromProbabilities = (c: ConformanceCase) =>
  c.attributes.from_logits === true ? undefined : 'loss from probabilities: a composite, not the softmaxCrossEntropy kernel';

/** Why a case of a covered op does not fit the kernels, or undefined when it does. */
export function skipReason(c: ConformanceCase): string | undefined {
  if (c.op === 'matmul') return matmulSkip(shapeOf(c, 'a'), shapeOf(c, 'b'));
  if (c.op === 'batch_normalization' && c.attributes.training !== true) return 'inference mode has no batch statistics';
  if (c.op === 'categorical_crossentropy' || c.op === 'sparse_categorical_crossentropy') return fromProbabilities(c);
  return undefined;
}

/** The runner of every torch-ref op these kernels cover. */
export const TORCH_REF_RUNNERS: Record<string, Runner> = {
  conv2d, conv2d_grad: conv2d,
  max_pool2d: pool('max'), avg_pool2d: pool('avg'),
  matmul,
  moments, batch_normalization: batchNormStatistics,
  lstm_step: lstmStep, lstm_sequence: lstmSequence,
  softmax: softmax('softmax'), log_softmax: softmax('logSoftmax'),
  categorical_crossentropy: crossEntropy(false), sparse_categorical_crossentropy: crossEntropy(true),
  relu: unary('relu'), sigmoid: unary('sigmoid'), tanh: unary('tanh'), exp: unary('exp'),
  log: unary('log'), sqrt: unary('sqrt'), erf: unary('erf'), softplus: unary('softplus'),
  reduce_sum: reduce('sum'), reduce_mean: reduce('mean'), reduce_max: reduce('max'),
  add: binary('add'), subtract: binary('sub'), multiply: binary('mul'), divide: binary('div'),
};
