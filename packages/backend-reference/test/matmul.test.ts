import { describe, it } from '@jest/globals';
import { expectClose, expectValues, Harness, random, randomValues } from './support/harness.js';

const h = new Harness();

/** Plain row-major transpose of the last two axes of [batch, r, c]. */
function transposeLast(values: number[], batch: number, r: number, c: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < batch; b++) for (let j = 0; j < c; j++) for (let i = 0; i < r; i++) out.push(values[(b * r + i) * c + j]);
  return out;
}

describe('matmul', () => {
  it('multiplies [1, 2, 3] by [1, 3, 2]', () => {
    const a = h.t([1, 2, 3, 4, 5, 6], [1, 2, 3]);
    const b = h.t([7, 8, 9, 10, 11, 12], [1, 3, 2]);
    expectValues(h.read(h.backend.matmul(a, b, false, false, h.out([1, 2, 2])), [1, 2, 2]), [58, 64, 139, 154]);
  });

  it('reads transposed operands as their transposes', () => {
    const rand = random(1);
    const [batch, m, k, n] = [2, 3, 4, 5];
    const a = randomValues(rand, batch * m * k);
    const b = randomValues(rand, batch * k * n);
    const plain = h.read(h.backend.matmul(h.t(a, [batch, m, k]), h.t(b, [batch, k, n]), false, false, h.out([batch, m, n])), [batch, m, n]);
    const aT = h.t(transposeLast(a, batch, m, k), [batch, k, m]);
    const bT = h.t(transposeLast(b, batch, k, n), [batch, n, k]);
    for (const [ta, tb] of [[true, false], [false, true], [true, true]] as const) {
      const y = h.backend.matmul(ta ? aT : h.t(a, [batch, m, k]), tb ? bT : h.t(b, [batch, k, n]), ta, tb, h.out([batch, m, n]));
      expectValues(h.read(y, [batch, m, n]), plain, `transposeA=${ta} transposeB=${tb}`);
    }
  });

  it('broadcasts a batch of 1 against the other batch', () => {
    const a = h.t([1, 0, 0, 2], [1, 2, 2]);
    const b = h.t([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    expectValues(h.read(h.backend.matmul(a, b, false, false, h.out([2, 2, 2])), [2, 2, 2]), [1, 2, 6, 8, 5, 6, 14, 16]);
    expectValues(h.read(h.backend.matmul(b, a, false, false, h.out([2, 2, 2])), [2, 2, 2]), [1, 4, 3, 8, 5, 12, 7, 16]);
  });

  it('accumulates in float64 and rounds once', () => {
    const k = 1000;
    const a = h.t(new Array<number>(k).fill(0.1), [1, 1, k]);
    const b = h.t(new Array<number>(k).fill(1), [1, k, 1]);
    expectClose(h.read(h.backend.matmul(a, b, false, false, h.out([1, 1, 1])), [1, 1, 1]), [k * Math.fround(0.1)], { rtol: 1e-7, atol: 0 });
  });
});
