/**
 * keras.metrics: every metric against values worked out here across several updateState calls
 * (accumulation), resetState and sample weights; AUC against a trapezoid computed in plain JS;
 * get / resolveMetric / resolveAccuracy; configs; and that updates free every tensor they make.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { losses, memory, metrics, tensor, tidy } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
});

function expectClose(actual: number[] | number, expected: number[] | number, tol = 1e-5): void {
  const a = typeof actual === 'number' ? [actual] : actual;
  const e = typeof expected === 'number' ? [expected] : expected;
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => {
    if (!(Math.abs(v - e[i]) <= tol + tol * Math.abs(e[i]))) expect({ index: i, actual: v }).toEqual({ index: i, actual: e[i] });
  });
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const mean = (xs: number[]): number => sum(xs) / xs.length;
const dot = (a: number[], b: number[]): number => sum(a.map((v, i) => v * b[i]));

describe('accuracy metrics', () => {
  it('Accuracy: exact matches, accumulated over updates, weighted, reset', () => {
    const m = new metrics.Accuracy();
    m.updateState([[1], [2], [3], [4]], [[0], [2], [3], [4]]);
    expectClose(m.result(), 3 / 4);
    m.updateState([[1], [2]], [[1], [0]]);
    expectClose(m.result(), 4 / 6);
    m.resetState();
    expect(m.result()).toBe(0);
    m.updateState([[1], [2], [3], [4]], [[0], [2], [3], [4]], [1, 1, 0, 0]);
    expectClose(m.result(), 1 / 2);
    expect(m.name).toBe('accuracy');
  });

  it('BinaryAccuracy thresholds the predictions', () => {
    const m = new metrics.BinaryAccuracy();
    m.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]);
    expectClose(m.result(), 3 / 4);
    m.updateState([[1], [0]], [[0.4], [0.2]]);
    expectClose(m.result(), 4 / 6);
    // As in Keras, 1-D labels are one sample whose value is averaged over its last (only) axis.
    m.updateState([1, 0], [0.4, 0.2]);
    expectClose(m.result(), (4 + 0.5) / 7);
    m.resetState();
    m.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], [1, 0, 0, 1]);
    expectClose(m.result(), 1 / 2);
    const strict = new metrics.BinaryAccuracy({ threshold: 0.7 });
    strict.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]);
    expectClose(strict.result(), 1);
    // Two label columns: each sample scores the fraction of its columns that match.
    const wide = new metrics.BinaryAccuracy();
    wide.updateState([[1, 0], [1, 1]], [[0.9, 0.8], [0.7, 0.6]], [1, 3]);
    expectClose(wide.result(), (1 * 0.5 + 3 * 1) / 4);
    expect(() => new metrics.BinaryAccuracy({ threshold: 1 })).toThrow(/open interval \(0, 1\)/);
  });

  it('CategoricalAccuracy compares argmaxes', () => {
    const m = new metrics.CategoricalAccuracy();
    m.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
    expectClose(m.result(), 0.5);
    m.updateState([[1, 0, 0]], [[0.5, 0.2, 0.3]]);
    expectClose(m.result(), 2 / 3);
    m.resetState();
    m.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], [0.7, 0.3]);
    expectClose(m.result(), 0.3);
  });

  it('SparseCategoricalAccuracy takes (batch,) or (batch, 1) int or float labels', () => {
    const m = new metrics.SparseCategoricalAccuracy();
    m.updateState([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]);
    expectClose(m.result(), 0.5);
    m.updateState(tensor([0, 1], [2], 'int32'), [[0.9, 0.05, 0.05], [0.2, 0.3, 0.5]]);
    expectClose(m.result(), 2 / 4);
    m.resetState();
    m.updateState([2, 1], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]], [0.7, 0.3]);
    expectClose(m.result(), 0.3);
  });

  it('TopKCategoricalAccuracy and SparseTopKCategoricalAccuracy', () => {
    const top1 = new metrics.TopKCategoricalAccuracy({ k: 1 });
    top1.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
    expectClose(top1.result(), 0.5);
    top1.resetState();
    top1.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], [0.7, 0.3]);
    expectClose(top1.result(), 0.3);
    const top2 = new metrics.SparseTopKCategoricalAccuracy({ k: 2 });
    top2.updateState([2, 1, 0], [[0.1, 0.9, 0.8], [0.05, 0.95, 0], [0.1, 0.5, 0.4]]);
    expectClose(top2.result(), 2 / 3);
    top2.updateState([[0]], [[0.3, 0.2, 0.5]]);
    expectClose(top2.result(), 3 / 4);
    expect([top1.name, top2.name]).toEqual(['top_k_categorical_accuracy', 'sparse_top_k_categorical_accuracy']);
  });

  it('top-k with k above the number of classes counts every target (as TensorFlow), and ties count in the target\'s favour', () => {
    const m = new metrics.SparseTopKCategoricalAccuracy();
    expect(m.k).toBe(5);
    m.updateState([0, 2], [[0.1, 0.6, 0.3], [0.5, 0.3, 0.2]]);
    expectClose(m.result(), 1);
    const ties = new metrics.SparseTopKCategoricalAccuracy({ k: 1 });
    ties.updateState([1], [[0.5, 0.5, 0.1]]);
    expectClose(ties.result(), 1);
    const dense = new metrics.TopKCategoricalAccuracy({ k: 10 });
    dense.updateState([[0, 1]], [[0.9, 0.1]]);
    expectClose(dense.result(), 1);
  });
});

describe('reduction metrics', () => {
  it('Mean: weighted mean over every value seen', () => {
    const m = new metrics.Mean();
    m.updateState([1, 3, 5, 7]);
    expectClose(m.result(), 4);
    m.updateState([10]);
    expectClose(m.result(), 26 / 5);
    m.resetState();
    m.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
    expectClose(m.result(), 2);
    m.updateState(9, 2);
    expectClose(m.result(), (4 + 18) / 4);
    // Rank-2 values are averaged per sample first.
    const rows = new metrics.Mean();
    rows.updateState([[1, 3], [5, 9]], [1, 3]);
    expectClose(rows.result(), (2 * 1 + 7 * 3) / 4);
  });

  it('Sum: weighted sum over every value seen', () => {
    const m = new metrics.Sum();
    m.updateState([1, 3, 5, 7]);
    expectClose(m.result(), 16);
    m.updateState([[1, 2], [3, 4]], [1, 0.5]);
    expectClose(m.result(), 16 + 3 + 3.5);
    m.resetState();
    m.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
    expectClose(m.result(), 4);
  });
});

describe('regression metrics', () => {
  const yTrue = [[0, 1], [0, 0]];
  const yPred = [[1, 1], [0, 0]];

  it('MeanSquaredError, MeanAbsoluteError, RootMeanSquaredError', () => {
    const mse = new metrics.MeanSquaredError();
    const mae = new metrics.MeanAbsoluteError();
    const rmse = new metrics.RootMeanSquaredError();
    for (const m of [mse, mae, rmse]) m.updateState(yTrue, yPred);
    expectClose([mse.result(), mae.result(), rmse.result()], [0.25, 0.25, 0.5]);
    for (const m of [mse, mae, rmse]) m.updateState([[3, 3]], [[1, 0]]);
    // Per-sample means: mse [0.5, 0, 6.5], mae [0.5, 0, 2.5].
    expectClose([mse.result(), mae.result(), rmse.result()], [7 / 3, 1, Math.sqrt(7 / 3)]);
    for (const m of [mse, mae, rmse]) {
      m.resetState();
      m.updateState(yTrue, yPred, [1, 0]);
    }
    expectClose([mse.result(), mae.result(), rmse.result()], [0.5, 0.5, Math.SQRT1_2]);
    expect([mse.name, mae.name, rmse.name]).toEqual(['mean_squared_error', 'mean_absolute_error', 'root_mean_squared_error']);
  });

  it('MeanAbsolutePercentageError, MeanSquaredLogarithmicError, LogCoshError, CosineSimilarity', () => {
    const mape = new metrics.MeanAbsolutePercentageError();
    mape.updateState([[2, 4], [1, 1]], [[1, 5], [1, 3]]);
    expectClose(mape.result(), mean([100 * mean([0.5, 0.25]), 100 * mean([0, 2])]));
    const msle = new metrics.MeanSquaredLogarithmicError();
    msle.updateState(yTrue, yPred);
    expectClose(msle.result(), mean([mean([Math.log(2) ** 2, 0]), 0]), 1e-4);
    const logcosh = new metrics.LogCoshError();
    logcosh.updateState(yTrue, yPred, [1, 0]);
    expectClose(logcosh.result(), mean([Math.log(Math.cosh(1)), 0]), 1e-5);
    expect(logcosh.name).toBe('logcosh');
    const cos = new metrics.CosineSimilarity({ axis: 1 });
    cos.updateState([[0, 1], [1, 1]], [[1, 0], [1, 1]]);
    expectClose(cos.result(), 0.5, 1e-6);
    cos.resetState();
    cos.updateState([[0, 1], [1, 1]], [[1, 0], [1, 1]], [0.3, 0.7]);
    expectClose(cos.result(), 0.7, 1e-6);
  });

  it('R2Score accumulates sums across updates', () => {
    const yt = [1, 4, 3, 2, 7];
    const yp = [2, 4, 4, 1, 6];
    const ybar = mean(yt);
    const r2 = 1 - sum(yt.map((t, i) => (t - yp[i]) ** 2)) / sum(yt.map((t) => (t - ybar) ** 2));
    const m = new metrics.R2Score();
    m.updateState(yt.slice(0, 3).map((v) => [v]), yp.slice(0, 3).map((v) => [v]));
    expectClose(m.result(), 1 - 2 / (26 - 64 / 3), 1e-5);
    m.updateState(yt.slice(3).map((v) => [v]), yp.slice(3).map((v) => [v]));
    expectClose(m.result(), r2, 1e-5);
    m.resetState();
    const w = [1, 2, 0, 1, 1];
    m.updateState(yt.map((v) => [v]), yp.map((v) => [v]), w);
    const wbar = dot(w, yt) / sum(w);
    expectClose(m.result(), 1 - dot(w, yt.map((t, i) => (t - yp[i]) ** 2)) / dot(w, yt.map((t) => (t - wbar) ** 2)), 1e-5);
    const perColumn = new metrics.R2Score({ classAggregation: null });
    perColumn.updateState([[1, 0], [2, 1], [3, 5]], [[1, 1], [2, 1], [4, 4]]);
    expectClose(perColumn.result() as number[], [1 - 1 / 2, 1 - 2 / (26 - 12)], 1e-5);
    const adjusted = new metrics.R2Score({ numRegressors: 1 });
    adjusted.updateState(yt.map((v) => [v]), yp.map((v) => [v]));
    expectClose(adjusted.result(), 1 - ((1 - r2) * 4) / 3, 1e-5);
  });
});

describe('confusion metrics', () => {
  it('Precision and Recall, accumulated and weighted', () => {
    const p = new metrics.Precision();
    const r = new metrics.Recall();
    for (const m of [p, r]) m.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
    expectClose([p.result() as number, r.result() as number], [2 / 3, 2 / 3]);
    for (const m of [p, r]) m.updateState([1, 0], [0.7, 0.2]);
    expectClose([p.result() as number, r.result() as number], [3 / 4, 3 / 4]);
    for (const m of [p, r]) {
      m.resetState();
      m.updateState([0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0]);
    }
    expectClose([p.result() as number, r.result() as number], [1, 1]);
  });

  it('multiple thresholds give one value each; the comparison is strict (prediction > threshold)', () => {
    const p = new metrics.Precision({ thresholds: [0.3, 0.5, 0.9] });
    p.updateState([0, 1, 1, 0], [0.5, 0.6, 0.3, 0.95]);
    // > 0.3: predictions 0.5, 0.6, 0.95 (tp 1); > 0.5: 0.6, 0.95 (tp 1); > 0.9: 0.95 (tp 0).
    expectClose(p.result() as number[], [1 / 3, 1 / 2, 0]);
    const r = new metrics.Recall({ thresholds: [0.3, 0.5] });
    r.updateState([0, 1, 1, 0], [0.5, 0.6, 0.3, 0.95]);
    expectClose(r.result() as number[], [1 / 2, 1 / 2]);
  });

  it('topK and classId', () => {
    const top2 = new metrics.Precision({ topK: 2 });
    top2.updateState([0, 0, 1, 1], [1, 1, 1, 1]);
    expectClose(top2.result() as number, 0);
    const top4 = new metrics.Precision({ topK: 4 });
    top4.updateState([0, 0, 1, 1], [1, 1, 1, 1]);
    expectClose(top4.result() as number, 0.5);
    const recallTop1 = new metrics.Recall({ topK: 1 });
    recallTop1.updateState([[0, 1, 1], [1, 0, 0]], [[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]]);
    expectClose(recallTop1.result() as number, 2 / 3);
    const class2 = new metrics.Precision({ classId: 2 });
    class2.updateState([[0, 0, 1], [1, 0, 0], [0, 1, 0]], [[0.1, 0.2, 0.7], [0.2, 0.2, 0.6], [0.5, 0.5, 0.2]]);
    expectClose(class2.result() as number, 1 / 2);
  });

  it('TruePositives, FalsePositives, TrueNegatives, FalseNegatives', () => {
    const counts = [new metrics.TruePositives(), new metrics.FalsePositives(), new metrics.TrueNegatives(), new metrics.FalseNegatives()];
    for (const m of counts) m.updateState([0, 1, 1, 0, 1], [0.9, 0.8, 0.2, 0.1, 0.6], [1, 2, 1, 1, 1]);
    expect(counts.map((m) => m.result())).toEqual([3, 1, 1, 1]);
    expect(counts.map((m) => m.name)).toEqual(['true_positives', 'false_positives', 'true_negatives', 'false_negatives']);
  });
});

/** ROC and PR AUC as Keras approximates them, computed in plain JS from the raw data. */
function referenceAuc(yTrue: number[], yPred: number[], weights: number[], numThresholds: number, curve: 'ROC' | 'PR', method = 'interpolation'): number {
  const eps = 1e-7;
  const thresholds = [-eps, ...Array.from({ length: numThresholds - 2 }, (_, i) => (i + 1) / (numThresholds - 1)), 1 + eps].map(Math.fround);
  const tp: number[] = [];
  const fp: number[] = [];
  const tn: number[] = [];
  const fn: number[] = [];
  for (const t of thresholds) {
    let [a, b, c, d] = [0, 0, 0, 0];
    yPred.forEach((p, i) => {
      const positive = Math.fround(p) > t;
      if (yTrue[i] && positive) a += weights[i];
      else if (!yTrue[i] && positive) b += weights[i];
      else if (!yTrue[i]) c += weights[i];
      else d += weights[i];
    });
    tp.push(a);
    fp.push(b);
    tn.push(c);
    fn.push(d);
  }
  const div = (x: number, y: number): number => (y === 0 ? 0 : x / y);
  let area = 0;
  for (let i = 0; i + 1 < numThresholds; i++) {
    if (curve === 'PR' && method === 'interpolation') {
      // Davis & Goadrich: TP and P = TP + FP vary linearly between thresholds; precision is integrated exactly.
      const dtp = tp[i] - tp[i + 1];
      const pA = tp[i] + fp[i];
      const pB = tp[i + 1] + fp[i + 1];
      const slope = div(dtp, Math.max(pA - pB, 0));
      const intercept = tp[i + 1] - slope * pB;
      const logRatio = pA > 0 && pB > 0 ? Math.log(pA / pB) : 0;
      area += div(slope * (dtp + intercept * logRatio), tp[i + 1] + fn[i + 1]);
      continue;
    }
    const recall = (k: number): number => div(tp[k], tp[k] + fn[k]);
    const x = (k: number): number => (curve === 'ROC' ? div(fp[k], fp[k] + tn[k]) : recall(k));
    const y = (k: number): number => (curve === 'ROC' ? recall(k) : div(tp[k], tp[k] + fp[k]));
    const height = method === 'interpolation' ? (y(i) + y(i + 1)) / 2 : method === 'minoring' ? Math.min(y(i), y(i + 1)) : Math.max(y(i), y(i + 1));
    area += (x(i) - x(i + 1)) * height;
  }
  return area;
}

