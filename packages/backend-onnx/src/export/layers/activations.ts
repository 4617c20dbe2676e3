/**
 * Activation functions as ONNX ops (used by every layer with an `activation` argument) and the
 * activation layers: Activation, ReLU, LeakyReLU, ELU, Softmax, PReLU.
 */
import type { ExportContext } from '../context.js';
import { readWeight } from '../context.js';
import { unsupportedSetting, type LayerCall, type LayerConverter } from '../converter.js';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** The activations that map onto ONNX ops, by Keras name. */
export const ONNX_ACTIVATIONS: readonly string[] = [
  'linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'log_softmax', 'elu', 'selu', 'gelu',
  'softplus', 'softsign', 'leaky_relu', 'hard_sigmoid', 'hard_sigmoid_keras2', 'hard_silu', 'silu', 'mish', 'exponential',
];

function scalar(ctx: ExportContext, base: string, value: number): string {
  return ctx.floatConstant(base, Float32Array.of(value), []);
}

/** Writes `activation(input)`; the identity writes nothing and returns `input`. */
export function applyActivation(ctx: ExportContext, activation: unknown, input: string, base: string, where: string): string {
  const name = String(activation ?? 'linear');
  const out = `${base}/${name}`;
  switch (name) {
    case 'linear':
      return input;
    case 'relu':
      return ctx.op('Relu', [input], out);
    case 'relu6':
      return ctx.op('Clip', [input, scalar(ctx, `${base}/zero`, 0), scalar(ctx, `${base}/six`, 6)], out);
    case 'sigmoid':
      return ctx.op('Sigmoid', [input], out);
    case 'tanh':
      return ctx.op('Tanh', [input], out);
    case 'softmax':
      return ctx.op('Softmax', [input], out, { axis: -1 });
    case 'log_softmax':
      return ctx.op('LogSoftmax', [input], out, { axis: -1 });
    case 'elu':
      return ctx.op('Elu', [input], out, { alpha: { kind: 'float', value: 1 } });
    case 'selu':
      return ctx.op('Selu', [input], out, { alpha: { kind: 'float', value: SELU_ALPHA }, gamma: { kind: 'float', value: SELU_SCALE } });
    case 'gelu': {
      // Gelu is an ONNX op only from opset 20: write the exact form x * (1 + erf(x / sqrt(2))) / 2.
      const erf = ctx.op('Erf', [ctx.op('Div', [input, scalar(ctx, `${base}/sqrt2`, Math.SQRT2)], `${out}/scaled`)], `${out}/erf`);
      const onePlus = ctx.op('Add', [erf, scalar(ctx, `${base}/one`, 1)], `${out}/one_plus`);
      return ctx.op('Mul', [ctx.op('Mul', [input, onePlus], `${out}/product`), scalar(ctx, `${base}/half`, 0.5)], out);
    }
    case 'softplus':
      return ctx.op('Softplus', [input], out);
    case 'softsign':
      return ctx.op('Softsign', [input], out);
    case 'leaky_relu':
      return ctx.op('LeakyRelu', [input], out, { alpha: { kind: 'float', value: 0.2 } });
    case 'hard_sigmoid':
      // Keras 3: relu6(x + 3) / 6.
      return ctx.op('HardSigmoid', [input], out, { alpha: { kind: 'float', value: 1 / 6 }, beta: { kind: 'float', value: 0.5 } });
    case 'hard_sigmoid_keras2':
      // Keras 2 (kept for models loaded from Keras 2 files): clip(0.2x + 0.5, 0, 1).
      return ctx.op('HardSigmoid', [input], out, { alpha: { kind: 'float', value: 0.2 }, beta: { kind: 'float', value: 0.5 } });
    case 'hard_silu':
      return ctx.op('HardSwish', [input], out);
    case 'silu':
      return ctx.op('Mul', [input, ctx.op('Sigmoid', [input], `${out}/sigmoid`)], out);
    case 'mish':
      return ctx.op('Mish', [input], out);
    case 'exponential':
      return ctx.op('Exp', [input], out);
    default:
      throw new Error(
        `export: ${where} uses the activation '${name}', which has no ONNX conversion. Supported activations: ${ONNX_ACTIVATIONS.map((a) => `'${a}'`).join(', ')}. ` +
          `Fix: use one of those activations, or apply the custom function outside the exported model.`,
      );
  }
}

const where = (call: LayerCall): string => `layer '${call.layer.name}' (${call.layer.constructor.name})`;

const activation: LayerConverter = (ctx, call) => [applyActivation(ctx, call.config.activation, call.inputs[0].name, call.base, where(call))];

const relu: LayerConverter = (ctx, call) => {
  const maxValue = call.config.max_value as number | null | undefined;
  const slope = Number(call.config.negative_slope ?? 0);
  const threshold = Number(call.config.threshold ?? 0);
  if (threshold !== 0) throw unsupportedSetting(call, `threshold=${threshold}`, 'use threshold 0, or an Activation layer.');
  let y = slope === 0 ? ctx.op('Relu', [call.inputs[0].name], `${call.base}/relu`) : ctx.op('LeakyRelu', [call.inputs[0].name], `${call.base}/leaky_relu`, { alpha: { kind: 'float', value: slope } });
  if (maxValue !== null && maxValue !== undefined) {
    // Clip with no lower bound: ONNX takes an empty name for an absent optional input.
    y = ctx.op('Clip', [y, '', scalar(ctx, `${call.base}/max_value`, maxValue)], `${call.base}/clip`);
  }
  return [y];
};

const leakyRelu: LayerConverter = (ctx, call) => [
  ctx.op('LeakyRelu', [call.inputs[0].name], `${call.base}/leaky_relu`, { alpha: { kind: 'float', value: Number(call.config.negative_slope ?? 0.3) } }),
];

const elu: LayerConverter = (ctx, call) => [ctx.op('Elu', [call.inputs[0].name], `${call.base}/elu`, { alpha: { kind: 'float', value: Number(call.config.alpha ?? 1) } })];

const softmax: LayerConverter = (ctx, call) => {
  const axis = call.config.axis;
  if (Array.isArray(axis) && axis.length !== 1) throw unsupportedSetting(call, `axis=${JSON.stringify(axis)} (several axes)`, 'use a single softmax axis.');
  return [ctx.op('Softmax', [call.inputs[0].name], `${call.base}/softmax`, { axis: Number(Array.isArray(axis) ? axis[0] : (axis ?? -1)) })];
};

const prelu: LayerConverter = (ctx, call) => {
  const alpha = readWeight(call.layer, 'alpha');
  // alpha has the input's shape without the batch axis (1 on shared axes): it broadcasts from the right.
  return [ctx.op('PRelu', [call.inputs[0].name, ctx.floatConstant(`${call.base}/alpha`, alpha.values, alpha.shape)], `${call.base}/prelu`)];
};

export const activationConverters: Record<string, LayerConverter> = {
  Activation: activation,
  ReLU: relu,
  LeakyReLU: leakyRelu,
  ELU: elu,
  Softmax: softmax,
  PReLU: prelu,
};
