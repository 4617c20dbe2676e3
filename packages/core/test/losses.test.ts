/**
 * keras.losses: every loss against values worked out here in plain JS (small inputs, Keras's
 * formulas), every reduction with sample weights, the torch-ref crossentropy vectors (per-sample
 * loss, batch mean and dy_pred through vjp), gradients against finite differences, the label-shape
 * errors, and get / getConfig / fromConfig / serialize.
 */
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { losses, memory, ops, tensor, tidy, vjp, type Tensor } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';
import { expectGradientsMatch } from './support/gradient_check.js';

beforeAll(async () => {
  await useTestBackend();
});

const EPS = 1e-7;
const values = (t: Tensor): number[] => Array.from(t.dataSync());
const scalarOf = (t: Tensor): number => t.dataSync()[0];

function expectClose(actual: number[] | number, expected: number[] | number, tol = 1e-5): void {
  const a = typeof actual === 'number' ? [actual] : actual;
  const e = typeof expected === 'number' ? [expected] : expected;
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => {
    if (!(Math.abs(v - e[i]) <= tol + tol * Math.abs(e[i]))) expect({ index: i, actual: v }).toEqual({ index: i, actual: e[i] });
  });
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const clip = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), hi);
/** Keras's elementwise binary crossentropy from a probability (clipped to [eps, 1 - eps]). */
const bceProb = (t: number, p: number): number => {
  const q = clip(p, EPS, 1 - EPS);
  return -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
};
/** The same from a logit: max(z, 0) - z t + log(1 + e^-|z|). */
const bceLogit = (t: number, z: number): number => Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
/** -sum(t log(p / sum p)) with the clip. */
const cceProb = (t: number[], p: number[]): number => {
  const s = p.reduce((a, b) => a + b, 0);
  return -t.reduce((acc, ti, i) => acc + ti * Math.log(clip(p[i] / s, EPS, 1 - EPS)), 0);
};
const cceLogit = (t: number[], z: number[]): number => {
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((a, zi) => a + Math.exp(zi - m), 0));
  return -t.reduce((acc, ti, i) => acc + ti * (z[i] - lse), 0);
};

