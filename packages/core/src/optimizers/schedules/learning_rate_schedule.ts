/**
 * keras.optimizers.schedules: learning rates as a function of the optimizer step. A schedule is
 * evaluated in JavaScript once per update (`call(step)` returns a plain number), so it costs no
 * tensor work; the optimizer passes the number into its update.
 *
 * ```ts
 * const lr = new optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 });
 * const sgd = new optimizers.SGD({ learningRate: lr });
 * ```
 */

/** A config as Keras writes it: snake_case keys, JSON values. */
export type ScheduleConfig = Record<string, unknown>;

/** The Keras 3 serialized form of a schedule, as it appears in an optimizer's config. */
export interface SerializedSchedule {
  module: string | null;
  class_name: string;
  config: ScheduleConfig;
  registered_name: string | null;
}

/**
 * The base of every schedule. Subclasses implement `call(step)` and, to be serializable,
 * `getConfig()` returning their constructor options in Keras's snake_case, and set a static
 * `className`.
 */
export abstract class LearningRateSchedule {
  /** The Keras class name that `serialize` writes. */
  static readonly className: string = 'LearningRateSchedule';

  /** The learning rate at optimizer step `step` (the number of updates already applied). */
  abstract call(step: number): number;

  getConfig(): ScheduleConfig {
    throw new Error(`Learning rate schedule '${this.className}' must override getConfig() to be serializable.`);
  }

  get className(): string {
    return (this.constructor as typeof LearningRateSchedule).className;
  }

  /** Rebuilds a schedule from `getConfig()`'s output (snake_case keys become the camelCase options). */
  static fromConfig<T extends LearningRateSchedule>(this: new (options: never) => T, config: ScheduleConfig): T {
    return new this(camelCaseKeys(config) as never);
  }
}

/** 'initial_learning_rate' → 'initialLearningRate': Keras's config keys as this package's option names. */
export function camelCaseKeys(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) out[key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = value;
  return out;
}

/** Rejects option names a class does not have, which catches camelCase/snake_case slips and typos. */
export function checkOptionNames(options: object, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`${where}: unknown option '${key}'. Expected only ${allowed.map((a) => `'${a}'`).join(', ')}. Fix: remove '${key}' or use one of those names.`);
    }
  }
}

function checkStep(step: number, where: string): void {
  if (typeof step !== 'number' || !Number.isFinite(step) || step < 0) {
    throw new TypeError(`${where}: step must be a non-negative number, got ${String(step)}. Fix: pass the optimizer's iteration count.`);
  }
}

