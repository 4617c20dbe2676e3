/**
 * What LSTMCell, GRUCell and SimpleRNNCell share: Keras's common cell arguments (units, activation,
 * use_bias, the kernel / recurrent kernel / bias initializers, regularizers and constraints,
 * dropout, recurrent_dropout, seed), their checks, and their config keys.
 */
import * as activations from '../../activations/index.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import * as constraints from '../../constraints/index.js';
import { InputSpec } from '../../engine/input_spec.js';
import { Layer, type LayerArgs, type LayerOutput, type SymbolicOutput } from '../../engine/layer.js';
import { SeedGenerator, checkSeed } from '../../random/seed_generator.js';
import type { Variable } from '../../runtime/variable.js';

export interface RecurrentCellArgs extends LayerArgs {
  /** The size of the state (and output). */
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
  /** Fraction of the inputs dropped in training (one mask per sequence). */
  dropout?: number;
  /** Fraction of the recurrent state dropped in training (one mask per sequence). */
  recurrentDropout?: number;
  seed?: number | null;
}

export function checkUnits(units: unknown, where: string): number {
  if (!Number.isInteger(units) || (units as number) <= 0) {
    throw new Error(`${where}: units must be a positive integer, got ${JSON.stringify(units)}. Fix: new layers.${where}({ units: 32 }).`);
  }
  return units as number;
}

/** An activation by name or function; an unknown name lists the known ones. */
export function checkActivation(value: string | activations.Activation | null | undefined, fallback: string, name: string, where: string): activations.NamedActivation {
  const id = value === undefined ? fallback : value;
  if (typeof id === 'string' && !activations.ACTIVATION_NAMES.includes(id)) {
    throw new Error(`${where}: unknown ${name} ${JSON.stringify(id)}. Allowed: ${activations.ACTIVATION_NAMES.join(', ')} (or a function, or null for linear).`);
  }
  return activations.get(id);
}

export function checkRate(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new RangeError(`${where}: ${name} must be a number in [0, 1) (the fraction of units to drop), got ${JSON.stringify(value)}. Fix: e.g. ${name}: 0.2, or 0 for none.`);
  }
  return value;
}

export function checkBoolean(value: unknown, name: string, where: string): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${where}: ${name} must be true or false, got ${JSON.stringify(value)}.`);
  return value;
}

export abstract class BaseRecurrentCell<S extends SymbolicOutput = SymbolicOutput, E extends LayerOutput = LayerOutput> extends Layer<S, E> {
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

  constructor(args: RecurrentCellArgs, where: string) {
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

  /** The config keys every Keras recurrent cell writes (the subclass adds its own). */
  protected cellConfig(): Record<string, unknown> {
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
