/**
 * The generator and samplers in plain JavaScript: no backend needed. Philox is checked against
 * Random123's published known-answer vectors and against an independent BigInt implementation.
 */
import { describe, expect, it } from '@jest/globals';
import { philox4x32, PhiloxStream, splitWords } from '../src/random/philox.js';
import { keepMask, permutation, standardNormals, truncatedStandardNormals, uniformFloat32, uniformIntegers } from '../src/random/distributions.js';
import { drawSeed, globalSeedGenerator, makeDefaultSeed, SeedGenerator, setRandomSeed } from '../src/random/seed_generator.js';
import { meanTolerance, moments, relativeStdTolerance } from './support/statistics.js';

/** Philox-4x32-10 written from the paper with BigInt arithmetic, sharing no code with philox.ts. */
function referencePhilox(counter: readonly number[], key: readonly number[]): number[] {
  const mask = 0xffffffffn;
  let c = counter.map(BigInt);
  let k = key.map(BigInt);
  for (let round = 0; round < 10; round++) {
    const p0 = 0xd2511f53n * c[0];
    const p1 = 0xcd9e8d57n * c[2];
    c = [((p1 >> 32n) ^ c[1] ^ k[0]) & mask, p1 & mask, ((p0 >> 32n) ^ c[3] ^ k[1]) & mask, p0 & mask];
    k = [(k[0] + 0x9e3779b9n) & mask, (k[1] + 0xbb67ae85n) & mask];
  }
  return c.map(Number);
}

