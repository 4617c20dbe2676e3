/**
 * The initializer base (keras.initializers.Initializer) and what the families share: Keras's
 * fan computation, option checking, and the seed rules of Keras 3's RandomInitializer.
 */
import { config } from '../backend/config.js';
import { checkShape } from '../random/random.js';
import { checkSeed, makeDefaultSeed, SeedGenerator, type Seed } from '../random/seed_generator.js';
import { parseDType, type DType } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** A config as Keras writes it: snake_case keys, JSON values. */
export type InitializerConfig = Record<string, unknown>;

/**
 * Makes the initial value of a variable from its shape. Subclasses implement `call`; a subclass
 * with constructor options returns them from `getConfig` so that `fromConfig` can rebuild it.
 */
export abstract class Initializer {
  /** The Keras class name that `serialize` writes. */
  static readonly className: string = 'Initializer';

  abstract call(shape: readonly number[], dtype?: DType | string): Tensor;

  getConfig(): InitializerConfig {
    return {};
  }

  get className(): string {
    return (this.constructor as typeof Initializer).className;
  }

  /** Rebuilds an initializer from `getConfig()`'s output; the config keys are the constructor's options. */
  static fromConfig<T extends Initializer>(this: new (options?: InitializerConfig) => T, config: InitializerConfig = {}): T {
    return new this(config);
  }
}

/** The shape and dtype every initializer checks first; the dtype defaults to floatx. */
export function checkCall(shape: unknown, dtype: DType | string | undefined, where: string): { shape: Shape; dtype: DType } {
  return { shape: checkShape(shape, where), dtype: dtype === undefined ? config.floatx() : parseDType(dtype, where) };
}

/** Rejects option names the initializer does not have, which catches camelCase/snake_case slips. */
export function checkOptions(options: object, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(
        `${where}: unknown option '${key}'. Expected ${allowed.length === 0 ? 'no options' : `only ${allowed.map((a) => `'${a}'`).join(', ')}`}. ` +
          `Fix: remove '${key}' or use one of those names.`,
      );
    }
  }
}

/** Keras's compute_fans: [fan_in, fan_out]; a conv kernel (..., in, out) counts its receptive field. */
export function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  if (shape.length === 2) return [shape[0], shape[1]];
  let receptiveField = 1;
  for (const d of shape.slice(0, -2)) receptiveField *= d;
  return [shape[shape.length - 2] * receptiveField, shape[shape.length - 1] * receptiveField];
}

/** A seed as a config holds it: an integer, null, or a serialized SeedGenerator. */
export type SeedConfig = number | null | { class_name: 'SeedGenerator'; config: { seed: number | null } };

/**
 * The seed rules of Keras 3's RandomInitializer. An integer seed gives the same values on every
 * call; so does no seed, with a default seed drawn from the global stream (`setRandomSeed`) on
 * first use; a SeedGenerator gives new values on every call.
 */
export class InitializerSeed {
  private readonly initial: number | SeedGenerator | null;
  private resolved: number | undefined;

  constructor(seed: unknown, where: string) {
    if (seed === null || seed === undefined) this.initial = null;
    else if (seed instanceof SeedGenerator) this.initial = seed;
    else if (typeof seed === 'object' && (seed as { class_name?: unknown }).class_name === 'SeedGenerator') {
      this.initial = SeedGenerator.fromConfig((seed as { config?: { seed?: number | null } }).config ?? {});
    } else this.initial = checkSeed(seed, where);
  }

  /** The seed for this call's draw. */
  forCall(): Seed {
    if (this.initial !== null) return this.initial;
    // Drawn on first use, not at construction, so an initializer made before setRandomSeed follows it.
    this.resolved ??= makeDefaultSeed();
    return this.resolved;
  }

  toConfig(): SeedConfig {
    if (this.initial instanceof SeedGenerator) return { class_name: 'SeedGenerator', config: this.initial.getConfig() };
    return this.initial;
  }
}