function finite(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${where}: ${name} must be a finite number, got ${JSON.stringify(value)}.`);
  }
  return value;
}

function positive(value: unknown, name: string, where: string): number {
  const v = finite(value, name, where);
  if (v <= 0) throw new RangeError(`${where}: ${name} must be > 0, got ${v}. Fix: pass a positive number of steps.`);
  return v;
}

export interface ExponentialDecayOptions {
  initialLearningRate: number;
  /** Must be positive. */
  decaySteps: number;
  decayRate: number;
  /** Decay at whole multiples of decaySteps only (floor(step / decaySteps)). */
  staircase?: boolean;
  name?: string;
}

/** `initialLearningRate * decayRate ^ (step / decaySteps)`, the exponent floored when `staircase`. */
export class ExponentialDecay extends LearningRateSchedule {
  static override readonly className: string = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(options: ExponentialDecayOptions) {
    super();
    const where = 'ExponentialDecay';
    checkOptionNames(options ?? {}, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name'], where);
    this.initialLearningRate = finite(options?.initialLearningRate, 'initialLearningRate', where);
    this.decaySteps = positive(options.decaySteps, 'decaySteps', where);
    this.decayRate = finite(options.decayRate, 'decayRate', where);
    this.staircase = options.staircase ?? false;
    this.name = options.name ?? 'ExponentialDecay';
  }

  call(step: number): number {
    checkStep(step, this.name);
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate * this.decayRate ** p;
  }

  override getConfig(): ScheduleConfig {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      decay_rate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }
}

export interface PiecewiseConstantDecayOptions {
  /** Strictly increasing step counts. */
  boundaries: readonly number[];
  /** One more value than boundaries: values[i] applies while boundaries[i-1] < step <= boundaries[i]. */
  values: readonly number[];
  name?: string;
}

/** `values[0]` while `step <= boundaries[0]`, `values[i]` while `boundaries[i-1] < step <= boundaries[i]`, `values[n]` after. */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  static override readonly className: string = 'PiecewiseConstantDecay';
  readonly boundaries: readonly number[];
  readonly values: readonly number[];
  readonly name: string;

  constructor(options: PiecewiseConstantDecayOptions) {
    super();
    const where = 'PiecewiseConstantDecay';
    checkOptionNames(options ?? {}, ['boundaries', 'values', 'name'], where);
    const { boundaries, values } = options ?? {};
    if (!Array.isArray(boundaries) || !Array.isArray(values) || boundaries.length !== values.length - 1) {
      throw new Error(
        `${where}: the length of boundaries should be 1 less than the length of values. Received boundaries=${JSON.stringify(boundaries)} and values=${JSON.stringify(values)}. ` +
          `Fix: e.g. { boundaries: [100, 200], values: [0.1, 0.01, 0.001] }.`,
      );
    }
    boundaries.forEach((b, i) => finite(b, `boundaries[${i}]`, where));
    values.forEach((v, i) => finite(v, `values[${i}]`, where));
    for (let i = 1; i < boundaries.length; i++) {
      if (!(boundaries[i] > boundaries[i - 1])) {
        throw new Error(`${where}: boundaries must be strictly increasing, got ${JSON.stringify(boundaries)}. Fix: sort them and remove duplicates.`);
      }
    }
    this.boundaries = [...boundaries];
    this.values = [...values];
    this.name = options.name ?? 'PiecewiseConstant';
  }

  call(step: number): number {
    checkStep(step, this.name);
    const i = this.boundaries.findIndex((b) => step <= b);
    return this.values[i === -1 ? this.values.length - 1 : i];
  }

  override getConfig(): ScheduleConfig {
    return { boundaries: [...this.boundaries], values: [...this.values], name: this.name };
  }
}

export interface PolynomialDecayOptions {
  initialLearningRate: number;
  /** Must be positive. */
  decaySteps: number;
  /** Defaults to 0.0001. */
  endLearningRate?: number;
  /** Defaults to 1 (linear). */
  power?: number;
  /** Start again after decaySteps, over the next multiple of decaySteps. */
  cycle?: boolean;
  name?: string;
}

/** `(initial - end) * (1 - step / decaySteps) ^ power + end`, with step capped at decaySteps unless `cycle`. */
export class PolynomialDecay extends LearningRateSchedule {
  static override readonly className: string = 'PolynomialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;
  readonly name: string;

  constructor(options: PolynomialDecayOptions) {
    super();
    const where = 'PolynomialDecay';
    checkOptionNames(options ?? {}, ['initialLearningRate', 'decaySteps', 'endLearningRate', 'power', 'cycle', 'name'], where);
    this.initialLearningRate = finite(options?.initialLearningRate, 'initialLearningRate', where);
    this.decaySteps = positive(options.decaySteps, 'decaySteps', where);
    this.endLearningRate = finite(options.endLearningRate ?? 0.0001, 'endLearningRate', where);
    this.power = finite(options.power ?? 1.0, 'power', where);
    this.cycle = options.cycle ?? false;
    this.name = options.name ?? 'PolynomialDecay';
  }

  call(step: number): number {
    checkStep(step, this.name);
    let decaySteps = this.decaySteps;
    let s = step;
    // Cycling stretches the horizon to the first multiple of decaySteps at or past the step (1 at step 0).
    if (this.cycle) decaySteps *= step === 0 ? 1 : Math.ceil(step / this.decaySteps);
    else s = Math.min(step, decaySteps);
    const p = s / decaySteps;
    return (this.initialLearningRate - this.endLearningRate) * (1 - p) ** this.power + this.endLearningRate;
  }

  override getConfig(): ScheduleConfig {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      end_learning_rate: this.endLearningRate,
      power: this.power,
      cycle: this.cycle,
      name: this.name,
    };
  }
}

export interface InverseTimeDecayOptions {
  initialLearningRate: number;
  /** Must be positive. */
  decaySteps: number;
  decayRate: number;
  /** Decay at whole multiples of decaySteps only. */
  staircase?: boolean;
  name?: string;
}

/** `initialLearningRate / (1 + decayRate * step / decaySteps)`, the ratio floored when `staircase`. */
export class InverseTimeDecay extends LearningRateSchedule {
  static override readonly className: string = 'InverseTimeDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(options: InverseTimeDecayOptions) {
    super();
    const where = 'InverseTimeDecay';
    checkOptionNames(options ?? {}, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name'], where);
    this.initialLearningRate = finite(options?.initialLearningRate, 'initialLearningRate', where);
    this.decaySteps = positive(options.decaySteps, 'decaySteps', where);
    this.decayRate = finite(options.decayRate, 'decayRate', where);
    this.staircase = options.staircase ?? false;
    this.name = options.name ?? 'InverseTimeDecay';
  }

  call(step: number): number {
    checkStep(step, this.name);
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate / (1 + this.decayRate * p);
  }

  override getConfig(): ScheduleConfig {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      decay_rate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }
}

export interface CosineDecayOptions {
  initialLearningRate: number;
  /** Steps of the cosine decay (after the warmup). Must be positive. */
  decaySteps: number;
  /** The final rate as a fraction of the rate the decay starts from. Defaults to 0. */
  alpha?: number;
  name?: string;
  /** When set, the rate first rises linearly from initialLearningRate to this over warmupSteps, then decays from it. */
  warmupTarget?: number | null;
  /** Defaults to 0. */
  warmupSteps?: number;
}

/**
 * Optional linear warmup from `initialLearningRate` to `warmupTarget` over `warmupSteps`, then a
 * cosine decay over `decaySteps` from the warmup target (or the initial rate when there is no
 * warmup) down to `alpha` times it, held there afterwards.
 */
export class CosineDecay extends LearningRateSchedule {
  static override readonly className: string = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly name: string;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;

  constructor(options: CosineDecayOptions) {
    super();
    const where = 'CosineDecay';
    checkOptionNames(options ?? {}, ['initialLearningRate', 'decaySteps', 'alpha', 'name', 'warmupTarget', 'warmupSteps'], where);
    this.initialLearningRate = finite(options?.initialLearningRate, 'initialLearningRate', where);
    this.decaySteps = positive(options.decaySteps, 'decaySteps', where);
    this.alpha = finite(options.alpha ?? 0.0, 'alpha', where);
    this.name = options.name ?? 'CosineDecay';
    this.warmupTarget = options.warmupTarget === undefined || options.warmupTarget === null ? null : finite(options.warmupTarget, 'warmupTarget', where);
    this.warmupSteps = finite(options.warmupSteps ?? 0, 'warmupSteps', where);
  }

  private decay(step: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos(Math.PI * (step / this.decaySteps)));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }

  call(step: number): number {
    checkStep(step, this.name);
    if (this.warmupTarget === null) return this.decay(Math.min(step, this.decaySteps), this.initialLearningRate);
    const s = Math.min(step, this.decaySteps + this.warmupSteps);
    if (s < this.warmupSteps) return (this.warmupTarget - this.initialLearningRate) * (s / this.warmupSteps) + this.initialLearningRate;
    return this.decay(s - this.warmupSteps, this.warmupTarget);
  }

  override getConfig(): ScheduleConfig {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      alpha: this.alpha,
      name: this.name,
      warmup_target: this.warmupTarget,
      warmup_steps: this.warmupSteps,
    };
  }
}

type ScheduleClass = (new (options: never) => LearningRateSchedule) & { className: string; fromConfig(config: ScheduleConfig): LearningRateSchedule };

const CLASSES: readonly ScheduleClass[] = [ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay, CosineDecay];

/** The class names `deserialize` knows. */
export const SCHEDULE_NAMES: readonly string[] = CLASSES.map((c) => c.className);

/** `{ module, class_name, config, registered_name }`, as Keras 3 writes a schedule into an optimizer's config. */
export function serialize(schedule: LearningRateSchedule): SerializedSchedule {
  if (!(schedule instanceof LearningRateSchedule)) {
    throw new TypeError(`schedules.serialize: expected a LearningRateSchedule, got ${typeof schedule}. Fix: pass e.g. new schedules.ExponentialDecay({...}).`);
  }
  const builtin = CLASSES.some((c) => c === schedule.constructor);
  return {
    module: builtin ? 'keras.optimizers.schedules' : null,
    class_name: schedule.className,
    config: schedule.getConfig(),
    registered_name: builtin ? null : schedule.className,
  };
}

/** A schedule from `{ class_name, config }` (or `{ className, config }`); an instance is returned as is. */
export function deserialize(
  identifier: LearningRateSchedule | { class_name: string; config?: ScheduleConfig } | { className: string; config?: ScheduleConfig },
): LearningRateSchedule {
  if (identifier instanceof LearningRateSchedule) return identifier;
  const name = identifier && typeof identifier === 'object' ? ('class_name' in identifier ? identifier.class_name : identifier.className) : undefined;
  const cls = CLASSES.find((c) => c.className === name);
  if (!cls) {
    throw new Error(
      `schedules.deserialize: unknown learning rate schedule ${JSON.stringify(name ?? identifier)}. Expected one of ${SCHEDULE_NAMES.map((n) => `'${n}'`).join(', ')}. ` +
        `Fix: use one of those class names, or pass an instance of your own LearningRateSchedule subclass.`,
    );
  }
  return cls.fromConfig(identifier.config ?? {});
}