describe('crossentropy losses against hand-computed values', () => {
  it('binaryCrossentropy from probabilities averages the elementwise losses over the last axis', () => {
    const out = losses.binaryCrossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]);
    expect(out.shape).toEqual([2]);
    expectClose(values(out), [(bceProb(0, 0.6) + bceProb(1, 0.4)) / 2, (bceProb(0, 0.4) + bceProb(0, 0.6)) / 2]);
    // Keras's documented values.
    expectClose(values(out), [0.916, 0.714], 1e-3);
  });

  it('binaryCrossentropy clips probabilities of exactly 0 and 1', () => {
    const out = losses.binaryCrossentropy([1, 0], [0, 1]);
    // In float32, as Keras computes it: 1 - 1e-7 rounds to 1 - 2^-23, so log(1 - q) at q = 1 - eps is log(2^-23).
    const f = Math.fround;
    const high = f(1 - f(EPS));
    expectClose(scalarOf(out), (-Math.log(f(EPS)) - Math.log(f(1 - high))) / 2, 1e-4);
    expect(Number.isFinite(scalarOf(out))).toBe(true);
  });

  it('binaryCrossentropy fromLogits is stable for large logits', () => {
    const z = [-18.6, 0.51, 2.94, -12.8];
    const t = [0, 1, 0, 0];
    const out = losses.binaryCrossentropy(t, z, { fromLogits: true });
    expectClose(scalarOf(out), mean(t.map((ti, i) => bceLogit(ti, z[i]))));
    expectClose(scalarOf(out), 0.8654, 1e-3);
    const big = losses.binaryCrossentropy([1, 0], [200, -200], { fromLogits: true });
    expectClose(scalarOf(big), 0, 1e-6);
  });

  it('binaryCrossentropy labelSmoothing squeezes the labels towards 0.5', () => {
    const s = 0.2;
    const out = losses.binaryCrossentropy([[1, 0]], [[0.7, 0.2]], { labelSmoothing: s });
    const smooth = (t: number): number => t * (1 - s) + 0.5 * s;
    expectClose(values(out), [(bceProb(smooth(1), 0.7) + bceProb(smooth(0), 0.2)) / 2]);
  });

  it('categoricalCrossentropy normalises the probabilities by their sum and clips', () => {
    const out = losses.categoricalCrossentropy([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);
    expectClose(values(out), [-Math.log(0.95), -Math.log(0.1)]);
    expectClose(values(out), [0.0513, 2.303], 1e-3);
    const unnormalised = losses.categoricalCrossentropy([[0, 1, 0]], [[1, 2, 1]]);
    expectClose(values(unnormalised), [cceProb([0, 1, 0], [1, 2, 1])]);
    expectClose(values(unnormalised), [-Math.log(0.5)]);
  });

  it('categoricalCrossentropy fromLogits and labelSmoothing', () => {
    const logits = [[1, 2, 3], [0.5, -1, 4]];
    const labels = [[0, 0, 1], [1, 0, 0]];
    expectClose(values(losses.categoricalCrossentropy(labels, logits, { fromLogits: true })), labels.map((t, i) => cceLogit(t, logits[i])));
    const s = 0.1;
    const smoothed = labels.map((t) => t.map((v) => v * (1 - s) + s / 3));
    expectClose(values(losses.categoricalCrossentropy(labels, logits, { fromLogits: true, labelSmoothing: s })), smoothed.map((t, i) => cceLogit(t, logits[i])));
    const probs = [[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]];
    expectClose(values(losses.categoricalCrossentropy(labels, probs, { labelSmoothing: s })), smoothed.map((t, i) => cceProb(t, probs[i])));
  });

  it('categoricalCrossentropy over a non-last class axis', () => {
    const logits = [[1, 0.5], [2, -1], [3, 4]];
    const labels = [[0, 1], [0, 0], [1, 0]];
    const out = losses.categoricalCrossentropy(labels, logits, { fromLogits: true, axis: 0 });
    expectClose(values(out), [cceLogit([0, 0, 1], [1, 2, 3]), cceLogit([1, 0, 0], [0.5, -1, 4])]);
  });

  it('sparseCategoricalCrossentropy takes int labels of shape (batch,) or (batch, 1), or floats holding integers', () => {
    const probs = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]];
    const expected = [-Math.log(0.95), -Math.log(0.1)];
    expectClose(values(losses.sparseCategoricalCrossentropy(tensor([1, 2], [2], 'int32'), probs)), expected);
    expectClose(values(losses.sparseCategoricalCrossentropy(tensor([[1], [2]], [2, 1], 'int32'), probs)), expected);
    expectClose(values(losses.sparseCategoricalCrossentropy([1, 2], probs)), expected);
    const logits = [[1, 2, 3], [0.5, -1, 4]];
    expectClose(values(losses.sparseCategoricalCrossentropy([2, 0], logits, { fromLogits: true })), [cceLogit([0, 0, 1], logits[0]), cceLogit([1, 0, 0], logits[1])]);
  });

  it('sparseCategoricalCrossentropy ignoreClass zeroes those entries, and the loss averages over the rest', () => {
    const logits = [[1, 2, 3], [0.5, -1, 4], [2, 2, 0]];
    const labels = [2, -1, 1];
    const l0 = cceLogit([0, 0, 1], logits[0]);
    const l2 = cceLogit([0, 1, 0], logits[2]);
    expectClose(values(losses.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true, ignoreClass: -1 })), [l0, 0, l2]);
    const loss = new losses.SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1 });
    expectClose(scalarOf(loss.apply(labels, logits)), (l0 + l2) / 2);
    expectClose(scalarOf(new losses.SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1, reduction: 'sum' }).apply(labels, logits)), l0 + l2);
    expectClose(scalarOf(loss.apply(labels, logits, [0.5, 3, 2])), (0.5 * l0 + 2 * l2) / 2);
  });

  it('binaryFocalCrossentropy (gamma, alpha, class balancing, logits)', () => {
    const focal = (t: number, p: number, gamma: number, alpha?: number): number => {
      const pT = t * p + (1 - t) * (1 - p);
      const w = alpha === undefined ? 1 : t * alpha + (1 - t) * (1 - alpha);
      return w * (1 - pT) ** gamma * bceProb(t, p);
    };
    const out = losses.binaryFocalCrossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], { gamma: 2 });
    expectClose(values(out), [(focal(0, 0.6, 2) + focal(1, 0.4, 2)) / 2, (focal(0, 0.4, 2) + focal(0, 0.6, 2)) / 2]);
    expectClose(values(out), [0.33, 0.206], 2e-3);
    const z = [-18.6, 0.51, 2.94, -12.8];
    const t = [0, 1, 0, 0];
    const sig = (x: number): number => 1 / (1 + Math.exp(-x));
    expectClose(scalarOf(losses.binaryFocalCrossentropy(t, z, { gamma: 2, fromLogits: true })), mean(t.map((ti, i) => focal(ti, sig(z[i]), 2))), 1e-4);
    expectClose(scalarOf(losses.binaryFocalCrossentropy(t, z, { gamma: 2, fromLogits: true })), 0.691, 1e-3);
    const balanced = losses.binaryFocalCrossentropy(t, z, { gamma: 2, fromLogits: true, applyClassBalancing: true, alpha: 0.25 });
    expectClose(scalarOf(balanced), mean(t.map((ti, i) => focal(ti, sig(z[i]), 2, 0.25))), 1e-4);
    expectClose(scalarOf(balanced), 0.51, 5e-3);
  });
});

