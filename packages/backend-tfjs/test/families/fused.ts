/** The fused kernels (softmax family, lstmCell) against direct formulas, for any backend case. */
import { afterEach, describe, expect, test } from '@jest/globals';
import { type BackendCase, expectClose, Harness, seeded, spec } from '../helpers.js';

const softmaxRow = (row: number[]): number[] => {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((p, q) => p + q, 0);
  return e.map((v) => v / s);
};
const logSoftmaxRow = (row: number[]): number[] => {
  const m = Math.max(...row);
  const lse = Math.log(row.reduce((p, v) => p + Math.exp(v - m), 0));
  return row.map((v) => v - m - lse);
};
const rows = (values: number[], width: number): number[][] =>
  Array.from({ length: values.length / width }, (_, i) => values.slice(i * width, (i + 1) * width));

export function fusedTests(c: BackendCase): void {
  const b = c.backend();
  const h = new Harness(b);
  afterEach(() => h.freeAll());

  describe('softmax family', () => {
    const logits = [1, 2, 3, -1, 0, 1000, 1000, 999, -5, 2, 2, 2];

    test('softmax along the last axis, stable for large logits', () => {
      const out = h.read(b.softmax(h.up(logits, [2, 2, 3]), spec([2, 2, 3])), spec([2, 2, 3]));
      expectClose(out, rows(logits, 3).flatMap(softmaxRow), 1e-6);
    });

    test('logSoftmax along the last axis, stable for large logits', () => {
      const out = h.read(b.logSoftmax(h.up(logits, [4, 3]), spec([4, 3])), spec([4, 3]));
      expectClose(out, rows(logits, 3).flatMap(logSoftmaxRow), 1e-5);
    });

    test('softmaxCrossEntropy with one-hot and soft labels', () => {
      const labels = [0, 0, 1, 1, 0, 0, 0.5, 0.5, 0, 0.2, 0.3, 0.5];
      const out = h.read(b.softmaxCrossEntropy(h.up(logits, [4, 3]), h.up(labels, [4, 3]), spec([4])), spec([4]));
      const expected = rows(logits, 3).map((r, i) => -logSoftmaxRow(r).reduce((p, q, j) => p + labels[i * 3 + j] * q, 0));
      expectClose(out, expected, 1e-5);
    });
  });

  describe('lstmCell', () => {
    test("one step in Keras's gate order (i, f, c, o)", () => {
      const [batch, inputs, units] = [2, 3, 4];
      const x = seeded(batch * inputs, 41);
      const h0 = seeded(batch * units, 42);
      const c0 = seeded(batch * units, 43);
      const k = seeded(inputs * 4 * units, 44);
      const rk = seeded(units * 4 * units, 45);
      const bias = seeded(4 * units, 46);
      const [hOut, cOut] = b.lstmCell(
        h.up(x, [batch, inputs]), h.up(h0, [batch, units]), h.up(c0, [batch, units]),
        h.up(k, [inputs, 4 * units]), h.up(rk, [units, 4 * units]), h.up(bias, [4 * units]), spec([batch, units]),
      );
      const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
      const expectedH: number[] = [];
      const expectedC: number[] = [];
      for (let n = 0; n < batch; n++) {
        const z = Array.from({ length: 4 * units }, (_, j) => {
          let s = bias[j];
          for (let i = 0; i < inputs; i++) s += x[n * inputs + i] * k[i * 4 * units + j];
          for (let u = 0; u < units; u++) s += h0[n * units + u] * rk[u * 4 * units + j];
          return s;
        });
        for (let u = 0; u < units; u++) {
          const c = sigmoid(z[units + u]) * c0[n * units + u] + sigmoid(z[u]) * Math.tanh(z[2 * units + u]);
          expectedC.push(c);
          expectedH.push(sigmoid(z[3 * units + u]) * Math.tanh(c));
        }
      }
      expectClose(h.read(hOut, spec([batch, units])), expectedH, 1e-5);
      expectClose(h.read(cOut, spec([batch, units])), expectedC, 1e-5);
    });
  });

  describe('fused kernels free their intermediates', () => {
    test('softmax, logSoftmax, softmaxCrossEntropy, lstmCell', () => {
      const x = h.up(seeded(6), [2, 3]);
      const y = h.up([0, 1, 0, 1, 0, 0], [2, 3]);
      const start = b.numDataIds();
      b.dispose(b.softmax(x, spec([2, 3])));
      b.dispose(b.logSoftmax(x, spec([2, 3])));
      b.dispose(b.softmaxCrossEntropy(x, y, spec([2])));
      const st = h.up(seeded(4), [2, 2]);
      const [hh, cc] = b.lstmCell(x, st, st, h.up(seeded(24), [3, 8]), h.up(seeded(16), [2, 8]), h.up(seeded(8), [8]), spec([2, 2]));
      expect(b.numDataIds()).toBe(start + 4 + 2);
      b.dispose(hh);
      b.dispose(cc);
      expect(b.numDataIds()).toBe(start + 4);
    });
  });
}
