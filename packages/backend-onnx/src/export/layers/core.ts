/**
 * Core and reshaping layers: Dense, EinsumDense, Embedding, Flatten, Reshape, Permute, RepeatVector, and the
 * layers that do nothing at inference (Dropout and its kin, Identity, ActivityRegularization).
 */
import { layers, tidy } from '@keras-ts/core';
import { hasWeight, readWeight } from '../context.js';
import { unsupportedSetting, type LayerConverter } from '../converter.js';
import { applyActivation } from './activations.js';

const dense: LayerConverter = (ctx, call) => {
  // With LoRA the layer multiplies by the merged kernel (kernel + scale · a · b): that is what is written.
  const layer = call.layer;
  let kernel = layer instanceof layers.Dense && layer.loraEnabled ? undefined : readWeight(layer, 'kernel');
  if (kernel === undefined) {
    let merged: { values: Float32Array; shape: number[] } | undefined;
    tidy(() => {
      const value = (layer as layers.Dense).effectiveKernel();
      merged = { values: Float32Array.from(value.dataSync() as Float32Array), shape: [...value.shape] };
    });
    kernel = merged as { values: Float32Array; shape: number[] };
  }
  // MatMul broadcasts over leading axes, so a rank-3 input (batch, steps, features) needs nothing more.
  let y = ctx.op('MatMul', [call.inputs[0].name, ctx.floatConstant(`${call.base}/kernel`, kernel.values, kernel.shape)], `${call.base}/matmul`);
  if (call.config.use_bias !== false) {
    const bias = readWeight(call.layer, 'bias');
    y = ctx.op('Add', [y, ctx.floatConstant(`${call.base}/bias`, bias.values, bias.shape)], `${call.base}/bias_add`);
  }
  return [applyActivation(ctx, call.config.activation, y, call.base, `layer '${call.layer.name}' (Dense)`)];
};

const einsumDense: LayerConverter = (ctx, call) => {
  const kernel = readWeight(call.layer, 'kernel');
  // Keras's equation (e.g. 'abc,cde->abde', ellipsis allowed) is valid for ONNX Einsum as it is.
  let y = ctx.op('Einsum', [call.inputs[0].name, ctx.floatConstant(`${call.base}/kernel`, kernel.values, kernel.shape)], `${call.base}/einsum`, { equation: String(call.config.equation) });
  if (hasWeight(call.layer, 'bias')) {
    // The bias is shaped to broadcast against the output's trailing axes.
    const bias = readWeight(call.layer, 'bias');
    y = ctx.op('Add', [y, ctx.floatConstant(`${call.base}/bias`, bias.values, bias.shape)], `${call.base}/bias_add`);
  }
  return [applyActivation(ctx, call.config.activation, y, call.base, `layer '${call.layer.name}' (EinsumDense)`)];
};

const embedding: LayerConverter = (ctx, call) => {
  if (call.config.mask_zero === true) {
    throw unsupportedSetting(call, 'mask_zero=true (a mask for the layers after it)', 'export a model without masking (mask_zero: false).');
  }
  const table = readWeight(call.layer, 'embeddings');
  // Gather wants integer indices; Keras also accepts float indices and casts them.
  const indices = ctx.op('Cast', [call.inputs[0].name], `${call.base}/indices`, { to: 7 });
  return [ctx.op('Gather', [ctx.floatConstant(`${call.base}/embeddings`, table.values, table.shape), indices], `${call.base}/gather`, { axis: 0 })];
};

const flatten: LayerConverter = (ctx, call) => {
  const rank = call.inputs[0].shape.length;
  let x = call.inputs[0].name;
  if (call.config.data_format === 'channels_first' && rank > 2) {
    x = ctx.transpose(x, [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1], `${call.base}/to_channels_last`);
  }
  // Values stay in Keras's (channels-last) order between layers, so a plain flatten keeps Keras's element order.
  return [ctx.op('Flatten', [x], `${call.base}/flatten`, { axis: 1 })];
};

const reshape: LayerConverter = (ctx, call) => {
  const target = (call.config.target_shape as number[]).map(Number);
  // 0 copies the batch size from the input (allowzero is 0 by default).
  const shape = ctx.intConstant(`${call.base}/shape`, [0, ...target]);
  return [ctx.op('Reshape', [call.inputs[0].name, shape], `${call.base}/reshape`)];
};

const permute: LayerConverter = (ctx, call) => [ctx.transpose(call.inputs[0].name, [0, ...(call.config.dims as number[]).map(Number)], `${call.base}/transpose`)];

const repeatVector: LayerConverter = (ctx, call) => {
  const n = Number(call.config.n);
  const expanded = ctx.op('Unsqueeze', [call.inputs[0].name, ctx.intConstant(`${call.base}/axis`, [1])], `${call.base}/unsqueeze`);
  return [ctx.op('Tile', [expanded, ctx.intConstant(`${call.base}/repeats`, [1, n, 1])], `${call.base}/tile`)];
};

const identity: LayerConverter = (_ctx, call) => [call.inputs[0].name];

export const coreConverters: Record<string, LayerConverter> = {
  Dense: dense,
  EinsumDense: einsumDense,
  Embedding: embedding,
  Flatten: flatten,
  Reshape: reshape,
  Permute: permute,
  RepeatVector: repeatVector,
  // Inference-time no-ops: noise and dropout only act in training, the regularizer only adds a loss.
  Identity: identity,
  Dropout: identity,
  SpatialDropout1D: identity,
  SpatialDropout2D: identity,
  SpatialDropout3D: identity,
  GaussianDropout: identity,
  GaussianNoise: identity,
  AlphaDropout: identity,
  ActivityRegularization: identity,
};