describe('AUC', () => {
  it('Keras\'s worked example with 3 thresholds', () => {
    const m = new metrics.AUC({ numThresholds: 3 });
    m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
    // tp = [2, 1, 0], fp = [2, 0, 0]: recall [1, 0.5, 0], fp rate [1, 0, 0]; area = (1 + 0.5) / 2 * (1 - 0).
    expectClose(m.result(), 0.75);
    m.resetState();
    m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], [1, 0, 0, 1]);
    expectClose(m.result(), 1);
    expect(m.name).toBe('auc');
  });

  // Deterministic, overlapping scores for 60 examples.
  const n = 60;
  const labels = Array.from({ length: n }, (_, i) => (Math.sin(i * 7.1) > 0.1 ? 1 : 0));
  const scores = labels.map((y, i) => Math.min(Math.max(0.5 + (y ? 0.18 : -0.18) + 0.35 * Math.sin(i * 3.7 + 1), 0), 1));
  const weights = labels.map((_, i) => 0.5 + ((i * 37) % 10) / 10);

  it('ROC (200 thresholds) equals the trapezoid over the same thresholds, across updates and with weights', () => {
    const m = new metrics.AUC();
    m.updateState(labels.slice(0, 25), scores.slice(0, 25));
    m.updateState(labels.slice(25), scores.slice(25));
    expectClose(m.result(), referenceAuc(labels, scores, labels.map(() => 1), 200, 'ROC'), 1e-5);
    // And close to the exact area (the Mann-Whitney statistic).
    let pairs = 0;
    let wins = 0;
    labels.forEach((a, i) => labels.forEach((b, j) => {
      if (a === 1 && b === 0) {
        pairs += 1;
        wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
      }
    }));
    expectClose(m.result(), wins / pairs, 2e-2);
    m.resetState();
    m.updateState(labels, scores, weights);
    expectClose(m.result(), referenceAuc(labels, scores, weights, 200, 'ROC'), 1e-5);
  });

  it('PR with Davis-Goadrich interpolation, and minoring / majoring', () => {
    const pr = new metrics.AUC({ curve: 'PR' });
    pr.updateState(labels, scores);
    expectClose(pr.result(), referenceAuc(labels, scores, labels.map(() => 1), 200, 'PR'), 1e-4);
    for (const method of ['minoring', 'majoring'] as const) {
      for (const curve of ['ROC', 'PR'] as const) {
        const m = new metrics.AUC({ curve, summationMethod: method, numThresholds: 50 });
        m.updateState(labels, scores, weights);
        expectClose(m.result(), referenceAuc(labels, scores, weights, 50, curve, method), 1e-5);
      }
    }
  });

  it('fromLogits applies a sigmoid; multiLabel averages the per-label AUCs', () => {
    const logits = scores.map((p) => Math.log(Math.max(p, 1e-4) / Math.max(1 - p, 1e-4)));
    const m = new metrics.AUC({ fromLogits: true, numThresholds: 100 });
    m.updateState(labels, logits);
    const sig = logits.map((z) => 1 / (1 + Math.exp(-z)));
    expectClose(m.result(), referenceAuc(labels, sig, labels.map(() => 1), 100, 'ROC'), 1e-4);
    const other = labels.map((y) => 1 - y);
    const multi = new metrics.AUC({ multiLabel: true, numThresholds: 100 });
    multi.updateState(labels.map((y, i) => [y, other[i]]), scores.map((p, i) => [p, scores[(i * 7) % n]]));
    const a0 = referenceAuc(labels, scores, labels.map(() => 1), 100, 'ROC');
    const a1 = referenceAuc(other, scores.map((_, i) => scores[(i * 7) % n]), labels.map(() => 1), 100, 'ROC');
    expectClose(multi.result(), (a0 + a1) / 2, 1e-5);
  });
});

