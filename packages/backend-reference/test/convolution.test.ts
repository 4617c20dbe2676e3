import { describe, expect, it } from '@jest/globals';
import type { Conv2DAttrs } from '@keras-ts/core';
import { expectClose, expectValues, Harness, random, randomValues } from './support/harness.js';

const h = new Harness();

const attrs = (
  strides: [number, number] = [1, 1],
  pads: [[number, number], [number, number]] = [[0, 0], [0, 0]],
  dilations: [number, number] = [1, 1],
): Conv2DAttrs => ({ strides, pads, dilations });

/** The output size along one axis. */
const outSize = (size: number, k: number, stride: number, dilation: number, before: number, after: number) =>
  Math.floor((size + before + after - (k - 1) * dilation - 1) / stride) + 1;

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);

describe('conv2d', () => {
  // x: one 3x3 image of 1..9, one channel; filter 2x2 [[1, 0], [0, -1]] (one in, one out channel).
  const x = h.t([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
  const f = h.t([1, 0, 0, -1], [2, 2, 1, 1]);

  it('computes a valid convolution', () => {
    // y[i, j] = x[i, j] - x[i+1, j+1] = -4 everywhere.
    expectValues(h.read(h.backend.conv2d(x, f, attrs(), h.out([1, 2, 2, 1])), [1, 2, 2, 1]), [-4, -4, -4, -4]);
  });

  it('pads with zeros, asymmetric pads and strides', () => {
    // pads [[1, 0], [1, 0]]: a zero row on top and a zero column on the left; y[i, j] = x[i-1, j-1] - x[i, j].
    const y = h.backend.conv2d(x, f, attrs([1, 1], [[1, 0], [1, 0]]), h.out([1, 3, 3, 1]));
    expectValues(h.read(y, [1, 3, 3, 1]), [-1, -2, -3, -4, -4, -4, -7, -4, -4]);
    // stride 2 over that padding reads rows/cols -1 and 1 only.
    const z = h.backend.conv2d(x, f, attrs([2, 2], [[1, 0], [1, 0]]), h.out([1, 2, 2, 1]));
    expectValues(h.read(z, [1, 2, 2, 1]), [-1, -3, -7, -4]);
  });

  it('dilates the filter taps', () => {
    // dilation 2: y = x[0, 0] - x[2, 2] = 1 - 9.
    expectValues(h.read(h.backend.conv2d(x, f, attrs([1, 1], [[0, 0], [0, 0]], [2, 2]), h.out([1, 1, 1, 1])), [1, 1, 1, 1]), [-8]);
  });

  it('sums over input channels for each output channel (HWIO)', () => {
    // 1x1 filter: y[.., co] = Σ_ci x[.., ci] · f[0, 0, ci, co].
    const xc = h.t([1, 2, 3, 4], [1, 1, 2, 2]);
    const fc = h.t([1, 10, 100, 1000, -1, 0], [1, 1, 2, 3]);
    expectValues(h.read(h.backend.conv2d(xc, fc, attrs(), h.out([1, 1, 2, 3])), [1, 1, 2, 3]), [2001, 8, 100, 4003, 26, 300]);
  });

  // The gradients are the adjoints of the forward pass: <conv(x, f), dy> = <x, dx(dy, f)> = <f, df(x, dy)>.
  const geometries: [string, Conv2DAttrs, number[], number[]][] = [
    ['valid', attrs(), [2, 5, 6, 3], [3, 2, 3, 4]],
    ['strided, asymmetric pads', attrs([2, 3], [[1, 2], [0, 1]]), [1, 7, 8, 2], [3, 3, 2, 3]],
    ['dilated with same-like pads', attrs([1, 1], [[2, 2], [2, 1]], [2, 2]), [2, 5, 5, 2], [3, 2, 2, 2]],
    ['stride and dilation, rows never read', attrs([3, 2], [[0, 0], [1, 1]], [2, 1]), [1, 9, 6, 1], [2, 3, 1, 2]],
  ];
  for (const [name, a, xShape, fShape] of geometries) {
    it(`has adjoint gradients (${name})`, () => {
      const rand = random(xShape.reduce((s, d) => s * 31 + d, 0));
      const oh = outSize(xShape[1], fShape[0], a.strides[0], a.dilations[0], a.pads[0][0], a.pads[0][1]);
      const ow = outSize(xShape[2], fShape[1], a.strides[1], a.dilations[1], a.pads[1][0], a.pads[1][1]);
      const yShape = [xShape[0], oh, ow, fShape[3]];
      const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
      const xv = randomValues(rand, size(xShape));
      const fv = randomValues(rand, size(fShape));
      const dyv = randomValues(rand, size(yShape));
      const xt = h.t(xv, xShape);
      const ft = h.t(fv, fShape);
      const dyt = h.t(dyv, yShape);
      const y = h.read(h.backend.conv2d(xt, ft, a, h.out(yShape)), yShape);
      const dx = h.read(h.backend.conv2dBackpropInput(dyt, ft, a, h.out(xShape)), xShape);
      const df = h.read(h.backend.conv2dBackpropFilter(xt, dyt, a, h.out(fShape)), fShape);
      const reference = dot(y, dyv);
      expectClose([dot(xv, dx)], [reference], { rtol: 1e-5, atol: 1e-5 }, '<x, dx>');
      expectClose([dot(fv, df)], [reference], { rtol: 1e-5, atol: 1e-5 }, '<f, df>');
      expect(Math.abs(reference)).toBeGreaterThan(0);
    });
  }

  it('gives dx the transposed-convolution values by hand', () => {
    // dy = 1 everywhere on the valid 2x2 output: dx[r, c] = Σ of f taps that read (r, c).
    const dy = h.t([1, 1, 1, 1], [1, 2, 2, 1]);
    const dx = h.backend.conv2dBackpropInput(dy, f, attrs(), h.out([1, 3, 3, 1]));
    expectValues(h.read(dx, [1, 3, 3, 1]), [1, 1, 0, 1, 0, -1, 0, -1, -1]);
    const df = h.backend.conv2dBackpropFilter(x, dy, attrs(), h.out([2, 2, 1, 1]));
    // df[kh, kw] = Σ of the 2x2 block of x starting at (kh, kw).
    expectValues(h.read(df, [2, 2, 1, 1]), [12, 16, 24, 28]);
  });
});
