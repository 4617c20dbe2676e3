/**
 * Optimizer: the base of keras.optimizers, with Keras 3's BaseOptimizer semantics: a learning rate
 * (number or schedule), an iteration counter, state ("slot") variables created per model variable
 * on the first update, gradient clipping, decoupled weight decay and Keras's configs.
 */
import { uniqueName } from '../engine/naming.js';
import * as initializers from '../initializers/index.js';
import * as ops from '../ops/index.js';
import { tidy } from '../runtime/tidy.js';
import { Variable } from '../runtime/variable.js';
import { fill } from '../tensor/create.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { clipByGlobalNorm, clipByNorm, clipByValue } from './gradient_clipping.js';
import type { TrainingOptimizer } from './optimizer_interface.js';
import {
  camelCaseKeys, checkOptionNames, deserialize as deserializeSchedule, LearningRateSchedule, serialize as serializeSchedule, type SerializedSchedule,
} from './schedules/learning_rate_schedule.js';

/** A config as Keras writes it: snake_case keys, JSON values. */
export type OptimizerConfig = Record<string, unknown>;

/** The options every optimizer takes (Keras's base_optimizer keyword arguments, in camelCase). */
export interface OptimizerOptions {
  /** A number or a schedule; each optimizer has its own default. */
  learningRate?: number | LearningRateSchedule;
  /** Decoupled weight decay: before each update, `w -= w * weightDecay * learningRate`. */
  weightDecay?: number | null;
  /** Clip each gradient so that its own L2 norm is at most this. */
  clipnorm?: number | null;
  /** Clip each gradient element to [-clipvalue, clipvalue]. */
  clipvalue?: number | null;
  /** Clip all gradients together so that their joint L2 norm is at most this. */
  globalClipnorm?: number | null;
  /** Exponential moving average of the weights: not supported; only false is accepted. */
  useEma?: boolean;
  emaMomentum?: number;
  emaOverwriteFrequency?: number | null;
  /** Gradients are divided by this before anything else (the loss is multiplied by it in `scaleLoss`). */
  lossScaleFactor?: number | null;
  /** Gradient accumulation: not supported; only null is accepted. */
  gradientAccumulationSteps?: number | null;
  /** Prefix of the state variables' paths; each optimizer has Keras's default. */
  name?: string;
}

const BASE_OPTIONS = [
  'learningRate', 'weightDecay', 'clipnorm', 'clipvalue', 'globalClipnorm', 'useEma', 'emaMomentum', 'emaOverwriteFrequency', 'lossScaleFactor',
  'gradientAccumulationSteps', 'name',
] as const;

/** What a subclass declares in its static `defaults`: Keras's defaults and its own option names. */
export interface OptimizerDefaults {
  /** Keras's default name, or null for an automatic unique name from the class name (Adagrad). */
  name: string | null;
  learningRate: number;
  /** The subclass's own options (beyond OptimizerOptions), for catching misspelled options. */
  options: readonly string[];
}

/**
 * The learning rate an update uses: the learning-rate variable's value (a scalar tensor, so that a
 * compiled step feeds it rather than baking it in), or a schedule's value at this step (a number).
 */
export type LearningRateValue = number | Tensor;

/** A gradient and the variable it is the gradient of. A null gradient skips that variable, with a warning. */
export type GradientAndVariable = readonly [Tensor | null | undefined, Variable];