describe('F1Score and FBetaScore', () => {
  const yTrue = [[1, 1, 1], [1, 0, 0], [1, 1, 0]];
  const yPred = [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]];
  const eps = 1e-7;
  /** Per-class scores from counts, with Keras's epsilons. */
  const fbeta = (tp: number[], fp: number[], fn: number[], beta: number): number[] =>
    tp.map((t, i) => {
      const p = t / (t + fp[i] + eps);
      const r = t / (t + fn[i] + eps);
      return ((p * r) / (beta * beta * p + r + eps)) * (1 + beta * beta);
    });
  // Thresholded at 0.5: predictions [[0,1,1],[0,1,1],[1,1,0]].
  const tp = [1, 2, 1];
  const fp = [0, 1, 1];
  const fn = [2, 0, 0];

  it('per-class scores (average null), with Keras\'s documented values', () => {
    const f1 = new metrics.F1Score({ threshold: 0.5 });
    f1.updateState(yTrue, yPred);
    expectClose(f1.result() as number[], fbeta(tp, fp, fn, 1));
    expectClose(f1.result() as number[], [0.5, 0.8, 0.6666667], 1e-5);
    const f2 = new metrics.FBetaScore({ beta: 2, threshold: 0.5 });
    f2.updateState(yTrue, yPred);
    expectClose(f2.result() as number[], [0.3846154, 0.90909094, 0.8333334], 1e-5);
  });

  it('micro, macro and weighted averages, across updates and with weights', () => {
    const macro = new metrics.F1Score({ average: 'macro', threshold: 0.5 });
    macro.updateState(yTrue.slice(0, 2), yPred.slice(0, 2));
    macro.updateState(yTrue.slice(2), yPred.slice(2));
    expectClose(macro.result() as number, mean(fbeta(tp, fp, fn, 1)));
    const micro = new metrics.F1Score({ average: 'micro', threshold: 0.5 });
    micro.updateState(yTrue, yPred);
    expectClose(micro.result() as number, fbeta([sum(tp)], [sum(fp)], [sum(fn)], 1)[0]);
    const weighted = new metrics.F1Score({ average: 'weighted', threshold: 0.5 });
    weighted.updateState(yTrue, yPred);
    const support = [3, 2, 1];
    expectClose(weighted.result() as number, dot(fbeta(tp, fp, fn, 1), support.map((s) => s / (6 + eps))));
    const w = new metrics.F1Score({ average: 'macro', threshold: 0.5 });
    w.updateState(yTrue, yPred, [1, 0, 2]);
    // Rows 0 and 2 only, row 2 counted twice: tp [0 + 2, 1 + 2, 1 + 0], no false positives, fn [1, 0, 0].
    expectClose(w.result() as number, mean(fbeta([2, 3, 1], [0, 0, 0], [1, 0, 0], 1)));
  });

  it('threshold null marks each row\'s largest prediction', () => {
    const f1 = new metrics.F1Score();
    f1.updateState(yTrue, yPred);
    // Argmax rows: [0,0,1], [0,1,1] (a tie), [0,1,0].
    expectClose(f1.result() as number[], fbeta([0, 1, 1], [0, 1, 1], [3, 1, 0], 1));
    expect(f1.name).toBe('f1_score');
  });
});

