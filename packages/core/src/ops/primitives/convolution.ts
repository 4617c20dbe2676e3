/**
 * 2-D convolution primitives in NHWC layout with HWIO filters: conv2d and its two backprops.
 * The three are bilinear maps that are each other's adjoints, so every gradient rule is one of
 * the three again (with the operands rearranged), to any order. The file ends with the shape
 * rules and layout plumbing the conv and pooling ops share.
 */
import type { Conv2DAttrs, Pool2DAttrs } from '../../backend/backend.js';
import { config, type ImageDataFormat } from '../../backend/config.js';
import { run1 } from '../../runtime/engine.js';
import { definePrimitive, type Primitive, type TensorSpec } from '../../runtime/primitive.js';
import { tensor } from '../../tensor/create.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as g from './grad_ops.js';

/**
 * Output length of a sliding window along one axis with explicit pads:
 * `floor((in + padBefore + padAfter - (k-1)*dilation - 1) / stride) + 1`. Unknown sizes stay null.
 */
export function windowOutputLength(input: Dim, kernel: Dim, stride: number, pads: readonly [number, number], dilation = 1): Dim {
  if (input === null || kernel === null) return null;
  return Math.floor((input + pads[0] + pads[1] - (kernel - 1) * dilation - 1) / stride) + 1;
}

/**
 * Keras's 'same' pads along one axis: `out = ceil(in / stride)`,
 * `total = max((out-1)*stride + (k-1)*dilation + 1 - in, 0)`, the odd one at the end.
 */
