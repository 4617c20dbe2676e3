/**
 * Convolution and pooling cases. torch-ref cases are already Keras's (NHWC, 'same'/'valid');
 * ONNX cases are NCHW and run with dataFormat 'channels_first'. An ONNX Conv kernel
 * [M, C/group, kH, kW] is Keras's [kH, kW, C/group, M], a ConvTranspose kernel [C, M/group, kH, kW]
 * is Keras's [kH, kW, M/group, C]: both are W.transpose(2, 3, 1, 0). An ONNX padding is mapped
 * onto Keras's 'same' or 'valid' only when it is exactly what that mode does.
 */
import { convTransposePads, ops, vjp, type Tensor } from '@keras-ts/core';
import type { ConformanceCase } from '../vectors.js';
import { attr, type CaseInputs, type CaseOutputs, type CaseRunner } from './types.js';

type Pair = [number, number];
const pair = (v: unknown): Pair => v as Pair;
const span = (k: number, d: number) => (k - 1) * d + 1;

/** Keras 'same': out = ceil(in / stride), the odd pad at the end. */
function samePads(input: number, kernel: number, stride: number, dilation: number): Pair {
  const out = Math.ceil(input / stride);
  const total = Math.max((out - 1) * stride + span(kernel, dilation) - input, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** The spatial sizes of an NCHW input, and the case's kernel size, strides, dilations and begin/end pads. */
interface Geometry {
  spatial: number[];
  kernel: number[];
  strides: number[];
  dilations: number[];
  pads: Pair[] | 'same_upper' | 'same_lower';
}

function geometry(c: ConformanceCase, inputShape: number[], kernel: number[]): Geometry {
  const spatial = inputShape.slice(2);
  const n = spatial.length;
  const strides = attr<number[]>(c, 'strides', new Array<number>(n).fill(1));
  const dilations = attr<number[]>(c, 'dilations', new Array<number>(n).fill(1));
  const autoPad = attr(c, 'auto_pad', 'NOTSET');
  let pads: Geometry['pads'];
  if (autoPad === 'SAME_UPPER') pads = 'same_upper';
  else if (autoPad === 'SAME_LOWER') pads = 'same_lower';
  else if (autoPad === 'VALID') pads = spatial.map((): Pair => [0, 0]);
  else {
    const p = attr<number[]>(c, 'pads', new Array<number>(2 * n).fill(0));
    pads = spatial.map((_, i): Pair => [p[i], p[i + n]]);
  }
  return { spatial, kernel, strides, dilations, pads };
}

/** Keras's padding mode for a forward window op, or the reason none matches. */
function kerasPadding(g: Geometry): 'same' | 'valid' | string {
  const same = g.spatial.map((s, i) => samePads(s, g.kernel[i], g.strides[i], g.dilations[i]));
  if (g.pads === 'same_upper') return 'same';
  if (g.pads === 'same_lower') {
    return same.every(([b, e]) => b === e) ? 'same' : "auto_pad SAME_LOWER puts the odd pad first; Keras 'same' puts it last";
  }
  const pads = g.pads;
  if (pads.every(([b, e]) => b === 0 && e === 0)) return 'valid';
  if (pads.every(([b, e], i) => b === same[i][0] && e === same[i][1])) return 'same';
  return `explicit pads ${JSON.stringify(pads)} are neither Keras 'valid' nor 'same' (${JSON.stringify(same)}) for this input`;
}

const ONNX_KERNEL = (w: Tensor): Tensor => ops.transpose(w, { axes: [2, 3, 1, 0] });
const channelsFirst = { dataFormat: 'channels_first' as const };

function inputShapeOf(c: ConformanceCase, position: number): number[] {
  const name = c.node_inputs?.[position];
  return c.inputs.find((t) => t.name === name)?.shape ?? [];
}

/** Why an ONNX window case cannot be expressed in Keras, or undefined. */
export function spatialReason(c: ConformanceCase): string | undefined {
  const x = inputShapeOf(c, 0);
  if (c.op === 'GlobalAveragePool' || c.op === 'GlobalMaxPool') return undefined;
  if (x.length !== 4 && c.op !== 'ConvTranspose') return `${x.length - 2}-D ${c.op}: only 2-D cases are mapped`;
  if (c.op === 'MaxPool' || c.op === 'AveragePool') {
    if (attr(c, 'ceil_mode', 0) === 1) return 'ceil_mode=1 (output size rounded up) is not a Keras pooling mode';
    if (attr<number[]>(c, 'dilations', [1, 1]).some((d) => d !== 1)) return 'Keras pooling has no dilation';
    const g = geometry(c, x, attr<number[]>(c, 'kernel_shape', []));
    const padding = kerasPadding(g);
    if (padding !== 'same' && padding !== 'valid') return padding;
    if (c.op === 'AveragePool' && attr(c, 'count_include_pad', 0) === 1 && padding === 'same') {
      return 'count_include_pad=1 divides by padded cells too; Keras averages the real cells only';
    }
    return undefined;
  }
  if (c.op === 'Conv') {
    const w = inputShapeOf(c, 1);
    const padding = kerasPadding(geometry(c, x, w.slice(2)));
    return padding === 'same' || padding === 'valid' ? undefined : padding;
  }
  if (c.op === 'ConvTranspose') {
    if (x.length !== 4) return `${x.length - 2}-D ConvTranspose: only 2-D cases are mapped`;
    return typeof convTransposeOptions(c) === 'string' ? (convTransposeOptions(c) as string) : undefined;
  }
  return undefined;
}

/** Keras's convTranspose per axis (core's rule): the output length and the crop at the start. */
function kerasTransposeAxis(input: number, k: number, stride: number, dilation: number, padding: 'same' | 'valid', outputPadding: number | null): { length: number; begin: number } {
  const s = span(k, dilation);
  const [begin, end] = convTransposePads(s, stride, padding, outputPadding);
  return { length: (input - 1) * stride + s - begin - end, begin };
}

interface TransposeOptions {
  padding: 'same' | 'valid';
  outputPadding: number[] | undefined;
  strides: number[];
  dilations: number[];
  groups: number;
}

/**
 * The ONNX output length and start crop of each axis, then the Keras options that give the same:
 * found by trying both modes and every output padding below the stride.
 */
function convTransposeOptions(c: ConformanceCase): TransposeOptions | string {
  const x = inputShapeOf(c, 0);
  const w = inputShapeOf(c, 1);
  const spatial = x.slice(2);
  const kernel = w.slice(2);
  const n = spatial.length;
  const strides = attr<number[]>(c, 'strides', new Array<number>(n).fill(1));
  const dilations = attr<number[]>(c, 'dilations', new Array<number>(n).fill(1));
  const outputPaddingAttr = attr<number[]>(c, 'output_padding', new Array<number>(n).fill(0));
  const outputShape = attr<number[] | null>(c, 'output_shape', null);
  const autoPad = attr(c, 'auto_pad', 'NOTSET');
  const pads = attr<number[]>(c, 'pads', new Array<number>(2 * n).fill(0));
  const wanted = spatial.map((input, i) => {
    const full = strides[i] * (input - 1) + outputPaddingAttr[i] + span(kernel[i], dilations[i]);
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER' || outputShape) {
      const length = outputShape ? outputShape[i] : input * strides[i];
      const total = full - length;
      // Extra output (a negative total) is added at the end, as ONNX's reference does.
      const begin = total <= 0 ? 0 : autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : total - Math.floor(total / 2);
      return { length, begin };
    }
    return { length: full - pads[i] - pads[i + n], begin: pads[i] };
  });
  for (const padding of ['valid', 'same'] as const) {
    for (const candidate of [null, ...Array.from({ length: Math.max(...strides) }, (_, p) => p)]) {
      const ok = spatial.every((input, i) => {
        if (candidate !== null && candidate >= strides[i]) return false;
        const got = kerasTransposeAxis(input, kernel[i], strides[i], dilations[i], padding, candidate);
        return got.length === wanted[i].length && got.begin === wanted[i].begin;
      });
      if (ok) return { padding, outputPadding: candidate === null ? undefined : spatial.map(() => candidate), strides, dilations, groups: attr(c, 'group', 1) };
    }
  }
  return `ConvTranspose output ${JSON.stringify(wanted)} matches no Keras padding and output padding`;
}

const onnxPool = (pool: typeof ops.maxPool): CaseRunner => (c, io) => {
  const x = io.node(0) as Tensor;
  const kernel = attr<number[]>(c, 'kernel_shape', []);
  const g = geometry(c, [...x.shape], kernel);
  const y = pool(x, kernel, { ...channelsFirst, strides: g.strides, padding: kerasPadding(g) as 'same' | 'valid' });
  return { [io.outputName(0) as string]: y };
};

function onnxConv(c: ConformanceCase, io: CaseInputs): CaseOutputs {
  const x = io.node(0) as Tensor;
  const w = io.node(1) as Tensor;
  const g = geometry(c, [...x.shape], w.shape.slice(2));
  let y = ops.conv(x, ONNX_KERNEL(w), { ...channelsFirst, strides: g.strides, dilationRate: g.dilations, padding: kerasPadding(g) as 'same' | 'valid' });
  const bias = io.node(2);
  if (bias) y = ops.add(y, ops.reshape(bias, [1, -1, 1, 1]));
  return { [io.outputName(0) as string]: y };
}

function onnxConvTranspose(c: ConformanceCase, io: CaseInputs): CaseOutputs {
  const options = convTransposeOptions(c) as TransposeOptions;
  const x = io.node(0) as Tensor;
  const w = ONNX_KERNEL(io.node(1) as Tensor);
  const keras = { ...channelsFirst, strides: options.strides, dilationRate: options.dilations, padding: options.padding, outputPadding: options.outputPadding };
  // Keras's conv_transpose has no groups: each group of channels is its own convTranspose.
  const inPerGroup = x.shape[1] / options.groups;
  const parts = Array.from({ length: options.groups }, (_, gi) =>
    ops.convTranspose(ops.slice(x, [0, gi * inPerGroup, 0, 0], [-1, inPerGroup, -1, -1]), ops.slice(w, [0, 0, 0, gi * inPerGroup], [-1, -1, -1, inPerGroup]), keras),
  );
  let y = parts.length === 1 ? parts[0] : ops.concatenate(parts, { axis: 1 });
  const bias = io.node(2);
  if (bias) y = ops.add(y, ops.reshape(bias, [1, -1, 1, 1]));
  return { [io.outputName(0) as string]: y };
}

export const ONNX_SPATIAL_RUNNERS: Record<string, CaseRunner> = {
  Conv: onnxConv,
  ConvTranspose: onnxConvTranspose,
  MaxPool: onnxPool(ops.maxPool),
  AveragePool: onnxPool(ops.averagePool),
  GlobalAveragePool: (_c, io) => ({ [io.outputName(0) as string]: ops.mean(io.node(0) as Tensor, { axis: [2, 3], keepdims: true }) }),
  GlobalMaxPool: (_c, io) => ({ [io.outputName(0) as string]: ops.max(io.node(0) as Tensor, { axis: [2, 3], keepdims: true }) }),
};

export const TORCH_REF_SPATIAL_RUNNERS: Record<string, CaseRunner> = {
  conv2d: (c, io) => {
    const options = { strides: pair(c.attributes.strides), padding: attr(c, 'padding', 'valid'), dilationRate: pair(c.attributes.dilation_rate), dataFormat: 'channels_last' as const };
    let y = ops.conv(io.get('x'), io.get('kernel'), options);
    if (io.has('bias')) y = ops.add(y, io.get('bias'));
    return { y };
  },
  conv2d_grad: (c, io) => {
    const options = { strides: pair(c.attributes.strides), padding: attr(c, 'padding', 'valid'), dilationRate: pair(c.attributes.dilation_rate), dataFormat: 'channels_last' as const };
    const { outputs, grads } = vjp((x, k, b) => ops.add(ops.conv(x, k, options), b), [io.get('x'), io.get('kernel'), io.get('bias')], io.get('dy'));
    return { y: outputs[0], dx: grads[0], dkernel: grads[1], dbias: grads[2] };
  },
  max_pool2d: (c, io) => pool2d(ops.maxPool, c, io),
  avg_pool2d: (c, io) => pool2d(ops.averagePool, c, io),
};

function pool2d(pool: typeof ops.maxPool, c: ConformanceCase, io: CaseInputs): CaseOutputs {
  const options = { strides: pair(c.attributes.strides), padding: attr(c, 'padding', 'valid'), dataFormat: 'channels_last' as const };
  const { outputs, grads } = vjp((x) => pool(x, pair(c.attributes.pool_size), options), [io.get('x')], io.get('dy'));
  return { y: outputs[0], dx: grads[0] };
}
