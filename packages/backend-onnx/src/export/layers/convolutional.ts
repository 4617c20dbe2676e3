/**
 * Convolutions: Conv1D/2D/3D (groups, dilation, 'causal'), DepthwiseConv1D/2D,
 * SeparableConv1D/2D and Conv1D/2D/3DTranspose, as ONNX Conv/ConvTranspose between Transposes.
 * Keras kernels are (window..., in, out) ((window..., out, in) when transposed); ONNX wants the
 * channels first ((out, in, window...), (in, out, window...)), so the weights are transposed here, once.
 */
import { convTransposePads } from '@keras-ts/core';
import type { ExportContext } from '../context.js';
import { readWeight, transposeValues, type WeightValues } from '../context.js';
import type { LayerCall, LayerConverter } from '../converter.js';
import { applyActivation } from './activations.js';
import { paddingAttrs, perAxis, spatialLayout, toChannelsFirst, toChannelsLast, type SpatialLayout } from './spatial.js';

/** (window..., in, out) → (out, in, window...). */
function convKernel(kernel: WeightValues): WeightValues {
  const rank = kernel.shape.length - 2;
  const perm = [rank + 1, rank, ...Array.from({ length: rank }, (_, i) => i)];
  return { values: transposeValues(kernel.values, kernel.shape, perm), shape: perm.map((p) => kernel.shape[p]) };
}

/** Depthwise (window..., in, multiplier) → (in * multiplier, 1, window...): one group per input channel. */
function depthwiseKernel(kernel: WeightValues): WeightValues {
  const rank = kernel.shape.length - 2;
  const perm = [rank, rank + 1, ...Array.from({ length: rank }, (_, i) => i)];
  const [channels, multiplier] = [kernel.shape[rank], kernel.shape[rank + 1]];
  return { values: transposeValues(kernel.values, kernel.shape, perm), shape: [channels * multiplier, 1, ...kernel.shape.slice(0, rank)] };
}

interface ConvStep {
  readonly kernel: WeightValues;
  readonly group: number;
  readonly window: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly padding: unknown;
  readonly bias?: WeightValues;
}

function conv(ctx: ExportContext, x: string, layout: SpatialLayout, step: ConvStep, base: string): string {
  const inputs = [x, ctx.floatConstant(`${base}/kernel`, step.kernel.values, step.kernel.shape)];
  if (step.bias) inputs.push(ctx.floatConstant(`${base}/bias`, step.bias.values, step.bias.shape));
  return ctx.op('Conv', inputs, `${base}/conv`, {
    kernel_shape: step.window,
    strides: step.strides,
    dilations: step.dilations,
    group: step.group,
    ...paddingAttrs(step.padding, layout, step.window, step.strides, step.dilations),
  });
}

function windowOf(call: LayerCall, layout: SpatialLayout): { window: number[]; strides: number[]; dilations: number[] } {
  return {
    window: perAxis(call.config.kernel_size, layout.rank, 1),
    strides: perAxis(call.config.strides, layout.rank, 1),
    dilations: perAxis(call.config.dilation_rate, layout.rank, 1),
  };
}

const convolution: LayerConverter = (ctx, call) => {
  const layout = spatialLayout(call);
  const x = toChannelsFirst(ctx, call.inputs[0].name, layout, call.base);
  const y = conv(ctx, x, layout, {
    ...windowOf(call, layout),
    kernel: convKernel(readWeight(call.layer, 'kernel')),
    group: Number(call.config.groups ?? 1),
    padding: call.config.padding,
    bias: call.config.use_bias === false ? undefined : readWeight(call.layer, 'bias'),
  }, call.base);
  // Elementwise activations give the same values in either layout; apply them before going back.
  const activated = applyActivation(ctx, call.config.activation, y, call.base, `layer '${call.layer.name}' (${call.layer.constructor.name})`);
  return [toChannelsLast(ctx, activated, layout, call.base)];
};

