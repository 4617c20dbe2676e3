/**
 * Spatial reshaping layers: ZeroPadding1D/2D/3D (Pad), Cropping1D/2D/3D (Slice) and
 * UpSampling1D/2D/3D (Resize, nearest: each cell repeated; UpSampling2D's bilinear, bicubic and
 * Lanczos modes as Resizing's per-axis weights, resize.ts).
 */
import type { ResizeInterpolation } from '@keras-ts/core';
import type { ExportContext } from '../context.js';
import type { LayerCall, LayerConverter } from '../converter.js';
import { knownSizes, resizeAxisNodes } from './resize.js';

/** The (before, after) amounts per spatial axis of a padding or cropping config. */
function pairs(value: unknown, rank: number): [number, number][] {
  if (rank === 1) {
    const list = Array.isArray(value) ? value.map(Number) : [Number(value), Number(value)];
    return [[list[0], list[1] ?? list[0]]];
  }
  return (value as unknown[]).map((p) => (Array.isArray(p) ? [Number(p[0]), Number(p[1])] : [Number(p), Number(p)]));
}

/** The axes of the spatial dimensions in Keras's layout (1..rank, or 2..rank+1 under channels_first). */
function spatialAxes(call: LayerCall): number[] {
  const rank = call.inputs[0].shape.length - 2;
  const first = call.config.data_format === 'channels_first' ? 2 : 1;
  return Array.from({ length: rank }, (_, i) => i + first);
}

const zeroPadding: LayerConverter = (ctx, call) => {
  const axes = spatialAxes(call);
  const amounts = pairs(call.config.padding, axes.length);
  const total = call.inputs[0].shape.length;
  const begin = new Array<number>(total).fill(0);
  const end = new Array<number>(total).fill(0);
  axes.forEach((axis, i) => {
    [begin[axis], end[axis]] = amounts[i];
  });
  return [ctx.op('Pad', [call.inputs[0].name, ctx.intConstant(`${call.base}/pads`, [...begin, ...end])], `${call.base}/pad`)];
};

/** INT64_MAX would do as "to the end"; any number past every size is the same to Slice. */
const TO_THE_END = Number.MAX_SAFE_INTEGER;

const cropping: LayerConverter = (ctx, call) => {
  const axes = spatialAxes(call);
  const amounts = pairs(call.config.cropping, axes.length);
  const starts = amounts.map(([begin]) => begin);
  const ends = amounts.map(([, end]) => (end === 0 ? TO_THE_END : -end));
  return [
    ctx.op('Slice', [call.inputs[0].name, ctx.intConstant(`${call.base}/starts`, starts), ctx.intConstant(`${call.base}/ends`, ends), ctx.intConstant(`${call.base}/axes`, axes)], `${call.base}/crop`),
  ];
};

function upSample(ctx: ExportContext, call: LayerCall, axes: readonly number[], sizes: readonly number[]): string {
  const scales = new Float32Array(call.inputs[0].shape.length).fill(1);
  axes.forEach((axis, i) => {
    scales[axis] = sizes[i];
  });
  // Output cell i reads input cell floor(i / size): the repetition Keras's nearest up-sampling does.
  return ctx.op('Resize', [call.inputs[0].name, '', ctx.floatConstant(`${call.base}/scales`, scales, [scales.length])], `${call.base}/resize`, {
    mode: 'nearest',
    coordinate_transformation_mode: 'asymmetric',
    nearest_mode: 'floor',
  });
}

const upSampling: LayerConverter = (ctx, call) => {
  const axes = spatialAxes(call);
  const size = call.config.size;
  const sizes = Array.isArray(size) ? size.map(Number) : new Array<number>(axes.length).fill(Number(size ?? 2));
  const interpolation = call.config.interpolation ?? 'nearest';
  // 'area' with a whole factor repeats each pixel too (each output pixel lies inside one input pixel).
  if (interpolation === 'nearest' || interpolation === 'area') return [upSample(ctx, call, axes, sizes)];
  // UpSampling2D's interpolating modes resize each axis as Resizing does (resize.ts).
  const inputSizes = knownSizes(call, axes);
  const rank = call.inputs[0].shape.length;
  let x = call.inputs[0].name;
  axes.forEach((axis, i) => {
    x = resizeAxisNodes(ctx, `${call.base}/axis${axis}`, x, rank, axis, inputSizes[i], inputSizes[i] * sizes[i], interpolation as ResizeInterpolation);
  });
  return [x];
};

export const reshapingConverters: Record<string, LayerConverter> = {
  ZeroPadding1D: zeroPadding,
  ZeroPadding2D: zeroPadding,
  ZeroPadding3D: zeroPadding,
  Cropping1D: cropping,
  Cropping2D: cropping,
  Cropping3D: cropping,
  UpSampling1D: upSampling,
  UpSampling2D: upSampling,
  UpSampling3D: upSampling,
};
