/** Convolution and its gradients against naive loops, for any backend case. */
import { afterEach, describe, expect, test } from '@jest/globals';
import type { Conv2DAttrs } from '@keras-ts/core';
import { conv2dBackpropFilter, conv2dBackpropInput } from '../../src/common/conv.js';
import { type BackendCase, expectClose, Harness, seeded, size, spec } from '../helpers.js';
import { type ConvCase, conv2dBackpropFilterRef, conv2dBackpropInputRef, conv2dRef, convOutShape } from '../reference.js';

const attrs = (
  pads: Conv2DAttrs['pads'], strides: [number, number] = [1, 1], dilations: [number, number] = [1, 1],
): Conv2DAttrs => ({ pads, strides, dilations });

/** Keras's 'same' padding for one axis: the total split with the extra cell at the end. */
function same(n: number, k: number, s: number, d = 1): [number, number] {
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + (k - 1) * d + 1 - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

export const CONV_CASES: Record<string, ConvCase> = {
  'valid, stride 1': { x: [2, 5, 5, 3], filter: [3, 3, 3, 4], attrs: attrs([[0, 0], [0, 0]]) },
  'explicit asymmetric pads, stride [2, 1]': { x: [2, 6, 5, 2], filter: [3, 2, 2, 3], attrs: attrs([[1, 2], [0, 1]], [2, 1]) },
  "Keras 'same', stride 2, even input": { x: [1, 6, 6, 2], filter: [3, 3, 2, 2], attrs: attrs([same(6, 3, 2), same(6, 3, 2)], [2, 2]) },
  'dilation [2, 2] with same pads': { x: [2, 7, 7, 2], filter: [3, 3, 2, 3], attrs: attrs([same(7, 3, 1, 2), same(7, 3, 1, 2)], [1, 1], [2, 2]) },
  'dilation [2, 1], pads on rows only': { x: [1, 6, 5, 3], filter: [2, 3, 3, 2], attrs: attrs([[1, 1], [0, 0]], [1, 1], [2, 1]) },
  '1x1, stride 2': { x: [2, 5, 4, 3], filter: [1, 1, 3, 2], attrs: attrs([[0, 0], [0, 0]], [2, 2]) },
  'stride 3 leaves the last rows unused': { x: [1, 7, 7, 1], filter: [2, 2, 1, 1], attrs: attrs([[0, 0], [0, 0]], [3, 3]) },
  'many channels (typed-array copy path of im2col)': { x: [2, 4, 4, 20], filter: [2, 2, 20, 3], attrs: attrs([[0, 1], [1, 0]]) },
};

export function convTests(c: BackendCase): void {
  const b = c.backend();
  const h = new Harness(b);
  afterEach(() => h.freeAll());

  describe.each(Object.entries(CONV_CASES))('conv2d: %s', (_, k) => {
    const yShape = convOutShape(k);
    const xs = seeded(size(k.x), 11);
    const ws = seeded(size(k.filter), 12);
    const dys = seeded(size(yShape), 13);

    test('forward matches the naive loop', () => {
      const out = h.read(b.conv2d(h.up(xs, k.x), h.up(ws, k.filter), k.attrs, spec(yShape)), spec(yShape));
      expectClose(out, conv2dRef(k, xs, ws), 1e-5);
    });

    test('conv2dBackpropInput matches the naive adjoint', () => {
      const out = h.read(b.conv2dBackpropInput(h.up(dys, yShape), h.up(ws, k.filter), k.attrs, spec(k.x)), spec(k.x));
      expectClose(out, conv2dBackpropInputRef(k, dys, ws), 1e-5);
    });

    test('conv2dBackpropFilter matches the naive loop', () => {
      const out = h.read(b.conv2dBackpropFilter(h.up(xs, k.x), h.up(dys, yShape), k.attrs, spec(k.filter)), spec(k.filter));
      expectClose(out, conv2dBackpropFilterRef(k, xs, dys), 1e-5);
    });
  });

  describe('conv2d gradients in chunks of images', () => {
    const runner = c.runner();
    const k = CONV_CASES['dilation [2, 2] with same pads'];
    const yShape = convOutShape(k);
    const up = (values: number[], shape: readonly number[]) => ({ handle: runner.upload(Float32Array.from(values), shape, 'float32'), shape, dtype: 'float32' as const });
    const xs = seeded(size(k.x), 21);
    const ws = seeded(size(k.filter), 22);
    const dys = seeded(size(yShape), 23);

    test('a patch matrix of one image at a time gives the same sums, and frees every chunk', () => {
      // Counted from here: tfjs-wasm's module is shared with the other backends of this process.
      const initial = runner.numDataIds();
      const x = up(xs, k.x);
      const w = up(ws, k.filter);
      const dy = up(dys, yShape);
      const before = runner.numDataIds();
      const onePerChunk = 1; // fewer floats than one image's patch matrix: one image per chunk
      const dw = conv2dBackpropFilter(runner, x, dy, k.attrs, spec(k.filter), onePerChunk);
      const dx = conv2dBackpropInput(runner, dy, w, k.attrs, spec(k.x), onePerChunk);
      expect(runner.numDataIds()).toBe(before + 2);
      expectClose(runner.values(dw), conv2dBackpropFilterRef(k, xs, dys), 1e-5);
      expectClose(runner.values(dx), conv2dBackpropInputRef(k, dys, ws), 1e-5);
      for (const t of [x, w, dy]) runner.dispose(t.handle);
      runner.dispose(dw);
      runner.dispose(dx);
      expect(runner.numDataIds()).toBe(initial);
    });
  });

  describe('conv2d memory', () => {
    test('each kernel leaves exactly its output alive', () => {
      const k = CONV_CASES['dilation [2, 2] with same pads'];
      const yShape = convOutShape(k);
      const x = h.up(seeded(size(k.x)), k.x);
      const w = h.up(seeded(size(k.filter)), k.filter);
      const dy = h.up(seeded(size(yShape)), yShape);
      const start = b.numDataIds();
      for (const run of [
        () => b.conv2d(x, w, k.attrs, spec(yShape)),
        () => b.conv2dBackpropInput(dy, w, k.attrs, spec(k.x)),
        () => b.conv2dBackpropFilter(x, dy, k.attrs, spec(k.filter)),
        () => b.conv2dBackpropInput(dy, w, CONV_CASES['valid, stride 1'].attrs, spec([2, 9, 9, 2])),
      ]) {
        const out = run();
        expect(b.numDataIds()).toBe(start + 1);
        b.dispose(out);
        expect(b.numDataIds()).toBe(start);
      }
    });
  });
}
