/**
 * Convolution ops as keras.ops: conv, depthwiseConv, separableConv and convTranspose, 1-D (rank-3
 * inputs) and 2-D (rank-4), channels_last or channels_first; `conv` and `convTranspose` also 3-D
 * (rank-5 inputs), as sums over the kernel's depth of 2-D ones on depth slices. Every shape rule is a pure function
 * of (possibly symbolic) shapes, checked before any kernel runs; layers reuse the same functions.
 *
 * ```ts
 * ops.conv(x, kernel, { strides: 2, padding: 'same' });          // x (n, h, w, c), kernel (kh, kw, c, filters)
 * convOutputShape([null, 28, 28, 3], [3, 3, 3, 8]);               // [null, 26, 26, 8]
 * ```
 */
import { convTransposePads } from './conv_transpose_padding.js';
import type { Conv2DAttrs } from '../backend/backend.js';
import { config, type ImageDataFormat } from '../backend/config.js';
import { run1 } from '../runtime/engine.js';
import { formatShape, type Dim, type SymbolicShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { castTo, toTensor, type TensorLike } from './convert.js';
import {
  asPair, conv2d, conv2dBackpropInput, extractPatches, fromNHWC, layoutShape, paddingMode, samePads, spatialLayout, spatialTuple, toNHWC, windowedLength,
  type Padding, type SpatialLayout,
} from './primitives/convolution.js';
import * as g from './primitives/grad_ops.js';
import { concatPrimitive, padPrimitive, slicePrimitive } from './primitives/layout.js';
import { matmulPrimitive } from './primitives/linalg.js';
import { add, multiply } from './elementwise.js';
import { reshape, slice, stack, transpose } from './layout.js';

export type { Padding };

export interface ConvOptions {
  /** One stride for every spatial axis, or one per axis. Default 1. */
  strides?: number | readonly number[];
  /** 'valid' (no padding) or 'same' (output size ceil(input / stride)), case-insensitive. Default 'valid'. */
  padding?: Padding | string;
  /** Where the channels are; default `config.imageDataFormat()`. */
  dataFormat?: ImageDataFormat | null;
  /** One dilation for every spatial axis, or one per axis. Default 1. */
  dilationRate?: number | readonly number[];
}

export interface ConvTransposeOptions extends ConvOptions {
  /** Extra rows/columns at the end of the output, each below its stride; null lets Keras's rule choose. */
  outputPadding?: number | readonly number[] | null;
}

interface ConvGeometry extends SpatialLayout {
  readonly strides: number[];
  readonly dilations: number[];
  readonly padding: Padding;
  readonly groups: number;
  readonly outputShape: Dim[];
}

type KernelRole = 'conv' | 'depthwise' | 'transpose';
const KERNEL_AXES: Record<KernelRole, string> = {
  conv: 'in_channels, out_channels',
  depthwise: 'in_channels, depth_multiplier',
  transpose: 'out_channels, in_channels',
};

function resolveConv(where: string, inputShape: SymbolicShape, kernelShape: SymbolicShape, options: ConvTransposeOptions, role: KernelRole): ConvGeometry {
  const layout = spatialLayout(where, inputShape, options.dataFormat);
  const n = layout.spatialRank;
  const rank = inputShape.length;
  const spatialNames = n === 1 ? 'kernel_width' : 'kernel_height, kernel_width';
  if (kernelShape.length !== rank || kernelShape.some((d) => d !== null && d < 1)) {
    throw new Error(
      `${where}: the kernel has shape ${formatShape(kernelShape)} but a ${n}-D op on input ${formatShape(inputShape)} needs a rank-${rank} kernel ` +
        `(${spatialNames}, ${KERNEL_AXES[role]}) with positive sizes. Fix: reshape the kernel to that layout (Keras's, whatever the dataFormat).`,
    );
  }
  const strides = spatialTuple(where, 'strides', options.strides ?? 1, n);
  const dilations = spatialTuple(where, 'dilationRate', options.dilationRate ?? 1, n);
  const padding = paddingMode(where, options.padding);
  // The kernel axis that must match the input's channels: axis -2, except for a transposed conv's (spatial..., out, in).
  const matchAxis = role === 'transpose' ? rank - 1 : rank - 2;
  const kernelChannels = kernelShape[matchAxis];
  const c = layout.channels;
  let groups = 1;
  if (c !== null && kernelChannels !== null) {
    const grouped = role === 'conv' && c % kernelChannels === 0;
    if (c !== kernelChannels && !grouped) {
      const fixed = [...kernelShape];
      fixed[matchAxis] = c;
      throw new Error(
        `${where}: the input has ${c} channels (${layout.channelsFirst ? 'axis 1' : 'last axis'} of ${formatShape(inputShape)}) but the kernel expects ${kernelChannels} ` +
          `(axis ${matchAxis} of kernel ${formatShape(kernelShape)}). Expected them to be equal${role === 'conv' ? ' (or the input channels a multiple of the kernel\'s, for a grouped convolution)' : ''}. ` +
          `Fix: pass a kernel of shape ${formatShape(fixed)}, or check dataFormat (the input is read as '${layout.format}').`,
      );
    }
    groups = c / kernelChannels;
    const filters = kernelShape[rank - 1];
    if (groups > 1 && filters !== null && filters % groups !== 0) {
      throw new Error(
        `${where}: the input's ${c} channels make ${groups} groups of the kernel's ${kernelChannels}, but the kernel's ${filters} output channels ` +
          `(last axis of ${formatShape(kernelShape)}) do not split into ${groups} groups. Expected output channels divisible by the number of groups. Fix: use a multiple of ${groups} output channels, or a kernel with the input's ${c} channels.`,
      );
    }
  }
  const batch = inputShape[0];
  let outputShape: Dim[];
  if (role === 'transpose') {
    const outputPadding = options.outputPadding === null || options.outputPadding === undefined ? null : spatialTuple(where, 'outputPadding', options.outputPadding, n, true);
    outputPadding?.forEach((p, i) => {
      if (p >= strides[i]) {
        throw new Error(`${where}: outputPadding ${JSON.stringify(options.outputPadding)} must be smaller than strides ${JSON.stringify(strides)} on every axis. Fix: use outputPadding below the stride (or leave it null).`);
      }
    });
    const spatial = layout.spatial.map((d, i) => transposeAxis(d, kernelShape[i], strides[i], dilations[i], padding, outputPadding?.[i] ?? null).length);
    if (spatial.some((d) => d !== null && d < 1)) {
      throw new Error(
        `${where}: the output of input ${formatShape(inputShape)} with kernel ${formatShape(kernelShape)} would be empty (spatial sizes ${JSON.stringify(spatial)}). ` +
          `Expected at least one output cell per axis. Fix: use a larger outputPadding, or padding 'valid'.`,
      );
    }
    outputShape = layoutShape(layout, batch, spatial, kernelShape[rank - 2]);
  } else {
    const spatial = layout.spatial.map((d, i) => windowedLength(where, padding, d, kernelShape[i], strides[i], dilations[i], i + 1, inputShape));
    const filters = role === 'conv' ? kernelShape[rank - 1] : kernelShape[rank - 2] === null || kernelShape[rank - 1] === null ? null : (kernelShape[rank - 2] as number) * (kernelShape[rank - 1] as number);
    outputShape = layoutShape(layout, batch, spatial, filters);
  }
  return { ...layout, strides, dilations, padding, groups, outputShape };
}

/**
 * One spatial axis of a transposed convolution, by Keras's rule (`compute_conv_transpose_output_shape`
 * with JAX's padding): the output length, and the pads of the forward conv whose input gradient it is.
 * A negative pad means output cells no window of that forward conv reads: they come out zero.
 */
function transposeAxis(input: Dim, kernel: Dim, stride: number, dilation: number, padding: Padding, outputPadding: number | null): { length: Dim; pads: [number, number] } {
  if (input === null || kernel === null) return { length: null, pads: [0, 0] };
  const span = (kernel - 1) * dilation + 1;
  const pads = convTransposePads(span, stride, padding, outputPadding);
  return { length: (input - 1) * stride + span - pads[0] - pads[1], pads };
}

/**
 * The output shape of `conv` (grouped when the input has a multiple of the kernel's input channels).
 *
 * ```ts
 * convOutputShape([null, 64, 64, 3], [3, 3, 3, 17]);     // [null, 62, 62, 17]
 * ```
 */
export function convOutputShape(inputShape: SymbolicShape, kernelShape: SymbolicShape, options: ConvOptions = {}): Dim[] {
  checkConvRank('conv', inputShape);
  if (inputShape.length === 5) return resolveConv3d('conv', inputShape, kernelShape, options).outputShape;
  return resolveConv('conv', inputShape, kernelShape, options, 'conv').outputShape;
}

/**
 * The output shape of `depthwiseConv`: channels times the depth multiplier.
 *
 * ```ts
 * depthwiseConvOutputShape([null, 32, 32, 8], [3, 3, 8, 2], { padding: 'same' });   // [null, 32, 32, 16]
 * ```
 */
export function depthwiseConvOutputShape(inputShape: SymbolicShape, kernelShape: SymbolicShape, options: ConvOptions = {}): Dim[] {
  return resolveConv('depthwiseConv', inputShape, kernelShape, options, 'depthwise').outputShape;
}

/**
 * The output shape of `convTranspose`, kernel (spatial..., outChannels, inChannels).
 *
 * ```ts
 * convTransposeOutputShape([null, 7, 7, 16], [3, 3, 8, 16], { strides: 2, padding: 'same' });   // [null, 14, 14, 8]
 * ```
 */
export function convTransposeOutputShape(inputShape: SymbolicShape, kernelShape: SymbolicShape, options: ConvTransposeOptions = {}): Dim[] {
  if (inputShape.length === 5) return resolveConvTranspose3d('convTranspose', inputShape, kernelShape, options).outputShape;
  return resolveConv('convTranspose', inputShape, kernelShape, options, 'transpose').outputShape;
}

/** The kernel's attributes for an (n, h, w, c) input: Keras's 'same' becomes explicit pads. */
function convAttrs(x: Tensor, kernel: Tensor, geo: ConvGeometry): Conv2DAttrs {
  const strides = asPair(geo.strides, 1);
  const dilations = asPair(geo.dilations, 1);
  const padAxis = (i: 0 | 1): [number, number] => (geo.padding === 'same' ? samePads(x.shape[i + 1], kernel.shape[i], strides[i], dilations[i]) : [0, 0]);
  return { strides, dilations, pads: [padAxis(0), padAxis(1)] };
}

function operands(where: string, inputs: TensorLike, kernel: TensorLike): [Tensor, Tensor] {
  return [castTo(toTensor(inputs, where), 'float32'), castTo(toTensor(kernel, where), 'float32')];
}

const liftKernel = (k: Tensor, geo: SpatialLayout): Tensor => (geo.spatialRank === 1 ? g.reshape(k, [1, ...k.shape]) : k);

const sliceLast = (t: Tensor, begin: number, size: number): Tensor =>
  run1(slicePrimitive, [t], { begin: t.shape.map((_, i) => (i === t.rank - 1 ? begin : 0)), size: t.shape.map((d, i) => (i === t.rank - 1 ? size : d)) });

/**
 * N-D convolution as `keras.ops.conv`: inputs (batch, spatial..., channels) (or channels first),
 * kernel (spatial..., inChannels, outChannels). When the input has a multiple G of the kernel's input
 * channels it is a grouped convolution (Keras Conv2D's `groups`): channels split into G groups,
 * each convolved with its share of the output channels, then concatenated. Strides and dilations
 * above 1 may be combined (as Keras's JAX backend allows; the Conv layers reject that).
 *
 * ```ts
 * ops.conv(x, kernel, { strides: 1, padding: 'valid', dataFormat: 'channels_last', dilationRate: 1 });
 * ```
 */
export function conv(inputs: TensorLike, kernel: TensorLike, options: ConvOptions = {}): Tensor {
  const [x, k] = operands('conv', inputs, kernel);
  checkConvRank('conv', x.shape);
  if (x.rank === 5) return conv3d(x, k, options);
  const geo = resolveConv('conv', x.shape, k.shape, options, 'conv');
  const xl = toNHWC(x, geo);
  const kl = liftKernel(k, geo);
  const attrs = convAttrs(xl, kl, geo);
  if (geo.groups === 1) return fromNHWC(conv2d(xl, kl, attrs), geo);
  const inPerGroup = kl.shape[2];
  const outPerGroup = kl.shape[3] / geo.groups;
  const parts = Array.from({ length: geo.groups }, (_, i) => conv2d(sliceLast(xl, i * inPerGroup, inPerGroup), sliceLast(kl, i * outPerGroup, outPerGroup), attrs));
  return fromNHWC(run1(concatPrimitive, parts, { axis: 3 }), geo);
}

/**
 * Depthwise convolution as `keras.ops.depthwise_conv`: kernel (spatial..., channels, multiplier);
 * output channel `c * multiplier + m` convolves input channel c with kernel[..., c, m]. Computed as
 * one patch extraction and one batched matmul over the channels, so its cost grows linearly with them.
 *
 * ```ts
 * ops.depthwiseConv(x, kernel, { strides: 1, padding: 'same' });   // x (n, h, w, 8), kernel (3, 3, 8, 2) -> (n, h, w, 16)
 * ```
 */
export function depthwiseConv(inputs: TensorLike, kernel: TensorLike, options: ConvOptions = {}): Tensor {
  const [x, k] = operands('depthwiseConv', inputs, kernel);
  const geo = resolveConv('depthwiseConv', x.shape, k.shape, options, 'depthwise');
  const xl = toNHWC(x, geo);
  const kl = liftKernel(k, geo);
  const [kh, kw, c, multiplier] = kl.shape;
  const patches = extractPatches(xl, kh, kw, convAttrs(xl, kl, geo));
  const [n, oh, ow] = patches.shape;
  const rows = g.reshape(g.transpose(patches, [3, 0, 1, 2, 4]), [c, n * oh * ow, kh * kw]);
  const weights = g.transpose(g.reshape(kl, [kh * kw, c, multiplier]), [1, 0, 2]);
  const y = run1(matmulPrimitive, [rows, weights], { transposeA: false, transposeB: false });
  const nhwc = g.reshape(g.transpose(g.reshape(y, [c, n, oh, ow, multiplier]), [1, 2, 3, 0, 4]), [n, oh, ow, c * multiplier]);
  return fromNHWC(nhwc, geo);
}

/**
 * Separable convolution as `keras.ops.separable_conv`: a depthwise convolution, then a pointwise
 * (1x1) convolution with kernel (1[, 1], channels * multiplier, outChannels).
 *
 * ```ts
 * ops.separableConv(x, depthwiseKernel, pointwiseKernel, { padding: 'same' });   // (3, 3, c, m) then (1, 1, c*m, filters)
 * ```
 */
export function separableConv(inputs: TensorLike, depthwiseKernel: TensorLike, pointwiseKernel: TensorLike, options: ConvOptions = {}): Tensor {
  const depthwise = depthwiseConv(inputs, depthwiseKernel, options);
  return conv(depthwise, pointwiseKernel, { strides: 1, padding: 'valid', dataFormat: options.dataFormat, dilationRate: options.dilationRate });
}

/**
 * Transposed convolution as `keras.ops.conv_transpose`: kernel (spatial..., outChannels, inChannels);
 * the output size follows Keras ('same': input * stride; 'valid': (input - 1) * stride + max(span, stride);
 * with outputPadding p: (input - 1) * stride + span + p, or span % 2 + p for 'same'). It is the input
 * gradient of the matching convolution.
 *
 * ```ts
 * ops.convTranspose(x, kernel, { strides: 2, padding: 'same' });   // x (n, 7, 7, 16), kernel (3, 3, 8, 16) -> (n, 14, 14, 8)
 * ```
 */
export function convTranspose(inputs: TensorLike, kernel: TensorLike, options: ConvTransposeOptions = {}): Tensor {
  const [x, k] = operands('convTranspose', inputs, kernel);
  if (x.rank === 5) return convTranspose3d(x, k, options);
  const geo = resolveConv('convTranspose', x.shape, k.shape, options, 'transpose');
  const xl = toNHWC(x, geo);
  const kl = liftKernel(k, geo);
  const outputPadding = options.outputPadding === null || options.outputPadding === undefined ? null : asPair(spatialTuple('convTranspose', 'outputPadding', options.outputPadding, geo.spatialRank, true), 0);
  const strides = asPair(geo.strides, 1);
  const dilations = asPair(geo.dilations, 1);
  const axes = ([0, 1] as const).map((i) => transposeAxis(xl.shape[i + 1], kl.shape[i], strides[i], dilations[i], geo.padding, outputPadding?.[i] ?? null));
  const lengths = axes.map((a) => a.length as number);
  // Output cells a negative pad leaves unread get no contribution: compute the rest, then zero-pad.
  const crops = axes.map(({ pads }) => [Math.max(-pads[0], 0), Math.max(-pads[1], 0)] as const);
  const attrs: Conv2DAttrs = {
    strides,
    dilations,
    pads: [
      [Math.max(axes[0].pads[0], 0), Math.max(axes[0].pads[1], 0)],
      [Math.max(axes[1].pads[0], 0), Math.max(axes[1].pads[1], 0)],
    ],
  };
  const inner = [xl.shape[0], lengths[0] - crops[0][0] - crops[0][1], lengths[1] - crops[1][0] - crops[1][1], kl.shape[2]];
  let y = conv2dBackpropInput(xl, kl, attrs, inner);
  if (crops.some(([a, b]) => a > 0 || b > 0)) y = run1(padPrimitive, [y], { paddings: [[0, 0], crops[0], crops[1], [0, 0]], constantValue: 0 });
  return fromNHWC(y, geo);
}

// --- 3-D: a composite of 2-D convolutions over depth slices ------------------------------------

/** conv and the pools take rank 3, 4 or 5 (1-, 2- or 3-D); the error names all three. */
export function checkConvRank(where: string, inputShape: SymbolicShape): void {
  const rank = inputShape.length;
  if (rank >= 3 && rank <= 5) return;
  throw new Error(
    `${where}: the input has shape ${formatShape(inputShape)} (rank ${rank}). Expected rank 3 (batch, width, channels) for a 1-D op, rank 4 (batch, height, width, channels) for a 2-D one ` +
      `or rank 5 (batch, depth, height, width, channels) for a 3-D one (channels on axis 1 under channels_first). ` +
      `Fix: add the missing batch or channel axis with ops.expandDims or ops.reshape, even for a single example.`,
  );
}

interface Conv3DGeometry {
  readonly format: ImageDataFormat;
  readonly strides: number[];
  readonly dilations: number[];
  readonly padding: Padding;
  readonly outputShape: Dim[];
}

/**
 * The geometry of a 3-D convolution, input (batch, depth, height, width, channels) (or channels
 * first) and kernel (kd, kh, kw, inChannels, outChannels): height, width and the channel checks are
 * those of the 2-D convolution of one depth slice; depth follows the same window rule.
 */
function resolveConv3d(where: string, inputShape: SymbolicShape, kernelShape: SymbolicShape, options: ConvOptions): Conv3DGeometry {
  const format = options.dataFormat ?? config.imageDataFormat();
  if (kernelShape.length !== 5 || kernelShape.some((d) => d !== null && d < 1)) {
    throw new Error(
      `${where}: the kernel has shape ${formatShape(kernelShape)} but a 3-D op on input ${formatShape(inputShape)} needs a rank-5 kernel ` +
        `(kernel_depth, kernel_height, kernel_width, in_channels, out_channels) with positive sizes. Fix: reshape the kernel to that layout.`,
    );
  }
  const strides = spatialTuple(where, 'strides', options.strides ?? 1, 3);
  const dilations = spatialTuple(where, 'dilationRate', options.dilationRate ?? 1, 3);
  const padding = paddingMode(where, options.padding);
  const channelsFirst = format === 'channels_first';
  const depth = inputShape[channelsFirst ? 2 : 1];
  const plane = channelsFirst ? [inputShape[0], inputShape[1], inputShape[3], inputShape[4]] : [inputShape[0], inputShape[2], inputShape[3], inputShape[4]];
  const out2d = resolveConv(where, plane, kernelShape.slice(1), { strides: strides.slice(1), padding, dataFormat: format, dilationRate: dilations.slice(1) }, 'conv').outputShape;
  const outDepth = windowedLength(where, padding, depth, kernelShape[0], strides[0], dilations[0], 1, inputShape);
  const outputShape = channelsFirst ? [out2d[0], out2d[1], outDepth, out2d[2], out2d[3]] : [out2d[0], outDepth, ...out2d.slice(1)];
  return { format, strides, dilations, padding, outputShape };
}

/** The depth slice d of a channels-last rank-5 tensor, as (n, h, w, c). */
function depthSlice(x: Tensor, d: number): Tensor {
  const [n, , h, w, c] = x.shape;
  return reshape(slice(x, [0, d, 0, 0, 0], [n, 1, h, w, c]), [n, h, w, c]);
}

/** For each output depth index, the input depth indices its window reads (with their kernel index), 'same' pads skipped. */
export function depthWindows(depth: number, window: number, stride: number, dilation: number, padding: Padding, outDepth: number): { input: number; tap: number }[][] {
  const before = padding === 'same' ? samePads(depth, window, stride, dilation)[0] : 0;
  return Array.from({ length: outDepth }, (_, o) =>
    Array.from({ length: window }, (_, tap) => ({ input: o * stride - before + tap * dilation, tap })).filter(({ input }) => input >= 0 && input < depth),
  );
}

function conv3d(x: Tensor, k: Tensor, options: ConvOptions): Tensor {
  const geo = resolveConv3d('conv', x.shape, k.shape, options);
  const channelsFirst = geo.format === 'channels_first';
  const xl = channelsFirst ? transpose(x, { axes: [0, 2, 3, 4, 1] }) : x;
  const depth = xl.shape[1];
  const outDepth = geo.outputShape[channelsFirst ? 2 : 1] as number;
  const planes = new Map<number, Tensor>();
  const plane = (d: number): Tensor => planes.get(d) ?? (planes.set(d, depthSlice(xl, d)).get(d) as Tensor);
  const taps = Array.from({ length: k.shape[0] }, (_, i) => reshape(slice(k, [i, 0, 0, 0, 0], [1, ...k.shape.slice(1)]), k.shape.slice(1)));
  const options2d: ConvOptions = { strides: geo.strides.slice(1), padding: geo.padding, dataFormat: 'channels_last', dilationRate: geo.dilations.slice(1) };
  // A window that falls wholly in the 'same' padding (possible with a dilated kernel) reads only zeros.
  const outputs = depthWindows(depth, k.shape[0], geo.strides[0], geo.dilations[0], geo.padding, outDepth).map((window) =>
    window.length === 0
      ? multiply(conv(plane(0), taps[0], options2d), 0)
      : window.map(({ input, tap }) => conv(plane(input), taps[tap], options2d)).reduce((acc, t) => add(acc, t)),
  );
  const y = stack(outputs, { axis: 1 });
  return channelsFirst ? transpose(y, { axes: [0, 4, 1, 2, 3] }) : y;
}

/** Keras's transposed-convolution geometry for rank 5: height and width as the 2-D op on one depth slice, depth by the same rule. */
function resolveConvTranspose3d(where: string, inputShape: SymbolicShape, kernelShape: SymbolicShape, options: ConvTransposeOptions): Conv3DGeometry & { readonly outputPadding: number[] | null; readonly depthPads: [number, number] } {
  const format = options.dataFormat ?? config.imageDataFormat();
  if (kernelShape.length !== 5 || kernelShape.some((d) => d !== null && d < 1)) {
    throw new Error(
      `${where}: the kernel has shape ${formatShape(kernelShape)} but a 3-D op on input ${formatShape(inputShape)} needs a rank-5 kernel ` +
        `(kernel_depth, kernel_height, kernel_width, out_channels, in_channels) with positive sizes. Fix: reshape the kernel to that layout.`,
    );
  }
  const strides = spatialTuple(where, 'strides', options.strides ?? 1, 3);
  const dilations = spatialTuple(where, 'dilationRate', options.dilationRate ?? 1, 3);
  const padding = paddingMode(where, options.padding);
  const outputPadding = options.outputPadding === null || options.outputPadding === undefined ? null : spatialTuple(where, 'outputPadding', options.outputPadding, 3, true);
  const channelsFirst = format === 'channels_first';
  const depth = inputShape[channelsFirst ? 2 : 1];
  const plane = channelsFirst ? [inputShape[0], inputShape[1], inputShape[3], inputShape[4]] : [inputShape[0], inputShape[2], inputShape[3], inputShape[4]];
  const out2d = resolveConv(where, plane, kernelShape.slice(1), {
    strides: strides.slice(1), padding, dataFormat: format, dilationRate: dilations.slice(1), outputPadding: outputPadding?.slice(1) ?? null,
  }, 'transpose').outputShape;
  if (outputPadding && outputPadding[0] >= strides[0]) {
    throw new Error(`${where}: outputPadding ${JSON.stringify(options.outputPadding)} must be smaller than strides ${JSON.stringify(strides)} on every axis. Fix: use outputPadding below the stride (or leave it null).`);
  }
  const axis = transposeAxis(depth, kernelShape[0], strides[0], dilations[0], padding, outputPadding?.[0] ?? null);
  if (axis.length !== null && axis.length < 1) {
    throw new Error(
      `${where}: the output of input ${formatShape(inputShape)} with kernel ${formatShape(kernelShape)} would be empty along depth (size ${axis.length}). ` +
        `Expected at least one output cell per axis. Fix: use a larger outputPadding, or padding 'valid'.`,
    );
  }
  const outputShape = channelsFirst ? [out2d[0], out2d[1], axis.length, out2d[2], out2d[3]] : [out2d[0], axis.length, ...out2d.slice(1)];
  return { format, strides, dilations, padding, outputShape, outputPadding, depthPads: axis.pads };
}

/** y[i * stride - pad + tap * dilation] += convTranspose2d(x[i], kernel[tap]) over depth, the other axes by the 2-D op. */
function convTranspose3d(x: Tensor, k: Tensor, options: ConvTransposeOptions): Tensor {
  const geo = resolveConvTranspose3d('convTranspose', x.shape, k.shape, options);
  const channelsFirst = geo.format === 'channels_first';
  const xl = channelsFirst ? transpose(x, { axes: [0, 2, 3, 4, 1] }) : x;
  const depth = xl.shape[1];
  const outDepth = geo.outputShape[channelsFirst ? 2 : 1] as number;
  const taps = Array.from({ length: k.shape[0] }, (_, i) => reshape(slice(k, [i, 0, 0, 0, 0], [1, ...k.shape.slice(1)]), k.shape.slice(1)));
  const options2d: ConvTransposeOptions = {
    strides: geo.strides.slice(1), padding: geo.padding, dataFormat: 'channels_last', dilationRate: geo.dilations.slice(1), outputPadding: geo.outputPadding?.slice(1) ?? null,
  };
  const contributions: { input: number; tap: number }[][] = Array.from({ length: outDepth }, () => []);
  for (let i = 0; i < depth; i++) {
    for (let tap = 0; tap < k.shape[0]; tap++) {
      const o = i * geo.strides[0] - geo.depthPads[0] + tap * geo.dilations[0];
      if (o >= 0 && o < outDepth) contributions[o].push({ input: i, tap });
    }
  }
  const plane = (d: number): Tensor => depthSlice(xl, d);
  // Output slices no input reaches (outputPadding, or a 'same' crop) are zero.
  const outputs = contributions.map((list) =>
    list.length === 0
      ? multiply(convTranspose(plane(0), taps[0], options2d), 0)
      : list.map(({ input, tap }) => convTranspose(plane(input), taps[tap], options2d)).reduce((acc, t) => add(acc, t)),
  );
  const y = stack(outputs, { axis: 1 });
  return channelsFirst ? transpose(y, { axes: [0, 4, 1, 2, 3] }) : y;
}
