/**
 * ConvLSTM2D: an LSTM whose input and recurrent transformations are 2-D convolutions, as Keras 3's
 * ConvLSTM2D. Input (batch, time, rows, cols, channels) (channels_last) or (batch, time, channels,
 * rows, cols); h and c have the shape of the input convolution's output. Weights as Keras names them:
 * `<layer>/conv_lstm_cell/kernel` (kh, kw, channels, 4·filters), `.../recurrent_kernel`
 * (kh, kw, filters, 4·filters) and `.../bias` (4·filters), gates i, f, c, o. The recurrent
 * convolution uses strides 1 and padding 'same'.
 *
 * ```ts
 * new layers.ConvLSTM2D({ filters: 4, kernelSize: 3, padding: 'same' }).apply(Input({ shape: [5, 8, 8, 1] }));  // [null, 8, 8, 4]
 * ```
 */
import * as activations from '../../activations/index.js';
import type { ImageDataFormat } from '../../backend/config.js';
import { InputSpec } from '../../engine/input_spec.js';
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type CallOptions } from '../../engine/layer.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import * as constraints from '../../constraints/index.js';
import * as ops from '../../ops/index.js';
import { dropout as randomDropout } from '../../random/random.js';
import { SeedGenerator, checkSeed } from '../../random/seed_generator.js';
import type { Variable } from '../../runtime/variable.js';
import { ones, zeros } from '../../tensor/create.js';
import type { DType } from '../../tensor/dtype.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import { SymbolicTensor } from '../../tensor/symbolic.js';
import type { Tensor } from '../../tensor/tensor.js';
import { positiveInteger, readWindowArguments, type WindowArguments } from '../convolutional/conv_arguments.js';
import { checkActivation } from './gru_cell.js';
import { checkBoolean, checkRate } from './lstm_cell.js';
import { registerCell, timestepMasks, type RNNBaseArgs } from './rnn.js';
import { makeStateVariablesOfShapes, readStates, resetStateVariables, statefulBatchSize, storeStates } from './stateful.js';

export interface ConvLSTM2DArgs extends RNNBaseArgs {
  filters: number;
  kernelSize: number | readonly number[];
  strides?: number | readonly number[];
  padding?: 'valid' | 'same' | string;
  dataFormat?: ImageDataFormat | null;
  dilationRate?: number | readonly number[];
  activation?: string | activations.Activation | null;
  recurrentActivation?: string | activations.Activation | null;
  useBias?: boolean;
  kernelInitializer?: initializers.InitializerIdentifier;
  recurrentInitializer?: initializers.InitializerIdentifier;
  biasInitializer?: initializers.InitializerIdentifier;
  kernelRegularizer?: regularizers.RegularizerIdentifier;
  recurrentRegularizer?: regularizers.RegularizerIdentifier;
  biasRegularizer?: regularizers.RegularizerIdentifier;
  kernelConstraint?: constraints.ConstraintIdentifier;
  recurrentConstraint?: constraints.ConstraintIdentifier;
  biasConstraint?: constraints.ConstraintIdentifier;
  unitForgetBias?: boolean;
  dropout?: number;
  recurrentDropout?: number;
  seed?: number | null;
}

/** Keras's unit_forget_bias: the bias initializer's values with ones in the forget block. */
class ForgetBiasOnes extends initializers.Initializer {
  static override readonly className = 'ForgetBiasOnes';
  constructor(private readonly base: initializers.Initializer, private readonly filters: number) {
    super();
  }
  call(_shape: readonly number[], dtype?: DType | string): Tensor {
    const f = this.filters;
    return ops.concatenate([this.base.call([f], dtype), ones([f]), this.base.call([2 * f], dtype)], { axis: 0 });
  }
}

interface GateMasks {
  input?: Tensor[];
  recurrent?: Tensor[];
}

const WHERE = 'ConvLSTM2D';

export class ConvLSTM2D extends Layer {
  readonly filters: number;
  readonly window: WindowArguments;
  readonly activation: activations.NamedActivation;
  readonly recurrentActivation: activations.NamedActivation;
  readonly useBias: boolean;
  readonly unitForgetBias: boolean;
  readonly kernelInitializer: initializers.Initializer;
  readonly recurrentInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  readonly kernelRegularizer: regularizers.Regularizer | null;
  readonly recurrentRegularizer: regularizers.Regularizer | null;
  readonly biasRegularizer: regularizers.Regularizer | null;
  readonly kernelConstraint: constraints.Constraint | null;
  readonly recurrentConstraint: constraints.Constraint | null;
  readonly biasConstraint: constraints.Constraint | null;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number | null;
  readonly seedGenerator: SeedGenerator;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  readonly zeroOutputForMask: boolean;
  kernel: Variable | undefined;
  recurrentKernel: Variable | undefined;
  bias: Variable | undefined;
  /** A stateful layer's h and c (made at build, each of the state shape); not weights. */
  private stateVariables: Variable[] | undefined;