describe('philox4x32', () => {
  // Random123 1.14, examples/kat_vectors, the three "philox4x32 10" lines: counter, key -> output.
  const vectors: [number[], number[], number[]][] = [
    [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
    [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
    [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
  ];
  it.each(vectors)('matches the Random123 known answer for counter %j, key %j', (counter, key, expected) => {
    expect(Array.from(philox4x32(counter, key))).toEqual(expected);
  });

  it('agrees with an independent BigInt implementation on 2000 random inputs', () => {
    let state = 12345;
    const word = (): number => {
      // A 32-bit LCG is enough to spread the inputs; its quality does not matter here.
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state;
    };
    for (let i = 0; i < 2000; i++) {
      const counter = [word(), word(), word(), word()];
      const key = [word(), word()];
      expect(Array.from(philox4x32(counter, key))).toEqual(referencePhilox(counter, key));
    }
  });

  it('splits integers into 64-bit two-complement words', () => {
    expect(splitWords(0)).toEqual([0, 0]);
    expect(splitWords(42)).toEqual([42, 0]);
    expect(splitWords(2 ** 32 + 5)).toEqual([5, 1]);
    expect(splitWords(-1)).toEqual([0xffffffff, 0xffffffff]);
    expect(splitWords(Number.MAX_SAFE_INTEGER)).toEqual([0xffffffff, 0x1fffff]);
  });
});

describe('PhiloxStream', () => {
  it('is blocks 0, 1, 2... of Philox keyed by the seed, with the draw counter in the upper counter words', () => {
    const stream = new PhiloxStream(2 ** 40 + 7, 3);
    const words = Array.from({ length: 12 }, () => stream.nextUint32());
    const expected = [0, 1, 2].flatMap((block) => referencePhilox([block, 0, 3, 0], [7, 2 ** 8]));
    expect(words).toEqual(expected);
  });

  it('gives the pinned first words for seed 42 (regression guard for the stream layout)', () => {
    const stream = new PhiloxStream(42, 0);
    const words = Array.from({ length: 8 }, () => stream.nextUint32());
    expect(words).toEqual([0x9ceaf053, 0x77f5493b, 0x12bf50ad, 0x5742b3d7, 0xfcdb2127, 0x53ba6cfd, 0x838f5a6e, 0x744e06fb]);
  });

  it('repeats for the same seed and draw, and differs across draws and seeds', () => {
    const take = (seed: number, draw: number): number[] => {
      const s = new PhiloxStream(seed, draw);
      return Array.from({ length: 16 }, () => s.nextUint32());
    };
    expect(take(7, 0)).toEqual(take(7, 0));
    expect(take(7, 1)).not.toEqual(take(7, 0));
    expect(take(8, 0)).not.toEqual(take(7, 0));
  });

  it('makes 53-bit doubles in [0, 1) from two words', () => {
    const [a, b] = referencePhilox([0, 0, 0, 0], [42, 0]);
    const expected = ((a >>> 5) * 2 ** 26 + (b >>> 6)) / 2 ** 53;
    expect(new PhiloxStream(42, 0).nextFloat53()).toBe(expected);
  });
});

describe('samplers', () => {
  const n = 200_000;

  it('standardNormals: Box–Muller on the stream, pinned and with mean 0 and std 1', () => {
    const first = standardNormals(new PhiloxStream(42, 0), 4);
    expect(Array.from(first)).toEqual([1.2345418209781556, 0.6118499302684758, -2.9550533674680803, -0.25885655924451106]);
    // The pinned pair follows from the stream's first two doubles.
    const s = new PhiloxStream(42, 0);
    const u1 = s.nextFloat53();
    const u2 = s.nextFloat53();
    expect(first[0]).toBeCloseTo(Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2), 14);
    const m = moments(standardNormals(new PhiloxStream(1, 0), n));
    expect(Math.abs(m.mean)).toBeLessThan(meanTolerance(1, n));
    expect(Math.abs(m.std - 1)).toBeLessThan(relativeStdTolerance(n));
  });

  it('standardNormals of odd length are the prefix of the even-length draw', () => {
    expect(Array.from(standardNormals(new PhiloxStream(3, 0), 5))).toEqual(Array.from(standardNormals(new PhiloxStream(3, 0), 6)).slice(0, 5));
  });

  it('truncatedStandardNormals stay within 2 and have the truncated std 0.8796', () => {
    const values = truncatedStandardNormals(new PhiloxStream(2, 0), n);
    const m = moments(values);
    expect(m.max).toBeLessThanOrEqual(2);
    expect(m.min).toBeGreaterThanOrEqual(-2);
    expect(Math.abs(m.mean)).toBeLessThan(meanTolerance(1, n));
    expect(Math.abs(m.std / 0.87962566103423978 - 1)).toBeLessThan(relativeStdTolerance(n));
    // A good share of values lies near the bound: the tails were cut, not squeezed.
    expect(values.filter((v) => Math.abs(v) > 1.9).length).toBeGreaterThan(n * 0.005);
  });

  it('uniformFloat32 lies in [minval, maxval) even where float32 rounding would reach maxval', () => {
    const m = moments(uniformFloat32(new PhiloxStream(4, 0), n, -3, 5));
    expect(m.min).toBeGreaterThanOrEqual(-3);
    expect(m.max).toBeLessThan(5);
    expect(Math.abs(m.mean - 1)).toBeLessThan(meanTolerance(8 / Math.sqrt(12), n));
    expect(Math.abs(m.std / (8 / Math.sqrt(12)) - 1)).toBeLessThan(relativeStdTolerance(n));
    // 0.05 is not a float32: its nearest float32 is above it, so every value must stay below that.
    const narrow = uniformFloat32(new PhiloxStream(5, 0), n, 0.05 - 1e-7, 0.05);
    expect(narrow.every((v) => v < 0.05 && v >= 0.05 - 1e-7)).toBe(true);
    expect(narrow.filter((v) => v === Math.fround(0.05) - 2 ** -28).length).toBeGreaterThan(0);
    expect(() => uniformFloat32(new PhiloxStream(5, 0), 1, 0.05 - 1e-9, 0.05)).toThrow(/no float32 value lies/);
    expect(Array.from(uniformFloat32(new PhiloxStream(42, 0), 2, 0, 1))).toEqual([0.6129598617553711, 0.4685865044593811]);
  });

  it('uniformIntegers cover [minval, maxval) evenly', () => {
    const values = uniformIntegers(new PhiloxStream(6, 0), 60_000, -2, 4);
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    for (const c of counts.values()) expect(Math.abs(c - 10_000)).toBeLessThan(6 * Math.sqrt(10_000 * (5 / 6)));
  });

  it('permutation is a permutation, pinned, and puts each element first equally often', () => {
    expect(Array.from(permutation(new PhiloxStream(42, 0), 10))).toEqual([5, 8, 1, 2, 9, 4, 3, 7, 0, 6]);
    const big = permutation(new PhiloxStream(7, 0), 10_000);
    expect(Array.from(big).sort((a, b) => a - b)).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    const firsts = new Array<number>(5).fill(0);
    const trials = 20_000;
    for (let t = 0; t < trials; t++) firsts[permutation(new PhiloxStream(9, t), 5)[0]]++;
    for (const c of firsts) expect(Math.abs(c - trials / 5)).toBeLessThan(6 * Math.sqrt((trials / 5) * 0.8));
    expect(permutation(new PhiloxStream(1, 0), 0).length).toBe(0);
  });

  it('keepMask keeps a fraction 1 - rate, and everything at rate 0', () => {
    const mask = keepMask(new PhiloxStream(8, 0), n, 0.3);
    const kept = mask.reduce((a, b) => a + b, 0);
    expect(Math.abs(kept / n - 0.7)).toBeLessThan(meanTolerance(Math.sqrt(0.21), n));
    expect(keepMask(new PhiloxStream(8, 0), 1000, 0).every((v) => v === 1)).toBe(true);
  });
});

describe('seeds', () => {
  it('an integer seed names draw 0 of that seed, every time', () => {
    expect(drawSeed(5, 'test')).toEqual({ seed: 5, counter: 0 });
    expect(drawSeed(5, 'test')).toEqual({ seed: 5, counter: 0 });
  });

  it('a SeedGenerator advances its counter, and two with one seed agree', () => {
    const a = new SeedGenerator(11);
    const b = new SeedGenerator(11);
    expect([a.next(), a.next()]).toEqual([{ seed: 11, counter: 0 }, { seed: 11, counter: 1 }]);
    expect(drawSeed(b, 'test')).toEqual({ seed: 11, counter: 0 });
    expect(a.state).toEqual([11, 2]);
    b.setState([11, 2]);
    expect(b.next()).toEqual(a.next());
    expect(a.getConfig()).toEqual({ seed: 11 });
    expect(SeedGenerator.fromConfig({ seed: 11 }).next()).toEqual({ seed: 11, counter: 0 });
  });

  it('setRandomSeed makes default seeds and the global generator reproducible', () => {
    setRandomSeed(42);
    const first = [makeDefaultSeed(), makeDefaultSeed(), new SeedGenerator().next().seed];
    const global = [globalSeedGenerator().next(), drawSeed(undefined, 'test')];
    setRandomSeed(42);
    expect([makeDefaultSeed(), makeDefaultSeed(), new SeedGenerator().next().seed]).toEqual(first);
    expect([globalSeedGenerator().next(), drawSeed(undefined, 'test')]).toEqual(global);
    expect(global[1].counter).toBe(global[0].counter + 1);
    expect(new Set(first).size).toBe(3);
    for (const s of first) expect(Number.isSafeInteger(s) && s >= 0).toBe(true);
    setRandomSeed(43);
    expect(makeDefaultSeed()).not.toBe(first[0]);
  });

  it('a generator made before setRandomSeed takes its seed on first use', () => {
    const early = new SeedGenerator();
    setRandomSeed(99);
    const seed = early.next().seed;
    setRandomSeed(99);
    expect(new SeedGenerator().next().seed).toBe(seed);
  });

  it('rejects seeds that are not integers, with the fix', () => {
    expect(() => drawSeed(1.5, 'random.normal')).toThrow(/seed must be an integer.*Fix/);
    expect(() => new SeedGenerator(Number.NaN)).toThrow(/SeedGenerator: seed must be an integer/);
    expect(() => setRandomSeed('1' as unknown as number)).toThrow(/setRandomSeed: seed must be an integer/);
  });
});