describe('losses as metrics', () => {
  it('the probabilistic and hinge metrics average the per-sample loss', () => {
    const yTrue = [[0, 1], [1, 0]];
    const yPred = [[0.3, 0.6], [0.8, 0.1]];
    const cases: [metrics.Metric, (t: number[][], p: number[][]) => number[]][] = [
      [new metrics.BinaryCrossentropy(), (t, p) => Array.from(losses.binaryCrossentropy(t, p).dataSync())],
      [new metrics.CategoricalCrossentropy(), (t, p) => Array.from(losses.categoricalCrossentropy(t, p).dataSync())],
      [new metrics.KLDivergence(), (t, p) => Array.from(losses.klDivergence(t, p).dataSync())],
      [new metrics.Poisson(), (t, p) => Array.from(losses.poisson(t, p).dataSync())],
      [new metrics.Hinge(), (t, p) => Array.from(losses.hinge(t, p).dataSync())],
      [new metrics.SquaredHinge(), (t, p) => Array.from(losses.squaredHinge(t, p).dataSync())],
      [new metrics.CategoricalHinge(), (t, p) => Array.from(losses.categoricalHinge(t, p).dataSync())],
    ];
    for (const [m, perSample] of cases) {
      m.updateState(yTrue, yPred);
      m.updateState([yTrue[0]], [[0.5, 0.5]], [3]);
      const first = perSample(yTrue, yPred);
      const second = perSample([yTrue[0]], [[0.5, 0.5]]);
      expectClose(m.result() as number, (sum(first) + 3 * second[0]) / 5, 1e-5);
    }
    expect(cases.map(([m]) => m.name)).toEqual(['binary_crossentropy', 'categorical_crossentropy', 'kl_divergence', 'poisson', 'hinge', 'squared_hinge', 'categorical_hinge']);
  });

  it('SparseCategoricalCrossentropy metric with logits', () => {
    const m = new metrics.SparseCategoricalCrossentropy({ fromLogits: true });
    m.updateState([2, 0], [[1, 2, 3], [0.5, -1, 4]]);
    const lse = (z: number[]): number => Math.log(sum(z.map(Math.exp)));
    expectClose(m.result() as number, mean([lse([1, 2, 3]) - 3, lse([0.5, -1, 4]) - 0.5]), 1e-5);
  });

  it('every loss is a metric by its name', () => {
    const m = metrics.get('huber');
    m.updateState([[0, 1]], [[2, 1.5]]);
    expectClose(m.result() as number, mean([2 - 0.5, 0.5 * 0.25]));
    expect(m.name).toBe('huber');
    expect(metrics.get('binary_focal_crossentropy').name).toBe('binary_focal_crossentropy');
    expect(metrics.get(losses.meanSquaredError).name).toBe('mean_squared_error');
  });
});

