/**
 * BatchNormalization at inference (moving statistics folded into one scale and one shift per
 * channel), LayerNormalization (ONNX LayerNormalization over the trailing axes),
 * UnitNormalization and GroupNormalization (written out from reductions).
 */
import { hasWeight, positiveAxis, readWeight } from '../context.js';
import { unsupportedSetting, type LayerConverter } from '../converter.js';

const batchNormalization: LayerConverter = (ctx, call) => {
  const rank = call.inputs[0].shape.length;
  const axis = positiveAxis(Number(call.config.axis ?? -1), rank);
  const epsilon = Number(call.config.epsilon ?? 1e-3);
  const mean = readWeight(call.layer, 'moving_mean').values;
  const variance = readWeight(call.layer, 'moving_variance').values;
  const gamma = hasWeight(call.layer, 'gamma') ? readWeight(call.layer, 'gamma').values : undefined;
  const beta = hasWeight(call.layer, 'beta') ? readWeight(call.layer, 'beta').values : undefined;
  const channels = mean.length;
  // y = (x - mean) / sqrt(variance + epsilon) * gamma + beta = x * scale + shift, computed in float64.
  const scale = new Float32Array(channels);
  const shift = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const s = (gamma ? gamma[c] : 1) / Math.sqrt(variance[c] + epsilon);
    scale[c] = s;
    shift[c] = (beta ? beta[c] : 0) - mean[c] * s;
  }
  // The per-channel vectors broadcast from the right: trailing 1s put them on the kept axis.
  const dims = [channels, ...new Array<number>(rank - 1 - axis).fill(1)];
  const scaled = ctx.op('Mul', [call.inputs[0].name, ctx.floatConstant(`${call.base}/scale`, scale, dims)], `${call.base}/scaled`);
  return [ctx.op('Add', [scaled, ctx.floatConstant(`${call.base}/shift`, shift, dims)], `${call.base}/shifted`)];
};

const layerNormalization: LayerConverter = (ctx, call) => {
  const rank = call.inputs[0].shape.length;
  const axes = (Array.isArray(call.config.axis) ? call.config.axis : [call.config.axis ?? -1]).map((a) => positiveAxis(Number(a), rank)).sort((a, b) => a - b);
  const first = axes[0];
  if (axes.some((a, i) => a !== first + i) || axes[axes.length - 1] !== rank - 1) {
    throw unsupportedSetting(call, `axis=${JSON.stringify(call.config.axis)} (not the trailing axes)`, 'normalize over the last axes (e.g. axis: -1).');
  }
  const normalizedShape = call.inputs[0].shape.slice(first).map((d) => d as number);
  const size = normalizedShape.reduce((a, b) => a * b, 1);
  const gamma = hasWeight(call.layer, 'gamma') ? readWeight(call.layer, 'gamma') : { values: new Float32Array(size).fill(1), shape: normalizedShape };
  if (call.config.rms_scaling === true) {
    // x * gamma / sqrt(variance + epsilon), with Keras's variance (not the mean of squares) and no beta.
    const x = call.inputs[0].name;
    const reduce = ctx.intConstant(`${call.base}/axes`, axes);
    const centered = ctx.op('Sub', [x, ctx.op('ReduceMean', [x, reduce], `${call.base}/mean`, { keepdims: 1 })], `${call.base}/centered`);
    const variance = ctx.op('ReduceMean', [ctx.op('Mul', [centered, centered], `${call.base}/squared`), reduce], `${call.base}/variance`, { keepdims: 1 });
    const epsilon = ctx.floatConstant(`${call.base}/epsilon`, Float32Array.of(Number(call.config.epsilon ?? 1e-3)), []);
    const inverse = ctx.op('Reciprocal', [ctx.op('Sqrt', [ctx.op('Add', [variance, epsilon], `${call.base}/variance_plus_epsilon`)], `${call.base}/std`)], `${call.base}/inverse_std`);
    const scaled = ctx.op('Mul', [x, inverse], `${call.base}/normalized`);
    return [ctx.op('Mul', [scaled, ctx.floatConstant(`${call.base}/gamma`, gamma.values, gamma.shape)], `${call.base}/scaled`)];
  }
  const inputs = [call.inputs[0].name, ctx.floatConstant(`${call.base}/gamma`, gamma.values, gamma.shape)];
  if (hasWeight(call.layer, 'beta')) {
    const beta = readWeight(call.layer, 'beta');
    inputs.push(ctx.floatConstant(`${call.base}/beta`, beta.values, beta.shape));
  }
  return [ctx.op('LayerNormalization', inputs, `${call.base}/layer_norm`, { axis: first, epsilon: { kind: 'float', value: Number(call.config.epsilon ?? 1e-3) } })];
};

