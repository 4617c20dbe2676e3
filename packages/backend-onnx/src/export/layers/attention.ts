/**
 * Attention layers: Attention (dot or concat scores), AdditiveAttention and MultiHeadAttention,
 * written out from MatMul, Softmax and the projections' weights. A causal mask (useCausalMask)
 * becomes a constant added to the scores, -1e9 above the diagonal, as Keras's masked softmax;
 * masks given as tensors are not exported.
 */
import type { ExportContext, ValueRef } from '../context.js';
import { hasWeight, readWeight } from '../context.js';
import { unsupportedSetting, type LayerCall, type LayerConverter } from '../converter.js';

const MASKED_SCORE = -1e9;

/** Refuses masks the export cannot carry (tensors passed with the call); says whether the call is causal. */
function causalCall(call: LayerCall): boolean {
  for (const key of ['mask', 'attentionMask', 'queryMask', 'valueMask', 'keyMask']) {
    if (call.callArguments[key] !== undefined && call.callArguments[key] !== null) {
      throw unsupportedSetting(call, `a ${key} passed to the call`, 'export the model without masks (useCausalMask: true is supported).');
    }
  }
  return call.callArguments.useCausalMask === true;
}

/** scores + (0 where query step i may see value step j (i >= j), -1e9 elsewhere), for known step counts. */
function addCausalMask(ctx: ExportContext, call: LayerCall, scores: string, query: ValueRef, value: ValueRef): string {
  const [tq, tv] = [query.shape[1], value.shape[1]];
  if (tq === null || tv === null) throw unsupportedSetting(call, 'useCausalMask with an unknown number of steps', 'give the Inputs a fixed number of steps.');
  const bias = new Float32Array(tq * tv);
  for (let i = 0; i < tq; i++) for (let j = i + 1; j < tv; j++) bias[i * tv + j] = MASKED_SCORE;
  return ctx.op('Add', [scores, ctx.floatConstant(`${call.base}/causal_mask`, bias, [tq, tv])], `${call.base}/masked_scores`);
}

function withScores(scoresOf: (ctx: ExportContext, call: LayerCall, query: string, key: string) => string): LayerConverter {
  return (ctx, call) => {
    const [query, value, key = value] = call.inputs;
    const causal = causalCall(call);
    let scores = scoresOf(ctx, call, query.name, key.name);
    if (causal) scores = addCausalMask(ctx, call, scores, query, value);
    const weights = ctx.op('Softmax', [scores], `${call.base}/weights`, { axis: -1 });
    const result = ctx.op('MatMul', [weights, value.name], `${call.base}/attended`);
    return call.callArguments.returnAttentionScores === true ? [result, weights] : [result];
  };
}

const dotAttention = withScores((ctx, call, query, key) => {
  const base = call.base;
  const scale = hasWeight(call.layer, 'scale') ? readWeight(call.layer, 'scale') : undefined;
  if (call.config.score_mode === 'concat') {
    // Σ_d tanh(scale · (q_d + k_d)) · w over (batch, Tq, Tv, d).
    const q = ctx.op('Unsqueeze', [query, ctx.intConstant(`${base}/axis_minus2`, [-2])], `${base}/query_rows`);
    const k = ctx.op('Unsqueeze', [key, ctx.intConstant(`${base}/axis_minus3`, [-3])], `${base}/key_columns`);
    let sum = ctx.op('Add', [q, k], `${base}/pairs`);
    if (scale) sum = ctx.op('Mul', [sum, ctx.floatConstant(`${base}/scale`, scale.values, [])], `${base}/scaled_pairs`);
    const total = ctx.op('ReduceSum', [ctx.op('Tanh', [sum], `${base}/tanh`), ctx.intConstant(`${base}/last_axis`, [-1])], `${base}/tanh_sum`, { keepdims: 0 });
    const weight = readWeight(call.layer, 'concat_score_weight');
    return ctx.op('Mul', [total, ctx.floatConstant(`${base}/concat_score_weight`, weight.values, [])], `${base}/scores`);
  }
  const scores = ctx.op('MatMul', [query, ctx.transpose(key, [0, 2, 1], `${base}/key_transposed`)], `${base}/dot_scores`);
  return scale ? ctx.op('Mul', [scores, ctx.floatConstant(`${base}/scale`, scale.values, [])], `${base}/scores`) : scores;
});