describe('regression, hinge and probabilistic losses against hand-computed values', () => {
  const yTrue = [[0, 1], [0, 0], [2, -1]];
  const yPred = [[1, 1], [0.5, 0], [1.5, 1]];
  const perRow = (f: (t: number, p: number) => number): number[] => yTrue.map((row, i) => mean(row.map((t, j) => f(t, yPred[i][j]))));

  it('meanSquaredError, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredLogarithmicError', () => {
    expectClose(values(losses.meanSquaredError(yTrue, yPred)), perRow((t, p) => (t - p) ** 2));
    expectClose(values(losses.meanAbsoluteError(yTrue, yPred)), perRow((t, p) => Math.abs(t - p)));
    expectClose(values(losses.meanAbsolutePercentageError(yTrue, yPred)), perRow((t, p) => (100 * Math.abs(t - p)) / Math.max(Math.abs(t), EPS)), 1e-4);
    const msle = (t: number, p: number): number => (Math.log(Math.max(p, EPS) + 1) - Math.log(Math.max(t, EPS) + 1)) ** 2;
    expectClose(values(losses.meanSquaredLogarithmicError(yTrue, yPred)), perRow(msle));
  });

  it('huber is quadratic within delta and linear beyond', () => {
    const h = (delta: number) => (t: number, p: number): number => {
      const e = Math.abs(p - t);
      return e <= delta ? 0.5 * e * e : delta * e - 0.5 * delta * delta;
    };
    expectClose(values(losses.huber(yTrue, yPred)), perRow(h(1)));
    expectClose(values(losses.huber(yTrue, yPred, { delta: 0.3 })), perRow(h(0.3)));
    expectClose(mean(values(losses.huber([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]))), 0.155, 1e-3);
  });

  it('logCosh is log(cosh(error)), finite for large errors', () => {
    expectClose(values(losses.logCosh(yTrue, yPred)), perRow((t, p) => Math.log(Math.cosh(p - t))));
    expectClose(values(losses.logCosh([[0]], [[100]])), [100 - Math.LN2], 1e-5);
  });

  it('hinge and squaredHinge map 0/1 labels to -1/1, and leave other labels alone', () => {
    const pred = [[0.3, -0.8], [1.5, 0.2]];
    const m = (t: number, p: number): number => Math.max(1 - t * p, 0);
    const binary = [[0, 1], [1, 0]];
    const expectedHinge = binary.map((row, i) => mean(row.map((t, j) => m(2 * t - 1, pred[i][j]))));
    expectClose(values(losses.hinge(binary, pred)), expectedHinge);
    expectClose(values(losses.hinge([[-1, 1], [1, -1]], pred)), expectedHinge);
    expectClose(values(losses.squaredHinge(binary, pred)), binary.map((row, i) => mean(row.map((t, j) => m(2 * t - 1, pred[i][j]) ** 2))));
    const other = [[0.5, 1], [1, 0]];
    expectClose(values(losses.hinge(other, pred)), other.map((row, i) => mean(row.map((t, j) => m(t, pred[i][j])))));
  });

  it('categoricalHinge is max(neg - pos + 1, 0)', () => {
    const t = [[0, 1, 0], [1, 0, 0]];
    const p = [[0.2, 0.5, 0.9], [0.9, 0.1, 0.3]];
    const expected = t.map((row, i) => {
      const pos = row.reduce((a, v, j) => a + v * p[i][j], 0);
      const neg = Math.max(...row.map((v, j) => (1 - v) * p[i][j]));
      return Math.max(neg - pos + 1, 0);
    });
    expectClose(values(losses.categoricalHinge(t, p)), expected);
  });

  it('klDivergence clips both to [eps, 1]; poisson adds eps inside the log', () => {
    const t = [[0.2, 0.8], [0, 1]];
    const p = [[0.5, 0.5], [0.3, 0.7]];
    const kl = t.map((row, i) => row.reduce((a, v, j) => {
      const tv = clip(v, EPS, 1);
      return a + tv * Math.log(tv / clip(p[i][j], EPS, 1));
    }, 0));
    expectClose(values(losses.klDivergence(t, p)), kl);
    expectClose(values(losses.poisson(t, p)), t.map((row, i) => mean(row.map((v, j) => p[i][j] - v * Math.log(p[i][j] + EPS)))));
  });

  it('cosineSimilarity is minus the cosine of the angle, 0 for a zero vector', () => {
    const out = losses.cosineSimilarity([[0, 1], [1, 1], [1, 1], [0, 0]], [[1, 0], [1, 1], [-1, -1], [1, 2]]);
    expectClose(values(out), [0, -1, 1, 0], 1e-6);
    const axis0 = losses.cosineSimilarity([[3, 0], [4, 1]], [[3, 1], [4, 0]], { axis: 0 });
    expectClose(values(axis0), [-1, 0], 1e-6);
  });
});

