/**
 * Seeds, as Keras 3 handles them: every random op takes `seed` = an integer (the same values on
 * every call), a `SeedGenerator` (a new stream on every call), or nothing (the global generator).
 * A draw is identified by a [seed, counter] pair, which keys a Philox stream; the numbers are
 * made in JavaScript, so one seed gives the same values on every backend.
 */
import { philox4x32, splitWords } from './philox.js';
import { noteNondeterministic } from '../runtime/nondeterminism.js';

/** What a random op accepts as its `seed`. */
export type Seed = number | SeedGenerator | null | undefined;

/** The identity of one draw: the stream's seed and the draw's counter within it. */
export interface SeedPair {
  readonly seed: number;
  readonly counter: number;
}

/** The global seed of `setRandomSeed`, or null while the process runs unseeded. */
let globalSeed: number | null = null;
/** How many default seeds were handed out since `setRandomSeed`. */
let defaultSeedDraws = 0;
let globalGenerator: SeedGenerator | null = null;
let generatorCount = 0;

/**
 * The counter words that default seeds are drawn with. Data draws use counters counted up from 0,
 * so this corner of the counter space keeps the two from ever meeting.
 */
const DEFAULT_SEED_DOMAIN = 0xffffffff;

export function checkSeed(seed: unknown, where: string): number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new TypeError(
      `${where}: seed must be an integer (or a SeedGenerator), got ${typeof seed === 'number' ? seed : typeof seed}. ` +
        `Fix: pass an integer such as 1337, or new random.SeedGenerator(1337) for a fresh stream per call.`,
    );
  }
  return seed;
}

/**
 * A fresh seed for generators and initializers created without one. After `setRandomSeed(s)`
 * these come from a Philox stream keyed by `s`, so the whole program is reproducible; before it,
 * from Math.random, so each process differs (Keras draws them from Python's `random` the same way).
 */
export function makeDefaultSeed(): number {
  if (globalSeed === null) return 1 + Math.floor(Math.random() * 2 ** 52);
  const [d0, d1] = splitWords(defaultSeedDraws++);
  const words = philox4x32([d0, d1, DEFAULT_SEED_DOMAIN, DEFAULT_SEED_DOMAIN], splitWords(globalSeed));
  // 53 bits keep default seeds distinct across even millions of layers.
  return (words[0] >>> 11) * 4294967296 + words[1];
}

/**
 * Sets the seed of every random op, generator and initializer made or first used after the call
 * (keras.utils.set_random_seed). Calling it again with the same seed replays the same numbers.
 */
export function setRandomSeed(seed: number): void {
  globalSeed = checkSeed(seed, 'setRandomSeed');
  defaultSeedDraws = 0;
  globalGenerator = null;
}

/**
 * A stream of seeds for one consumer, such as a dropout layer (keras.random.SeedGenerator): each
 * `next()` gives a new draw, so repeated calls with the generator give new values, while two
 * generators built with the same seed give the same sequence.
 *
 * ```ts
 * const gen = new random.SeedGenerator(42);
 * random.normal([2, 3], { seed: gen });   // differs from the next call
 * ```
 */
export class SeedGenerator {
  readonly name: string;
  /** The seed the generator was built with (null when it took a default seed). */
  private readonly initialSeed: number | null;
  /**
   * Drawn on first use rather than in the constructor, so that a generator made before
   * `setRandomSeed` (e.g. in a layer built at module load) still follows the seed set afterwards.
   */
  private seed: number | undefined;
  private counter = 0;

  constructor(seed: number | null = null, options: { name?: string } = {}) {
    this.initialSeed = seed === null || seed === undefined ? null : checkSeed(seed, 'SeedGenerator');
    if (this.initialSeed !== null) this.seed = this.initialSeed;
    this.name = options.name ?? `seed_generator_${generatorCount++}`;
  }

  /** The pair that identifies the next draw; advances the generator. */
  next(): SeedPair {
    this.seed ??= makeDefaultSeed();
    return { seed: this.seed, counter: this.counter++ };
  }

  /** [seed, counter], as Keras's `seed_generator_state` variable holds it. */
  get state(): [number, number] {
    this.seed ??= makeDefaultSeed();
    return [this.seed, this.counter];
  }

  /** Restores a state read from `state` (e.g. from saved weights). */
  setState(state: readonly [number, number]): void {
    const counter = state[1];
    if (!Number.isSafeInteger(counter) || counter < 0) {
      throw new RangeError(`SeedGenerator.setState: the counter must be a non-negative integer, got ${counter}. Fix: pass a state read from generator.state.`);
    }
    this.seed = checkSeed(state[0], 'SeedGenerator.setState');
    this.counter = counter;
  }

  getConfig(): { seed: number | null } {
    return { seed: this.initialSeed };
  }

  static fromConfig(config: { seed?: number | null; name?: string }): SeedGenerator {
    return new SeedGenerator(config.seed ?? null, config.name === undefined ? {} : { name: config.name });
  }
}

/** The generator of unseeded random ops, rebuilt (from a default seed) after each `setRandomSeed`. */
export function globalSeedGenerator(): SeedGenerator {
  globalGenerator ??= new SeedGenerator(makeDefaultSeed(), { name: 'global_seed_generator' });
  return globalGenerator;
}

/** Resolves a `seed` argument to the draw it names (keras.random's draw_seed). */
export function drawSeed(seed: Seed, where: string): SeedPair {
  // A compiled step would replay this draw's numbers: tell an open recording to give up.
  noteNondeterministic(`${where} draws random numbers in JavaScript`);
  if (seed instanceof SeedGenerator) return seed.next();
  if (seed === null || seed === undefined) return globalSeedGenerator().next();
  return { seed: checkSeed(seed, where), counter: 0 };
}
