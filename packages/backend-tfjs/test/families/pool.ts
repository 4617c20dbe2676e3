/** Pooling and its gradients against naive loops, for any backend case. */
import { afterEach, describe, expect, test } from '@jest/globals';
import type { Pool2DAttrs } from '@keras-ts/core';
import { type BackendCase, expectClose, Harness, seeded, size, spec } from '../helpers.js';
import { avgPoolBackpropRef, avgPoolRef, maxPoolBackpropRef, maxPoolRef, poolOutShape } from '../reference.js';

/** Pool attributes as core builds them: Keras's 'same' turned into explicit pads. */
export function poolAttrs(xShape: readonly number[], poolSize: [number, number], strides: [number, number], padding: 'valid' | 'same'): Pool2DAttrs {
  const pads = [0, 1].map((axis) => {
    if (padding === 'valid') return [0, 0] as const;
    const n = xShape[axis + 1];
    const total = Math.max((Math.ceil(n / strides[axis]) - 1) * strides[axis] + poolSize[axis] - n, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)] as const;
  });
  return { poolSize, strides, padding, pads: [pads[0], pads[1]] };
}

export const POOL_CASES: [string, number[], Pool2DAttrs][] = [
  ['valid 2x2 stride 2', [1, 4, 4, 2], poolAttrs([1, 4, 4, 2], [2, 2], [2, 2], 'valid')],
  ["'same' 3x3 stride 2, odd input", [2, 5, 5, 3], poolAttrs([2, 5, 5, 3], [3, 3], [2, 2], 'same')],
  ["'same' 3x3 stride 1", [1, 4, 4, 1], poolAttrs([1, 4, 4, 1], [3, 3], [1, 1], 'same')],
  ["'same' 2x3 stride [1, 2], even input", [2, 4, 6, 2], poolAttrs([2, 4, 6, 2], [2, 3], [1, 2], 'same')],
  ['valid 3x3 stride 2, overlapping windows', [1, 7, 7, 2], poolAttrs([1, 7, 7, 2], [3, 3], [2, 2], 'valid')],
];

/** The output index whose window (2x2, stride 2, valid) holds input index `at` (NHWC). */
function maxPoolOutIndex(at: number, xShape: number[], yShape: number[]): number {
  const [, h, w, c] = xShape;
  const [n, row, col, ch] = [Math.floor(at / (h * w * c)), Math.floor(at / (w * c)) % h, Math.floor(at / c) % w, at % c];
  return ((n * yShape[1] + Math.floor(row / 2)) * yShape[2] + Math.floor(col / 2)) * c + ch;
}