describe('Loss classes: reductions and sample weights as Keras Loss.__call__', () => {
  const yTrue = [[0, 1], [0, 0], [1, 1]];
  const logits = [[-18.6, 0.51], [2.94, -12.8], [0.3, -0.7]];
  const perSample = yTrue.map((row, i) => mean(row.map((t, j) => bceLogit(t, logits[i][j]))));
  const weights = [0.8, 0.2, 1.5];
  const weighted = perSample.map((l, i) => l * weights[i]);
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

  it('sum_over_batch_size (the default) and mean divide by the number of elements', () => {
    for (const reduction of ['sum_over_batch_size', 'mean'] as const) {
      const loss = new losses.BinaryCrossentropy({ fromLogits: true, reduction });
      expectClose(scalarOf(loss.apply(yTrue, logits)), sum(perSample) / 3);
      expectClose(scalarOf(loss.apply(yTrue, logits, weights)), sum(weighted) / 3);
    }
    // Keras's documented example: 0.8654 without and 0.243 with weights [0.8, 0.2].
    const keras = new losses.BinaryCrossentropy({ fromLogits: true });
    expectClose(scalarOf(keras.apply([[0, 1], [0, 0]], [[-18.6, 0.51], [2.94, -12.8]])), 0.8654, 1e-3);
    expectClose(scalarOf(keras.apply([[0, 1], [0, 0]], [[-18.6, 0.51], [2.94, -12.8]], [0.8, 0.2])), 0.243, 1e-3);
  });

  it('sum, none / null and mean_with_sample_weight', () => {
    expectClose(scalarOf(new losses.BinaryCrossentropy({ fromLogits: true, reduction: 'sum' }).apply(yTrue, logits, weights)), sum(weighted));
    for (const reduction of ['none', null] as const) {
      const out = new losses.BinaryCrossentropy({ fromLogits: true, reduction }).apply(yTrue, logits, weights);
      expect(out.shape).toEqual([3]);
      expectClose(values(out), weighted);
    }
    const mws = new losses.BinaryCrossentropy({ fromLogits: true, reduction: 'mean_with_sample_weight' });
    expectClose(scalarOf(mws.apply(yTrue, logits, weights)), sum(weighted) / sum(weights));
    expectClose(scalarOf(mws.apply(yTrue, logits)), sum(perSample) / 3);
  });

  it('sample weights of shape (batch, 1) and scalar weights', () => {
    const loss = new losses.BinaryCrossentropy({ fromLogits: true });
    expectClose(scalarOf(loss.apply(yTrue, logits, weights.map((w) => [w]))), sum(weighted) / 3);
    expectClose(scalarOf(loss.apply(yTrue, logits, 2)), (2 * sum(perSample)) / 3);
  });

  it('an invalid reduction is a clear error', () => {
    expect(() => new losses.MeanSquaredError({ reduction: 'auto' as never })).toThrow(/Invalid value for argument `reduction`.*'sum_over_batch_size'/);
  });

  it('every loss class weights and reduces its per-sample values the same way', () => {
    const t2 = [[0, 1, 0], [1, 0, 0]];
    const p2 = [[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]];
    const cases: [losses.Loss, unknown, unknown][] = [
      [new losses.BinaryCrossentropy(), t2, p2], [new losses.BinaryFocalCrossentropy(), t2, p2], [new losses.CategoricalCrossentropy(), t2, p2],
      [new losses.SparseCategoricalCrossentropy(), [1, 0], p2], [new losses.MeanSquaredError(), t2, p2], [new losses.MeanAbsoluteError(), t2, p2],
      [new losses.MeanAbsolutePercentageError(), [[1, 2, 3], [4, 5, 6]], p2], [new losses.MeanSquaredLogarithmicError(), t2, p2],
      [new losses.Huber({ delta: 0.2 }), t2, p2], [new losses.LogCosh(), t2, p2], [new losses.Hinge(), t2, p2], [new losses.SquaredHinge(), t2, p2],
      [new losses.CategoricalHinge(), t2, p2], [new losses.KLDivergence(), t2, p2], [new losses.Poisson(), t2, p2], [new losses.CosineSimilarity(), t2, p2],
    ];
    const w = [0.25, 2];
    for (const [loss, t, p] of cases) {
      const per = values(loss.call(tensor(t as number[][]), tensor(p as number[][])));
      expect(per).toHaveLength(2);
      expectClose(scalarOf(loss.apply(t as number[][], p as number[][], w)), (per[0] * w[0] + per[1] * w[1]) / 2, 1e-5);
      const summed = losses.get({ class_name: loss.className, config: { ...loss.getConfig(), reduction: 'sum' } });
      expectClose(scalarOf(summed.apply(t as number[][], p as number[][])), per[0] + per[1], 1e-5);
    }
  });

  it('apply inside tidy leaves no tensors behind', () => {
    const before = memory().numTensors;
    tidy(() => {
      new losses.CategoricalCrossentropy().apply([[0, 1]], [[0.3, 0.7]], [2]);
      new losses.SparseCategoricalCrossentropy({ ignoreClass: 0 }).apply([1, 0], [[0.3, 0.7], [0.5, 0.5]]);
    });
    expect(memory().numTensors).toBe(before);
  });
});

