import { describe, expect, it } from '@jest/globals';
import { expectClose, expectValues, Harness, random } from './support/harness.js';

const h = new Harness();

describe('moments', () => {
  it('gives the mean and the biased variance over the axes', () => {
    // [[1, 2], [3, 6]]: over axis 0 the means are 2, 4 and the variances 1, 4 (divide by N = 2).
    const x = h.t([1, 2, 3, 6], [2, 2]);
    const [mean, variance] = h.backend.moments(x, [0], h.out([2]));
    expectValues(h.read(mean, [2]), [2, 4]);
    expectValues(h.read(variance, [2]), [1, 4]);
    const [m1, v1] = h.backend.moments(x, [0, 1], h.out([]));
    expectValues(h.read(m1, []), [3]);
    expectValues(h.read(v1, []), [3.5]);
  });

  it('reduces several non-adjacent axes of an NHWC tensor', () => {
    const x = h.t(Array.from({ length: 24 }, (_, i) => i), [2, 3, 2, 2]);
    const [mean, variance] = h.backend.moments(x, [0, 2], h.out([3, 2]));
    // Element (n, i, j, c) = 12n + 4i + 2j + c; over n, j the values are base + {0, 2, 12, 14}.
    expectValues(h.read(mean, [3, 2]), [7, 8, 11, 12, 15, 16]);
    expectValues(h.read(variance, [3, 2]), [37, 37, 37, 37, 37, 37]);
  });

  it('stays accurate when the mean is far larger than the spread (two-pass)', () => {
    const rand = random(7);
    const n = 4096;
    const values = Array.from({ length: n }, () => Math.fround(10000 + (rand() - 0.5) * 0.01));
    const exactMean = values.reduce((s, v) => s + v, 0) / n;
    const exactVariance = values.reduce((s, v) => s + (v - exactMean) ** 2, 0) / n;
    const [mean, variance] = h.backend.moments(h.t(values, [n]), [0], h.out([]));
    expectClose(h.read(mean, []), [exactMean], { rtol: 1e-7, atol: 0 });
    expectClose(h.read(variance, []), [exactVariance], { rtol: 1e-6, atol: 0 });
    // The one-pass formula in float32 would lose every digit here: E[x²] ≈ 1e8 against a variance of ~1e-5.
    expect(exactVariance).toBeGreaterThan(0);
  });
});
