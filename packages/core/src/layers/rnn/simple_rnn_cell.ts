/**
 * SimpleRNNCell: one step of a fully-connected RNN, `h' = activation(x · kernel + bias + h · recurrent_kernel)`,
 * with Keras 3's weights (kernel [in, u], recurrent_kernel [u, u], bias [u]). On its own it is called
 * as `cell.apply(x, { initialState: [h] })` and gives h'.
 */
import * as activations from '../../activations/index.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import * as constraints from '../../constraints/index.js';
import { InputSpec } from '../../engine/input_spec.js';
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type CallOptions, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import { SeedGenerator, checkSeed } from '../../random/seed_generator.js';
import type { Variable } from '../../runtime/variable.js';
import { zeros } from '../../tensor/create.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkActivation, checkOneState, checkUnits, drawMasks, stepFeatures, type RecurrentDropoutMasks } from './gru_cell.js';
import { checkBoolean, checkRate } from './lstm_cell.js';
import { registerCell } from './rnn.js';

export interface SimpleRNNCellArgs extends LayerArgs {
  /** The size of h (the output's last axis). */
  units: number;
  activation?: string | activations.Activation | null;
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
  /** Fraction of the inputs dropped (training only), in [0, 1). */
  dropout?: number;
  /** Fraction of the recurrent state dropped (training only), in [0, 1). */
  recurrentDropout?: number;
  seed?: number | null;
}

export class SimpleRNNCell extends Layer<KerasTensor, Tensor> {
  readonly units: number;
  readonly activation: activations.NamedActivation;
  readonly useBias: boolean;
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
  kernel: Variable | undefined;
  recurrentKernel: Variable | undefined;
  bias: Variable | undefined;

  constructor(args: SimpleRNNCellArgs, where = 'SimpleRNNCell') {
    super(args);
    if (!args || typeof args !== 'object') {
      throw new TypeError(`${where}: expected an options object such as { units: 32 }, got ${JSON.stringify(args)}. Fix: new layers.${where}({ units: 32 }).`);
    }
    this.units = checkUnits(args.units, where);
    this.activation = checkActivation(args.activation, 'tanh', 'activation', where);
    this.useBias = checkBoolean(args.useBias ?? true, 'useBias', where);
    this.kernelInitializer = initializers.get(args.kernelInitializer ?? 'glorot_uniform');
    this.recurrentInitializer = initializers.get(args.recurrentInitializer ?? 'orthogonal');
    this.biasInitializer = initializers.get(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = regularizers.get(args.kernelRegularizer);
    this.recurrentRegularizer = regularizers.get(args.recurrentRegularizer);
    this.biasRegularizer = regularizers.get(args.biasRegularizer);
    this.kernelConstraint = constraints.get(args.kernelConstraint);
    this.recurrentConstraint = constraints.get(args.recurrentConstraint);
    this.biasConstraint = constraints.get(args.biasConstraint);
    this.dropout = checkRate(args.dropout ?? 0, 'dropout', where);
    this.recurrentDropout = checkRate(args.recurrentDropout ?? 0, 'recurrentDropout', where);
    this.seed = args.seed === undefined || args.seed === null ? null : checkSeed(args.seed, where);
    this.seedGenerator = new SeedGenerator(this.seed);
    this.inputSpec = new InputSpec({ ndim: 2 });
  }

  /** Keras's state_size: one state of `units`. */
  get stateSize(): number {
    return this.units;
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const features = stepFeatures(inputShape, this);
    const u = this.units;
    this.kernel = this.addWeight({ name: 'kernel', shape: [features, u], initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
    this.recurrentKernel = this.addWeight({ name: 'recurrent_kernel', shape: [u, u], initializer: this.recurrentInitializer, regularizer: this.recurrentRegularizer, constraint: this.recurrentConstraint });
    if (this.useBias) this.bias = this.addWeight({ name: 'bias', shape: [u], initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    this.inputSpec = new InputSpec({ ndim: 2, axes: { [-1]: features } });
    this.built = true;
  }

  dropoutMasks(batch: number, features: number, training: boolean): RecurrentDropoutMasks {
    return drawMasks(this.seedGenerator, batch, features, this.units, this.dropout, this.recurrentDropout, training);
  }

  /** One step: x [batch, features], h [batch, units] to h'. */
  step(x: Tensor, h: Tensor, masks: RecurrentDropoutMasks = {}): Tensor {
    const xm = masks.input ? ops.multiply(x, masks.input) : x;
    const hm = masks.recurrent ? ops.multiply(h, masks.recurrent) : h;
    let z = ops.matmul(xm, this.kernel as Variable);
    if (this.bias) z = ops.add(z, this.bias);
    return this.activation(ops.add(z, ops.matmul(hm, this.recurrentKernel as Variable)));
  }

  /** The RNN's step: the new states ([h']). */
  stepStates(x: Tensor, states: Tensor[], masks: unknown): Tensor[] {
    return [this.step(x, states[0], masks as RecurrentDropoutMasks)];
  }

  /** `apply(x, { initialState: [h], training })` gives h' (zeros when no state is given). */
  call(inputs: Tensor, options: CallOptions = {}): Tensor {
    const batch = inputs.shape[0];
    const states = options.initialState as Tensor[] | undefined;
    if (states !== undefined) checkOneState(states.map((s) => s.shape), batch, this.units, `${this.constructor.name} "${this.name}"`);
    const h = states?.[0] ?? zeros([batch, this.units]);
    return this.step(inputs, h, this.dropoutMasks(batch, inputs.shape[1], options.training === true));
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [inputShape[0], this.units];
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    if (shape.length !== 2) return `${this.constructor.name} processes one timestep, (batch, features). Fix: for a whole sequence (batch, timesteps, features) use layers.SimpleRNN or layers.RNN.`;
    return undefined;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: initializers.serialize(this.kernelInitializer),
      recurrent_initializer: initializers.serialize(this.recurrentInitializer),
      bias_initializer: initializers.serialize(this.biasInitializer),
      kernel_regularizer: regularizers.serialize(this.kernelRegularizer),
      recurrent_regularizer: regularizers.serialize(this.recurrentRegularizer),
      bias_regularizer: regularizers.serialize(this.biasRegularizer),
      kernel_constraint: constraints.serialize(this.kernelConstraint),
      recurrent_constraint: constraints.serialize(this.recurrentConstraint),
      bias_constraint: constraints.serialize(this.biasConstraint),
      dropout: this.dropout,
      recurrent_dropout: this.recurrentDropout,
      seed: this.seed,
    };
  }
}

registerCell('SimpleRNNCell', (config) => SimpleRNNCell.fromConfig(config));