describe('metrics.get, resolveMetric and resolveAccuracy', () => {
  it('takes Keras names, aliases, camelCase and class names', () => {
    const cases: [string, string, string][] = [
      ['accuracy', 'Accuracy', 'accuracy'], ['acc', 'Accuracy', 'acc'], ['mse', 'MeanSquaredError', 'mean_squared_error'], ['mae', 'MeanAbsoluteError', 'mean_absolute_error'],
      ['auc', 'AUC', 'auc'], ['AUC', 'AUC', 'auc'], ['precision', 'Precision', 'precision'], ['recall', 'Recall', 'recall'], ['f1_score', 'F1Score', 'f1_score'],
      ['r2_score', 'R2Score', 'r2_score'], ['top_k_categorical_accuracy', 'TopKCategoricalAccuracy', 'top_k_categorical_accuracy'],
      ['sparse_categorical_accuracy', 'SparseCategoricalAccuracy', 'sparse_categorical_accuracy'], ['sparseCategoricalAccuracy', 'SparseCategoricalAccuracy', 'sparse_categorical_accuracy'],
      ['binary_crossentropy', 'BinaryCrossentropy', 'binary_crossentropy'], ['kl_divergence', 'KLDivergence', 'kl_divergence'], ['RootMeanSquaredError', 'RootMeanSquaredError', 'root_mean_squared_error'],
    ];
    for (const [id, className, name] of cases) {
      const m = metrics.get(id);
      expect([m.className, m.name]).toEqual([className, name]);
      m.dispose();
    }
    const auc = metrics.get({ class_name: 'AUC', config: { curve: 'PR', num_thresholds: 50 } }) as metrics.AUC;
    expect([auc.curve, auc.numThresholds]).toEqual(['PR', 50]);
    expect(metrics.get(metrics.Recall)).toBeInstanceOf(metrics.Recall);
    expect(metrics.get(metrics.categoricalAccuracy)).toBeInstanceOf(metrics.CategoricalAccuracy);
    for (const listed of [/unknown metric "acuracy"/, /'accuracy'/, /'auc'/, /'precision'/, /'f1_score'/]) expect(() => metrics.get('acuracy')).toThrow(listed);
    expect(() => metrics.get('Precission')).toThrow(/unknown metric/);
  });

  it('resolveMetric names a string metric as given, as compile does', () => {
    expect(metrics.resolveMetric('mae', [8, 1], [8, 1]).name).toBe('mae');
    const auc = new metrics.AUC({ name: 'my_auc' });
    expect(metrics.resolveMetric(auc, [8, 1], [8, 1])).toBe(auc);
    expect(metrics.resolveMetric('acc', [8, 1], [8, 1])).toBeInstanceOf(metrics.BinaryAccuracy);
  });

  it('resolveAccuracy picks binary / sparse / categorical accuracy from the shapes (Keras 3)', () => {
    const kind = (t: (number | null)[], p: (number | null)[], loss?: string): string => metrics.resolveAccuracy(loss, t, p).className;
    expect(kind([null, 1], [null, 1])).toBe('BinaryAccuracy');
    expect(kind([null], [null, 1])).toBe('BinaryAccuracy');
    expect(kind([null], [null, 10])).toBe('SparseCategoricalAccuracy');
    expect(kind([null, 1], [null, 10])).toBe('SparseCategoricalAccuracy');
    expect(kind([null, 10], [null, 10])).toBe('CategoricalAccuracy');
    expect(kind([null, null], [null, null], 'binary_crossentropy')).toBe('BinaryAccuracy');
    expect(kind([null, null], [null, null], 'sparse_categorical_crossentropy')).toBe('SparseCategoricalAccuracy');
    expect(metrics.resolveAccuracy('binary_crossentropy', [4, 1], [4, 1], 'acc').name).toBe('acc');
  });
});

