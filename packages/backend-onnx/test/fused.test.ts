/** The optional fused kernels against the reference backend. */
import { describe, it } from '@jest/globals';
import { expectSameAsReference, floats, input, spec, SUMS } from './support/twins.js';

describe('softmax family', () => {
  for (const shape of [[7], [3, 5], [2, 3, 4]]) {
    it(`softmax and logSoftmax over the last axis of [${shape}], large logits included`, () => {
      const x = floats(shape, 1, -50, 50);
      expectSameAsReference('softmax', (b, [t]) => b.softmax!(t, spec(shape)), [x], spec(shape), { rtol: 1e-5, atol: 1e-7 });
      expectSameAsReference('logSoftmax', (b, [t]) => b.logSoftmax!(t, spec(shape)), [x], spec(shape), SUMS);
    });
  }

  it('rows with ±Infinity or NaN behave as the reference', () => {
    const x = input([Infinity, 1, 2, -Infinity, -Infinity, -Infinity, NaN, 0, 1, 1e30, -1e30, 0], [4, 3]);
    expectSameAsReference('softmax', (b, [t]) => b.softmax!(t, spec([4, 3])), [x], spec([4, 3]));
    expectSameAsReference('logSoftmax', (b, [t]) => b.logSoftmax!(t, spec([4, 3])), [x], spec([4, 3]));
  });

  it('softmaxCrossEntropy with one-hot and soft labels', () => {
    const logits = floats([6, 10], 2, -8, 8);
    const oneHot = input(Array.from({ length: 60 }, (_, i) => (i % 10 === (Math.floor(i / 10) * 3) % 10 ? 1 : 0)), [6, 10]);
    const soft = floats([6, 10], 3, 0, 0.2);
    for (const labels of [oneHot, soft]) {
      expectSameAsReference('softmaxCrossEntropy', (b, [z, y]) => b.softmaxCrossEntropy!(z, y, spec([6])), [logits, labels], spec([6]), SUMS);
    }
  });
});

describe('LSTM', () => {
  const batch = 3;
  const inputs = 4;
  const units = 5;
  const weights = () => [floats([inputs, 4 * units], 10, -0.6, 0.6), floats([units, 4 * units], 11, -0.6, 0.6), floats([4 * units], 12, -0.5, 0.5)];

  it('lstmCell: one step in Keras gate order (i, f, c, o)', () => {
    const args = [floats([batch, inputs], 1), floats([batch, units], 2), floats([batch, units], 3), ...weights()];
    const out = spec([batch, units]);
    expectSameAsReference('lstmCell', (b, [x, h, c, k, r, bias]) => b.lstmCell!(x, h, c, k, r, bias, out), args, [out, out], SUMS);
  });

  for (const steps of [1, 7]) {
    it(`lstmSequence over ${steps} steps: sequences, last h and last c`, () => {
      const args = [floats([batch, steps, inputs], 4), floats([batch, units], 5), floats([batch, units], 6), ...weights()];
      const outs = [spec([batch, steps, units]), spec([batch, units]), spec([batch, units])];
      expectSameAsReference('lstmSequence', (b, [x, h, c, k, r, bias]) => b.lstmSequence!(x, h, c, k, r, bias, outs[0]), args, outs, SUMS);
    });
  }

  it('lstmSequence over 0 steps returns the initial states', () => {
    const args = [input([], [batch, 0, inputs]), floats([batch, units], 5), floats([batch, units], 6), ...weights()];
    const outs = [spec([batch, 0, units]), spec([batch, units]), spec([batch, units])];
    expectSameAsReference('lstmSequence', (b, [x, h, c, k, r, bias]) => b.lstmSequence!(x, h, c, k, r, bias, outs[0]), args, outs);
  });
});
