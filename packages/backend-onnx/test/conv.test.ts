/** matmul, convolution and pooling (and their gradients) against the reference backend. */
import { describe, it } from '@jest/globals';
import type { Conv2DAttrs, Pool2DAttrs } from '@keras-ts/core';
import { createOnnxBackend } from '../src/index.js';
import { expectSameAsReference, floats, input, random, spec, SUMS, type Input } from './support/twins.js';

/** Runs conv2dBackpropFilter as one Conv (the path for patch matrices too large to build), and every heavy call on 2 threads. */
const noIm2col = createOnnxBackend({ maxIm2colElements: 0, heavyWork: 0, heavyOpThreads: 2 });

describe('matmul', () => {
  const cases: [number, number, number, number, number][] = [[1, 1, 1, 1, 1], [2, 3, 4, 5, 2], [1, 7, 16, 9, 3], [3, 8, 5, 6, 1]];
  for (const [batchA, m, k, n, batchB] of cases) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        it(`[${batchA}, ${m}, ${k}] x [${batchB}, ${k}, ${n}] ta=${transposeA} tb=${transposeB}`, () => {
          const a = floats(transposeA ? [batchA, k, m] : [batchA, m, k], 1);
          const b = floats(transposeB ? [batchB, n, k] : [batchB, k, n], 2);
          const out = spec([Math.max(batchA, batchB), m, n]);
          expectSameAsReference('matmul', (be, [x, y]) => be.matmul(x, y, transposeA, transposeB, out), [a, b], out, SUMS);
        });
      }
    }
  }
});

describe('matmul edge cases', () => {
  it('an empty inner dimension gives zeros', () => {
    expectSameAsReference('matmul k=0', (be, [x, y]) => be.matmul(x, y, false, false, spec([2, 3, 4])), [input([], [2, 3, 0]), input([], [1, 0, 4])], spec([2, 3, 4]));
  });
});

interface ConvCase {
  x: number[];
  k: [number, number];
  cout: number;
  attrs: Conv2DAttrs;
}

const convOut = (c: ConvCase): number[] => {
  const size = (n: number, axis: 0 | 1) =>
    Math.floor((n + c.attrs.pads[axis][0] + c.attrs.pads[axis][1] - (c.k[axis] - 1) * c.attrs.dilations[axis] - 1) / c.attrs.strides[axis]) + 1;
  return [c.x[0], size(c.x[1], 0), size(c.x[2], 1), c.cout];
};

const CONV_CASES: ConvCase[] = [
  { x: [2, 5, 5, 3], k: [3, 3], cout: 4, attrs: { strides: [1, 1], pads: [[0, 0], [0, 0]], dilations: [1, 1] } },
  { x: [1, 6, 7, 2], k: [3, 3], cout: 3, attrs: { strides: [1, 1], pads: [[1, 1], [1, 1]], dilations: [1, 1] } },
  // Keras 'same' with stride 2 on an even size: the extra pad goes at the bottom/right.
  { x: [2, 8, 8, 3], k: [3, 3], cout: 2, attrs: { strides: [2, 2], pads: [[0, 1], [0, 1]], dilations: [1, 1] } },
  { x: [1, 9, 8, 2], k: [3, 2], cout: 3, attrs: { strides: [2, 3], pads: [[2, 1], [0, 2]], dilations: [1, 1] } },
  { x: [2, 9, 9, 2], k: [3, 3], cout: 2, attrs: { strides: [1, 1], pads: [[2, 2], [2, 2]], dilations: [2, 2] } },
  { x: [1, 11, 10, 3], k: [2, 3], cout: 2, attrs: { strides: [2, 2], pads: [[1, 2], [2, 1]], dilations: [2, 3] } },
  // Rows past the last window (leftover > 0) and a 1x1 kernel with stride.
  { x: [1, 7, 6, 2], k: [2, 2], cout: 3, attrs: { strides: [3, 2], pads: [[0, 0], [0, 0]], dilations: [1, 1] } },
  { x: [3, 5, 5, 4], k: [1, 1], cout: 2, attrs: { strides: [2, 2], pads: [[0, 0], [0, 0]], dilations: [1, 1] } },
  { x: [1, 4, 4, 1], k: [4, 4], cout: 1, attrs: { strides: [3, 3], pads: [[1, 2], [2, 1]], dilations: [1, 1] } },
];

describe('conv2d and its gradients', () => {
  for (const c of CONV_CASES) {
    const label = `x [${c.x}] k ${c.k} s ${c.attrs.strides} p ${c.attrs.pads.flat()} d ${c.attrs.dilations}`;
    const filterShape = [c.k[0], c.k[1], c.x[3], c.cout];
    const yShape = convOut(c);
    it(`conv2d ${label}`, () => {
      expectSameAsReference('conv2d', (b, [x, f]) => b.conv2d(x, f, c.attrs, spec(yShape)), [floats(c.x, 1), floats(filterShape, 2)], spec(yShape), SUMS);
    });
    it(`conv2dBackpropInput ${label}`, () => {
      expectSameAsReference('conv2dBackpropInput', (b, [dy, f]) => b.conv2dBackpropInput(dy, f, c.attrs, spec(c.x)), [floats(yShape, 3), floats(filterShape, 2)], spec(c.x), SUMS);
    });
    it(`conv2dBackpropFilter ${label}, by im2col and by Conv`, () => {
      const args = [floats(c.x, 1), floats(yShape, 3)];
      expectSameAsReference('conv2dBackpropFilter', (b, [x, dy]) => b.conv2dBackpropFilter(x, dy, c.attrs, spec(filterShape)), args, spec(filterShape), SUMS);
      expectSameAsReference('conv2dBackpropFilter', (b, [x, dy]) => b.conv2dBackpropFilter(x, dy, c.attrs, spec(filterShape)), args, spec(filterShape), SUMS, noIm2col);
    });
    it(`conv2d and conv2dBackpropInput on 2-thread sessions ${label}`, () => {
      expectSameAsReference('conv2d', (b, [x, f]) => b.conv2d(x, f, c.attrs, spec(yShape)), [floats(c.x, 1), floats(filterShape, 2)], spec(yShape), SUMS, noIm2col);
      expectSameAsReference('conv2dBackpropInput', (b, [dy, f]) => b.conv2dBackpropInput(dy, f, c.attrs, spec(c.x)), [floats(yShape, 3), floats(filterShape, 2)], spec(c.x), SUMS, noIm2col);
    });
  }
});

