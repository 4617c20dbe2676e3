/**
 * The optional fused kernels, each one ONNX graph: softmax and log-softmax along the last axis,
 * softmax cross-entropy, one LSTM step, and a whole LSTM sequence through ONNX's LSTM op.
 */
import type { OutputSpec } from '@keras-ts/core';
import type { GraphBuilder } from '../onnx/graph.js';
import { feedOf, type Executor, type T } from '../executor.js';
import type { OrtOut } from '../onnx/runtime.js';

export function softmax(ex: Executor, x: T, out: OutputSpec): OrtOut {
  return ex.run('softmax', 'softmax', [feedOf(x)], [out.dtype], (g, [xi]) => [g.op('Softmax', [xi], { axis: -1 })])[0];
}

export function logSoftmax(ex: Executor, x: T, out: OutputSpec): OrtOut {
  return ex.run('logSoftmax', 'logSoftmax', [feedOf(x)], [out.dtype], (g, [xi]) => [g.op('LogSoftmax', [xi], { axis: -1 })])[0];
}

/** −Σ labels · logSoftmax(logits) over the last axis. */
export function softmaxCrossEntropy(ex: Executor, logits: T, labels: T, out: OutputSpec): OrtOut {
  return ex.run('softmaxCrossEntropy', 'softmaxCrossEntropy', [feedOf(logits), feedOf(labels)], [out.dtype], (g, [zi, yi]) => {
    const terms = g.op('Mul', [yi, g.op('LogSoftmax', [zi], { axis: -1 })]);
    return [g.op('Neg', [g.op('ReduceSum', [terms, g.constant('int64', [-1], [1])], { keepdims: 0 })])];
  })[0];
}

/** One step in Keras's gate order (i, f, c, o): z = x·K + h·R + b, c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c'). */
export function lstmCell(ex: Executor, x: T, h: T, c: T, kernel: T, recurrentKernel: T, bias: T, out: OutputSpec): [OrtOut, OrtOut] {
  const feeds = [x, h, c, kernel, recurrentKernel, bias].map(feedOf);
  const [hNext, cNext] = ex.run('lstmCell', 'lstmCell', feeds, [out.dtype, out.dtype], (g, [xi, hi, ci, k, r, b]) => {
    const z = g.op('Add', [g.op('Add', [g.op('MatMul', [xi, k]), g.op('MatMul', [hi, r])]), b]);
    const [zi, zf, zc, zo] = g.opN('Split', [z], 4, { axis: 1, num_outputs: 4 });
    const cell = g.op('Add', [g.op('Mul', [g.op('Sigmoid', [zf]), ci]), g.op('Mul', [g.op('Sigmoid', [zi]), g.op('Tanh', [zc])])]);
    return [g.op('Mul', [g.op('Sigmoid', [zo]), g.op('Tanh', [cell])]), cell];
  });
  return [hNext, cNext];
}

/**
 * Keras's [rows, 4·units] weight (gate blocks i, f, c, o along the columns) as ONNX's
 * [1, 4·units, rows] (gate blocks i, o, f, c along the rows).
 */
function onnxGates(g: GraphBuilder, w: string, axis: number): string {
  const [i, f, c, o] = g.opN('Split', [w], 4, { axis, num_outputs: 4 });
  return g.op('Concat', [i, o, f, c], { axis });
}

/**
 * The whole sequence through ONNX's LSTM op (time-major: ORT's CPU LSTM rejects layout = 1, so
 * the graph transposes x and the sequences), with the weights reordered and transposed inside
 * the graph. hidden_size is an attribute ORT requires, so the key includes the units.
 */
export function lstmSequence(ex: Executor, x: T, h0: T, c0: T, kernel: T, recurrentKernel: T, bias: T, out: OutputSpec): [OrtOut, OrtOut, OrtOut] {
  const units = h0.shape[1];
  const feeds = [x, h0, c0, kernel, recurrentKernel, bias].map(feedOf);
  const types = [out.dtype, out.dtype, out.dtype];
  const [batch, steps, inputs] = x.shape;
  const work = 2 * batch * steps * (inputs + units) * 4 * units;
  const [seq, h, c] = ex.run('lstmSequence', `lstmSequence:${units}`, feeds, types, (g, [xi, hi, ci, k, r, b]) => {
    const axis0 = g.constant('int64', [0], [1]);
    const axis1 = g.constant('int64', [1], [1]);
    const w = g.op('Unsqueeze', [g.op('Transpose', [onnxGates(g, k, 1)], { perm: [1, 0] }), axis0]);
    const rw = g.op('Unsqueeze', [g.op('Transpose', [onnxGates(g, r, 1)], { perm: [1, 0] }), axis0]);
    const wb = onnxGates(g, b, 0);
    const zeros = g.op('ConstantOfShape', [g.op('Shape', [wb])], { value: { kind: 'tensor', type: 'float32', dims: [1], values: [0] } });
    const bb = g.op('Unsqueeze', [g.op('Concat', [wb, zeros], { axis: 0 }), axis0]);
    const timeMajor = g.op('Transpose', [xi], { perm: [1, 0, 2] });
    const [y, yh, yc] = g.opN('LSTM', [timeMajor, w, rw, bb, '', g.op('Unsqueeze', [hi, axis0]), g.op('Unsqueeze', [ci, axis0])], 3, {
      hidden_size: units,
    });
    // Y is [t, 1, b, units]; Y_h and Y_c are [1, b, units].
    const sequences = g.op('Transpose', [g.op('Squeeze', [y, axis1])], { perm: [1, 0, 2] });
    return [sequences, g.op('Squeeze', [yh, axis0]), g.op('Squeeze', [yc, axis0])];
  }, work);
  return [seq, h, c];
}