interface CaseTensor {
  name: string;
  shape: number[];
  dtype: string;
  data: (number | string)[];
}
interface Case {
  id: string;
  op: string;
  attributes: { from_logits: boolean };
  inputs: CaseTensor[];
  outputs: CaseTensor[];
  tolerance: { rtol: number; atol: number };
}

const VECTORS = resolve(process.cwd(), 'packages/conformance/vectors/torch-ref');
const CASES: Case[] = readdirSync(VECTORS)
  .filter((f) => /^(binary|categorical|sparse_categorical)_crossentropy_\d+\.json$/.test(f))
  .sort()
  .map((f) => JSON.parse(readFileSync(resolve(VECTORS, f), 'utf8')) as Case);

describe('torch-ref crossentropy vectors', () => {
  it('has the cases', () => expect(CASES.length).toBeGreaterThanOrEqual(11));
  const tensorOf = (t: CaseTensor): Tensor => tensor(t.data.map(Number), t.shape, t.dtype === 'int32' ? 'int32' : 'float32');
  const output = (c: Case, name: string): CaseTensor => c.outputs.find((o) => o.name === name) as CaseTensor;
  const near = (actual: number[], expected: CaseTensor, tol: { rtol: number; atol: number }): void => {
    const e = expected.data.map(Number);
    expect(actual.length).toBe(e.length);
    actual.forEach((v, i) => {
      if (!(Math.abs(v - e[i]) <= tol.atol + tol.rtol * Math.abs(e[i]))) expect({ index: i, actual: v }).toEqual({ index: i, actual: e[i] });
    });
  };

  for (const c of CASES) {
    it(c.id, () => {
      const fromLogits = c.attributes.from_logits;
      const fn = { binary_crossentropy: losses.binaryCrossentropy, categorical_crossentropy: losses.categoricalCrossentropy, sparse_categorical_crossentropy: losses.sparseCategoricalCrossentropy }[
        c.op as 'binary_crossentropy'
      ];
      const loss = losses.get({ class_name: { binary_crossentropy: 'BinaryCrossentropy', categorical_crossentropy: 'CategoricalCrossentropy', sparse_categorical_crossentropy: 'SparseCategoricalCrossentropy' }[c.op as 'binary_crossentropy'], config: { from_logits: fromLogits } });
      tidy(() => {
        const yTrue = tensorOf(c.inputs[0]);
        const yPred = tensorOf(c.inputs[1]);
        const perSample = fn(yTrue, yPred, { fromLogits });
        expect(perSample.shape).toEqual(output(c, 'per_sample_loss').shape);
        near(values(perSample), output(c, 'per_sample_loss'), c.tolerance);
        near([scalarOf(loss.apply(yTrue, yPred))], output(c, 'loss'), c.tolerance);
        const { outputs, grads } = vjp((p) => loss.apply(yTrue, p), [yPred], tensor(1));
        near(values(outputs[0]), output(c, 'loss'), c.tolerance);
        near(values(grads[0]), output(c, 'dy_pred'), c.tolerance);
      });
    });
  }
});