export function poolTests(c: BackendCase): void {
  const b = c.backend();
  const h = new Harness(b);
  afterEach(() => h.freeAll());

  describe.each(POOL_CASES)('pooling: %s', (_, xShape, attrs) => {
    const yShape = poolOutShape(xShape, attrs);
    const xs = seeded(size(xShape), 31).map((v) => Math.fround(v - 2)); // all negative: padding (0) must never win
    const dys = seeded(size(yShape), 32);

    test('maxPool2d matches the naive loop', () => {
      expectClose(h.read(b.maxPool2d(h.up(xs, xShape), attrs, spec(yShape)), spec(yShape)), maxPoolRef(xs, xShape, attrs));
    });

    test('avgPool2d divides by the real cells only', () => {
      expectClose(h.read(b.avgPool2d(h.up(xs, xShape), attrs, spec(yShape)), spec(yShape)), avgPoolRef(xs, xShape, attrs));
    });

    test('maxPool2dBackprop matches the naive loop', () => {
      const out = h.read(b.maxPool2dBackprop(h.up(dys, yShape), h.up(xs, xShape), attrs, spec(xShape)), spec(xShape));
      expectClose(out, maxPoolBackpropRef(dys, xs, xShape, attrs));
    });

    test('avgPool2dBackprop spreads over the real cells only', () => {
      const out = h.read(b.avgPool2dBackprop(h.up(dys, yShape), attrs, spec(xShape)), spec(xShape));
      expectClose(out, avgPoolBackpropRef(dys, xShape, attrs));
    });

    test("explicit pads agree with tfjs's own 'same'/'valid'", () => {
      const runner = c.runner();
      const x = runner.upload(Float32Array.from(xs), xShape, 'float32');
      for (const kernel of ['MaxPool', 'AvgPool']) {
        const y = runner.run(kernel, { x }, { filterSize: [...attrs.poolSize], strides: [...attrs.strides], pad: attrs.padding });
        const expected = kernel === 'MaxPool' ? maxPoolRef(xs, xShape, attrs) : avgPoolRef(xs, xShape, attrs);
        expect(y.shape).toEqual(yShape);
        expectClose(runner.values(y), expected);
        runner.dispose(y);
      }
      runner.dispose(x);
    });
  });

  describe('pooling details', () => {
    test('max backprop sends the gradient to the first maximum on ties', () => {
      const attrs = poolAttrs([1, 2, 2, 1], [2, 2], [2, 2], 'valid');
      const out = h.read(b.maxPool2dBackprop(h.up([5], [1, 1, 1, 1]), h.up([1, 3, 3, 3], [1, 2, 2, 1]), attrs, spec([1, 2, 2, 1])), spec([1, 2, 2, 1]));
      expect(out).toEqual([0, 5, 0, 0]);
    });

    test('a window holding NaN gives NaN, and its gradient goes to the first NaN (hand-computed)', () => {
      // 2x4 input, 2x2 pool, stride 1: windows [1, NaN, 3, 4], [NaN, 2, 4, 5], [2, +Inf, 5, NaN].
      const attrs = poolAttrs([1, 2, 4, 1], [2, 2], [1, 1], 'valid');
      const x = h.up([1, NaN, 2, Infinity, 3, 4, 5, NaN], [1, 2, 4, 1]);
      expectClose(h.read(b.maxPool2d(x, attrs, spec([1, 1, 3, 1])), spec([1, 1, 3, 1])), [NaN, NaN, NaN]);
      const dx = h.read(b.maxPool2dBackprop(h.up([10, 100, 1000], [1, 1, 3, 1]), x, attrs, spec([1, 2, 4, 1])), spec([1, 2, 4, 1]));
      // The third window's first NaN is after its +Infinity: the NaN still wins.
      expect(dx).toEqual([0, 110, 0, 0, 0, 0, 0, 1000]);
    });

    test('a window of −Infinity only gives −Infinity, and its gradient goes to its first cell', () => {
      const attrs = poolAttrs([1, 2, 2, 1], [2, 2], [2, 2], 'valid');
      const x = h.up([-Infinity, -Infinity, -Infinity, -Infinity], [1, 2, 2, 1]);
      expect(h.read(b.maxPool2d(x, attrs, spec([1, 1, 1, 1])), spec([1, 1, 1, 1]))).toEqual([-Infinity]);
      expect(h.read(b.maxPool2dBackprop(h.up([3], [1, 1, 1, 1]), x, attrs, spec([1, 2, 2, 1])), spec([1, 2, 2, 1]))).toEqual([3, 0, 0, 0]);
    });

    test('one NaN anywhere in a larger input gives NaN in its window (tfjs-wasm looks for NaN before running its kernel)', () => {
      const xShape = [2, 6, 6, 5];
      const attrs = poolAttrs(xShape, [2, 2], [2, 2], 'valid');
      const yShape = poolOutShape(xShape, attrs);
      const base = seeded(size(xShape), 33);
      for (const at of [0, 1, 2, 3, 4, 177, size(xShape) - 2, size(xShape) - 1]) {
        const xs = base.map((v, i) => (i === at ? NaN : v));
        const expected = maxPoolRef(xs, xShape, attrs).map((v, i) => (i === maxPoolOutIndex(at, xShape, yShape) ? NaN : v));
        expectClose(h.read(b.maxPool2d(h.up(xs, xShape), attrs, spec(yShape)), spec(yShape)), expected);
      }
    });

    test("'same' average at a corner uses the real cells (hand-computed)", () => {
      // 3x3 input 1..9, pool 2x2 stride 1 'same': pads bottom/right, last row/column windows are cut.
      const attrs = poolAttrs([1, 3, 3, 1], [2, 2], [1, 1], 'same');
      expect(attrs.pads).toEqual([[0, 1], [0, 1]]);
      const out = h.read(b.avgPool2d(h.up([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]), attrs, spec([1, 3, 3, 1])), spec([1, 3, 3, 1]));
      expect(out).toEqual([3, 4, 4.5, 6, 7, 7.5, 7.5, 8.5, 9]);
    });

    test('each pooling kernel leaves exactly its output alive', () => {
      const [, xShape, attrs] = POOL_CASES[1];
      const yShape = poolOutShape(xShape, attrs);
      const x = h.up(seeded(size(xShape)), xShape);
      const dy = h.up(seeded(size(yShape)), yShape);
      const start = b.numDataIds();
      for (const run of [
        () => b.maxPool2d(x, attrs, spec(yShape)),
        () => b.avgPool2d(x, attrs, spec(yShape)),
        () => b.maxPool2dBackprop(dy, x, attrs, spec(xShape)),
        () => b.avgPool2dBackprop(dy, attrs, spec(xShape)),
      ]) {
        const out = run();
        expect(b.numDataIds()).toBe(start + 1);
        b.dispose(out);
      }
      expect(b.numDataIds()).toBe(start);
    });
  });
}
