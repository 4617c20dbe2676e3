/**
 * Recurrent layers: LSTM, GRU (reset_after either way) and SimpleRNN, and RNN over their cells, as
 * the ONNX ops of the same names. ONNX runs time-major (steps, batch, features) and stacks gates differently from Keras:
 * LSTM gates are i, o, f, c in ONNX and i, f, c, o in Keras; GRU's z, r, h agree. Kernels are
 * stored transposed ((gates * units, in) instead of (in, gates * units)).
 */
import type { AttrValue } from '../../onnx/proto.js';
import type { ExportContext } from '../context.js';
import { readWeight } from '../context.js';
import { unsupportedSetting, type LayerCall, type LayerConverter } from '../converter.js';

/** ONNX's name for a Keras activation inside a recurrent op, with its alpha/beta if it takes them. */
interface RecurrentActivation {
  readonly name: string;
  readonly alpha?: number;
  readonly beta?: number;
}

function recurrentActivation(call: LayerCall, key: string): RecurrentActivation {
  const name = String(call.config[key] ?? 'linear');
  switch (name) {
    case 'sigmoid':
      return { name: 'Sigmoid' };
    case 'tanh':
      return { name: 'Tanh' };
    case 'relu':
      return { name: 'Relu' };
    case 'hard_sigmoid':
      // Keras 3's hard_sigmoid is relu6(x + 3) / 6.
      return { name: 'HardSigmoid', alpha: 1 / 6, beta: 0.5 };
    case 'hard_sigmoid_keras2':
      // Keras 2's, kept for models loaded from Keras 2 files: clip(0.2x + 0.5, 0, 1).
      return { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 };
    default:
      throw unsupportedSetting(call, `${key}='${name}'`, `use ${key} 'sigmoid', 'tanh', 'relu' or 'hard_sigmoid'.`);
  }
}

function activationAttrs(list: readonly RecurrentActivation[]): Record<string, AttrValue> {
  const attrs: Record<string, AttrValue> = { activations: { kind: 'strings', value: list.map((a) => a.name) } };
  const alphas = list.filter((a) => a.alpha !== undefined).map((a) => a.alpha as number);
  const betas = list.filter((a) => a.beta !== undefined).map((a) => a.beta as number);
  if (alphas.length > 0) attrs.activation_alpha = { kind: 'floats', value: alphas };
  if (betas.length > 0) attrs.activation_beta = { kind: 'floats', value: betas };
  return attrs;
}

/**
 * Keras (rows, gates * units) with gates in `kerasOrder` → ONNX (1, gates * units, rows) with the
 * gates in ONNX's order: `onnxToKeras[g]` is the Keras block of ONNX gate g.
 */
function gateMatrix(values: Float32Array, rows: number, units: number, onnxToKeras: readonly number[]): Float32Array {
  const gates = onnxToKeras.length;
  const out = new Float32Array(values.length);
  for (let g = 0; g < gates; g++) {
    const from = onnxToKeras[g] * units;
    for (let j = 0; j < units; j++) {
      for (let r = 0; r < rows; r++) out[(g * units + j) * rows + r] = values[r * gates * units + from + j];
    }
  }
  return out;
}

function gateVector(values: Float32Array, units: number, onnxToKeras: readonly number[]): Float32Array {
  const out = new Float32Array(onnxToKeras.length * units);
  onnxToKeras.forEach((k, g) => out.set(values.subarray(k * units, (k + 1) * units), g * units));
  return out;
}

interface RecurrentSpec {
  readonly op: 'LSTM' | 'GRU' | 'RNN';
  /** ONNX gate g is Keras gate block onnxToKeras[g]. */
  readonly onnxToKeras: readonly number[];
  readonly activations: readonly string[];
  /** The ONNX outputs that carry states (Y_h, and Y_c for LSTM). */
  readonly stateCount: number;
}