describe('gradients of every loss match finite differences', () => {
  // Made in the tests (not here): the backend starts in beforeAll.
  const t = (): Tensor => tensor([[0, 1, 0], [1, 0, 0]]);
  const probs = (): Tensor => tensor([[0.2, 0.5, 0.3], [0.6, 0.25, 0.15]]);
  const logits = (): Tensor => tensor([[0.4, -1.2, 2.1], [1.3, 0.2, -0.6]]);
  const reals = (): Tensor => tensor([[0.35, 1.4, -0.7], [2.2, -0.45, 0.6]]);
  const positive = (): Tensor => tensor([[0.3, 1.4, 0.7], [2.2, 0.45, 0.6]]);
  const cases: [string, (p: Tensor) => Tensor, () => Tensor][] = [
    ['binaryCrossentropy', (p) => losses.binaryCrossentropy(t(), p), probs],
    ['binaryCrossentropy fromLogits + smoothing', (p) => losses.binaryCrossentropy(t(), p, { fromLogits: true, labelSmoothing: 0.1 }), logits],
    ['binaryFocalCrossentropy', (p) => losses.binaryFocalCrossentropy(t(), p, { gamma: 2, applyClassBalancing: true }), probs],
    ['binaryFocalCrossentropy fromLogits', (p) => losses.binaryFocalCrossentropy(t(), p, { fromLogits: true, gamma: 1.5 }), logits],
    ['categoricalCrossentropy', (p) => losses.categoricalCrossentropy(t(), p, { labelSmoothing: 0.1 }), probs],
    ['categoricalCrossentropy fromLogits', (p) => losses.categoricalCrossentropy(t(), p, { fromLogits: true }), logits],
    ['sparseCategoricalCrossentropy', (p) => losses.sparseCategoricalCrossentropy([1, 0], p), probs],
    ['sparseCategoricalCrossentropy fromLogits', (p) => losses.sparseCategoricalCrossentropy([2, 0], p, { fromLogits: true }), logits],
    ['meanSquaredError', (p) => losses.meanSquaredError(t(), p), reals],
    ['meanAbsoluteError', (p) => losses.meanAbsoluteError(t(), p), reals],
    ['meanAbsolutePercentageError', (p) => losses.meanAbsolutePercentageError(positive(), p), reals],
    ['meanSquaredLogarithmicError', (p) => losses.meanSquaredLogarithmicError(positive(), p), positive],
    ['huber', (p) => losses.huber(t(), p, { delta: 0.5 }), reals],
    ['logCosh', (p) => losses.logCosh(t(), p), reals],
    ['hinge', (p) => losses.hinge(t(), p), reals],
    ['squaredHinge', (p) => losses.squaredHinge(t(), p), reals],
    ['categoricalHinge', (p) => losses.categoricalHinge(t(), p), logits],
    ['klDivergence', (p) => losses.klDivergence(tensor([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]]), p), probs],
    ['poisson', (p) => losses.poisson(positive(), p), positive],
    ['cosineSimilarity', (p) => losses.cosineSimilarity(reals(), p), logits],
    ['a reduced, weighted loss', (p) => new losses.CategoricalCrossentropy({ fromLogits: true }).apply(t(), p, [0.3, 2]), logits],
  ];
  for (const [name, f, x] of cases) it(name, () => expectGradientsMatch(f, [x()]));
});

