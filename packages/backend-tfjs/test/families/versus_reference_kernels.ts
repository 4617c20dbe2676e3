/**
 * Every kernel other than the elementwise and reduction families against the reference backend:
 * matmul, convolution and its gradients, pooling and its gradients, moments, every layout kernel
 * on each dtype, and the fused kernels.
 */
import { describe, test } from '@jest/globals';
import type { Backend, DType, KernelTensor, Shape } from '@keras-ts/core';
import { type BackendCase, seeded, size, spec } from '../helpers.js';
import { f32, i32, type Input, VersusReference } from '../pair.js';
import { convOutShape } from '../reference.js';
import { CONV_CASES } from './conv.js';
import { POOL_CASES, poolAttrs } from './pool.js';

const SUMS = { rtol: 1e-5, atol: 1e-5 };
const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

const random = (shape: Shape, seed: number): Input => f32(seeded(size(shape), seed).map((v) => Math.fround(v)), shape);
/** Values of `dtype` that tell every element apart (bool: a pattern of 0/1). */
function distinct(shape: Shape, dtype: DType): Input {
  const values = Array.from({ length: size(shape) }, (_, i) => (dtype === 'bool' ? +(i % 3 !== 1) : dtype === 'int32' ? i * 3 - 7 : i * 0.5 - 3.25));
  return { values, shape, dtype };
}

/** The optional kernels both sides must have here. */
function fused<H>(b: Backend<H>): Required<Pick<Backend<H>, 'softmax' | 'logSoftmax' | 'softmaxCrossEntropy' | 'lstmCell'>> {
  const { softmax, logSoftmax, softmaxCrossEntropy, lstmCell } = b;
  if (!softmax || !logSoftmax || !softmaxCrossEntropy || !lstmCell) throw new Error(`${b.name} lacks a fused kernel these tests compare`);
  return { softmax: softmax.bind(b), logSoftmax: logSoftmax.bind(b), softmaxCrossEntropy: softmaxCrossEntropy.bind(b), lstmCell: lstmCell.bind(b) };
}