function recurrent(spec: RecurrentSpec): LayerConverter {
  return (ctx: ExportContext, call: LayerCall) => {
    const { layer, config, base } = call;
    if (config.stateful === true) throw unsupportedSetting(call, 'stateful=true', 'export a copy of the model with stateful: false and pass the states as inputs.');
    const units = Number(config.units);
    const gates = spec.onnxToKeras.length;
    const kernel = readWeight(layer, 'kernel');
    const recurrentKernel = readWeight(layer, 'recurrent_kernel');
    const features = kernel.shape[0];
    const w = ctx.floatConstant(`${base}/W`, gateMatrix(kernel.values, features, units, spec.onnxToKeras), [1, gates * units, features]);
    const r = ctx.floatConstant(`${base}/R`, gateMatrix(recurrentKernel.values, units, units, spec.onnxToKeras), [1, gates * units, units]);
    // B is the input bias then the recurrent bias; Keras has one bias, except GRU with reset_after (two rows).
    const b = new Float32Array(2 * gates * units);
    if (config.use_bias !== false) {
      const bias = readWeight(layer, 'bias').values;
      b.set(gateVector(bias.subarray(0, gates * units), units, spec.onnxToKeras), 0);
      if (bias.length === 2 * gates * units) b.set(gateVector(bias.subarray(gates * units), units, spec.onnxToKeras), gates * units);
    }
    const bName = ctx.floatConstant(`${base}/B`, b, [1, 2 * gates * units]);
    let x = call.inputs[0].name;
    if (config.go_backwards === true) {
      // Keras reads the sequence from its end and returns outputs in that order: reverse the input, run forward.
      x = ctx.op('Slice', [x, ctx.intConstant(`${base}/start`, [-1]), ctx.intConstant(`${base}/end`, [Number.MIN_SAFE_INTEGER]), ctx.intConstant(`${base}/axis`, [1]), ctx.intConstant(`${base}/step`, [-1])], `${base}/reversed`);
    }
    const timeMajor = ctx.transpose(x, [1, 0, 2], `${base}/time_major`);
    const axis0 = ctx.intConstant(`${base}/axis0`, [0]);
    const states = call.states.map((s, i) => ctx.op('Unsqueeze', [s.name, axis0], `${base}/initial_state_${i}`));
    const inputs = [timeMajor, w, r, bName, '', ...states];
    const attrs: Record<string, AttrValue> = {
      hidden_size: units,
      ...activationAttrs(spec.activations.map((key) => recurrentActivation(call, key))),
    };
    if (spec.op === 'GRU') attrs.linear_before_reset = config.reset_after === false ? 0 : 1;
    const outputs = ctx.node(spec.op, inputs, [ctx.freshName(`${base}/Y`), ...Array.from({ length: spec.stateCount }, (_, i) => ctx.freshName(`${base}/Y_state_${i}`))], attrs);
    const lastStates = outputs.slice(1).map((s, i) => ctx.op('Squeeze', [s, axis0], `${base}/state_${i}`));
    let output: string;
    if (config.return_sequences === true) {
      const sequence = ctx.op('Squeeze', [outputs[0], ctx.intConstant(`${base}/axis1`, [1])], `${base}/sequence_time_major`);
      output = ctx.transpose(sequence, [1, 0, 2], `${base}/sequence`);
    } else {
      output = lastStates[0];
    }
    return config.return_state === true ? [output, ...lastStates] : [output];
  };
}

const layerConverters: Record<string, LayerConverter> = {
  // Keras i, f, c, o → ONNX i, o, f, c.
  LSTM: recurrent({ op: 'LSTM', onnxToKeras: [0, 3, 1, 2], activations: ['recurrent_activation', 'activation', 'activation'], stateCount: 2 }),
  GRU: recurrent({ op: 'GRU', onnxToKeras: [0, 1, 2], activations: ['recurrent_activation', 'activation'], stateCount: 1 }),
  SimpleRNN: recurrent({ op: 'RNN', onnxToKeras: [0], activations: ['activation'], stateCount: 1 }),
};

/** The layer whose ONNX op runs each built-in cell. */
const LAYER_OF_CELL: Readonly<Record<string, string>> = { LSTMCell: 'LSTM', GRUCell: 'GRU', SimpleRNNCell: 'SimpleRNN' };

/**
 * RNN(cell) over a built-in cell is that cell's layer: the LSTM layer is RNN(LSTMCell) with the
 * cell's config beside the RNN's flags, and its weights are the cell's (found by name the same way).
 */
const rnnOfCell: LayerConverter = (ctx, call) => {
  const cell = call.config.cell as { class_name?: unknown; config?: Record<string, unknown> } | undefined;
  const className = String(cell?.class_name);
  const layerClass = LAYER_OF_CELL[className];
  if (layerClass === undefined || cell?.config === undefined) {
    const fix = className === 'StackedRNNCells' ? 'use one RNN (or LSTM, GRU, SimpleRNN) layer per cell, returning sequences into the next.' : 'use RNN over LSTMCell, GRUCell or SimpleRNNCell, or the LSTM, GRU and SimpleRNN layers.';
    throw unsupportedSetting(call, `a cell of class ${className}`, fix);
  }
  const { return_sequences, return_state, go_backwards, stateful } = call.config;
  return layerConverters[layerClass](ctx, { ...call, config: { ...cell.config, return_sequences, return_state, go_backwards, stateful } });
};

export const rnnConverters: Record<string, LayerConverter> = { ...layerConverters, RNN: rnnOfCell };