describe('label-shape errors in the user\'s terms', () => {
  it('sparse_categorical_crossentropy given one-hot labels says they look one-hot', () => {
    const check = (): void => losses.checkLossShapes('sparse_categorical_crossentropy', [32, 10], [32, 10]);
    expect(check).toThrow(/look one-hot/);
    expect(check).toThrow(/'categorical_crossentropy'/);
    expect(check).toThrow(/integer labels of shape \(32,\)/);
    expect(() => new losses.SparseCategoricalCrossentropy().apply(ops.oneHot([1, 0, 2], 3), ops.softmax(tensor([[1, 2, 3], [1, 2, 3], [1, 2, 3]])))).toThrow(/look one-hot/);
  });

  it('categorical_crossentropy given integer labels suggests sparse_categorical_crossentropy', () => {
    expect(() => losses.checkLossShapes('categorical_crossentropy', [32], [32, 10])).toThrow(/integer class indices.*'sparse_categorical_crossentropy'/);
    expect(() => losses.checkLossShapes('categorical_crossentropy', [32, 1], [32, 10])).toThrow(/'sparse_categorical_crossentropy'/);
    expect(() => losses.categoricalCrossentropy([1, 2], [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])).toThrow(/'sparse_categorical_crossentropy'/);
  });

  it('binary_crossentropy with class-index labels for many outputs suggests the categorical losses', () => {
    expect(() => losses.checkLossShapes('binary_crossentropy', [32], [32, 10])).toThrow(/'sparse_categorical_crossentropy'.*Dense\(\{ units: 1, activation: 'sigmoid' \}\)/);
  });

  it('shapes that do not broadcast', () => {
    expect(() => losses.checkLossShapes('mse', [3, 4], [3, 5])).toThrow(/labels \(y_true\) of shape \(3, 4\) do not fit predictions \(y_pred\) of shape \(3, 5\).*do not broadcast/);
    expect(() => losses.meanSquaredError(tensor([[1, 2, 3, 4]]), tensor([[1, 2, 3, 4, 5]]))).toThrow(/mean_squared_error.*do not broadcast/);
  });

  it('categorical_crossentropy with a single class warns once that the loss is always 0', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      losses.categoricalCrossentropy([[1], [1]], [[0.7], [0.4]]);
      losses.categoricalCrossentropy([[1], [1]], [[0.2], [0.9]]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/single class.*'binary_crossentropy'/);
    } finally {
      warn.mockRestore();
    }
  });

  it('shapes that fit pass, with unknown (null) batch sizes', () => {
    expect(() => losses.checkLossShapes('sparse_categorical_crossentropy', [null], [null, 10])).not.toThrow();
    expect(() => losses.checkLossShapes('sparse_categorical_crossentropy', [null, 1], [null, 10])).not.toThrow();
    expect(() => losses.checkLossShapes('categorical_crossentropy', [null, 10], [null, 10])).not.toThrow();
    expect(() => losses.checkLossShapes('binary_crossentropy', [null], [null, 1])).not.toThrow();
    expect(() => losses.checkLossShapes('mse', [null, 1], [null])).not.toThrow();
    expect(() => losses.checkLossShapes('sparse_categorical_crossentropy', [null, 10], [null, 10])).toThrow(/look one-hot/);
  });
});