const depthwise: LayerConverter = (ctx, call) => {
  const layout = spatialLayout(call);
  const kernel = readWeight(call.layer, 'kernel');
  const x = toChannelsFirst(ctx, call.inputs[0].name, layout, call.base);
  const y = conv(ctx, x, layout, {
    ...windowOf(call, layout),
    kernel: depthwiseKernel(kernel),
    group: kernel.shape[layout.rank],
    padding: call.config.padding,
    bias: call.config.use_bias === false ? undefined : readWeight(call.layer, 'bias'),
  }, call.base);
  const activated = applyActivation(ctx, call.config.activation, y, call.base, `layer '${call.layer.name}' (${call.layer.constructor.name})`);
  return [toChannelsLast(ctx, activated, layout, call.base)];
};

const separable: LayerConverter = (ctx, call) => {
  const layout = spatialLayout(call);
  const depthwiseWeights = readWeight(call.layer, 'depthwise_kernel');
  const x = toChannelsFirst(ctx, call.inputs[0].name, layout, call.base);
  const spread = conv(ctx, x, layout, {
    ...windowOf(call, layout),
    kernel: depthwiseKernel(depthwiseWeights),
    group: depthwiseWeights.shape[layout.rank],
    padding: call.config.padding,
  }, `${call.base}/depthwise`);
  const ones = new Array<number>(layout.rank).fill(1);
  const y = conv(ctx, spread, layout, {
    window: ones,
    strides: ones,
    dilations: ones,
    kernel: convKernel(readWeight(call.layer, 'pointwise_kernel')),
    group: 1,
    padding: 'valid',
    bias: call.config.use_bias === false ? undefined : readWeight(call.layer, 'bias'),
  }, `${call.base}/pointwise`);
  const activated = applyActivation(ctx, call.config.activation, y, call.base, `layer '${call.layer.name}' (${call.layer.constructor.name})`);
  return [toChannelsLast(ctx, activated, layout, call.base)];
};


const convolutionTranspose: LayerConverter = (ctx, call) => {
  const layout = spatialLayout(call);
  const { window, strides, dilations } = windowOf(call, layout);
  const outputPadding = call.config.output_padding === null || call.config.output_padding === undefined ? null : perAxis(call.config.output_padding, layout.rank, 0);
  const crops = window.map((k, i) => convTransposePads((k - 1) * dilations[i] + 1, strides[i], String(call.config.padding), outputPadding?.[i] ?? null));
  const kernel = convKernel(readWeight(call.layer, 'kernel'));
  const x = toChannelsFirst(ctx, call.inputs[0].name, layout, call.base);
  let y = ctx.op('ConvTranspose', [x, ctx.floatConstant(`${call.base}/kernel`, kernel.values, kernel.shape)], `${call.base}/conv_transpose`, {
    kernel_shape: window,
    strides,
    dilations,
    pads: [...crops.map(([begin]) => Math.max(begin, 0)), ...crops.map(([, end]) => Math.max(end, 0))],
  });
  if (crops.some(([begin, end]) => begin < 0 || end < 0)) {
    // ONNX pads cannot be negative: the rows no input reaches are added as zeros afterwards.
    const pads = [0, 0, ...crops.map(([begin]) => Math.max(-begin, 0)), 0, 0, ...crops.map(([, end]) => Math.max(-end, 0))];
    y = ctx.op('Pad', [y, ctx.intConstant(`${call.base}/pads`, pads)], `${call.base}/pad`);
  }
  if (call.config.use_bias !== false) {
    const bias = readWeight(call.layer, 'bias');
    y = ctx.op('Add', [y, ctx.floatConstant(`${call.base}/bias`, bias.values, [bias.shape[0], ...new Array<number>(layout.rank).fill(1)])], `${call.base}/bias_add`);
  }
  const activated = applyActivation(ctx, call.config.activation, y, call.base, `layer '${call.layer.name}' (${call.layer.constructor.name})`);
  return [toChannelsLast(ctx, activated, layout, call.base)];
};

export const convolutionalConverters: Record<string, LayerConverter> = {
  Conv1D: convolution,
  Conv2D: convolution,
  Conv3D: convolution,
  DepthwiseConv1D: depthwise,
  DepthwiseConv2D: depthwise,
  SeparableConv1D: separable,
  SeparableConv2D: separable,
  Conv1DTranspose: convolutionTranspose,
  Conv2DTranspose: convolutionTranspose,
  Conv3DTranspose: convolutionTranspose,
};
