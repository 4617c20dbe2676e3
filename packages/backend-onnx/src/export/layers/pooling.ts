/**
 * Pooling: MaxPooling1D/2D/3D and AveragePooling1D/2D/3D as ONNX MaxPool/AveragePool between
 * Transposes; the global poolings as a reduction over the spatial axes in Keras's layout.
 */
import type { LayerConverter } from '../converter.js';
import { paddingAttrs, perAxis, spatialLayout, toChannelsFirst, toChannelsLast } from './spatial.js';

function pooling(op: 'MaxPool' | 'AveragePool'): LayerConverter {
  return (ctx, call) => {
    const layout = spatialLayout(call);
    const window = perAxis(call.config.pool_size, layout.rank, 2);
    // Keras's strides default to the pool size.
    const strides = call.config.strides === null || call.config.strides === undefined ? window : perAxis(call.config.strides, layout.rank, 1);
    const ones = new Array<number>(layout.rank).fill(1);
    const x = toChannelsFirst(ctx, call.inputs[0].name, layout, call.base);
    // count_include_pad stays 0: Keras averages over the real cells of a 'same'-padded window.
    const y = ctx.op(op, [x], `${call.base}/pool`, { kernel_shape: window, strides, ...paddingAttrs(call.config.padding, layout, window, strides, ones) });
    return [toChannelsLast(ctx, y, layout, call.base)];
  };
}

function globalPooling(op: 'ReduceMax' | 'ReduceMean'): LayerConverter {
  return (ctx, call) => {
    const rank = call.inputs[0].shape.length;
    const first = call.config.data_format === 'channels_first' ? 2 : 1;
    const axes = Array.from({ length: rank - 2 }, (_, i) => i + first);
    // Since opset 18 the reduction axes are an input, not an attribute.
    return [ctx.op(op, [call.inputs[0].name, ctx.intConstant(`${call.base}/axes`, axes)], `${call.base}/reduce`, { keepdims: call.config.keepdims === true ? 1 : 0 })];
  };
}

export const poolingConverters: Record<string, LayerConverter> = {
  MaxPooling1D: pooling('MaxPool'),
  MaxPooling2D: pooling('MaxPool'),
  MaxPooling3D: pooling('MaxPool'),
  AveragePooling1D: pooling('AveragePool'),
  AveragePooling2D: pooling('AveragePool'),
  AveragePooling3D: pooling('AveragePool'),
  GlobalMaxPooling1D: globalPooling('ReduceMax'),
  GlobalMaxPooling2D: globalPooling('ReduceMax'),
  GlobalMaxPooling3D: globalPooling('ReduceMax'),
  GlobalAveragePooling1D: globalPooling('ReduceMean'),
  GlobalAveragePooling2D: globalPooling('ReduceMean'),
  GlobalAveragePooling3D: globalPooling('ReduceMean'),
};