  constructor(args: ConvLSTM2DArgs) {
    super(args);
    if (!args || typeof args !== 'object') {
      throw new TypeError(`${WHERE}: expected an options object such as { filters: 8, kernelSize: 3 }, got ${JSON.stringify(args)}.`);
    }
    this.filters = positiveInteger(WHERE, 'filters', args.filters, undefined, 'the number of output channels');
    this.window = readWindowArguments(WHERE, 2, args, `new layers.ConvLSTM2D({ filters: 8, kernelSize: 3 })`);
    this.activation = checkActivation(args.activation, 'tanh', 'activation', WHERE);
    this.recurrentActivation = checkActivation(args.recurrentActivation, 'sigmoid', 'recurrentActivation', WHERE);
    this.useBias = checkBoolean(args.useBias ?? true, 'useBias', WHERE);
    this.unitForgetBias = checkBoolean(args.unitForgetBias ?? true, 'unitForgetBias', WHERE);
    this.kernelInitializer = initializers.get(args.kernelInitializer ?? 'glorot_uniform');
    this.recurrentInitializer = initializers.get(args.recurrentInitializer ?? 'orthogonal');
    this.biasInitializer = initializers.get(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = regularizers.get(args.kernelRegularizer);
    this.recurrentRegularizer = regularizers.get(args.recurrentRegularizer);
    this.biasRegularizer = regularizers.get(args.biasRegularizer);
    this.kernelConstraint = constraints.get(args.kernelConstraint);
    this.recurrentConstraint = constraints.get(args.recurrentConstraint);
    this.biasConstraint = constraints.get(args.biasConstraint);
    this.dropout = checkRate(args.dropout ?? 0, 'dropout', WHERE);
    this.recurrentDropout = checkRate(args.recurrentDropout ?? 0, 'recurrentDropout', WHERE);
    this.seed = args.seed === undefined || args.seed === null ? null : checkSeed(args.seed, WHERE);
    this.seedGenerator = new SeedGenerator(this.seed);
    this.returnSequences = checkBoolean(args.returnSequences ?? false, 'returnSequences', WHERE);
    this.returnState = checkBoolean(args.returnState ?? false, 'returnState', WHERE);
    this.goBackwards = checkBoolean(args.goBackwards ?? false, 'goBackwards', WHERE);
    this.stateful = checkBoolean(args.stateful ?? false, 'stateful', WHERE);
    this.unroll = checkBoolean(args.unroll ?? false, 'unroll', WHERE);
    this.zeroOutputForMask = checkBoolean(args.zeroOutputForMask ?? false, 'zeroOutputForMask', WHERE);
    this.inputSpec = new InputSpec({ ndim: 5 });
  }

  private get channelsFirst(): boolean {
    return this.window.dataFormat === 'channels_first';
  }

  /** The shape of one step's convolution output (batch, rows', cols', filters) for one step's input shape. */
  private stateShape(step: SymbolicShape): Dim[] {
    const w = this.window;
    const spatial = this.channelsFirst ? step.slice(2) : step.slice(1, -1);
    const out = spatial.map((d, i) => {
      if (d === null) return null;
      const span = (w.kernelSize[i] - 1) * w.dilationRate[i] + 1;
      return w.padding === 'same' ? Math.ceil(d / w.strides[i]) : Math.floor((d - span) / w.strides[i]) + 1;
    });
    return this.channelsFirst ? [step[0], this.filters, ...out] : [step[0], ...out, this.filters];
  }

  override build(inputShape: SymbolicShape): void {
    const step = [inputShape[0], ...inputShape.slice(2)];
    const channels = this.channelsFirst ? step[1] : step[step.length - 1];
    if (channels === null) throw new Error(`${WHERE} "${this.name}": the channel axis of the input ${formatShape(inputShape)} must be known to make the kernel.`);
    const spatial = this.stateShape(step);
    if (spatial.some((d) => d !== null && d < 1)) {
      throw new Error(`${WHERE} "${this.name}": the ${this.window.kernelSize.join('x')} kernel does not fit the input ${formatShape(inputShape)} with padding 'valid' (output ${formatShape(spatial)}). Fix: use padding: 'same' or a smaller kernelSize.`);
    }
    if (this.stateful && !this.stateVariables) {
      const size = statefulBatchSize(inputShape[0], inputShape, `${WHERE} "${this.name}"`);
      if (spatial.some((d) => d === null)) {
        throw new Error(`${WHERE} "${this.name}": a stateful ConvLSTM2D needs fixed spatial sizes to keep its states, but the input is ${formatShape(inputShape)}. Fix: give the Input every size, e.g. Input({ batchShape: [${size}, 10, 16, 16, 3] }).`);
      }
      const shape = [size, ...spatial.slice(1)] as number[];
      this.stateVariables = makeStateVariablesOfShapes([shape, shape], this.name, this.dtype);
    }
    const [kh, kw] = this.window.kernelSize;
    const f = this.filters;
    this.kernel = this.addWeight({ name: 'kernel', shape: [kh, kw, channels, 4 * f], initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
    this.recurrentKernel = this.addWeight({ name: 'recurrent_kernel', shape: [kh, kw, f, 4 * f], initializer: this.recurrentInitializer, regularizer: this.recurrentRegularizer, constraint: this.recurrentConstraint });
    if (this.useBias) {
      this.bias = this.addWeight({ name: 'bias', shape: [4 * f], initializer: this.unitForgetBias ? new ForgetBiasOnes(this.biasInitializer, f) : this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    }
    for (const w of this.weights) w.path = `${this.name}/conv_lstm_cell/${w.name}`;
    const axes: Record<number, number> = this.channelsFirst ? { 2: channels } : { [-1]: channels };
    this.inputSpec = new InputSpec({ ndim: 5, axes });
    this.built = true;
  }

  private step(x: Tensor, h: Tensor, c: Tensor, masks: GateMasks): [Tensor, Tensor] {
    const w = this.window;
    const kernels = ops.split(this.kernel as Variable, 4, { axis: 3 });
    const recurrents = ops.split(this.recurrentKernel as Variable, 4, { axis: 3 });
    const biases = this.bias ? ops.split(this.bias, 4, { axis: 0 }) : undefined;
    const z = kernels.map((k, g) => {
      const xg = masks.input ? ops.multiply(x, masks.input[g]) : x;
      const hg = masks.recurrent ? ops.multiply(h, masks.recurrent[g]) : h;
      let xc = ops.conv(xg, k, { strides: w.strides, padding: w.padding, dataFormat: w.dataFormat, dilationRate: w.dilationRate });
      if (biases) xc = ops.add(xc, this.channelsFirst ? ops.reshape(biases[g], [1, this.filters, 1, 1]) : biases[g]);
      return ops.add(xc, ops.conv(hg, recurrents[g], { strides: 1, padding: 'same', dataFormat: w.dataFormat }));
    });
    const i = this.recurrentActivation(z[0]);
    const f = this.recurrentActivation(z[1]);
    const cNext = ops.add(ops.multiply(f, c), ops.multiply(i, this.activation(z[2])));
    const o = this.recurrentActivation(z[3]);
    return [ops.multiply(o, this.activation(cNext)), cNext];
  }

  private checkStates(shapes: readonly SymbolicShape[] | undefined, expected: Dim[], where: string): void {
    const fits = (s: SymbolicShape): boolean => s.length === expected.length && s.every((d, k) => d === null || expected[k] === null || d === expected[k]);
    if (!Array.isArray(shapes) || shapes.length !== 2 || !shapes.every(fits)) {
      throw new Error(
        `${where}: initialState must be [h, c], two tensors of shape ${formatShape(expected)}, got ${Array.isArray(shapes) ? `${shapes.length} tensor(s)${shapes.length ? ` of shape ${shapes.map((s) => formatShape(s)).join(', ')}` : ''}` : typeof shapes}.`,
      );
    }
  }

  /** A stateful layer's state variables [h, c] (undefined until built, or when not stateful). */
  get states(): Variable[] | undefined {
    return this.stateVariables ? [...this.stateVariables] : undefined;
  }

  /** Sets a stateful layer's h and c back to zeros, or to `states` ([h, c]). */
  resetStates(states?: Tensor[]): void {
    resetStateVariables(this.stateVariables, states, `${WHERE} "${this.name}"`);
  }

  call(inputs: Tensor, options: CallOptions = {}): Tensor | Tensor[] {
    const [batch, steps, ...rest] = inputs.shape;
    const where = `${WHERE} "${this.name}"`;
    if (steps === 0) throw new Error(`${where}: the input ${formatShape(inputs.shape)} has no timesteps.`);
    const stateShape = this.stateShape([batch, ...rest]) as number[];
    const given = options.initialState as Tensor[] | undefined;
    if (given !== undefined) this.checkStates(given.map((s) => s.shape), stateShape, where);
    const kept = this.stateful && !(inputs instanceof SymbolicTensor) ? this.stateVariables : undefined;
    if (kept && given === undefined && formatShape(kept[0].shape) !== formatShape(stateShape)) {
      throw new Error(`${where}: this stateful layer keeps states of shape ${formatShape(kept[0].shape)}, but the input ${formatShape(inputs.shape)} needs ${formatShape(stateShape)}. Fix: feed inputs of the batch shape it was built for.`);
    }
    let [h, c] = given ?? (kept ? readStates(kept, batch, where) : [zeros(stateShape), zeros(stateShape)]);
    const training = options.training === true;
    const masks: GateMasks = {};
    if (training && this.dropout > 0) masks.input = [0, 1, 2, 3].map(() => randomDropout(ones([batch, ...rest]), this.dropout, { seed: this.seedGenerator }));
    if (training && this.recurrentDropout > 0) masks.recurrent = [0, 1, 2, 3].map(() => randomDropout(ones(stateShape), this.recurrentDropout, { seed: this.seedGenerator }));
    const keepMasks = timestepMasks(options.mask, batch, steps, where)?.map((m) => ops.reshape(m, [batch, 1, 1, 1]));
    const xs = (steps === 1 ? [inputs] : ops.split(inputs, steps, { axis: 1 })).map((x) => ops.reshape(x, [batch, ...rest]));
    const outputs: Tensor[] = [];
    let previous: Tensor | undefined;
    for (let s = 0; s < steps; s++) {
      const t = this.goBackwards ? steps - 1 - s : s;
      const [hNext, cNext] = this.step(xs[t], h, c, masks);
      const keep = keepMasks?.[t];
      if (keep) {
        previous ??= zeros(stateShape);
        const output = ops.where(keep, hNext, this.zeroOutputForMask ? 0 : previous);
        h = ops.where(keep, hNext, h);
        c = ops.where(keep, cNext, c);
        previous = output;
        outputs.push(output);
      } else {
        [h, c] = [hNext, cNext];
        outputs.push(hNext);
      }
    }
    if (kept) storeStates(kept, [h, c]);
    const output = this.returnSequences ? ops.stack(outputs, { axis: 1 }) : outputs[outputs.length - 1];
    return this.returnState ? [output, h, c] : output;
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] | Dim[][] {
    const [batch, steps, ...rest] = inputShape;
    const state = this.stateShape([batch, ...rest]);
    const output = this.returnSequences ? [batch, steps, ...state.slice(1)] : state;
    return this.returnState ? [output, state, state] : output;
  }

  protected override computeOutputSpec(inputShape: SymbolicShape | SymbolicShape[], inputs: readonly KerasTensor[], options: CallOptions): SymbolicTensor | SymbolicTensor[] {
    const states = options.initialState;
    if (states !== undefined) {
      const [batch, , ...rest] = inputShape as SymbolicShape;
      this.checkStates(Array.isArray(states) ? states.map((s) => s.shape) : undefined, this.stateShape([batch, ...rest]), `${WHERE} "${this.name}"`);
    }
    return super.computeOutputSpec(inputShape, inputs, options);
  }

  override getConfig(): Record<string, unknown> {
    const w = this.window;
    return {
      ...super.getConfig(),
      return_sequences: this.returnSequences,
      return_state: this.returnState,
      go_backwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      zero_output_for_mask: this.zeroOutputForMask,
      filters: this.filters,
      kernel_size: [...w.kernelSize],
      strides: [...w.strides],
      padding: w.padding,
      data_format: w.dataFormat,
      dilation_rate: [...w.dilationRate],
      activation: activations.serialize(this.activation),
      recurrent_activation: activations.serialize(this.recurrentActivation),
      use_bias: this.useBias,
      kernel_initializer: initializers.serialize(this.kernelInitializer),
      recurrent_initializer: initializers.serialize(this.recurrentInitializer),
      bias_initializer: initializers.serialize(this.biasInitializer),
      unit_forget_bias: this.unitForgetBias,
      kernel_regularizer: regularizers.serialize(this.kernelRegularizer),
      recurrent_regularizer: regularizers.serialize(this.recurrentRegularizer),
      bias_regularizer: regularizers.serialize(this.biasRegularizer),
      activity_regularizer: regularizers.serialize(this.activityRegularizer),
      kernel_constraint: constraints.serialize(this.kernelConstraint),
      recurrent_constraint: constraints.serialize(this.recurrentConstraint),
      bias_constraint: constraints.serialize(this.biasConstraint),
      dropout: this.dropout,
      recurrent_dropout: this.recurrentDropout,
      seed: this.seed,
    };
  }
}

registerCell('ConvLSTM2D', (config) => ConvLSTM2D.fromConfig(config));