export function kernelsVersusReference(c: BackendCase): void {
  const v = new VersusReference(c.backend(), c.engineFree);

  test.each([
    ['[1,3,4]·[2,4,5]', [1, 3, 4], [2, 4, 5], false, false],
    ['[2,4,3]ᵀ·[2,4,5]', [2, 4, 3], [2, 4, 5], true, false],
    ['[3,3,4]·[1,5,4]ᵀ', [3, 3, 4], [1, 5, 4], false, true],
    ['[2,4,3]ᵀ·[2,5,4]ᵀ', [2, 4, 3], [2, 5, 4], true, true],
  ] as const)('matmul %s', (label, aShape, bShape, ta, tb) => {
    const out = spec([Math.max(aShape[0], bShape[0]), ta ? aShape[2] : aShape[1], tb ? bShape[1] : bShape[2]]);
    v.check(label, [random(aShape, 1), random(bShape, 2)], out, (b, [x, y]) => b.matmul(x, y, ta, tb, out), SUMS);
  });

  describe.each(Object.entries(CONV_CASES))('conv2d: %s', (label, k) => {
    const yShape = convOutShape(k);
    test('forward and both gradients', () => {
      v.check(`${label} conv2d`, [random(k.x, 3), random(k.filter, 4)], spec(yShape), (b, [x, w]) => b.conv2d(x, w, k.attrs, spec(yShape)), SUMS);
      v.check(`${label} input gradient`, [random(yShape, 5), random(k.filter, 4)], spec(k.x), (b, [dy, w]) => b.conv2dBackpropInput(dy, w, k.attrs, spec(k.x)), SUMS);
      v.check(`${label} filter gradient`, [random(k.x, 3), random(yShape, 5)], spec(k.filter), (b, [x, dy]) => b.conv2dBackpropFilter(x, dy, k.attrs, spec(k.filter)), SUMS);
    });
  });

  const NAN_WINDOWS = 'NaN (the first wins), ±Infinity and windows of −Infinity only';
  describe.each([
    ...POOL_CASES,
    ['ties and negative windows', [1, 4, 4, 1], poolAttrs([1, 4, 4, 1], [2, 2], [1, 1], 'same')] as const,
    [NAN_WINDOWS, [2, 5, 5, 3], poolAttrs([2, 5, 5, 3], [3, 3], [2, 2], 'same')] as const,
  ])(
    'pooling: %s',
    (label, xShape, attrs) => {
      const yShape = [xShape[0], ...convOutShape({ x: xShape, filter: [...attrs.poolSize, 1, 1], attrs: { ...attrs, dilations: [1, 1] } }).slice(1, 3), xShape[3]];
      // Rounded to halves: many ties inside windows; shifted: windows of negative values only.
      const halves = seeded(size(xShape), 6).map((r) => Math.round(r * 4) / 2 - 1);
      // The NaN case: about one cell in eight NaN, some ±Infinity (a +Infinity may come before a NaN
      // in its window), and the first rows of batch 1 all −Infinity.
      const special = (r: number, i: number) => (i >= 75 && i < 75 + 2 * 5 * 3 ? -Infinity : r < -0.75 ? NaN : r > 0.9 ? Infinity : r < -0.65 ? -Infinity : r);
      const x = f32(label === NAN_WINDOWS ? seeded(size(xShape), 6).map((r, i) => special(Math.fround(r), i)) : halves, xShape);
      test('forward and both gradients', () => {
        v.check(`${label} maxPool2d`, [x], spec(yShape), (b, [t]) => b.maxPool2d(t, attrs, spec(yShape)));
        v.check(`${label} avgPool2d`, [x], spec(yShape), (b, [t]) => b.avgPool2d(t, attrs, spec(yShape)));
        v.check(`${label} maxPool2dBackprop`, [random(yShape, 7), x], spec(xShape), (b, [dy, t]) => b.maxPool2dBackprop(dy, t, attrs, spec(xShape)));
        v.check(`${label} avgPool2dBackprop`, [random(yShape, 7)], spec(xShape), (b, [dy]) => b.avgPool2dBackprop(dy, attrs, spec(xShape)));
      });
    },
  );

  test.each([[[0]], [[1]], [[2]], [[0, 1]], [[0, 2]], [[0, 1, 2]]])('moments over %j, around 0 and around 1000', (axes) => {
    const shape = [4, 5, 6];
    const out = spec(shape.filter((_, i) => !axes.includes(i)));
    const call = <H>(b: Backend<H>, [x]: readonly KernelTensor<H>[]) => b.moments(x, axes, out);
    v.check(`moments over [${axes}]`, [random(shape, 8)], [out, out], call);
    v.check(`moments over [${axes}] around 1000`, [f32(seeded(size(shape), 9).map((r) => Math.fround(1000 + r)), shape)], [out, out], call, { rtol: 1e-6, atol: 1e-5 });
  });

  describe.each(DTYPES)('layout on %s', (dtype) => {
    const x = distinct([2, 3, 4], dtype);
    test('reshape, transpose, slice, tile, reverse', () => {
      v.check('reshape', [x], spec([4, 6], dtype), (b, [t]) => b.reshape(t, spec([4, 6], dtype)));
      for (const perm of [[0, 2, 1], [2, 0, 1], [1, 2, 0], [2, 1, 0]]) {
        const out = spec(perm.map((p) => x.shape[p]), dtype);
        v.check(`transpose ${perm}`, [x], out, (b, [t]) => b.transpose(t, perm, out));
      }
      for (const [begin, size] of [[[1, 1, 1], [1, 2, 2]], [[0, 1, 0], [2, 1, 4]], [[0, 0, 3], [2, 3, 1]], [[1, 0, 0], [1, 3, 4]], [[0, 2, 1], [2, 0, 2]]]) {
        v.check(`slice ${begin} ${size}`, [x], spec(size, dtype), (b, [t]) => b.slice(t, begin, size, spec(size, dtype)));
      }
      const x4 = distinct([2, 3, 2, 5], dtype);
      v.check('slice of rank 4', [x4], spec([1, 2, 1, 3], dtype), (b, [t]) => b.slice(t, [1, 1, 1, 2], [1, 2, 1, 3], spec([1, 2, 1, 3], dtype)));
      v.check('slice of rank 1', [distinct([7], dtype)], spec([3], dtype), (b, [t]) => b.slice(t, [2], [3], spec([3], dtype)));
      v.check('tile', [x], spec([4, 3, 8], dtype), (b, [t]) => b.tile(t, [2, 1, 2], spec([4, 3, 8], dtype)));
      for (const axes of [[0], [1, 2], [0, 1, 2]]) v.check(`reverse ${axes}`, [x], spec(x.shape, dtype), (b, [t]) => b.reverse(t, axes, spec(x.shape, dtype)));
    });
    test('concat along each axis, pad', () => {
      for (let axis = 0; axis < 3; axis++) {
        const other = distinct(x.shape.map((d, i) => (i === axis ? 2 : d)), dtype);
        const out = spec(x.shape.map((d, i) => (i === axis ? 2 * d + 2 : d)), dtype);
        v.check(`concat along ${axis}`, [x, other, x], out, (b, ts) => b.concat(ts, axis, out));
      }
      const padded = spec([3, 5, 7], dtype);
      v.check('pad', [x], padded, (b, [t]) => b.pad(t, [[1, 0], [0, 2], [2, 1]], dtype === 'bool' ? 1 : 9, padded));
    });
    test('gather and scatterAdd along each axis with 2-D indices', () => {
      for (let axis = 0; axis < 3; axis++) {
        const indices = i32([1, 0, 1, 1, 0, 0].map((j, n) => (n % 2 === 0 ? j : Math.min(j + 1, x.shape[axis] - 1))), [2, 3]);
        const gathered = [...x.shape.slice(0, axis), 2, 3, ...x.shape.slice(axis + 1)];
        v.check(`gather along ${axis}`, [x, indices], spec(gathered, dtype), (b, [t, idx]) => b.gather(t, idx, axis, spec(gathered, dtype)));
        if (dtype === 'bool') continue; // core scatters float32 and int32 gradients only
        const updates = distinct(gathered, dtype);
        v.check(`scatterAdd along ${axis}`, [updates, indices], spec(x.shape, dtype), (b, [u, idx]) => b.scatterAdd(u, idx, axis, spec(x.shape, dtype)));
      }
    });
  });

  test('softmax, logSoftmax, softmaxCrossEntropy, lstmCell', () => {
    const logits = f32([1, 2, 3, -1, 0, 1000, 1000, 999, -5, 2, 2, 2], [4, 3]);
    const labels = f32([0, 0, 1, 1, 0, 0, 0.5, 0.5, 0, 0.2, 0.3, 0.5], [4, 3]);
    v.check('softmax', [logits], spec([4, 3]), (b, [t]) => fused(b).softmax(t, spec([4, 3])));
    v.check('logSoftmax', [logits], spec([4, 3]), (b, [t]) => fused(b).logSoftmax(t, spec([4, 3])));
    v.check('softmaxCrossEntropy', [logits, labels], spec([4]), (b, [t, l]) => fused(b).softmaxCrossEntropy(t, l, spec([4])));
    const [batch, inputs, units] = [2, 3, 4];
    const state = spec([batch, units]);
    v.check(
      'lstmCell',
      [random([batch, inputs], 41), random([batch, units], 42), random([batch, units], 43), random([inputs, 4 * units], 44), random([units, 4 * units], 45), random([4 * units], 46)],
      [state, state],
      (b, [x, h, cc, k, rk, bias]) => fused(b).lstmCell(x, h, cc, k, rk, bias, state),
      SUMS,
    );
  });
}
