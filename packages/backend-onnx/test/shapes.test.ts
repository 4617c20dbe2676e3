/**
 * One session serves every shape of a rank, so nothing shape-dependent may be baked into a
 * graph: each kernel runs here on several shapes of the same rank, one after the other on the
 * same backend (so later shapes reuse the first shape's session), against the reference.
 */
import { describe, expect, it } from '@jest/globals';
import type { Conv2DAttrs, Pool2DAttrs } from '@keras-ts/core';
import { expectSameAsReference, floats, input, onnx, spec, SUMS } from './support/twins.js';

/** [n, h, w, cin, cout] triples with the same attributes. */
const SIZES: [number, number, number, number, number][] = [[1, 5, 6, 2, 3], [3, 7, 5, 4, 2], [2, 9, 9, 1, 5]];

describe('one session, many shapes', () => {
  it('convolution kernels with the same attributes and other batch, image and channel sizes', () => {
    const attrs: Conv2DAttrs = { strides: [2, 1], pads: [[1, 1], [0, 1]], dilations: [1, 2] };
    const before = onnx.sessionCacheSize();
    for (const [n, h, w, ci, co] of SIZES) {
      const oh = Math.floor((h + 2 - 3) / 2) + 1;
      const ow = Math.floor((w + 1 - 3) / 1) + 1;
      const x = floats([n, h, w, ci], h);
      const f = floats([3, 2, ci, co], w);
      const dy = floats([n, oh, ow, co], n);
      expectSameAsReference('conv2d', (b, [a, k]) => b.conv2d(a, k, attrs, spec([n, oh, ow, co])), [x, f], spec([n, oh, ow, co]), SUMS);
      expectSameAsReference('conv2dBackpropInput', (b, [d, k]) => b.conv2dBackpropInput(d, k, attrs, spec(x.shape)), [dy, f], spec(x.shape), SUMS);
      expectSameAsReference('conv2dBackpropFilter', (b, [a, d]) => b.conv2dBackpropFilter(a, d, attrs, spec(f.shape)), [x, dy], spec(f.shape), SUMS);
    }
    // conv2dBackpropInput's output_padding depends on the sizes, so it may take a second session.
    expect(onnx.sessionCacheSize() - before).toBeLessThanOrEqual(4);
  });

  it('pooling kernels with the same attributes and other sizes', () => {
    const attrs: Pool2DAttrs = { poolSize: [2, 3], strides: [2, 2], padding: 'same', pads: [[0, 1], [1, 1]] };
    for (const [n, h, w, c] of SIZES) {
      const oh = Math.floor((h + 1 - 2) / 2) + 1;
      const ow = Math.floor((w + 2 - 3) / 2) + 1;
      const x = floats([n, h, w, c], h);
      const dy = floats([n, oh, ow, c], w);
      const out = spec([n, oh, ow, c]);
      expectSameAsReference('maxPool2d', (b, [a]) => b.maxPool2d(a, attrs, out), [x], out);
      expectSameAsReference('avgPool2d', (b, [a]) => b.avgPool2d(a, attrs, out), [x], out);
      expectSameAsReference('maxPool2dBackprop', (b, [d, a]) => b.maxPool2dBackprop(d, a, attrs, spec(x.shape)), [dy, x], spec(x.shape));
      expectSameAsReference('avgPool2dBackprop', (b, [d]) => b.avgPool2dBackprop(d, attrs, spec(x.shape)), [dy], spec(x.shape));
    }
  });

  it('layout, reduction, statistics and fused kernels', () => {
    for (const [a, b, c] of [[2, 3, 4], [5, 1, 2], [1, 6, 3]]) {
      const x = floats([a, b, c], a + b);
      const idx = input([0, b - 1, 0], [3], 'int32');
      expectSameAsReference('matmul', (be, [p, q]) => be.matmul(p, q, false, true, spec([a, b, b])), [x, x], spec([a, b, b]), SUMS);
      expectSameAsReference('slice', (be, [t]) => be.slice(t, [a - 1, 0, 1], [1, b, c - 1], spec([1, b, c - 1])), [x], spec([1, b, c - 1]));
      expectSameAsReference('pad', (be, [t]) => be.pad(t, [[0, a], [1, 0], [c, 1]], 1, spec([2 * a, b + 1, 2 * c + 1])), [x], spec([2 * a, b + 1, 2 * c + 1]));
      expectSameAsReference('gather', (be, [t, i]) => be.gather(t, i, 1, spec([a, 3, c])), [x, idx], spec([a, 3, c]));
      expectSameAsReference('scatterAdd', (be, [u, i]) => be.scatterAdd(u, i, 1, spec([a, b, c])), [floats([a, 3, c], c), idx], spec([a, b, c]));
      expectSameAsReference('tile', (be, [t]) => be.tile(t, [1, a, 2], spec([a, a * b, 2 * c])), [x], spec([a, a * b, 2 * c]));
      expectSameAsReference('reverse', (be, [t]) => be.reverse(t, [1], spec([a, b, c])), [x], spec([a, b, c]));
      expectSameAsReference('reduce', (be, [t]) => be.reduce('mean', t, [0, 2], spec([b])), [x], spec([b]), SUMS);
      expectSameAsReference('moments', (be, [t]) => be.moments(t, [1], spec([a, c])), [x], [spec([a, c]), spec([a, c])], SUMS);
      expectSameAsReference('softmaxCrossEntropy', (be, [z, y]) => be.softmaxCrossEntropy!(z, y, spec([a])), [floats([a, c], 1), floats([a, c], 2, 0, 1)], spec([a]), SUMS);
      const units = 3;
      const w = [floats([c, 4 * units], 3), floats([units, 4 * units], 4), floats([4 * units], 5)];
      const seqOuts = [spec([a, b, units]), spec([a, units]), spec([a, units])];
      expectSameAsReference('lstmSequence', (be, [s, h, cc, k, r, bias]) => be.lstmSequence!(s, h, cc, k, r, bias, seqOuts[0]),
        [x, floats([a, units], 6), floats([a, units], 7), ...w], seqOuts, SUMS);
    }
  });
});