export function samePads(input: number, kernel: number, stride: number, dilation = 1): [number, number] {
  const out = Math.ceil(input / stride);
  const total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - input, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** The kernel's own attributes, without the shapes the backprop primitives carry along. */
function kernelAttrs(a: Conv2DAttrs): Conv2DAttrs {
  return { strides: a.strides, pads: a.pads, dilations: a.dilations };
}

function checkOperands(name: string, a: TensorSpec, aName: string, b: TensorSpec, bName: string): void {
  for (const [t, what] of [[a, aName], [b, bName]] as const) {
    if (t.dtype !== 'float32') throw new TypeError(`${name}: ${what} must be float32, got ${t.dtype} ${formatShape(t.shape)}. Fix: ops.cast(${what}, 'float32').`);
    if (t.shape.length !== 4) throw new Error(`${name}: ${what} must have rank 4, got ${formatShape(t.shape)}.`);
  }
}

function checkSame(name: string, what: string, a: Dim, b: Dim): void {
  if (a !== null && b !== null && a !== b) throw new Error(`${name}: ${what} differ (${a} vs ${b}).`);
}

/** The spatial output sizes of conv2d for x's spatial sizes, rejecting windows that do not fit. */
function spatialOutput(name: string, x: SymbolicShape, kh: Dim, kw: Dim, a: Conv2DAttrs): [Dim, Dim] {
  const out: [Dim, Dim] = [
    windowOutputLength(x[1], kh, a.strides[0], a.pads[0], a.dilations[0]),
    windowOutputLength(x[2], kw, a.strides[1], a.pads[1], a.dilations[1]),
  ];
  if (out.some((d) => d !== null && d < 1)) {
    throw new Error(
      `${name}: a ${kh}x${kw} window (dilations ${a.dilations.join('x')}) does not fit the input ${formatShape(x)} padded by ${JSON.stringify(a.pads)}. ` +
        `Expected the dilated window to fit inside the padded height and width. Fix: pad more (padding 'same') or use a smaller kernel.`,
    );
  }
  return out;
}

export const conv2dPrimitive: Primitive<Conv2DAttrs> = definePrimitive<Conv2DAttrs>({
  name: 'conv2d',
  infer([x, filter], attrs) {
    checkOperands('conv2d', x, 'x', filter, 'filter');
    checkSame('conv2d', `the input channels of x ${formatShape(x.shape)} and filter ${formatShape(filter.shape)}`, x.shape[3], filter.shape[2]);
    const [oh, ow] = spatialOutput('conv2d', x.shape, filter.shape[0], filter.shape[1], attrs);
    return [{ shape: [x.shape[0], oh, ow, filter.shape[3]], dtype: 'float32' }];
  },
  forward(backend, [x, filter], attrs, [out]) {
    return [backend.conv2d(x, filter, kernelAttrs(attrs), out)];
  },
  grad: ({ dys: [dy], inputs: [x, filter], attrs, needsGrad = [true, true] }) => [
    needsGrad[0] ? conv2dBackpropInput(dy, filter, attrs, x.shape) : null,
    needsGrad[1] ? conv2dBackpropFilter(x, dy, attrs, filter.shape) : null,
  ],
});

export interface Conv2DBackpropInputAttrs extends Conv2DAttrs {
  /** The shape of conv2d's x (only its height and width are read: batch and channels come from the operands). */
  readonly inputShape: SymbolicShape;
}

export const conv2dBackpropInputPrimitive: Primitive<Conv2DBackpropInputAttrs> = definePrimitive<Conv2DBackpropInputAttrs>({
  name: 'conv2dBackpropInput',
  infer([dy, filter], attrs) {
    const name = 'conv2dBackpropInput';
    checkOperands(name, dy, 'dy', filter, 'filter');
    checkSame(name, `the output channels of dy ${formatShape(dy.shape)} and filter ${formatShape(filter.shape)}`, dy.shape[3], filter.shape[3]);
    const [oh, ow] = spatialOutput(name, attrs.inputShape, filter.shape[0], filter.shape[1], attrs);
    checkSame(name, `dy ${formatShape(dy.shape)} and the conv2d output size of input ${formatShape(attrs.inputShape)}`, dy.shape[1], oh);
    checkSame(name, `dy ${formatShape(dy.shape)} and the conv2d output size of input ${formatShape(attrs.inputShape)}`, dy.shape[2], ow);
    return [{ shape: [dy.shape[0], attrs.inputShape[1], attrs.inputShape[2], filter.shape[2]], dtype: 'float32' }];
  },
  forward(backend, [dy, filter], attrs, [out]) {
    return [backend.conv2dBackpropInput(dy, filter, kernelAttrs(attrs), out)];
  },
  // dx = A_f^T dy is bilinear: its cotangent g maps back by A_f (a conv2d) and, for the filter,
  // by the same correlation conv2d's filter gradient computes, with g in x's place.
  grad: ({ dys: [dx], inputs: [dy, filter], attrs }) => [
    conv2d(dx, filter, attrs),
    conv2dBackpropFilter(dx, dy, attrs, filter.shape),
  ],
});

export interface Conv2DBackpropFilterAttrs extends Conv2DAttrs {
  /** The filter's shape (only kh and kw are read: its channels come from x and dy). */
  readonly filterShape: SymbolicShape;
}

export const conv2dBackpropFilterPrimitive: Primitive<Conv2DBackpropFilterAttrs> = definePrimitive<Conv2DBackpropFilterAttrs>({
  name: 'conv2dBackpropFilter',
  infer([x, dy], attrs) {
    const name = 'conv2dBackpropFilter';
    checkOperands(name, x, 'x', dy, 'dy');
    checkSame(name, `the batch sizes of x ${formatShape(x.shape)} and dy ${formatShape(dy.shape)}`, x.shape[0], dy.shape[0]);
    const [kh, kw] = attrs.filterShape;
    const [oh, ow] = spatialOutput(name, x.shape, kh, kw, attrs);
    checkSame(name, `dy ${formatShape(dy.shape)} and the conv2d output size of x ${formatShape(x.shape)}`, dy.shape[1], oh);
    checkSame(name, `dy ${formatShape(dy.shape)} and the conv2d output size of x ${formatShape(x.shape)}`, dy.shape[2], ow);
    return [{ shape: [kh, kw, x.shape[3], dy.shape[3]], dtype: 'float32' }];
  },
  forward(backend, [x, dy], attrs, [out]) {
    return [backend.conv2dBackpropFilter(x, dy, kernelAttrs(attrs), out)];
  },
  // df = B(x, dy) with <G, B(x, dy)> = <conv2d(x, G), dy>: so x's cotangent is A_G^T dy and dy's is conv2d(x, G).
  grad: ({ dys: [df], inputs: [x, dy], attrs }) => [
    conv2dBackpropInput(dy, df, attrs, x.shape),
    conv2d(x, df, attrs),
  ],
});

export const conv2d = (x: Tensor, filter: Tensor, attrs: Conv2DAttrs): Tensor => run1(conv2dPrimitive, [x, filter], kernelAttrs(attrs));

export const conv2dBackpropInput = (dy: Tensor, filter: Tensor, attrs: Conv2DAttrs, inputShape: SymbolicShape): Tensor =>
  run1(conv2dBackpropInputPrimitive, [dy, filter], { ...kernelAttrs(attrs), inputShape });

export const conv2dBackpropFilter = (x: Tensor, dy: Tensor, attrs: Conv2DAttrs, filterShape: SymbolicShape): Tensor =>
  run1(conv2dBackpropFilterPrimitive, [x, dy], { ...kernelAttrs(attrs), filterShape });

/**
 * Every window of x `[n, h, w, c]` as `[n, oh, ow, c, kh*kw]` (cells in row-major order, padded
 * cells 0). One conv2d does it: the channels move into the batch, and a one-hot filter copies
 * each cell of the window to its own output channel (x*1 + 0s, so the values are exact).
 */
export function extractPatches(x: Tensor, kh: number, kw: number, attrs: Conv2DAttrs): Tensor {
  const [n, h, w, c] = x.shape;
  const cells = kh * kw;
  const eye = new Float32Array(cells * cells);
  for (let i = 0; i < cells; i++) eye[i * cells + i] = 1;
  const filter = tensor(eye, [kh, kw, 1, cells]);
  const columns = g.reshape(g.transpose(x, [0, 3, 1, 2]), [n * c, h, w, 1]);
  const patches = conv2d(columns, filter, attrs);
  const [, oh, ow] = patches.shape;
  return g.transpose(g.reshape(patches, [n, c, oh, ow, cells]), [0, 2, 3, 1, 4]);
}

// ---------------------------------------------------------------------------------------------
// Shape rules and layout plumbing shared by the conv and pooling ops (ops/convolution.ts,
// ops/pooling.ts). They live here, outside keras.ops, because they are not user-facing ops.
// ---------------------------------------------------------------------------------------------

export type Padding = Pool2DAttrs['padding'];

/** How a conv or pooling op reads its input: 1 or 2 spatial axes, channels last or first. */
export interface SpatialLayout {
  readonly spatialRank: 1 | 2;
  readonly channelsFirst: boolean;
  readonly format: ImageDataFormat;
  readonly channels: Dim;
  readonly spatial: readonly Dim[];
}

/** Reads rank and data format, with the error a user of a 1-D or 2-D op needs */
export function spatialLayout(where: string, inputShape: SymbolicShape, dataFormat: ImageDataFormat | null | undefined): SpatialLayout {
  const format = dataFormat ?? config.imageDataFormat();
  if (format !== 'channels_last' && format !== 'channels_first') {
    throw new Error(`${where}: dataFormat ${JSON.stringify(dataFormat)} is not a data format. Expected 'channels_last' or 'channels_first'. Fix: pass one of those, or leave it out.`);
  }
  const channelsFirst = format === 'channels_first';
  const rank = inputShape.length;
  if (rank !== 3 && rank !== 4) {
    const layout2d = channelsFirst ? '(batch, channels, height, width)' : '(batch, height, width, channels)';
    const layout1d = channelsFirst ? '(batch, channels, width)' : '(batch, width, channels)';
    throw new Error(
      `${where}: the input has shape ${formatShape(inputShape)} (rank ${rank}). Expected rank 3 ${layout1d} for a 1-D op or rank 4 ${layout2d} for a 2-D one ` +
        `(3-D is not supported). Fix: add the missing batch or channel axis with ops.expandDims or ops.reshape, even for a single example.`,
    );
  }
  return {
    spatialRank: rank === 3 ? 1 : 2,
    channelsFirst,
    format,
    channels: channelsFirst ? inputShape[1] : inputShape[rank - 1],
    spatial: channelsFirst ? inputShape.slice(2) : inputShape.slice(1, rank - 1),
  };
}

/** A number for every spatial axis, or one per axis; each a positive integer (non-negative with `allowZero`) */
export function spatialTuple(where: string, name: string, value: number | readonly number[], n: number, allowZero = false): number[] {
  const list = typeof value === 'number' ? new Array<number>(n).fill(value) : Array.isArray(value) ? [...(value as number[])] : [];
  const min = allowZero ? 0 : 1;
  if (list.length !== n || list.some((v) => !Number.isInteger(v) || v < min)) {
    throw new Error(
      `${where}: ${name} ${JSON.stringify(value)} is not valid for ${n} spatial ${n === 1 ? 'axis' : 'axes'}. ` +
        `Expected ${allowZero ? 'a non-negative' : 'a positive'} integer or a list of ${n}. Fix: pass e.g. ${name}: ${n === 1 ? '2' : '[2, 2]'}.`,
    );
  }
  return list;
}

/** Keras's padding mode, 'valid' or 'same' in any case. */
export function paddingMode(where: string, value: string | undefined): Padding {
  const mode = (value ?? 'valid').toLowerCase();
  if (mode !== 'valid' && mode !== 'same') {
    throw new Error(`${where}: padding ${JSON.stringify(value)} is not supported. Expected 'valid' or 'same'. Fix: pass one of those (pad explicitly with ops.pad for other amounts).`);
  }
  return mode;
}

/**
 * The output length along one spatial axis: Keras's `ceil(in / stride)` for 'same',
 * `floor((in - span) / stride) + 1` for 'valid', where span is the dilated window.
 */
export function windowedLength(where: string, padding: Padding, input: Dim, window: Dim, stride: number, dilation: number, axis: number, inputShape: SymbolicShape): Dim {
  if (input === null) return null;
  if (padding === 'same') return Math.ceil(input / stride);
  if (window === null) return null;
  const span = (window - 1) * dilation + 1;
  if (span > input) {
    throw new Error(
      `${where}: with padding 'valid' the window spans ${span} cells on spatial axis ${axis} (size ${window}${dilation > 1 ? `, dilation ${dilation}` : ''}) ` +
        `but the input ${formatShape(inputShape)} has only ${input} there. Expected a window no larger than the input. ` +
        `Fix: use padding: 'same', a smaller window or dilation, or a larger input.`,
    );
  }
  return Math.floor((input - span) / stride) + 1;
}

/** Assembles batch, spatial sizes and channels in the layout's order */
export function layoutShape(layout: SpatialLayout, batch: Dim, spatial: readonly Dim[], channels: Dim): Dim[] {
  return layout.channelsFirst ? [batch, channels, ...spatial] : [batch, ...spatial, channels];
}

/** Moves any accepted input to (n, h, w, c): channels last, a 1-D input as height 1 */
export function toNHWC(x: Tensor, layout: SpatialLayout): Tensor {
  let t = layout.channelsFirst ? g.transpose(x, layout.spatialRank === 1 ? [0, 2, 1] : [0, 2, 3, 1]) : x;
  if (layout.spatialRank === 1) t = g.reshape(t, [t.shape[0], 1, t.shape[1], t.shape[2]]);
  return t;
}

/** The inverse of toNHWC */
export function fromNHWC(y: Tensor, layout: SpatialLayout): Tensor {
  const t = layout.spatialRank === 1 ? g.reshape(y, [y.shape[0], y.shape[2], y.shape[3]]) : y;
  return layout.channelsFirst ? g.transpose(t, layout.spatialRank === 1 ? [0, 2, 1] : [0, 3, 1, 2]) : t;
}

/** A per-spatial-axis list as (height, width): a 1-D op has height 1 with `fill` */
export function asPair(values: readonly number[], fill: number): [number, number] {
  return values.length === 1 ? [fill, values[0]] : [values[0], values[1]];
}
