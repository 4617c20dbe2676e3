import { describe, it } from '@jest/globals';
import { expectClose, Harness, random, randomValues } from './support/harness.js';

const h = new Harness();
const tol = { rtol: 1e-6, atol: 1e-7 };
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

describe('softmax and logSoftmax', () => {
  it('normalise along the last axis, stable for large inputs', () => {
    const x = h.t([1, 2, 3, 1000, 1001, 1002], [2, 3]);
    const e = [Math.exp(-2), Math.exp(-1), 1];
    const s = e[0] + e[1] + e[2];
    const expected = [...e, ...e].map((v) => v / s);
    expectClose(h.read(h.backend.softmax(x, h.out([2, 3])), [2, 3]), expected, tol);
    expectClose(h.read(h.backend.logSoftmax(x, h.out([2, 3])), [2, 3]), expected.map(Math.log), tol);
  });

  it('keeps log-probabilities far below float32 underflow', () => {
    const x = h.t([0, -200], [2]);
    expectClose(h.read(h.backend.logSoftmax(x, h.out([2])), [2]), [-Math.log1p(Math.exp(-200)), -200], tol);
  });
});

describe('softmaxCrossEntropy', () => {
  it('is -sum(labels * logSoftmax(logits), -1)', () => {
    const logits = [2, 1, 0.1, -1, 0, 1];
    const labels = [1, 0, 0, 0.25, 0.25, 0.5];
    const y = h.backend.softmaxCrossEntropy(h.t(logits, [2, 3]), h.t(labels, [2, 3]), h.out([2]));
    const expected = [0, 1].map((r) => {
      const row = logits.slice(3 * r, 3 * r + 3);
      const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
      return -row.reduce((s, v, j) => s + labels[3 * r + j] * (v - logSum), 0);
    });
    expectClose(h.read(y, [2]), expected, tol);
  });
});

/** The Keras LSTM step written out per element, for [b, in] x and [b, u] states. */
function lstmStepByHand(x: number[], hPrev: number[], cPrev: number[], k: number[], rk: number[], bias: number[], b: number, inputs: number, u: number) {
  const hNext: number[] = [];
  const cNext: number[] = [];
  for (let n = 0; n < b; n++) {
    const z = (gate: number, j: number) => {
      const q = gate * u + j;
      let s = bias[q];
      for (let i = 0; i < inputs; i++) s += x[n * inputs + i] * k[i * 4 * u + q];
      for (let i = 0; i < u; i++) s += hPrev[n * u + i] * rk[i * 4 * u + q];
      return s;
    };
    for (let j = 0; j < u; j++) {
      const c = sigmoid(z(1, j)) * cPrev[n * u + j] + sigmoid(z(0, j)) * Math.tanh(z(2, j));
      cNext.push(c);
      hNext.push(sigmoid(z(3, j)) * Math.tanh(c));
    }
  }
  return { hNext, cNext };
}

describe('lstmCell and lstmSequence', () => {
  const rand = random(3);
  const [b, inputs, u, steps] = [2, 3, 4, 5];
  const k = randomValues(rand, inputs * 4 * u);
  const rk = randomValues(rand, u * 4 * u);
  const bias = randomValues(rand, 4 * u);
  const weights = () => [h.t(k, [inputs, 4 * u]), h.t(rk, [u, 4 * u]), h.t(bias, [4 * u])] as const;

  it('computes one step in the gate order i, f, c, o', () => {
    const x = randomValues(rand, b * inputs);
    const h0 = randomValues(rand, b * u);
    const c0 = randomValues(rand, b * u);
    const [hNext, cNext] = h.backend.lstmCell(h.t(x, [b, inputs]), h.t(h0, [b, u]), h.t(c0, [b, u]), ...weights(), h.out([b, u]));
    const expected = lstmStepByHand(x, h0, c0, k, rk, bias, b, inputs, u);
    expectClose(h.read(hNext, [b, u]), expected.hNext, tol, 'h');
    expectClose(h.read(cNext, [b, u]), expected.cNext, tol, 'c');
  });

  it('runs the step over time, returning every h and the last states', () => {
    const x = randomValues(rand, b * steps * inputs);
    let hs = randomValues(rand, b * u);
    let cs = randomValues(rand, b * u);
    const [seq, hLast, cLast] = h.backend.lstmSequence(h.t(x, [b, steps, inputs]), h.t(hs, [b, u]), h.t(cs, [b, u]), ...weights(), h.out([b, steps, u]));
    const expectedSeq = new Array<number>(b * steps * u);
    for (let t = 0; t < steps; t++) {
      const xt: number[] = [];
      for (let n = 0; n < b; n++) xt.push(...x.slice((n * steps + t) * inputs, (n * steps + t + 1) * inputs));
      const step = lstmStepByHand(xt, hs, cs, k, rk, bias, b, inputs, u);
      [hs, cs] = [step.hNext, step.cNext];
      for (let n = 0; n < b; n++) for (let j = 0; j < u; j++) expectedSeq[(n * steps + t) * u + j] = hs[n * u + j];
    }
    expectClose(h.read(seq, [b, steps, u]), expectedSeq, tol, 'sequences');
    expectClose(h.read(hLast, [b, u]), hs, tol, 'last h');
    expectClose(h.read(cLast, [b, u]), cs, tol, 'last c');
  });

  it('returns the initial states for an empty sequence', () => {
    const h0 = randomValues(rand, b * u);
    const c0 = randomValues(rand, b * u);
    const [seq, hLast, cLast] = h.backend.lstmSequence(h.t([], [b, 0, inputs]), h.t(h0, [b, u]), h.t(c0, [b, u]), ...weights(), h.out([b, 0, u]));
    expectClose(h.read(seq, [b, 0, u]), [], tol);
    expectClose(h.read(hLast, [b, u]), h0, tol);
    expectClose(h.read(cLast, [b, u]), c0, tol);
  });
});
