/** keras.initializers: values and statistics, Keras's configs and names, and seeding. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { initializers, random, utils, type Tensor } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';
import { meanTolerance, moments, relativeStdTolerance } from './support/statistics.js';

beforeAll(async () => {
  await useTestBackend();
});

const values = (t: Tensor): number[] => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

/** The Gram matrix MᵀM of a row-major rows x cols matrix. */
function gram(m: readonly number[], rows: number, cols: number): number[][] {
  return Array.from({ length: cols }, (_, i) =>
    Array.from({ length: cols }, (_, j) => {
      let s = 0;
      for (let r = 0; r < rows; r++) s += m[r * cols + i] * m[r * cols + j];
      return s;
    }),
  );
}

function expectScaledIdentity(g: number[][], scale: number, tol: number): void {
  let worst = 0;
  g.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (i === j ? scale : 0))))));
  expect(worst).toBeLessThan(tol);
}

function transpose(m: readonly number[], rows: number, cols: number): number[] {
  const out = new Array<number>(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c];
  return out;
}

describe('constant initializers', () => {
  it('Zeros, Ones and Constant fill any dtype', () => {
    expect(values(new initializers.Zeros().call([2, 3]))).toEqual([0, 0, 0, 0, 0, 0]);
    const ones = new initializers.Ones().call([2], 'int32');
    expect(ones.dtype).toBe('int32');
    expect(values(ones)).toEqual([1, 1]);
    expect(values(new initializers.Constant(0.5).call([3]))).toEqual([0.5, 0.5, 0.5]);
    expect(values(new initializers.Constant({ value: 7 }).call([2], 'int32'))).toEqual([7, 7]);
    expect(new initializers.Constant().getConfig()).toEqual({ value: 0 });
    expect(() => new initializers.Constant({ value: [1, 2] as unknown as number })).toThrow(/Constant: value must be a number/);
  });

  it('Identity makes gain * I for square and rectangular 2-D shapes only', () => {
    expect(new initializers.Identity().call([3, 3]).arraySync()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(new initializers.Identity({ gain: 2 }).call([2, 4]).arraySync()).toEqual([[2, 0, 0, 0], [0, 2, 0, 0]]);
    expect(new initializers.Identity().call([3, 2], 'int32').arraySync()).toEqual([[1, 0], [0, 1], [0, 0]]);
    expect(() => new initializers.Identity().call([2, 2, 2])).toThrow(/Identity: can only make 2-D matrices, got shape \(2, 2, 2\) of rank 3.*Fix/);
  });
});

describe('random initializers', () => {
  const n = 100_000;

  it('RandomNormal: Keras defaults mean 0, stddev 0.05', () => {
    const m = moments(values(new initializers.RandomNormal({ seed: 1 }).call([250, 400])));
    expect(Math.abs(m.mean)).toBeLessThan(meanTolerance(0.05, n));
    expect(Math.abs(m.std / 0.05 - 1)).toBeLessThan(relativeStdTolerance(n));
    const shifted = moments(values(new initializers.RandomNormal({ mean: 3, stddev: 2, seed: 1 }).call([n])));
    expect(Math.abs(shifted.mean - 3)).toBeLessThan(meanTolerance(2, n));
  });

  it('RandomUniform: Keras defaults [-0.05, 0.05)', () => {
    const m = moments(values(new initializers.RandomUniform({ seed: 2 }).call([n])));
    expect(m.min).toBeGreaterThanOrEqual(-0.05);
    expect(m.max).toBeLessThan(0.05);
    expect(m.max).toBeGreaterThan(0.0499);
    expect(Math.abs(m.std / (0.1 / Math.sqrt(12)) - 1)).toBeLessThan(relativeStdTolerance(n));
  });

  it('TruncatedNormal: nothing beyond 2 stddev, and the truncated spread 0.8796 stddev', () => {
    const m = moments(values(new initializers.TruncatedNormal({ seed: 3 }).call([n])));
    expect(m.max).toBeLessThanOrEqual(0.1 + 1e-7);
    expect(m.min).toBeGreaterThanOrEqual(-0.1 - 1e-7);
    expect(Math.abs(m.std / (0.05 * 0.87962566103423978) - 1)).toBeLessThan(relativeStdTolerance(n));
  });

  it('computeFans follows Keras, counting a conv kernel’s receptive field', () => {
    expect(initializers.computeFans([])).toEqual([1, 1]);
    expect(initializers.computeFans([7])).toEqual([7, 7]);
    expect(initializers.computeFans([784, 128])).toEqual([784, 128]);
    expect(initializers.computeFans([3, 3, 16, 32])).toEqual([144, 288]);
    expect(initializers.computeFans([5, 4, 8])).toEqual([20, 40]);
  });

  // [class, shape, fan used, scale, distribution]
  const presets: [string, number[], number, number, 'uniform' | 'truncated'][] = [
    ['GlorotUniform', [300, 500], 400, 1, 'uniform'],
    ['GlorotNormal', [300, 500], 400, 1, 'truncated'],
    ['HeUniform', [3, 3, 16, 1000], 144, 2, 'uniform'],
    ['HeNormal', [3, 3, 16, 1000], 144, 2, 'truncated'],
    ['LecunUniform', [200, 600], 200, 1, 'uniform'],
    ['LecunNormal', [5, 40, 700], 200, 1, 'truncated'],
    ['GlorotUniform', [3, 3, 16, 32], (144 + 288) / 2, 1, 'uniform'],
  ];
  it.each(presets)('%s on %j has the variance scale / fan (fan %d)', (name, shape, fan, scale, kind) => {
    const init = initializers.get({ class_name: name, config: { seed: 5 } });
    const v = values(init.call(shape));
    const m = moments(v);
    const sigma = Math.sqrt(scale / fan);
    expect(Math.abs(m.mean)).toBeLessThan(meanTolerance(sigma, v.length));
    expect(Math.abs(m.std / sigma - 1)).toBeLessThan(relativeStdTolerance(v.length));
    if (kind === 'uniform') {
      const limit = Math.sqrt((3 * scale) / fan);
      expect(m.max).toBeLessThan(limit);
      expect(m.min).toBeGreaterThanOrEqual(-limit);
      expect(m.max).toBeGreaterThan(limit * 0.99);
    } else {
      // The truncation point is 2 stddev of the normal before truncation, sigma / 0.8796.
      const bound = (2 * sigma) / 0.87962566103423978;
      expect(Math.max(m.max, -m.min)).toBeLessThanOrEqual(bound * (1 + 1e-6));
      expect(Math.max(m.max, -m.min)).toBeGreaterThan(bound * 0.95);
    }
  });

  it('VarianceScaling: every mode and distribution, with Keras’s checks', () => {
    const shape = [3, 3, 20, 40];
    for (const [mode, fan] of [['fan_in', 180], ['fan_out', 360], ['fan_avg', 270]] as const) {
      const untruncated = moments(values(new initializers.VarianceScaling({ scale: 3, mode, distribution: 'untruncated_normal', seed: 1 }).call(shape)));
      expect(Math.abs(untruncated.std / Math.sqrt(3 / fan) - 1)).toBeLessThan(relativeStdTolerance(7200));
      const uniform = moments(values(new initializers.VarianceScaling({ scale: 3, mode, distribution: 'uniform', seed: 1 }).call(shape)));
      expect(uniform.max).toBeLessThan(Math.sqrt(9 / fan));
    }
    expect(new initializers.VarianceScaling({ distribution: 'normal' }).distribution).toBe('truncated_normal');
    expect(new initializers.VarianceScaling({ distribution: 'UNIFORM' as 'uniform' }).distribution).toBe('uniform');
    expect(() => new initializers.VarianceScaling({ scale: 0 })).toThrow(/scale must be positive/);
    expect(() => new initializers.VarianceScaling({ mode: 'fan_sum' as 'fan_in' })).toThrow(/unknown mode "fan_sum".*'fan_in', 'fan_out' or 'fan_avg'/);
    expect(() => new initializers.VarianceScaling({ distribution: 'gamma' as 'uniform' })).toThrow(/unknown distribution "gamma"/);
    // A fan below 1 (an empty axis) is taken as 1, as in Keras.
    expect(values(new initializers.VarianceScaling({ distribution: 'uniform', seed: 1 }).call([0, 3]))).toEqual([]);
  });

  it('random initializers refuse integer dtypes with the fix', () => {
    expect(() => new initializers.GlorotUniform().call([2, 2], 'int32')).toThrow(/GlorotUniform: random initializers make floating values.*Fix/);
    expect(() => new initializers.RandomNormal().call([2], 'bool')).toThrow(/RandomNormal: random initializers/);
  });
});

describe('Orthogonal', () => {
  it('gives orthonormal columns for square and tall shapes, rows for wide ones', () => {
    expectScaledIdentity(gram(values(new initializers.Orthogonal({ seed: 1 }).call([64, 64])), 64, 64), 1, 1e-5);
    expectScaledIdentity(gram(values(new initializers.Orthogonal({ seed: 2 }).call([100, 30])), 100, 30), 1, 1e-5);
    const wide = values(new initializers.Orthogonal({ seed: 3 }).call([30, 100]));
    expectScaledIdentity(gram(transpose(wide, 30, 100), 100, 30), 1, 1e-5);
  });

  it('flattens a conv kernel to (prod of leading axes, last axis) and applies the gain', () => {
    const t = new initializers.Orthogonal({ gain: 2, seed: 4 }).call([3, 3, 4, 8]);
    expect(t.shape).toEqual([3, 3, 4, 8]);
    expectScaledIdentity(gram(values(t), 36, 8), 4, 1e-5);
    // Fewer rows than columns: the 2 x 12 flattening has orthonormal rows.
    const rowsOnly = values(new initializers.Orthogonal({ seed: 4 }).call([1, 2, 12]));
    expectScaledIdentity(gram(transpose(rowsOnly, 2, 12), 12, 2), 1, 1e-5);
  });

  it('fixes the signs so that Q is uniformly distributed (its corner entry has mean 0)', () => {
    const trials = 300;
    let sum = 0;
    for (let seed = 0; seed < trials; seed++) sum += values(new initializers.Orthogonal({ seed }).call([8, 8]))[0];
    // Without the sign fix, Householder's Q[0][0] would always be negative.
    expect(Math.abs(sum / trials)).toBeLessThan(meanTolerance(Math.sqrt(1 / 8), trials));
  });

  it('is deterministic per seed and rejects shapes of rank < 2', () => {
    expect(values(new initializers.Orthogonal({ seed: 9 }).call([5, 3]))).toEqual(values(new initializers.Orthogonal({ seed: 9 }).call([5, 3])));
    expect(() => new initializers.Orthogonal().call([5])).toThrow(/Orthogonal: the shape must have at least 2 axes, got \(5,\) of rank 1.*Fix/);
  });
});

describe('seeds', () => {
  it('a seeded initializer repeats across calls and instances; a SeedGenerator gives new values per call', () => {
    const a = new initializers.HeNormal({ seed: 7 });
    const first = values(a.call([4, 4]));
    expect(values(a.call([4, 4]))).toEqual(first);
    expect(values(new initializers.HeNormal({ seed: 7 }).call([4, 4]))).toEqual(first);
    const gen = new initializers.RandomNormal({ seed: new random.SeedGenerator(7) });
    expect(values(gen.call([4]))).not.toEqual(values(gen.call([4])));
  });

  it('an unseeded initializer repeats across calls (Keras 3) but differs from another instance', () => {
    const a = new initializers.GlorotUniform();
    const first = values(a.call([6, 6]));
    expect(values(a.call([6, 6]))).toEqual(first);
    expect(values(new initializers.GlorotUniform().call([6, 6]))).not.toEqual(first);
  });

  it('setRandomSeed(42) twice gives identical initializer values', () => {
    const draw = (): number[][] => [
      values(new initializers.GlorotUniform().call([10, 20])),
      values(initializers.get('he_normal').call([3, 3, 2, 4])),
      values(initializers.get('orthogonal').call([6, 4])),
      values(random.normal([5])),
    ];
    utils.setRandomSeed(42);
    const first = draw();
    utils.setRandomSeed(42);
    expect(draw()).toEqual(first);
    utils.setRandomSeed(43);
    expect(draw()[0]).not.toEqual(first[0]);
  });

  it('an initializer made before setRandomSeed follows the seed set before its first call', () => {
    const early = new initializers.RandomUniform();
    utils.setRandomSeed(5);
    const v = values(early.call([8]));
    utils.setRandomSeed(5);
    expect(values(new initializers.RandomUniform().call([8]))).toEqual(v);
  });
});

describe('get, serialize and configs', () => {
  const table: [string, string, string][] = [
    ['Zeros', 'zeros', 'zeros'],
    ['Ones', 'ones', 'ones'],
    ['Constant', 'constant', 'constant'],
    ['Identity', 'identity', 'identity'],
    ['RandomNormal', 'random_normal', 'randomNormal'],
    ['RandomUniform', 'random_uniform', 'randomUniform'],
    ['TruncatedNormal', 'truncated_normal', 'truncatedNormal'],
    ['VarianceScaling', 'variance_scaling', 'varianceScaling'],
    ['GlorotNormal', 'glorot_normal', 'glorotNormal'],
    ['GlorotUniform', 'glorot_uniform', 'glorotUniform'],
    ['HeNormal', 'he_normal', 'heNormal'],
    ['HeUniform', 'he_uniform', 'heUniform'],
    ['LecunNormal', 'lecun_normal', 'lecunNormal'],
    ['LecunUniform', 'lecun_uniform', 'lecunUniform'],
    ['OrthogonalInitializer', 'orthogonal', 'orthogonalInitializer'],
  ];
  it.each(table)('%s is found by its class name, %s and %s, and by both dict forms', (cls, snake, camel) => {
    for (const id of [cls, snake, camel, { class_name: cls, config: {} }, { className: cls }]) {
      expect(initializers.get(id).className).toBe(cls);
    }
    expect(initializers.INITIALIZER_NAMES).toContain(snake);
  });

  it('knows Keras’s aliases and legacy names, classes and instances', () => {
    // Keras 3 saves the class as OrthogonalInitializer; its short names still work.
    for (const id of ['Orthogonal', 'orthogonal']) expect(initializers.get(id)).toBeInstanceOf(initializers.Orthogonal);
    expect(initializers.get('uniform')).toBeInstanceOf(initializers.RandomUniform);
    expect(initializers.get('normal')).toBeInstanceOf(initializers.RandomNormal);
    expect(initializers.get('one')).toBeInstanceOf(initializers.Ones);
    expect(initializers.get('zero')).toBeInstanceOf(initializers.Zeros);
    expect(initializers.get('OrthogonalInitializer')).toBeInstanceOf(initializers.Orthogonal);
    expect(initializers.get('IdentityInitializer')).toBeInstanceOf(initializers.Identity);
    expect(initializers.get(initializers.HeUniform)).toBeInstanceOf(initializers.HeUniform);
    const instance = new initializers.Constant(2);
    expect(initializers.get(instance)).toBe(instance);
    expect(initializers.get(null)).toBeNull();
    expect(initializers.get(undefined)).toBeNull();
  });

  it('explains unknown names with the valid ones and a near match', () => {
    expect(() => initializers.get('glorot')).toThrow(/unknown initializer "glorot".*'glorot_uniform'.*'orthogonal'.*Fix/);
    expect(() => initializers.get('Glorot_Uniform')).toThrow(/did you mean 'GlorotUniform'/);
    expect(() => initializers.get({ class_name: 'Nope', config: {} })).toThrow(/unknown initializer "Nope"/);
    expect(() => initializers.get(42 as unknown as string)).toThrow(/cannot interpret 42 as an initializer/);
    const notAnInitializer = (): number => 1;
    expect(() => initializers.get(notAnInitializer as unknown as string)).toThrow(/cannot interpret the function notAnInitializer.*subclass initializers.Initializer/);
    expect(() => initializers.get({ class_name: 'Zeros', config: [] as unknown as Record<string, unknown> })).toThrow(/must be an object/);
  });

  it('getConfig has exactly Keras’s keys', () => {
    expect(new initializers.Zeros().getConfig()).toEqual({});
    expect(new initializers.Constant(3).getConfig()).toEqual({ value: 3 });
    expect(new initializers.Identity().getConfig()).toEqual({ gain: 1 });
    expect(new initializers.RandomNormal().getConfig()).toEqual({ seed: null, mean: 0, stddev: 0.05 });
    expect(new initializers.RandomUniform({ seed: 3 }).getConfig()).toEqual({ seed: 3, minval: -0.05, maxval: 0.05 });
    expect(new initializers.TruncatedNormal().getConfig()).toEqual({ seed: null, mean: 0, stddev: 0.05 });
    expect(new initializers.VarianceScaling().getConfig()).toEqual({ seed: null, scale: 1, mode: 'fan_in', distribution: 'truncated_normal' });
    expect(new initializers.GlorotUniform({ seed: 1 }).getConfig()).toEqual({ seed: 1 });
    expect(new initializers.Orthogonal().getConfig()).toEqual({ seed: null, gain: 1 });
    expect(new initializers.RandomNormal({ seed: new random.SeedGenerator(4) }).getConfig()).toEqual({
      seed: { class_name: 'SeedGenerator', config: { seed: 4 } },
      mean: 0,
      stddev: 0.05,
    });
  });

  it('serialize gives Keras 3’s form, and get(serialize(x)) rebuilds the same initializer', () => {
    expect(initializers.serialize(new initializers.HeNormal({ seed: 7 }))).toEqual({
      module: 'keras.initializers',
      class_name: 'HeNormal',
      config: { seed: 7 },
      registered_name: null,
    });
    const all = [
      new initializers.Zeros(), new initializers.Ones(), new initializers.Constant(1.5), new initializers.Identity({ gain: 3 }),
      new initializers.RandomNormal({ mean: 1, stddev: 2, seed: 1 }), new initializers.RandomUniform({ minval: -1, maxval: 2, seed: 2 }),
      new initializers.TruncatedNormal({ stddev: 0.3, seed: 3 }),
      new initializers.VarianceScaling({ scale: 2, mode: 'fan_avg', distribution: 'uniform', seed: 4 }),
      new initializers.GlorotNormal({ seed: 5 }), new initializers.GlorotUniform({ seed: 6 }), new initializers.HeNormal({ seed: 7 }),
      new initializers.HeUniform({ seed: 8 }), new initializers.LecunNormal({ seed: 9 }), new initializers.LecunUniform({ seed: 10 }),
      new initializers.Orthogonal({ gain: 0.5, seed: 11 }),
    ];
    for (const init of all) {
      const config = JSON.parse(JSON.stringify(initializers.serialize(init))) as { class_name: string; config: Record<string, unknown> };
      const rebuilt = initializers.deserialize(config);
      expect(rebuilt.constructor).toBe(init.constructor);
      expect(rebuilt.getConfig()).toEqual(init.getConfig());
      expect(values(rebuilt.call([4, 3]))).toEqual(values(init.call([4, 3])));
    }
    const generatorSeeded = new initializers.RandomUniform({ seed: new random.SeedGenerator(12) });
    const rebuilt = initializers.get(JSON.parse(JSON.stringify(initializers.serialize(generatorSeeded))) as { class_name: string });
    expect(rebuilt.getConfig()).toEqual(generatorSeeded.getConfig());
    expect(values(rebuilt.call([3]))).toEqual(values(new initializers.RandomUniform({ seed: new random.SeedGenerator(12) }).call([3])));
    const fromClass = initializers.RandomNormal.fromConfig({ mean: 2, stddev: 1, seed: 3 });
    expect(fromClass.getConfig()).toEqual({ seed: 3, mean: 2, stddev: 1 });
  });

  it('rejects option names the initializer does not have', () => {
    expect(() => initializers.get({ class_name: 'RandomNormal', config: { std_dev: 1 } })).toThrow(/RandomNormal: unknown option 'std_dev'. Expected only 'mean', 'stddev', 'seed'/);
    expect(() => initializers.get({ class_name: 'GlorotUniform', config: { scale: 2 } })).toThrow(/GlorotUniform: unknown option 'scale'/);
    expect(() => new initializers.RandomNormal({ seed: 'x' as unknown as number })).toThrow(/seed must be an integer/);
  });
});