interface PoolCase {
  x: number[];
  attrs: Pool2DAttrs;
}

const poolOut = (c: PoolCase): number[] => {
  const size = (n: number, axis: 0 | 1) => Math.floor((n + c.attrs.pads[axis][0] + c.attrs.pads[axis][1] - c.attrs.poolSize[axis]) / c.attrs.strides[axis]) + 1;
  return [c.x[0], size(c.x[1], 0), size(c.x[2], 1), c.x[3]];
};

const pool = (poolSize: [number, number], strides: [number, number], pads: [[number, number], [number, number]], padding: 'valid' | 'same' = 'same'): Pool2DAttrs =>
  ({ poolSize, strides, pads, padding });

const POOL_CASES: PoolCase[] = [
  { x: [2, 4, 4, 3], attrs: pool([2, 2], [2, 2], [[0, 0], [0, 0]], 'valid') },
  { x: [1, 5, 7, 2], attrs: pool([2, 2], [2, 2], [[0, 0], [0, 0]], 'valid') },
  { x: [2, 5, 5, 2], attrs: pool([2, 2], [2, 2], [[0, 1], [0, 1]]) },
  { x: [1, 6, 6, 3], attrs: pool([3, 3], [1, 1], [[1, 1], [1, 1]]) },
  { x: [2, 7, 6, 2], attrs: pool([3, 3], [2, 2], [[1, 1], [0, 1]]) },
  { x: [1, 6, 9, 1], attrs: pool([2, 3], [1, 2], [[0, 1], [1, 1]]) },
  { x: [1, 8, 8, 2], attrs: pool([4, 4], [3, 3], [[1, 2], [1, 2]]) },
];

/** Values from a small set, so windows have tied maxima. */
function tied(shape: number[], seed: number): Input {
  const r = random(seed);
  return input(Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => Math.floor(r() * 4) - 2), shape);
}

describe('pooling and its gradients', () => {
  for (const c of POOL_CASES) {
    const label = `x [${c.x}] pool ${c.attrs.poolSize} s ${c.attrs.strides} p ${c.attrs.pads.flat()}`;
    const yShape = poolOut(c);
    it(`maxPool2d ${label}`, () => {
      expectSameAsReference('maxPool2d', (b, [x]) => b.maxPool2d(x, c.attrs, spec(yShape)), [floats(c.x, 1, -2, -1)], spec(yShape));
      expectSameAsReference('maxPool2d ties', (b, [x]) => b.maxPool2d(x, c.attrs, spec(yShape)), [tied(c.x, 2)], spec(yShape));
    });
    it(`avgPool2d ${label}`, () => {
      expectSameAsReference('avgPool2d', (b, [x]) => b.avgPool2d(x, c.attrs, spec(yShape)), [floats(c.x, 1)], spec(yShape));
    });
    it(`maxPool2dBackprop ${label}, ties to the first maximum`, () => {
      expectSameAsReference('maxPool2dBackprop', (b, [dy, x]) => b.maxPool2dBackprop(dy, x, c.attrs, spec(c.x)), [floats(yShape, 3), floats(c.x, 1)], spec(c.x));
      expectSameAsReference('maxPool2dBackprop ties', (b, [dy, x]) => b.maxPool2dBackprop(dy, x, c.attrs, spec(c.x)), [floats(yShape, 3), tied(c.x, 2)], spec(c.x));
    });
    it(`avgPool2dBackprop ${label}`, () => {
      expectSameAsReference('avgPool2dBackprop', (b, [dy]) => b.avgPool2dBackprop(dy, c.attrs, spec(c.x)), [floats(yShape, 3)], spec(c.x));
    });
  }

  it('a window holding NaN gives NaN (the first NaN wins), and its gradient goes to the NaN', () => {
    const x = input([1, NaN, 2, 3, 4, 5, NaN, 0], [1, 2, 4, 1]);
    const attrs = pool([1, 2], [1, 1], [[0, 0], [0, 0]], 'valid');
    expectSameAsReference('maxPool2d NaN', (b, [t]) => b.maxPool2d(t, attrs, spec([1, 2, 3, 1])), [x], spec([1, 2, 3, 1]));
    const dy = floats([1, 2, 3, 1], 4);
    expectSameAsReference('maxPool2dBackprop NaN', (b, [d, t]) => b.maxPool2dBackprop(d, t, attrs, spec([1, 2, 4, 1])), [dy, x], spec([1, 2, 4, 1]));
  });
});