describe('configs, state variables and memory', () => {
  it('getConfig / fromConfig / serialize round-trip', () => {
    const made: metrics.Metric[] = [
      new metrics.AUC({ curve: 'PR', numThresholds: 20, fromLogits: true, name: 'pr_auc' }), new metrics.Precision({ thresholds: [0.2, 0.7], topK: 2, classId: 1 }),
      new metrics.F1Score({ average: 'macro', threshold: 0.4 }), new metrics.SparseTopKCategoricalAccuracy({ k: 3 }), new metrics.R2Score({ classAggregation: null }),
      new metrics.BinaryAccuracy({ threshold: 0.3 }), new metrics.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
    ];
    for (const m of made) {
      const s = metrics.serialize(m);
      expect(s.module).toBe('keras.metrics');
      const back = metrics.deserialize(s);
      expect(back.className).toBe(m.className);
      expect(back.getConfig()).toEqual(m.getConfig());
    }
    expect(new metrics.AUC().getConfig()).toEqual({
      name: 'auc', dtype: 'float32', num_thresholds: 200, curve: 'ROC', summation_method: 'interpolation', multi_label: false, num_labels: null, label_weights: null, from_logits: false,
    });
    expect(new metrics.F1Score().getConfig()).toEqual({ name: 'f1_score', dtype: 'float32', average: null, threshold: null });
  });

  it('state lives in non-trainable variables that dispose() frees', () => {
    const before = memory().numTensors;
    const m = new metrics.AUC({ numThresholds: 10 });
    expect(m.variables.map((v) => [v.name, v.shape, v.trainable])).toEqual([
      ['true_positives', [10], false], ['false_positives', [10], false], ['true_negatives', [10], false], ['false_negatives', [10], false],
    ]);
    expect(memory().numTensors).toBe(before + 4);
    m.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('updates and resets inside tidy leave only the state variables', () => {
    const all: metrics.Metric[] = [
      new metrics.Accuracy(), new metrics.BinaryAccuracy(), new metrics.CategoricalAccuracy(), new metrics.SparseCategoricalAccuracy(),
      new metrics.TopKCategoricalAccuracy({ k: 2 }), new metrics.SparseTopKCategoricalAccuracy({ k: 2 }), new metrics.AUC(), new metrics.AUC({ multiLabel: true }),
      new metrics.Precision({ topK: 1 }), new metrics.Recall(), new metrics.F1Score(), new metrics.MeanSquaredError(), new metrics.RootMeanSquaredError(),
      new metrics.MeanAbsoluteError(), new metrics.R2Score(), new metrics.SparseCategoricalCrossentropy(), metrics.get('huber'),
    ];
    const yTrue = [[0, 1, 0], [1, 0, 0]];
    const sparse = [1, 0];
    const yPred = [[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]];
    const update = (m: metrics.Metric): void => {
      const labels = m instanceof metrics.SparseCategoricalAccuracy || m instanceof metrics.SparseTopKCategoricalAccuracy || m instanceof metrics.SparseCategoricalCrossentropy ? sparse : yTrue;
      m.updateState(labels, yPred, [1, 2]);
    };
    // A first update builds the lazily made state (F1Score, R2Score, multi-label AUC).
    tidy(() => all.forEach(update));
    const before = memory().numTensors;
    tidy(() => {
      for (let i = 0; i < 3; i++) all.forEach(update);
      all.forEach((m) => m.resetState());
      all.forEach(update);
    });
    all.forEach((m) => m.result());
    expect(memory().numTensors).toBe(before);
    all.forEach((m) => m.dispose());
  });
});
