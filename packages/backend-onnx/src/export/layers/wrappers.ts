/**
 * Wrappers: TimeDistributed (the inner layer on every step: the time axis is folded into the batch
 * and unfolded after) and Bidirectional (a forward and a backward recurrent layer, merged).
 */
import type { Dim, layers } from '@keras-ts/core';
import type { ExportContext } from '../context.js';
import { unsupportedSetting, type LayerCall, type LayerConverter } from '../converter.js';
import { rnnConverters } from './rnn.js';

type Layer = layers.Layer;

/** The layer a wrapper holds (TimeDistributed's `layer`), if it has one. */
export function wrappedLayer(layer: Layer): Layer | undefined {
  const inner = (layer as unknown as { layer?: unknown }).layer;
  return inner !== null && typeof inner === 'object' && 'getConfig' in inner ? (inner as Layer) : undefined;
}

const TO_THE_END = Number.MAX_SAFE_INTEGER;

/** TimeDistributed needs the converter of the layer it wraps; the registry hands it over (it cannot import the registry back). */
export function timeDistributed(lookup: (className: string) => LayerConverter | undefined): LayerConverter {
  return (ctx: ExportContext, call: LayerCall) => {
    const inner = wrappedLayer(call.layer) as Layer;
    const convert = lookup(inner.constructor.name);
    if (!convert) throw unsupportedSetting(call, `the wrapped layer '${inner.name}' (${inner.constructor.name})`, 'wrap a layer the export converts.');
    const x = call.inputs[0];
    // Shapes are read at run time, so an unknown number of steps is fine.
    const shape = ctx.op('Shape', [x.name], `${call.base}/shape`);
    const batchAndSteps = ctx.op('Slice', [shape, ctx.intConstant(`${call.base}/zero`, [0]), ctx.intConstant(`${call.base}/two`, [2])], `${call.base}/batch_and_steps`);
    const perStep = ctx.op('Slice', [shape, ctx.intConstant(`${call.base}/from_two`, [2]), ctx.intConstant(`${call.base}/to_end`, [TO_THE_END])], `${call.base}/per_step`);
    const folded = ctx.op('Reshape', [x.name, ctx.op('Concat', [ctx.intConstant(`${call.base}/all`, [-1]), perStep], `${call.base}/folded_shape`, { axis: 0 })], `${call.base}/folded`);
    const stepShape: Dim[] = [null, ...x.shape.slice(2)];
    const outShape = call.outputShapes[0];
    const [y] = convert(ctx, { layer: inner, config: inner.getConfig(), inputs: [{ name: folded, shape: stepShape }], states: [], outputShapes: [[null, ...outShape.slice(2)]], callArguments: {}, base: `${call.base}/${inner.name}` });
    const outPerStep = ctx.op('Slice', [ctx.op('Shape', [y], `${call.base}/step_output_shape`), ctx.intConstant(`${call.base}/from_one`, [1]), ctx.intConstant(`${call.base}/to_end_out`, [TO_THE_END])], `${call.base}/out_per_step`);
    return [ctx.op('Reshape', [y, ctx.op('Concat', [batchAndSteps, outPerStep], `${call.base}/unfolded_shape`, { axis: 0 })], `${call.base}/unfolded`)];
  };
}

const bidirectional: LayerConverter = (ctx, call) => {
  const wrapper = call.layer as unknown as { forwardLayer: Layer; backwardLayer: Layer };
  const config = call.config;
  const half = call.states.length / 2;
  const run = (layer: Layer, states: LayerCall['states']): string[] => {
    const convert = rnnConverters[layer.constructor.name];
    if (!convert) throw unsupportedSetting(call, `the wrapped layer '${layer.name}' (${layer.constructor.name})`, 'wrap an LSTM, GRU or SimpleRNN.');
    return convert(ctx, { layer, config: layer.getConfig(), inputs: call.inputs, states, outputShapes: [], callArguments: {}, base: `${call.base}/${layer.name}` });
  };
  const [forward, ...forwardStates] = run(wrapper.forwardLayer, call.states.slice(0, half));
  const [backwardOutput, ...backwardStates] = run(wrapper.backwardLayer, call.states.slice(half));
  let backward = backwardOutput;
  const returnSequences = wrapper.forwardLayer.getConfig().return_sequences === true;
  if (returnSequences) {
    // The backward sequence comes in processing order; Keras flips it back to time order before merging.
    backward = ctx.op(
      'Slice',
      [backward, ctx.intConstant(`${call.base}/start`, [-1]), ctx.intConstant(`${call.base}/end`, [Number.MIN_SAFE_INTEGER]), ctx.intConstant(`${call.base}/axis`, [1]), ctx.intConstant(`${call.base}/step`, [-1])],
      `${call.base}/backward_in_time_order`,
    );
  }
  let merged: string[];
  switch (config.merge_mode) {
    case 'concat':
      merged = [ctx.op('Concat', [forward, backward], `${call.base}/concat`, { axis: -1 })];
      break;
    case 'sum':
      merged = [ctx.op('Add', [forward, backward], `${call.base}/sum`)];
      break;
    case 'mul':
      merged = [ctx.op('Mul', [forward, backward], `${call.base}/mul`)];
      break;
    case 'ave':
      merged = [ctx.op('Mul', [ctx.op('Add', [forward, backward], `${call.base}/sum`), ctx.floatConstant(`${call.base}/half`, Float32Array.of(0.5), [])], `${call.base}/ave`)];
      break;
    default:
      merged = [forward, backward];
  }
  return wrapper.forwardLayer.getConfig().return_state === true ? [...merged, ...forwardStates, ...backwardStates] : merged;
};

export const wrapperConverters: Record<string, LayerConverter> = { Bidirectional: bidirectional };
