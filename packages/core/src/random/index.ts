/**
 * keras.random: seeded sampling that gives the same numbers on every backend.
 *
 * ```ts
 * utils.setRandomSeed(42);
 * const w = random.normal([3, 4], { stddev: 0.1 });
 * const gen = new random.SeedGenerator(1337);
 * const y = random.dropout(x, 0.5, { seed: gen });
 * ```
 */
export {
  randomNormal as normal,
  randomUniform as uniform,
  randomNormal,
  randomUniform,
  truncatedNormal,
  randint,
  dropout,
  dropoutMask,
  shuffle,
  shuffleIndices,
  type NormalOptions,
  type UniformOptions,
  type DropoutOptions,
} from './random.js';
export { SeedGenerator, setRandomSeed, type Seed, type SeedPair } from './seed_generator.js';