describe('losses.get, getConfig, fromConfig and serialize', () => {
  it('takes Keras names, aliases, camelCase and class names', () => {
    const cases: [string, string, string][] = [
      ['binary_crossentropy', 'BinaryCrossentropy', 'binary_crossentropy'], ['bce', 'BinaryCrossentropy', 'bce'], ['mse', 'MeanSquaredError', 'mse'],
      ['mae', 'MeanAbsoluteError', 'mae'], ['mape', 'MeanAbsolutePercentageError', 'mape'], ['msle', 'MeanSquaredLogarithmicError', 'msle'],
      ['categorical_crossentropy', 'CategoricalCrossentropy', 'categorical_crossentropy'], ['sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy', 'sparse_categorical_crossentropy'],
      ['huber', 'Huber', 'huber'], ['log_cosh', 'LogCosh', 'log_cosh'], ['kl_divergence', 'KLDivergence', 'kl_divergence'], ['kld', 'KLDivergence', 'kld'],
      ['binaryFocalCrossentropy', 'BinaryFocalCrossentropy', 'binaryFocalCrossentropy'], ['sparseCategoricalCrossentropy', 'SparseCategoricalCrossentropy', 'sparseCategoricalCrossentropy'],
      ['Huber', 'Huber', 'huber_loss'], ['CategoricalHinge', 'CategoricalHinge', 'categorical_hinge'], ['poisson', 'Poisson', 'poisson'], ['cosine_similarity', 'CosineSimilarity', 'cosine_similarity'],
    ];
    for (const [id, className, name] of cases) {
      const loss = losses.get(id);
      expect([loss.className, loss.name]).toEqual([className, name]);
    }
  });

  it('takes configs, classes, instances and functions', () => {
    const fromConfig = losses.get({ class_name: 'CategoricalCrossentropy', config: { from_logits: true, label_smoothing: 0.1 } }) as losses.CategoricalCrossentropy;
    expect([fromConfig.fromLogits, fromConfig.labelSmoothing]).toEqual([true, 0.1]);
    expect(losses.get(losses.Hinge)).toBeInstanceOf(losses.Hinge);
    const instance = new losses.Poisson();
    expect(losses.get(instance)).toBe(instance);
    expect(losses.get(losses.meanSquaredError)).toBeInstanceOf(losses.MeanSquaredError);
    expect(losses.get({ class_name: 'function', config: 'mean_absolute_error' })).toBeInstanceOf(losses.MeanAbsoluteError);
    expect(losses.get(null)).toBeNull();
    // A config as Keras writes it (with dtype) loads.
    const keras = losses.get({ module: 'keras.losses', class_name: 'BinaryCrossentropy', config: { name: 'bce', reduction: 'sum', from_logits: true, label_smoothing: 0, axis: -1, dtype: null }, registered_name: null });
    expect([keras.name, keras.reduction, (keras as losses.BinaryCrossentropy).fromLogits]).toEqual(['bce', 'sum', true]);
    const custom = losses.get(function myLoss(yTrue: Tensor, yPred: Tensor) {
      return ops.mean(ops.abs(ops.subtract(yTrue, yPred)), { axis: -1 });
    });
    expect(custom).toBeInstanceOf(losses.LossFunctionWrapper);
    expect(custom.name).toBe('myLoss');
    expectClose(scalarOf(custom.apply([[1, 2]], [[2, 4]])), 1.5);
  });

  it('an unknown name lists the names', () => {
    expect(() => losses.get('binary_crossentropi')).toThrow(/unknown loss "binary_crossentropi".*'binary_crossentropy'.*'sparse_categorical_crossentropy'.*'huber'/);
    expect(() => losses.get('MeanSquareError')).toThrow(/unknown loss/);
    expect(() => new losses.BinaryCrossentropy({ from_logits: true } as never)).toThrow(/unknown option 'from_logits'.*'fromLogits'/);
  });

  it('getConfig is Keras\'s and fromConfig rebuilds the loss', () => {
    const loss = new losses.BinaryFocalCrossentropy({ gamma: 3, alpha: 0.4, applyClassBalancing: true, fromLogits: true, reduction: 'sum', name: 'focal' });
    const config = loss.getConfig();
    expect(config).toEqual({ name: 'focal', reduction: 'sum', from_logits: true, label_smoothing: 0, axis: -1, apply_class_balancing: true, alpha: 0.4, gamma: 3 });
    const again = losses.BinaryFocalCrossentropy.fromConfig(config);
    expect(again.getConfig()).toEqual(config);
    expect(new losses.SparseCategoricalCrossentropy({ ignoreClass: 255 }).getConfig()).toEqual({ name: 'sparse_categorical_crossentropy', reduction: 'sum_over_batch_size', from_logits: false, ignore_class: 255 });
    expect(new losses.MeanSquaredError().getConfig()).toEqual({ name: 'mean_squared_error', reduction: 'sum_over_batch_size' });
    expect(new losses.Huber({ delta: 2 }).getConfig()).toEqual({ name: 'huber_loss', reduction: 'sum_over_batch_size', delta: 2 });
  });

  it('serialize / deserialize round-trip', () => {
    const loss = new losses.CategoricalCrossentropy({ fromLogits: true, reduction: null });
    const s = losses.serialize(loss);
    expect(s).toEqual({ module: 'keras.losses', class_name: 'CategoricalCrossentropy', config: { name: 'categorical_crossentropy', reduction: null, from_logits: true, label_smoothing: 0, axis: -1 }, registered_name: null });
    const back = losses.deserialize(s);
    expect(back).toBeInstanceOf(losses.CategoricalCrossentropy);
    expect(back.getConfig()).toEqual(s.config);
  });
});
