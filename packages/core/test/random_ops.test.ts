/** keras.random's tensor ops on the test backend: values, seeds, dropout and shuffle. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { grad, memory, ops, random, tensor, tidy, utils } from '@keras-ts/core';
import { PhiloxStream } from '../src/random/philox.js';
import { standardNormals } from '../src/random/distributions.js';
import { useTestBackend } from './support/backend.js';
import { meanTolerance, moments, relativeStdTolerance } from './support/statistics.js';

beforeAll(async () => {
  await useTestBackend();
});

const data = (t: { dataSync(): ArrayLike<number>; dispose(): void }): number[] => {
  const values = Array.from(t.dataSync());
  t.dispose();
  return values;
};

describe('random.normal', () => {
  it('has the asked shape, float32 dtype, mean and stddev', () => {
    const t = random.normal([200, 500], { mean: 2, stddev: 3, seed: 1 });
    expect(t.shape).toEqual([200, 500]);
    expect(t.dtype).toBe('float32');
    const m = moments(data(t));
    expect(Math.abs(m.mean - 2)).toBeLessThan(meanTolerance(3, 100_000));
    expect(Math.abs(m.std / 3 - 1)).toBeLessThan(relativeStdTolerance(100_000));
  });

  it('is the JS sampler rounded to float32, so every backend gets the same values', () => {
    const expected = Float32Array.from(standardNormals(new PhiloxStream(42, 0), 6), (z) => 1 + 0.5 * z);
    expect(data(random.normal([2, 3], { mean: 1, stddev: 0.5, seed: 42 }))).toEqual(Array.from(expected));
  });

  it('an integer seed repeats; a SeedGenerator moves on; equal generators agree', () => {
    expect(data(random.normal([8], { seed: 3 }))).toEqual(data(random.normal([8], { seed: 3 })));
    const gen = new random.SeedGenerator(3);
    const first = data(random.normal([8], { seed: gen }));
    const second = data(random.normal([8], { seed: gen }));
    expect(second).not.toEqual(first);
    // The generator's first draw is the integer seed's draw, as in Keras.
    expect(first).toEqual(data(random.normal([8], { seed: 3 })));
    const twin = new random.SeedGenerator(3);
    expect([data(random.normal([8], { seed: twin })), data(random.normal([8], { seed: twin }))]).toEqual([first, second]);
  });

  it('unseeded draws differ call to call and replay after setRandomSeed', () => {
    utils.setRandomSeed(42);
    const a = [data(random.normal([5])), data(random.uniform([5]))];
    utils.setRandomSeed(42);
    const b = [data(random.normal([5])), data(random.uniform([5]))];
    expect(b).toEqual(a);
    expect(data(random.normal([5]))).not.toEqual(a[0]);
  });

  it('makes exactly one tensor and handles empty shapes', () => {
    const before = memory().numTensors;
    const t = random.normal([0, 4], { seed: 1 });
    expect(t.shape).toEqual([0, 4]);
    expect(memory().numTensors).toBe(before + 1);
    t.dispose();
    expect(data(random.normal([], { seed: 1 })).length).toBe(1);
  });

  it('rejects bad shapes, dtypes and parameters with the fix', () => {
    expect(() => random.normal([2, -1])).toThrow(/random.normal: shape \[2,-1\] is not a list of non-negative integers/);
    expect(() => random.normal([2], { dtype: 'int32' })).toThrow(/floating dtype.*Fix/);
    expect(() => random.normal([2], { stddev: Number.NaN })).toThrow(/stddev must be a finite number/);
    expect(() => random.normal([2], { seed: 0.5 })).toThrow(/seed must be an integer/);
  });
});

describe('random.uniform, truncatedNormal, randint', () => {
  const n = 100_000;

  it('uniform lies in [minval, maxval) with the uniform mean and stddev', () => {
    const m = moments(data(random.uniform([n], { minval: -2, maxval: 6, seed: 5 })));
    expect(m.min).toBeGreaterThanOrEqual(-2);
    expect(m.max).toBeLessThan(6);
    const sigma = 8 / Math.sqrt(12);
    expect(Math.abs(m.mean - 2)).toBeLessThan(meanTolerance(sigma, n));
    expect(Math.abs(m.std / sigma - 1)).toBeLessThan(relativeStdTolerance(n));
    const unit = moments(data(random.uniform([1000], { seed: 6 })));
    expect(unit.min).toBeGreaterThanOrEqual(0);
    expect(unit.max).toBeLessThan(1);
    expect(() => random.uniform([2], { minval: 1, maxval: 1 })).toThrow(/maxval \(1\) must be greater than minval \(1\)/);
  });

  it('truncatedNormal has no value beyond 2 stddev and the truncated spread', () => {
    const m = moments(data(random.truncatedNormal([n], { mean: -1, stddev: 0.5, seed: 7 })));
    expect(m.min).toBeGreaterThanOrEqual(-1 - 2 * 0.5 - 1e-6);
    expect(m.max).toBeLessThanOrEqual(-1 + 2 * 0.5 + 1e-6);
    expect(Math.abs(m.mean + 1)).toBeLessThan(meanTolerance(0.5, n));
    expect(Math.abs(m.std / (0.5 * 0.87962566103423978) - 1)).toBeLessThan(relativeStdTolerance(n));
  });

  it('randint gives int32 values in [minval, maxval)', () => {
    const t = random.randint([10_000], 3, 9, { seed: 1 });
    expect(t.dtype).toBe('int32');
    const values = data(t);
    expect(new Set(values)).toEqual(new Set([3, 4, 5, 6, 7, 8]));
    expect(() => random.randint([2], 0, 1.5)).toThrow(/maxval must be an integer/);
    expect(() => random.randint([2], 0, 4, { dtype: 'float32' })).toThrow(/integer dtype/);
  });
});

describe('random.dropout', () => {
  it('keeps a fraction 1 - rate and scales kept values by 1 / (1 - rate)', () => {
    const n = 100_000;
    const x = tensor(Float32Array.from({ length: n }, (_, i) => (i % 7) + 1), [n]);
    const y = data(random.dropout(x, 0.25, { seed: 11 }));
    const xs = x.dataSync();
    let kept = 0;
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      if (y[i] !== 0) {
        kept++;
        if (y[i] !== Math.fround(xs[i] / 0.75)) wrong++;
      }
    }
    expect(wrong).toBe(0);
    expect(Math.abs(kept / n - 0.75)).toBeLessThan(meanTolerance(Math.sqrt(0.75 * 0.25), n));
    // Scaling keeps the expected sum.
    const sum = (v: ArrayLike<number>): number => Array.from(v).reduce((a, b) => a + b, 0);
    expect(Math.abs(sum(y) / sum(xs) - 1)).toBeLessThan(0.02);
    x.dispose();
  });

  it('is reproducible with a seed and matches dropoutMask', () => {
    const x = tensor([[1, 2, 3, 4], [5, 6, 7, 8]]);
    const a = data(random.dropout(x, 0.5, { seed: 4 }));
    expect(data(random.dropout(x, 0.5, { seed: 4 }))).toEqual(a);
    const mask = random.dropoutMask([2, 4], 0.5, 4);
    expect(mask.dtype).toBe('bool');
    const m = data(mask);
    expect(a).toEqual(Array.from(x.dataSync(), (v, i) => (m[i] ? v * 2 : 0)));
    x.dispose();
  });

  it('shares the mask along axes where noiseShape is 1, and fills null entries from the input', () => {
    const x = ops.add(tensor(new Float32Array(64 * 10), [64, 10]), 1);
    const rows = random.dropout(x, 0.5, { noiseShape: [null, 1], seed: 2 }).arraySync() as number[][];
    for (const row of rows) expect(new Set(row).size).toBe(1);
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set([0, 2]));
    x.dispose();
  });

  it('turns dropped infinities and NaNs into 0, and passes gradient 1 / (1 - rate) to kept values only', () => {
    const x = tensor([Number.NaN, Infinity, 1, 1, 1, 1, 1, 1]);
    const mask = data(random.dropoutMask([8], 0.5, 9));
    const y = data(random.dropout(x, 0.5, { seed: 9 }));
    y.forEach((v, i) => {
      if (!mask[i]) expect(v).toBe(0);
    });
    const w = tensor([1, 2, 3, 4, 5, 6, 7, 8]);
    const [g] = grad(() => ops.sum(random.dropout(w, 0.5, { seed: 9 })), [w]);
    expect(data(g)).toEqual(mask.map((k) => (k ? 2 : 0)));
    x.dispose();
    w.dispose();
  });

  it('rejects bad rates and noise shapes with the fix', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(() => random.dropout(x, 1)).toThrow(/rate must be a number in \[0, 1\).*Fix/);
    expect(() => random.dropout(x, -0.1)).toThrow(/rate must be a number in \[0, 1\)/);
    expect(() => random.dropout(x, 0.5, { noiseShape: [2, 3] })).toThrow(/noiseShape \[2,3\] does not fit an input of shape \(2, 2\)/);
    expect(() => random.dropout(x, 0.5, { noiseShape: [2] })).toThrow(/does not fit/);
    expect(data(random.dropout(x, 0))).toEqual([1, 2, 3, 4]);
    x.dispose();
  });
});

describe('random.shuffle', () => {
  it('permutes the slices along an axis, reproducibly with a seed', () => {
    const x = tensor(Array.from({ length: 12 }, (_, i) => i), [4, 3]);
    const rows = random.shuffle(x, { seed: 5 }).arraySync() as number[][];
    expect(rows.map((r) => r[0] / 3).sort()).toEqual([0, 1, 2, 3]);
    for (const r of rows) expect(r).toEqual([r[0], r[0] + 1, r[0] + 2]);
    const order = Array.from(random.shuffleIndices(4, 5));
    expect(rows.map((r) => r[0] / 3)).toEqual(order);
    const cols = tidy(() => random.shuffle(x, { axis: 1, seed: 5 }).arraySync()) as number[][];
    expect(cols[0].slice().sort()).toEqual([0, 1, 2]);
    for (const r of cols) expect(r.map((v) => v - r[0] + cols[0][0])).toEqual(cols[0]);
    expect(() => random.shuffle(tensor(1))).toThrow(/cannot shuffle a scalar/);
    x.dispose();
  });

  it('shuffleIndices is a permutation that changes per SeedGenerator draw', () => {
    const gen = new random.SeedGenerator(1);
    const a = Array.from(random.shuffleIndices(1000, gen));
    const b = Array.from(random.shuffleIndices(1000, gen));
    expect(a.slice().sort((p, q) => p - q)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(b).not.toEqual(a);
    expect(() => random.shuffleIndices(-1)).toThrow(/n must be a non-negative int32/);
  });
});
