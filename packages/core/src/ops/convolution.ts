/**
 * Convolution ops as keras.ops: conv, depthwiseConv, separableConv and convTranspose, 1-D (rank-3
 * inputs) and 2-D (rank-4), channels_last or channels_first. Every shape rule is a pure function
 * of (possibly symbolic) shapes, checked before any kernel runs; layers reuse the same functions.
 *
 * ```ts
 * ops.conv(x, kernel, { strides: 2, padding: 'same' });          // x (n, h, w, c), kernel (kh, kw, c, filters)
 * convOutputShape([null, 28, 28, 3], [3, 3, 3, 8]);               // [null, 26, 26, 8]
 * ```
 */
import type { Conv2DAttrs } from '../backend/backend.js';
import type { ImageDataFormat } from '../backend/config.js';
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
  let left: number;
  let right: number;
  if (padding === 'valid') {
    left = span - 1;
    right = span - 1 + (outputPadding ?? Math.max(span, stride) - span);
  } else {
    const total = outputPadding === null ? stride + span - 2 : span + (span % 2) - 2 + outputPadding;
    left = Math.min(Math.floor(total / 2) + (total % 2), span - 1);
    right = total - left;
  }
  // JAX pads the stride-dilated input by (left, right); seen as a forward conv over the output, those are pads (span-1-left, span-1-right).
  const pads: [number, number] = [span - 1 - left, span - 1 - right];
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