const additiveAttention = withScores((ctx, call, query, key) => {
  const base = call.base;
  const q = ctx.op('Unsqueeze', [query, ctx.intConstant(`${base}/axis_minus2`, [-2])], `${base}/query_rows`);
  const k = ctx.op('Unsqueeze', [key, ctx.intConstant(`${base}/axis_minus3`, [-3])], `${base}/key_columns`);
  let t = ctx.op('Tanh', [ctx.op('Add', [q, k], `${base}/pairs`)], `${base}/tanh`);
  if (hasWeight(call.layer, 'scale')) {
    const scale = readWeight(call.layer, 'scale');
    t = ctx.op('Mul', [t, ctx.floatConstant(`${base}/scale`, scale.values, scale.shape)], `${base}/scaled`);
  }
  return ctx.op('ReduceSum', [t, ctx.intConstant(`${base}/last_axis`, [-1])], `${base}/scores`, { keepdims: 0 });
});

/** x (batch, T, d) · kernel (d, heads, size) + bias → (batch, heads, T, size). */
function project(ctx: ExportContext, call: LayerCall, x: string, name: string): string {
  const base = `${call.base}/${name}`;
  const kernel = readWeight(call.layer, `${name}/kernel`);
  const [d, heads, size] = kernel.shape;
  let y = ctx.op('MatMul', [x, ctx.floatConstant(`${base}/kernel`, kernel.values, [d, heads * size])], `${base}/projected`);
  if (hasWeight(call.layer, `${name}/bias`)) y = ctx.op('Add', [y, ctx.floatConstant(`${base}/bias`, readWeight(call.layer, `${name}/bias`).values, [heads * size])], `${base}/biased`);
  const split = ctx.op('Reshape', [y, ctx.intConstant(`${base}/heads_shape`, [0, 0, heads, size])], `${base}/heads`);
  return ctx.transpose(split, [0, 2, 1, 3], `${base}/heads_first`);
}

const multiHeadAttention: LayerConverter = (ctx, call) => {
  const [query, value, key = value] = call.inputs;
  // The export writes the (batch, timesteps, dim) form: attention over the timesteps, one output axis.
  const axes = call.config.attention_axes as number[] | null | undefined;
  const outputShape = call.config.output_shape;
  if (query.shape.length !== 3 || (Array.isArray(axes) && !(axes.length === 1 && (axes[0] === 1 || axes[0] === -2))) || (Array.isArray(outputShape) && outputShape.length !== 1)) {
    throw unsupportedSetting(call, `inputs of rank ${query.shape.length} with attention_axes ${JSON.stringify(axes ?? null)} and output_shape ${JSON.stringify(outputShape ?? null)}`, 'export attention over the timesteps of (batch, timesteps, dim) inputs with one output axis.');
  }
  const causal = causalCall(call);
  const keyDim = Number(call.config.key_dim);
  const q = ctx.op('Mul', [project(ctx, call, query.name, 'query'), ctx.floatConstant(`${call.base}/query_scale`, Float32Array.of(1 / Math.sqrt(keyDim)), [])], `${call.base}/query_scaled`);
  const k = project(ctx, call, key.name, 'key');
  const v = project(ctx, call, value.name, 'value');
  let scores = ctx.op('MatMul', [q, ctx.transpose(k, [0, 1, 3, 2], `${call.base}/key_transposed`)], `${call.base}/scores`);
  if (causal) scores = addCausalMask(ctx, call, scores, query, value);
  const weights = ctx.op('Softmax', [scores], `${call.base}/weights`, { axis: -1 });
  const attended = ctx.transpose(ctx.op('MatMul', [weights, v], `${call.base}/attended_heads`), [0, 2, 1, 3], `${call.base}/attended_steps`);
  const outputKernel = readWeight(call.layer, 'attention_output/kernel');
  const [heads, valueDim, outputSize] = outputKernel.shape;
  const merged = ctx.op('Reshape', [attended, ctx.intConstant(`${call.base}/merged_shape`, [0, 0, heads * valueDim])], `${call.base}/attended`);
  let output = ctx.op('MatMul', [merged, ctx.floatConstant(`${call.base}/attention_output/kernel`, outputKernel.values, [heads * valueDim, outputSize])], `${call.base}/output`);
  if (hasWeight(call.layer, 'attention_output/bias')) {
    output = ctx.op('Add', [output, ctx.floatConstant(`${call.base}/attention_output/bias`, readWeight(call.layer, 'attention_output/bias').values, [outputSize])], `${call.base}/output_biased`);
  }
  return call.callArguments.returnAttentionScores === true ? [output, weights] : [output];
};

export const attentionConverters: Record<string, LayerConverter> = {
  Attention: dotAttention,
  AdditiveAttention: additiveAttention,
  MultiHeadAttention: multiHeadAttention,
};