const unitNormalization: LayerConverter = (ctx, call) => {
  const rank = call.inputs[0].shape.length;
  const axes = (Array.isArray(call.config.axis) ? call.config.axis : [call.config.axis ?? -1]).map((a) => positiveAxis(Number(a), rank));
  const x = call.inputs[0].name;
  const squareSum = ctx.op('ReduceSumSquare', [x, ctx.intConstant(`${call.base}/axes`, axes)], `${call.base}/square_sum`, { keepdims: 1 });
  // The floor keeps an all-zero vector at zero instead of dividing by zero.
  const floored = ctx.op('Max', [squareSum, ctx.floatConstant(`${call.base}/floor`, Float32Array.of(1e-12), [])], `${call.base}/floored`);
  return [ctx.op('Mul', [x, ctx.op('Reciprocal', [ctx.op('Sqrt', [floored], `${call.base}/norm`)], `${call.base}/inverse_norm`)], `${call.base}/normalized`)];
};

const groupNormalization: LayerConverter = (ctx, call) => {
  const rank = call.inputs[0].shape.length;
  const axis = positiveAxis(Number(call.config.axis ?? -1), rank);
  const channels = call.inputs[0].shape[axis] as number;
  const groups = Number(call.config.groups);
  const epsilon = Number(call.config.epsilon ?? 1e-3);
  const x = call.inputs[0].name;
  // (..., channels, ...) → (..., groups, channels / groups, ...); 0 keeps a size as it is, known or not.
  const groupedShape = [...new Array<number>(axis).fill(0), groups, channels / groups, ...new Array<number>(rank - 1 - axis).fill(0)];
  const grouped = ctx.op('Reshape', [x, ctx.intConstant(`${call.base}/grouped_shape`, groupedShape)], `${call.base}/grouped`);
  const reduce = ctx.intConstant(`${call.base}/axes`, Array.from({ length: rank + 1 }, (_, i) => i).filter((i) => i !== 0 && i !== axis));
  const mean = ctx.op('ReduceMean', [grouped, reduce], `${call.base}/mean`, { keepdims: 1 });
  const centered = ctx.op('Sub', [grouped, mean], `${call.base}/centered`);
  const variance = ctx.op('ReduceMean', [ctx.op('Mul', [centered, centered], `${call.base}/squared`), reduce], `${call.base}/variance`, { keepdims: 1 });
  const std = ctx.op('Sqrt', [ctx.op('Add', [variance, ctx.floatConstant(`${call.base}/epsilon`, Float32Array.of(epsilon), [])], `${call.base}/variance_plus_epsilon`)], `${call.base}/std`);
  let y = ctx.op('Reshape', [ctx.op('Div', [centered, std], `${call.base}/normalized_groups`), ctx.op('Shape', [x], `${call.base}/shape`)], `${call.base}/normalized`);
  const dims = [channels, ...new Array<number>(rank - 1 - axis).fill(1)];
  if (hasWeight(call.layer, 'gamma')) y = ctx.op('Mul', [y, ctx.floatConstant(`${call.base}/gamma`, readWeight(call.layer, 'gamma').values, dims)], `${call.base}/scaled`);
  if (hasWeight(call.layer, 'beta')) y = ctx.op('Add', [y, ctx.floatConstant(`${call.base}/beta`, readWeight(call.layer, 'beta').values, dims)], `${call.base}/shifted`);
  return [y];
};

export const normalizationConverters: Record<string, LayerConverter> = {
  BatchNormalization: batchNormalization,
  LayerNormalization: layerNormalization,
  UnitNormalization: unitNormalization,
  GroupNormalization: groupNormalization,
};
