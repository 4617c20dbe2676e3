/**
 * ONNX node tests of whole layers (normalizations and recurrent layers), converted to Keras's
 * layouts: ONNX LSTM gates are i, o, f, c (Keras i, f, c, o), its weights are transposed
 * against Keras's, and its bias holds two vectors whose sum is Keras's bias.
 */
import { ops, zeros, type Tensor } from '@keras-ts/core';
import { gruStep, lstmSequence } from './torch_ref_layers.js';
import { attr, NotCovered, type CaseInputs, type CaseOutputs, type CaseRunner } from './types.js';
import type { ConformanceCase } from '../vectors.js';

/** Keeps only the outputs the node names. */
function named(io: CaseInputs, values: (Tensor | undefined)[]): CaseOutputs {
  const out: CaseOutputs = {};
  values.forEach((v, i) => {
    const name = io.outputName(i);
    if (name && v) out[name] = v;
  });
  return out;
}

/** Channel-axis parameters [C] reshaped to broadcast against [N, C, ...]. */
const perChannel = (p: Tensor, rank: number): Tensor => ops.reshape(p, [1, p.shape[0], ...new Array<number>(rank - 2).fill(1)]);

function batchNormalization(c: ConformanceCase, io: CaseInputs): CaseOutputs {
  const x = io.node(0) as Tensor;
  const rank = x.shape.length;
  const [scale, bias, inputMean, inputVariance] = [1, 2, 3, 4].map((i) => io.node(i) as Tensor);
  const epsilon = attr(c, 'epsilon', 1e-5);
  const momentum = attr(c, 'momentum', 0.9);
  const training = attr(c, 'training_mode', 0) === 1;
  let mean = inputMean;
  let variance = inputVariance;
  if (training) ({ mean, variance } = ops.moments(x, [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)]));
  const y = ops.add(
    ops.multiply(ops.divide(ops.subtract(x, perChannel(mean, rank)), ops.sqrt(ops.add(perChannel(variance, rank), epsilon))), perChannel(scale, rank)),
    perChannel(bias, rank),
  );
  if (!training) return named(io, [y]);
  const running = (input: Tensor, batch: Tensor) => ops.add(ops.multiply(input, momentum), ops.multiply(batch, 1 - momentum));
  return named(io, [y, running(inputMean, mean), running(inputVariance, variance)]);
}

function layerNormalization(c: ConformanceCase, io: CaseInputs): CaseOutputs {
  const x = io.node(0) as Tensor;
  const rank = x.shape.length;
  const given = attr(c, 'axis', -1);
  const axis = given < 0 ? given + rank : given;
  const axes = Array.from({ length: rank - axis }, (_, i) => axis + i);
  const { mean, variance } = ops.moments(x, axes, { keepdims: true });
  const inverseStd = ops.rsqrt(ops.add(variance, attr(c, 'epsilon', 1e-5)));
  let y = ops.multiply(ops.multiply(ops.subtract(x, mean), inverseStd), io.node(1) as Tensor);
  const bias = io.node(2);
  if (bias) y = ops.add(y, bias);
  return named(io, [y, mean, inverseStd]);
}

function groupNormalization(c: ConformanceCase, io: CaseInputs): CaseOutputs {
  const x = io.node(0) as Tensor;
  const [n, channels] = x.shape;
  const groups = attr(c, 'num_groups', 1);
  const grouped = ops.reshape(x, [n, groups, -1]);
  const { mean, variance } = ops.moments(grouped, [2], { keepdims: true });
  const normalized = ops.reshape(ops.divide(ops.subtract(grouped, mean), ops.sqrt(ops.add(variance, attr(c, 'epsilon', 1e-5)))), x.shape);
  let scale = io.node(1) as Tensor;
  let bias = io.node(2) as Tensor;
  // Opset 18 gives one scale per group, opset 21 one per channel.
  if (scale.shape[0] === groups && groups !== channels) {
    scale = ops.reshape(ops.tile(ops.reshape(scale, [groups, 1]), [1, channels / groups]), [channels]);
    bias = ops.reshape(ops.tile(ops.reshape(bias, [groups, 1]), [1, channels / groups]), [channels]);
  }
  const rank = x.shape.length;
  return named(io, [ops.add(ops.multiply(normalized, perChannel(scale, rank)), perChannel(bias, rank))]);
}

/** Reorders the gate blocks of an ONNX weight [gates·H, ...] along axis 0. */
function reorderGates(w: Tensor, order: number[]): Tensor {
  const blocks = ops.split(w, order.length, { axis: 0 });
  return ops.concatenate(order.map((i) => blocks[i]), { axis: 0 });
}

interface Recurrent {
  x: Tensor; // [batch, seq, in]
  w: Tensor; // [gates·H, in]
  r: Tensor; // [gates·H, H]
  wb?: Tensor; // [gates·H]
  rb?: Tensor;
  h0: Tensor; // [batch, H]
  c0?: Tensor;
  batchwise: boolean;
}