export function checkNumber(value: unknown, name: string, where: string, range?: { min?: number; max?: number; exclusiveMin?: boolean }): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${where}: ${name} must be a finite number, got ${JSON.stringify(value)}.`);
  }
  if (range) {
    const low = range.min ?? -Infinity;
    const tooLow = range.exclusiveMin ? value <= low : value < low;
    if (tooLow || value > (range.max ?? Infinity)) {
      const lowText = range.min === undefined ? '' : `${range.exclusiveMin ? '>' : '>='} ${range.min}`;
      const highText = range.max === undefined ? '' : `<= ${range.max}`;
      throw new RangeError(`${where}: ${name} must be ${[lowText, highText].filter(Boolean).join(' and ')}, got ${value}.`);
    }
  }
  return value;
}

function optionalNumber(value: number | null | undefined, name: string, where: string): number | null {
  if (value === undefined || value === null) return null;
  return checkNumber(value, name, where);
}

/**
 * The base class of every optimizer. A subclass creates its state in `buildSlots` (with
 * `addVariableFromReference` / `addOptimizerVariables`) and writes its rule in `updateStep`.
 *
 * A custom training loop differentiates a loss with `valueAndGrad` and applies the gradients:
 *
 * ```ts
 * const optimizer = new optimizers.Adam({ learningRate: 1e-3 });
 * const vars = model.trainableWeights;
 * for (let step = 0; step < 100; step++) {
 *   const { value, grads } = valueAndGrad(() => ops.mean(ops.square(ops.subtract(model.apply(x) as Tensor, y))), vars);
 *   optimizer.applyGradients(grads.map((g, i) => [g, vars[i]]));
 *   value.dispose();
 *   dispose(grads);   // the gradients stay the caller's: applyGradients frees nothing it was given
 * }
 * ```
 *
 * Each update runs inside `tidy` and only assigns variables, so it leaves no tensors behind.
 * `iterations` is kept in an int32 variable (Keras uses int64 on TensorFlow and int32 on JAX;
 * keras-ts has no int64), which counts up to 2^31 - 1 updates.
 *
 * A custom optimizer declares `protected static override readonly defaults` (its Keras name,
 * default learning rate and option names), creates its state in `buildSlots` and writes its
 * rule in `updateStep` with ops and `assign` / `assignAdd` / `assignSub`.
 */
export abstract class Optimizer implements TrainingOptimizer {
  /** The Keras class name that `serialize` writes. */
  static readonly className: string = 'Optimizer';
  /** Each subclass's Keras defaults and option names, read by the constructor. */
  protected static readonly defaults: OptimizerDefaults = { name: null, learningRate: 0.001, options: [] };

  readonly name: string;
  readonly weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  readonly useEma: boolean;
  readonly emaMomentum: number;
  readonly emaOverwriteFrequency: number | null;
  readonly lossScaleFactor: number | null;
  readonly gradientAccumulationSteps: number | null;

  private schedule: LearningRateSchedule | null = null;
  /** The learning rate until its variable exists (float32-rounded, as the variable will hold it). */
  private pendingLearningRate = 0;
  private learningRateVariable: Variable | null = null;
  private iterationVariable: Variable | null = null;
  /**
   * A schedule's value for the step in progress (see duringStep), made by the first training step;
   * not part of `variables` (Keras's state has no learning rate when a schedule drives it).
   */
  private scheduledRateVariable: Variable | null = null;
  /** True inside duringStep: scheduledRateVariable holds the rate of this step's update. */
  private ratePrepared = false;
  private readonly slotVariables: Variable[] = [];
  private readonly indices = new Map<Variable, number>();
  private trainableVariables: Variable[] = [];
  private isBuilt = false;
  private excludedVariables = new Set<Variable>();
  private excludedNames: RegExp | null = null;

  /**
   * The iteration count of the update in progress (`iterations` before this update increments
   * it), read from the counter on the host. Rules that can should use `localStep()` instead: a
   * host read of the counter changes every step, so it keeps the step from being compiled.
   */
  protected get iteration(): number {
    return this.iterations;
  }

  protected constructor(options: OptimizerOptions) {
    const where = new.target.className;
    const defaults = new.target.defaults;
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`${where}: expected an options object, got ${options === null ? 'null' : typeof options}. Fix: new optimizers.${where}({ learningRate: 0.01 }).`);
    }
    checkOptionNames(options, [...BASE_OPTIONS, ...defaults.options], where);
    this.name = options.name ?? defaults.name ?? uniqueName(where);
    this.weightDecay = optionalNumber(options.weightDecay, 'weightDecay', where);
    this.clipnorm = optionalNumber(options.clipnorm, 'clipnorm', where);
    this.clipvalue = optionalNumber(options.clipvalue, 'clipvalue', where);
    this.globalClipnorm = optionalNumber(options.globalClipnorm, 'globalClipnorm', where);
    this.useEma = options.useEma ?? false;
    this.emaMomentum = checkNumber(options.emaMomentum ?? 0.99, 'emaMomentum', where, { min: 0, max: 1 });
    this.emaOverwriteFrequency = options.emaOverwriteFrequency ?? null;
    this.lossScaleFactor = optionalNumber(options.lossScaleFactor, 'lossScaleFactor', where);
    this.gradientAccumulationSteps = options.gradientAccumulationSteps ?? null;
    if (this.useEma) {
      throw new Error(`${where}: useEma (an exponential moving average of the weights) is not supported by keras-ts optimizers. Fix: leave useEma out (false).`);
    }
    if (this.gradientAccumulationSteps !== null) {
      throw new Error(
        `${where}: gradientAccumulationSteps is not supported by keras-ts optimizers (got ${this.gradientAccumulationSteps}). ` +
          `Fix: leave it out, and use a larger batch or sum the gradients of several batches yourself before applyGradients.`,
      );
    }
    const clipping = { clipnorm: this.clipnorm, clipvalue: this.clipvalue, globalClipnorm: this.globalClipnorm };
    if (Object.values(clipping).filter((v) => v !== null).length > 1) {
      throw new Error(
        `${where}: only one of clipnorm, clipvalue and globalClipnorm can be set. Received clipnorm=${this.clipnorm}, clipvalue=${this.clipvalue}, globalClipnorm=${this.globalClipnorm}. ` +
          `Fix: keep one of them.`,
      );
    }
    this.learningRate = options.learningRate ?? defaults.learningRate;
  }

  get className(): string {
    return (this.constructor as typeof Optimizer).className;
  }

  // --- learning rate and iterations -----------------------------------------------------------

  /** The learning rate of the next update: the schedule's value at `iterations`, or the number (as float32). */
  get learningRate(): number {
    if (this.schedule) return this.schedule.call(this.iterations);
    if (this.learningRateVariable) return this.learningRateVariable.dataSync()[0];
    return this.pendingLearningRate;
  }

  /** A number changes the rate; a schedule replaces it. A schedule cannot be replaced by a number, as in Keras. */
  set learningRate(value: number | LearningRateSchedule) {
    if (value instanceof LearningRateSchedule) {
      this.schedule = value;
      // Keras stops tracking the learning-rate variable once a schedule drives the rate.
      this.learningRateVariable?.dispose();
      this.learningRateVariable = null;
      return;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new TypeError(
        `${this.className}: learningRate must be a finite number or a LearningRateSchedule, got ${value === null ? 'null' : typeof value === 'number' ? value : typeof value}. ` +
          `Fix: pass e.g. 0.001 or new optimizers.schedules.ExponentialDecay({...}).`,
      );
    }
    if (this.schedule) {
      throw new TypeError(
        `${this.className}: this optimizer was created with a LearningRateSchedule, so its learning rate cannot be set to a number. ` +
          `Fix: create the optimizer with a number learningRate if you need to change it during training.`,
      );
    }
    this.pendingLearningRate = Math.fround(value);
    if (this.learningRateVariable) tidy(() => this.learningRateVariable?.assign(fill([], value, 'float32')));
  }

  /**
   * Runs one training step with a schedule's rate for it computed now, before the step: inside,
   * the update reads it from a variable, so the step never reads the iteration count on the host.
   */
  duringStep<T>(fn: () => T): T {
    if (!this.schedule || this.ratePrepared) return fn();
    const rate = this.schedule.call(this.iterations);
    if (this.scheduledRateVariable) tidy(() => this.scheduledRateVariable?.assign(fill([], rate, 'float32')));
    else this.scheduledRateVariable = this.makeScheduledRateVariable(rate);
    this.ratePrepared = true;
    try {
      return fn();
    } finally {
      this.ratePrepared = false;
    }
  }

  private makeScheduledRateVariable(rate: number): Variable {
    return tidy(() => new Variable(fill([], rate, 'float32'), { name: 'scheduled_learning_rate', path: `${this.name}/scheduled_learning_rate`, trainable: false }));
  }

  /** The rate of the update in progress: the learning-rate variable, the prepared schedule value, or the schedule read now. */
  private currentRate(): LearningRateValue {
    if (!this.schedule) return (this.learningRateVariable as Variable).value;
    if (this.ratePrepared && this.scheduledRateVariable) return this.scheduledRateVariable.value;
    return this.schedule.call(this.iterations);
  }

  /** The schedule driving the learning rate, or null when it is a number. */
  get learningRateSchedule(): LearningRateSchedule | null {
    return this.schedule;
  }

  /** The number of updates applied so far. */
  get iterations(): number {
    return this.iterationVariable ? this.iterationVariable.dataSync()[0] : 0;
  }

  /** The int32 scalar variable `<name>/iteration` holding `iterations`. */
  get iterationsVariable(): Variable {
    this.createCounters();
    return this.iterationVariable as Variable;
  }

  /** The iteration counter and learning-rate variables, made on first need so that constructing an optimizer needs no backend. */
  private createCounters(): void {
    if (!this.iterationVariable) {
      this.iterationVariable = tidy(() => new Variable(fill([], 0, 'int32'), { name: 'iteration', path: `${this.name}/iteration`, trainable: false }));
    }
    if (!this.schedule && !this.learningRateVariable) {
      const value = this.pendingLearningRate;
      this.learningRateVariable = tidy(() => new Variable(fill([], value, 'float32'), { name: 'learning_rate', path: `${this.name}/learning_rate`, trainable: false }));
    }
  }

  // --- state ----------------------------------------------------------------------------------

  get built(): boolean {
    return this.isBuilt;
  }

  /**
   * The optimizer's state in Keras's order: the iteration counter, the learning rate (when it is a
   * number, not a schedule), then the slot variables in the order the optimizer creates them.
   */
  get variables(): Variable[] {
    this.createCounters();
    return [this.iterationVariable as Variable, ...(this.learningRateVariable ? [this.learningRateVariable] : []), ...this.slotVariables];
  }

  /** Creates the state for `variables` (the model variables this optimizer will update). Called by the first update; later calls do nothing. */
  build(variables: readonly Variable[]): void {
    if (this.isBuilt) return;
    if (!Array.isArray(variables) || variables.some((v) => !(v instanceof Variable))) {
      throw new TypeError(`${this.className}.build: expected a list of Variables (e.g. model.trainableWeights).`);
    }
    this.createCounters();
    this.trainableVariables = [...variables];
    this.trainableVariables.forEach((v, i) => this.indices.set(v, i));
    this.buildSlots(this.trainableVariables);
    this.isBuilt = true;
  }

  /** Subclasses create their per-variable state here. */
  protected buildSlots(variables: readonly Variable[]): void {
    void variables;
  }

  /** A state variable `<optimizer name>/<name>` of the given shape, filled by an initializer (zeros by default). */
  protected addVariable(options: { shape: readonly number[]; name: string; initializer?: initializers.InitializerIdentifier }): Variable {
    const initializer = initializers.get(options.initializer ?? 'zeros');
    const variable = tidy(() => new Variable(initializer.call([...options.shape], 'float32'), { name: options.name, path: `${this.name}/${options.name}`, trainable: false }));
    this.slotVariables.push(variable);
    return variable;
  }

  /** A state variable shaped like `reference`, named as Keras names it: `<reference path with / → _>_<name>`. */
  protected addVariableFromReference(reference: Variable, name: string, initializer: initializers.InitializerIdentifier = 'zeros'): Variable {
    return this.addVariable({ shape: reference.shape, name: `${reference.path.replace(/\//g, '_')}_${name}`, initializer });
  }

  /**
   * One state variable per model variable and per name. With several names they are created
   * interleaved (all names for the first variable, then the second...), as Keras orders them.
   */
  protected addOptimizerVariables(variables: readonly Variable[], names: readonly string[], initializer: initializers.InitializerIdentifier = 'zeros'): Variable[][] {
    const lists: Variable[][] = names.map(() => []);
    for (const v of variables) names.forEach((name, i) => lists[i].push(this.addVariableFromReference(v, name, initializer)));
    return lists;
  }

  /** The position of `variable` in the list the optimizer was built with, which indexes its slots. */
  protected variableIndex(variable: Variable): number {
    const index = this.indices.get(variable);
    if (index === undefined) throw new Error(`${this.className}: unknown variable '${variable.path}' (an internal error in keras-ts).`);
    return index;
  }

  /** Frees the state variables. The optimizer cannot be used afterwards. */
  dispose(): void {
    this.iterationVariable?.dispose();
    this.learningRateVariable?.dispose();
    this.scheduledRateVariable?.dispose();
    for (const v of this.slotVariables) v.dispose();
  }

  // --- weight decay ---------------------------------------------------------------------------

  /**
   * Keeps weight decay off some variables: those in `varList`, and those whose name matches any of
   * `varNames` (as regular expressions, e.g. ['bias']). Must be called before the first update.
   */
  excludeFromWeightDecay(options: { varList?: readonly Variable[]; varNames?: readonly string[] }): void {
    if (this.isBuilt) throw new Error(`${this.className}: excludeFromWeightDecay() can only be called before the optimizer is built (before the first update).`);
    this.excludedVariables = new Set(options.varList ?? []);
    this.excludedNames = options.varNames && options.varNames.length > 0 ? new RegExp([...new Set(options.varNames)].join('|')) : null;
  }

  private usesWeightDecay(variable: Variable): boolean {
    if (this.excludedVariables.has(variable)) return false;
    return !(this.excludedNames && this.excludedNames.test(variable.name));
  }

  // --- applying gradients ---------------------------------------------------------------------

  /** Multiplies the loss by `lossScaleFactor` (gradients are divided by it again before the update). */
  scaleLoss(loss: Tensor): Tensor {
    return this.lossScaleFactor === null ? loss : ops.multiply(loss, this.lossScaleFactor);
  }

  /**
   * Applies one update: `[gradient, variable]` pairs, e.g. `grads.map((g, i) => [g, vars[i]])`.
   * The first call builds the state for these variables; later calls may pass any of them. The
   * gradients stay the caller's to free. An empty list does nothing.
   */
  applyGradients(gradsAndVariables: readonly GradientAndVariable[]): void {
    if (!Array.isArray(gradsAndVariables) || gradsAndVariables.some((p) => !Array.isArray(p) || p.length !== 2)) {
      throw new TypeError(`${this.className}.applyGradients: expected a list of [gradient, variable] pairs. Fix: optimizer.applyGradients(grads.map((g, i) => [g, vars[i]])).`);
    }
    this.apply(
      gradsAndVariables.map((p) => p[0]),
      gradsAndVariables.map((p) => p[1]),
    );
  }

  /**
   * Applies one update from `grads[i]` for `variables[i]`. Without `variables`, the gradients
   * must match, in order, the variables the optimizer was built with.
   */
  apply(grads: readonly (Tensor | null | undefined)[], variables?: readonly Variable[]): void {
    if (!Array.isArray(grads)) throw new TypeError(`${this.className}.apply: expected a list of gradients, got ${grads === null ? 'null' : typeof grads}.`);
    if (grads.length === 0) return;
    const vars = this.prepareVariables(grads, variables);
    const kept: { grads: Tensor[]; vars: Variable[] } = { grads: [], vars: [] };
    const missing: string[] = [];
    grads.forEach((g, i) => {
      if (g === null || g === undefined) missing.push(vars[i].path);
      else {
        this.checkGradient(g, vars[i]);
        kept.grads.push(g);
        kept.vars.push(vars[i]);
      }
    });
    if (kept.grads.length === 0) throw new Error(`${this.className}: no gradients provided for any variable.`);
    if (missing.length > 0) {
      console.warn(`keras-ts: gradients do not exist for variables ${JSON.stringify(missing)} when minimizing the loss; they are not updated.`);
    }
    tidy(() => {
      this.createCounters();
      const learningRate = this.currentRate();
      let gs = kept.grads;
      const scale = this.lossScaleFactor;
      if (scale !== null) gs = gs.map((g) => ops.divide(g, scale));
      gs = this.clipGradients(gs);
      this.applyWeightDecay(kept.vars, learningRate);
      this.updateAll(gs, kept.vars, learningRate);
      const iteration = this.iterationsVariable;
      iteration.assign(ops.add(iteration, 1));
    });
  }

  private prepareVariables(grads: readonly unknown[], variables: readonly Variable[] | undefined): Variable[] {
    if (variables === undefined) {
      if (!this.isBuilt) {
        throw new Error(`${this.className}: apply(grads) without variables needs a built optimizer. Fix: pass the variables, or call optimizer.build(variables) first.`);
      }
      if (grads.length !== this.trainableVariables.length) {
        throw new Error(`${this.className}: got ${grads.length} gradients, but the optimizer tracks ${this.trainableVariables.length} variables. Fix: pass one gradient per variable.`);
      }
      return this.trainableVariables;
    }
    if (variables.length !== grads.length || variables.some((v) => !(v instanceof Variable))) {
      throw new TypeError(`${this.className}: expected one Variable per gradient (${grads.length}), got ${variables.length} items that are not all Variables.`);
    }
    this.build(variables);
    const unknown = variables.filter((v) => !this.indices.has(v));
    if (unknown.length > 0) {
      throw new Error(
        `${this.className}: unknown variables ${JSON.stringify(unknown.map((v) => v.path))}. This optimizer can only update the variables it was first built with ` +
          `(${this.trainableVariables.length} of them). Fix: create a new optimizer for a new set of variables.`,
      );
    }
    return [...variables];
  }

  private checkGradient(g: unknown, variable: Variable): void {
    if (!(g instanceof Tensor)) {
      throw new TypeError(`${this.className}: the gradient for variable '${variable.path}' is ${typeof g}, not a Tensor.`);
    }
    g.assertLive(`${this.className}.applyGradients`);
    if (variable.dtype !== 'float32') {
      throw new TypeError(`${this.className}: variable '${variable.path}' is ${variable.dtype}; optimizers update float32 variables only.`);
    }
    if (!shapesEqual(g.shape, variable.shape)) {
      throw new Error(
        `${this.className}: the gradient for variable '${variable.path}' has shape ${formatShape(g.shape)}, but the variable is ${formatShape(variable.shape)}. ` +
          `Fix: pair each gradient with its own variable (valueAndGrad returns them in the order of the variables given).`,
      );
    }
  }

  private clipGradients(grads: Tensor[]): Tensor[] {
    const cast = grads.map((g) => (g.dtype === 'float32' ? g : ops.cast(g, 'float32')));
    if (this.clipnorm !== null && this.clipnorm > 0) return cast.map((g) => clipByNorm(g, this.clipnorm as number));
    if (this.globalClipnorm !== null && this.globalClipnorm > 0) return clipByGlobalNorm(cast, this.globalClipnorm);
    if (this.clipvalue !== null && this.clipvalue > 0) return cast.map((g) => clipByValue(g, this.clipvalue as number));
    return cast;
  }

  private applyWeightDecay(variables: readonly Variable[], learningRate: LearningRateValue): void {
    if (this.weightDecay === null) return;
    const factor = ops.multiply(this.weightDecay, learningRate);
    for (const v of variables) if (this.usesWeightDecay(v)) v.assign(ops.subtract(v, ops.multiply(v, factor)));
  }

  /**
   * `iterations + 1` as a float32 scalar tensor, computed with ops from the iteration variable (as
   * Keras's `ops.cast(iterations + 1)`), so that a compiled training step need not read it back.
   */
  protected localStep(): Tensor {
    return ops.cast(ops.add(this.iterationsVariable, 1), 'float32');
  }

  /** Runs `updateStep` for each variable; an optimizer with per-step state (Nadam) updates it here first. */
  protected updateAll(grads: readonly Tensor[], variables: readonly Variable[], learningRate: LearningRateValue): void {
    grads.forEach((g, i) => this.updateStep(g, variables[i], learningRate));
  }

  /** Updates one variable (and its slots) from its gradient. Runs inside the update's tidy. */
  protected abstract updateStep(gradient: Tensor, variable: Variable, learningRate: LearningRateValue): void;

  protected assign(variable: Variable, value: Tensor): void {
    variable.assign(value);
  }

  protected assignAdd(variable: Variable, value: Tensor): void {
    variable.assign(ops.add(variable, value));
  }

  protected assignSub(variable: Variable, value: Tensor): void {
    variable.assign(ops.subtract(variable, value));
  }

  // --- config ---------------------------------------------------------------------------------

  /** Keras's config keys and values; a schedule appears serialized as `{ module, class_name, config, registered_name }`. */
  getConfig(): OptimizerConfig {
    const learningRate: number | SerializedSchedule = this.schedule ? serializeSchedule(this.schedule) : this.learningRate;
    return {
      name: this.name,
      learning_rate: learningRate,
      weight_decay: this.weightDecay,
      clipnorm: this.clipnorm,
      global_clipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
      use_ema: this.useEma,
      ema_momentum: this.emaMomentum,
      ema_overwrite_frequency: this.emaOverwriteFrequency,
      loss_scale_factor: this.lossScaleFactor,
      gradient_accumulation_steps: this.gradientAccumulationSteps,
    };
  }

  /**
   * An optimizer from a Keras config (snake_case keys, as `getConfig` writes them). A serialized
   * schedule under `learning_rate` is rebuilt; Keras's obsolete `decay` is ignored with a warning.
   */
  static fromConfig<T extends Optimizer>(this: new (options: never) => T, config: OptimizerConfig): T {
    if (config === null || typeof config !== 'object') throw new TypeError(`fromConfig: expected a config object, got ${config === null ? 'null' : typeof config}.`);
    const options = camelCaseKeys(config);
    if ('decay' in options) {
      if (options.decay !== null && options.decay !== undefined) console.warn('keras-ts: the optimizer argument `decay` is no longer supported and is ignored (as in Keras 3).');
      delete options.decay;
    }
    const lr = options.learningRate;
    if (lr !== null && typeof lr === 'object' && !(lr instanceof LearningRateSchedule)) {
      options.learningRate = deserializeSchedule(lr as { class_name: string; config?: Record<string, unknown> });
    }
    // Keras configs write absent values as null; the options take undefined for "the default".
    for (const key of ['learningRate', 'emaMomentum', 'useEma', 'name']) if (options[key] === null) delete options[key];
    return new this(options as never);
  }
}
