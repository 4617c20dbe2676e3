/**
 * Preprocessing layers with fixed arithmetic at inference: Rescaling (x * scale + offset),
 * Normalization ((x - mean) / max(sqrt(variance), epsilon), or its inverse), CenterCrop (the
 * plain crop) and CategoryEncoding (one-hot, multi-hot, counts).
 */
import { config as kerasConfig } from '@keras-ts/core';
import { hasWeight, positiveAxis, readWeight } from '../context.js';
import { unsupportedSetting, type LayerConverter } from '../converter.js';

const rescaling: LayerConverter = (ctx, call) => {
  const asValues = (v: unknown, fallback: number): { values: Float32Array; dims: number[] } =>
    Array.isArray(v) ? { values: Float32Array.from(v.flat(8) as number[]), dims: [(v.flat(8) as number[]).length] } : { values: Float32Array.of(Number(v ?? fallback)), dims: [] };
  const scale = asValues(call.config.scale, 1);
  const offset = asValues(call.config.offset, 0);
  const x = ctx.op('Cast', [call.inputs[0].name], `${call.base}/float`, { to: 1 });
  const scaled = ctx.op('Mul', [x, ctx.floatConstant(`${call.base}/scale`, scale.values, scale.dims)], `${call.base}/scaled`);
  return [ctx.op('Add', [scaled, ctx.floatConstant(`${call.base}/offset`, offset.values, offset.dims)], `${call.base}/offset_added`)];
};

/** A mean or variance given to the constructor (scalar or nested list), flattened. */
function flatValues(value: unknown): Float32Array {
  return Array.isArray(value) ? Float32Array.from(value.flat(8) as number[]) : Float32Array.of(Number(value));
}

const normalization: LayerConverter = (ctx, call) => {
  const shape = call.inputs[0].shape;
  const rank = shape.length;
  const axis = call.config.axis;
  const kept = axis === null ? [] : (Array.isArray(axis) ? axis : [axis ?? -1]).map((a) => positiveAxis(Number(a), rank));
  let mean: Float32Array;
  let variance: Float32Array;
  if (call.config.mean !== null && call.config.mean !== undefined) {
    mean = flatValues(call.config.mean);
    variance = flatValues(call.config.variance);
  } else {
    if ((call.layer as unknown as { adapted?: boolean }).adapted === false || !hasWeight(call.layer, 'mean')) {
      throw unsupportedSetting(call, 'no mean and variance yet (never adapted)', 'call layer.adapt(data) before exporting.');
    }
    mean = readWeight(call.layer, 'mean').values;
    variance = readWeight(call.layer, 'variance').values;
  }
  // One value per index of the kept axes, placed on those axes of the input (1 elsewhere).
  const dims = (values: Float32Array): number[] => (values.length === 1 ? [] : shape.map((d, i) => (kept.includes(i) ? (d as number) : 1)));
  const std = Float32Array.from(variance, (v) => Math.max(Math.sqrt(v), kerasConfig.epsilon()));
  const x = ctx.op('Cast', [call.inputs[0].name], `${call.base}/float`, { to: 1 });
  const meanName = ctx.floatConstant(`${call.base}/mean`, mean, dims(mean));
  const stdName = ctx.floatConstant(`${call.base}/std`, std, dims(std));
  if (call.config.invert === true) return [ctx.op('Add', [ctx.op('Mul', [x, stdName], `${call.base}/scaled`), meanName], `${call.base}/denormalized`)];
  return [ctx.op('Div', [ctx.op('Sub', [x, meanName], `${call.base}/centered`), stdName], `${call.base}/normalized`)];
};

const centerCrop: LayerConverter = (ctx, call) => {
  const shape = call.inputs[0].shape;
  const [rows, columns] = call.config.data_format === 'channels_first' ? [shape.length - 2, shape.length - 1] : [shape.length - 3, shape.length - 2];
  const [height, width] = [Number(call.config.height), Number(call.config.width)];
  const [inputHeight, inputWidth] = [shape[rows], shape[columns]];
  if (inputHeight === null || inputWidth === null || inputHeight < height || inputWidth < width) {
    // Smaller (or unknown) images are resized by Keras, bilinearly; only the plain crop is exported.
    throw unsupportedSetting(call, `a crop of (${height}, ${width}) from images of (${inputHeight ?? 'None'}, ${inputWidth ?? 'None'})`, 'give the Input a fixed image size at least as large as the crop.');
  }
  const top = Math.floor((inputHeight - height) / 2);
  const left = Math.floor((inputWidth - width) / 2);
  const slice = [call.inputs[0].name, ctx.intConstant(`${call.base}/starts`, [top, left]), ctx.intConstant(`${call.base}/ends`, [top + height, left + width]), ctx.intConstant(`${call.base}/axes`, [rows, columns])];
  return [ctx.op('Cast', [ctx.op('Slice', slice, `${call.base}/crop`)], `${call.base}/float`, { to: 1 })];
};

const categoryEncoding: LayerConverter = (ctx, call) => {
  const shape = call.inputs[0].shape;
  const mode = String(call.config.output_mode ?? 'multi_hot');
  if (call.config.sparse === true) throw unsupportedSetting(call, 'sparse=true', 'use sparse: false.');
  let indices = ctx.op('Cast', [call.inputs[0].name], `${call.base}/indices`, { to: 7 });
  // A rank-1 input is one index per example, in every mode.
  if (shape.length === 1 && mode !== 'one_hot') indices = ctx.op('Unsqueeze', [indices, ctx.intConstant(`${call.base}/axis1`, [1])], `${call.base}/one_index_each`);
  const depth = ctx.intConstant(`${call.base}/depth`, [Number(call.config.num_tokens)], []);
  const offOn = ctx.floatConstant(`${call.base}/off_on`, Float32Array.of(0, 1), [2]);
  const encoded = ctx.op('OneHot', [indices, depth, offOn], `${call.base}/one_hot`, { axis: -1 });
  const minusTwo = ctx.intConstant(`${call.base}/axis_minus2`, [-2]);
  switch (mode) {
    case 'one_hot':
      // An index axis of size 1 is replaced by the encoding rather than kept.
      return [shape.length > 1 && shape[shape.length - 1] === 1 ? ctx.op('Squeeze', [encoded, minusTwo], `${call.base}/encoded`) : encoded];
    case 'multi_hot':
      return [ctx.op('ReduceMax', [encoded, minusTwo], `${call.base}/multi_hot`, { keepdims: 0 })];
    case 'count':
      return [ctx.op('ReduceSum', [encoded, minusTwo], `${call.base}/count`, { keepdims: 0 })];
    default:
      throw unsupportedSetting(call, `output_mode='${mode}'`, "use 'one_hot', 'multi_hot' or 'count'.");
  }
};

export const preprocessingConverters: Record<string, LayerConverter> = {
  Rescaling: rescaling,
  Normalization: normalization,
  CenterCrop: centerCrop,
  CategoryEncoding: categoryEncoding,
};
