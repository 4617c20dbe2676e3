/** Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate (ONNX broadcasts like Keras) and Dot. */
import type { ExportContext } from '../context.js';
import { positiveAxis } from '../context.js';
import type { LayerCall, LayerConverter } from '../converter.js';

/** Folds a binary op over the inputs, left to right. */
function fold(op: string): LayerConverter {
  return (ctx: ExportContext, call: LayerCall) => {
    let y = call.inputs[0].name;
    for (let i = 1; i < call.inputs.length; i++) y = ctx.op(op, [y, call.inputs[i].name], `${call.base}/${op.toLowerCase()}`);
    return [y];
  };
}

const average: LayerConverter = (ctx, call) => {
  const sum = fold('Add')(ctx, call)[0];
  return [ctx.op('Div', [sum, ctx.floatConstant(`${call.base}/count`, Float32Array.of(call.inputs.length), [])], `${call.base}/average`)];
};

const concatenate: LayerConverter = (ctx, call) => {
  const rank = call.inputs[0].shape.length;
  return [ctx.op('Concat', call.inputs.map((v) => v.name), `${call.base}/concat`, { axis: positiveAxis(Number(call.config.axis ?? -1), rank) })];
};

/** x / sqrt(max(sum(x², axis), 1e-12)) along one axis. */
function l2Normalize(ctx: ExportContext, x: string, axis: number, base: string): string {
  const squares = ctx.op('ReduceSumSquare', [x, ctx.intConstant(`${base}/axis`, [axis])], `${base}/square_sum`, { keepdims: 1 });
  const floored = ctx.op('Max', [squares, ctx.floatConstant(`${base}/floor`, Float32Array.of(1e-12), [])], `${base}/floored`);
  return ctx.op('Div', [x, ctx.op('Sqrt', [floored], `${base}/norm`)], `${base}/normalized`);
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

const dot: LayerConverter = (ctx, call) => {
  const [first, second] = call.inputs;
  const given = call.config.axes;
  const pair = (Array.isArray(given) ? given : [given, given]).map(Number);
  const a1 = positiveAxis(pair[0], first.shape.length);
  const a2 = positiveAxis(pair[1], second.shape.length);
  let x1 = first.name;
  let x2 = second.name;
  if (call.config.normalize === true) {
    x1 = l2Normalize(ctx, x1, a1, `${call.base}/first`);
    x2 = l2Normalize(ctx, x2, a2, `${call.base}/second`);
  }
  // Batch axis 'a' shared, contracted axis 'b' shared, the other axes of each input kept in order.
  let next = 2;
  const term1 = first.shape.map((_, i) => (i === 0 ? 'a' : i === a1 ? 'b' : LETTERS[next++])).join('');
  const term2 = second.shape.map((_, i) => (i === 0 ? 'a' : i === a2 ? 'b' : LETTERS[next++])).join('');
  const rest = [...term1, ...term2].filter((c) => c !== 'a' && c !== 'b').join('');
  const y = ctx.op('Einsum', [x1, x2], `${call.base}/dot`, { equation: `${term1},${term2}->a${rest}` });
  // Keras gives (batch, 1), not (batch,), when nothing but the batch axis is left.
  return [rest.length === 0 ? ctx.op('Unsqueeze', [y, ctx.intConstant(`${call.base}/axis1`, [1])], `${call.base}/dot_column`) : y];
};

export const mergingConverters: Record<string, LayerConverter> = {
  Add: fold('Add'),
  Subtract: fold('Sub'),
  Multiply: fold('Mul'),
  Maximum: fold('Max'),
  Minimum: fold('Min'),
  Average: average,
  Concatenate: concatenate,
  Dot: dot,
};