function recurrentInputs(c: ConformanceCase, io: CaseInputs, gates: number): Recurrent | NotCovered {
  if (attr(c, 'direction', 'forward') !== 'forward') return new NotCovered(`direction '${attr(c, 'direction', '')}' (only forward is mapped so far)`);
  if (io.node(4)) return new NotCovered('sequence_lens (per-sample lengths) has no Keras equivalent besides masking');
  if ('activations' in c.attributes || 'clip' in c.attributes) return new NotCovered('custom ONNX activations or clip');
  const batchwise = attr(c, 'layout', 0) === 1;
  const x0 = io.node(0) as Tensor;
  const x = batchwise ? x0 : ops.transpose(x0, { axes: [1, 0, 2] });
  const hidden = attr(c, 'hidden_size', 0);
  const w = ops.squeeze(io.node(1) as Tensor, { axis: 0 });
  const r = ops.squeeze(io.node(2) as Tensor, { axis: 0 });
  const b = io.node(3);
  const [wb, rb] = b ? ops.split(ops.reshape(b, [2 * gates * hidden]), 2) : [undefined, undefined];
  const initial = (position: number): Tensor | undefined => {
    const t = io.node(position);
    if (!t) return undefined;
    return batchwise ? ops.squeeze(t, { axis: 1 }) : ops.squeeze(t, { axis: 0 });
  };
  const h0 = initial(5) ?? zeros([x.shape[0], hidden]);
  return { x, w, r, wb, rb, h0, c0: initial(6), batchwise };
}

function recurrentOutputs(io: CaseInputs, values: Tensor[]): CaseOutputs {
  return named(io, values);
}

/** Y as ONNX lays it out: [seq, 1, batch, H], or [batch, seq, 1, H] when batchwise; Y_h [1, batch, H] or [batch, 1, H]. */
function layoutOutputs(rec: Recurrent, sequences: Tensor, states: Tensor[]): Tensor[] {
  const y = rec.batchwise ? ops.expandDims(sequences, 2) : ops.expandDims(ops.transpose(sequences, { axes: [1, 0, 2] }), 1);
  return [y, ...states.map((s) => ops.expandDims(s, rec.batchwise ? 1 : 0))];
}

function lstm(c: ConformanceCase, io: CaseInputs): CaseOutputs | NotCovered {
  if (io.node(7)) return new NotCovered('peepholes (P) have no Keras equivalent');
  const rec = recurrentInputs(c, io, 4);
  if (rec instanceof NotCovered) return rec;
  const keras = [0, 2, 3, 1]; // ONNX i, o, f, c -> Keras i, f, c, o
  const kernel = ops.transpose(reorderGates(rec.w, keras));
  const recurrentKernel = ops.transpose(reorderGates(rec.r, keras));
  const units = rec.h0.shape[1];
  const bias = rec.wb && rec.rb ? reorderGates(ops.add(rec.wb, rec.rb), keras) : zeros([4 * units]);
  const [sequences, h, cLast] = lstmSequence(rec.x, rec.h0, rec.c0 ?? zeros([rec.x.shape[0], units]), kernel, recurrentKernel, bias);
  return recurrentOutputs(io, layoutOutputs(rec, sequences, [h, cLast]));
}

function gru(c: ConformanceCase, io: CaseInputs): CaseOutputs | NotCovered {
  const rec = recurrentInputs(c, io, 3);
  if (rec instanceof NotCovered) return rec;
  const units = rec.h0.shape[1];
  const resetAfter = attr(c, 'linear_before_reset', 0) === 1;
  const kernel = ops.transpose(rec.w);
  const recurrentKernel = ops.transpose(rec.r);
  const wb = rec.wb ?? zeros([3 * units]);
  const rb = rec.rb ?? zeros([3 * units]);
  // Keras reset_after keeps the two biases apart; otherwise they add up.
  const bias = resetAfter ? ops.stack([wb, rb]) : ops.add(wb, rb);
  let h = rec.h0;
  const steps: Tensor[] = [];
  for (let t = 0; t < rec.x.shape[1]; t++) {
    const xt = ops.reshape(ops.slice(rec.x, [0, t, 0], [rec.x.shape[0], 1, rec.x.shape[2]]), [rec.x.shape[0], rec.x.shape[2]]);
    h = gruStep(xt, h, kernel, recurrentKernel, bias, resetAfter);
    steps.push(h);
  }
  return recurrentOutputs(io, layoutOutputs(rec, ops.stack(steps, { axis: 1 }), [h]));
}

function simpleRnn(c: ConformanceCase, io: CaseInputs): CaseOutputs | NotCovered {
  const rec = recurrentInputs(c, io, 1);
  if (rec instanceof NotCovered) return rec;
  const bias = rec.wb && rec.rb ? ops.add(rec.wb, rec.rb) : zeros([rec.h0.shape[1]]);
  let h = rec.h0;
  const steps: Tensor[] = [];
  for (let t = 0; t < rec.x.shape[1]; t++) {
    const xt = ops.reshape(ops.slice(rec.x, [0, t, 0], [rec.x.shape[0], 1, rec.x.shape[2]]), [rec.x.shape[0], rec.x.shape[2]]);
    h = ops.tanh(ops.add(ops.add(ops.matmul(xt, ops.transpose(rec.w)), ops.matmul(h, ops.transpose(rec.r))), bias));
    steps.push(h);
  }
  return recurrentOutputs(io, layoutOutputs(rec, ops.stack(steps, { axis: 1 }), [h]));
}

export const ONNX_NODE_LAYER_RUNNERS: Record<string, CaseRunner> = {
  BatchNormalization: batchNormalization,
  LayerNormalization: layerNormalization,
  GroupNormalization: groupNormalization,
  LSTM: lstm,
  GRU: gru,
  RNN: simpleRnn,
};
