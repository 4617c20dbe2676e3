/**
 * The conv and pooling ops beyond the conformance vectors: values of grouped, depthwise, 1-D and
 * channels_first convolutions against a direct loop, convTranspose as the adjoint of conv, the
 * shape functions (symbolic batch included) against what the ops return, the errors a user gets
 * for bad shapes and arguments, and that a tidy'd conv + vjp leaves no tensor behind.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { config, memory, ops, tensor, tidy, vjp, zeros, type Tensor } from '@keras-ts/core';
import { samePads } from '../src/ops/primitives/convolution.js';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
});

function values(shape: number[], seed = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: n }, (_, i) => ((((Math.sin((i + 1) * 12.9898 * seed) * 43758.5453) % 1) + 1) % 1) * 2 - 1), shape);
}

interface Direct {
  strides: [number, number];
  dilations: [number, number];
  padding: 'valid' | 'same';
  groups: number;
}

/** Grouped 2-D convolution by its definition, NHWC / HWIO, Keras padding, in float64. */
function directConv(x: Tensor, k: Tensor, o: Direct): { data: number[]; shape: number[] } {
  const [n, h, w, c] = x.shape;
  const [kh, kw, cinG, cout] = k.shape;
  const xs = x.dataSync();
  const ks = k.dataSync();
  const pads = [0, 1].map((i) => (o.padding === 'same' ? samePads([h, w][i], [kh, kw][i], o.strides[i], o.dilations[i]) : [0, 0]));
  const span = [0, 1].map((i) => ([kh, kw][i] - 1) * o.dilations[i] + 1);
  const [oh, ow] = [0, 1].map((i) => Math.floor(([h, w][i] + pads[i][0] + pads[i][1] - span[i]) / o.strides[i]) + 1);
  const coutG = cout / o.groups;
  const out: number[] = [];
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let co = 0; co < cout; co++) {
          const group = Math.floor(co / coutG);
          let sum = 0;
          for (let p = 0; p < kh; p++)
            for (let q = 0; q < kw; q++) {
              const r = i * o.strides[0] - pads[0][0] + p * o.dilations[0];
              const s = j * o.strides[1] - pads[1][0] + q * o.dilations[1];
              if (r < 0 || r >= h || s < 0 || s >= w) continue;
              for (let ci = 0; ci < cinG; ci++) sum += xs[((b * h + r) * w + s) * c + group * cinG + ci] * ks[((p * kw + q) * cinG + ci) * cout + co];
            }
          out.push(sum);
        }
  return { data: out, shape: [n, oh, ow, cout] };
}

function expectNear(actual: Tensor, expected: { data: number[]; shape: number[] }, tol = 1e-4): void {
  expect([...actual.shape]).toEqual(expected.shape);
  const a = actual.dataSync();
  const worst = expected.data.reduce((m, e, i) => Math.max(m, Math.abs(a[i] - e) - tol * (1 + Math.abs(e))), 0);
  expect(worst).toBe(0);
}

const DIRECT: (Direct & { x: number[]; k: number[] })[] = [
  { x: [2, 7, 6, 6], k: [3, 3, 2, 9], strides: [2, 1], dilations: [1, 1], padding: 'same', groups: 3 },
  { x: [1, 8, 7, 4], k: [2, 3, 2, 4], strides: [1, 1], dilations: [2, 1], padding: 'valid', groups: 2 },
  { x: [1, 9, 9, 2], k: [3, 3, 2, 3], strides: [2, 2], dilations: [2, 2], padding: 'same', groups: 1 },
];

describe('values against a direct loop', () => {
  for (const c of DIRECT) {
    it(`conv ${c.x} * ${c.k}, ${c.padding}, strides ${c.strides}, dilation ${c.dilations}, groups ${c.groups}`, () =>
      tidy(() => {
        const x = values(c.x, 1);
        const k = values(c.k, 2);
        expectNear(ops.conv(x, k, { strides: c.strides, padding: c.padding, dilationRate: c.dilations }), directConv(x, k, c));
      }));
  }

  it('depthwiseConv is the grouped conv with one group per channel (multiplier 3)', () =>
    tidy(() => {
      const x = values([2, 6, 7, 4], 3);
      const k = values([3, 2, 4, 3], 4);
      const o: Direct = { strides: [2, 2], dilations: [1, 1], padding: 'same', groups: 4 };
      // Output channel c*3+m is input channel c against kernel[..., c, m]: kernel (3, 2, 1, 12) grouped by 4.
      expectNear(ops.depthwiseConv(x, k, { strides: 2, padding: 'same' }), directConv(x, ops.reshape(k, [3, 2, 1, 12]), o));
    }));

  it('1-D conv and depthwiseConv equal the 2-D ones over height 1', () =>
    tidy(() => {
      const x = values([2, 9, 3], 5);
      const k = values([3, 3, 4], 6);
      const o: Direct = { strides: [1, 2], dilations: [1, 2], padding: 'same', groups: 1 };
      const direct = directConv(ops.reshape(x, [2, 1, 9, 3]), ops.reshape(k, [1, 3, 3, 4]), o);
      expectNear(ops.conv(x, k, { strides: 2, dilationRate: 2, padding: 'same' }), { data: direct.data, shape: [2, 5, 4] });
      const dk = values([2, 3, 2], 7);
      const depthwise = ops.depthwiseConv(x, dk, { padding: 'valid' });
      expect([...depthwise.shape]).toEqual([2, 8, 6]);
      expectNear(depthwise, { ...directConv(ops.reshape(x, [2, 1, 9, 3]), ops.reshape(dk, [1, 2, 1, 6]), { ...o, strides: [1, 1], dilations: [1, 1], padding: 'valid', groups: 3 }), shape: [2, 8, 6] });
    }));

  it("channels_first gives the channels_last result transposed, and the default follows config.imageDataFormat()", () =>
    tidy(() => {
      const x = values([2, 5, 6, 3], 8);
      const k = values([3, 3, 3, 4], 9);
      const last = ops.conv(x, k, { strides: 2, padding: 'same' });
      const first = ops.conv(ops.transpose(x, { axes: [0, 3, 1, 2] }), k, { strides: 2, padding: 'same', dataFormat: 'channels_first' });
      expect(ops.transpose(first, { axes: [0, 2, 3, 1] }).arraySync()).toEqual(last.arraySync());
      const pooled = ops.maxPool(ops.transpose(x, { axes: [0, 3, 1, 2] }), 2, { dataFormat: 'channels_first' });
      expect(ops.transpose(pooled, { axes: [0, 2, 3, 1] }).arraySync()).toEqual(ops.maxPool(x, 2).arraySync());
      config.setImageDataFormat('channels_first');
      try {
        expect([...ops.conv(ops.transpose(x, { axes: [0, 3, 1, 2] }), k).shape]).toEqual([2, 4, 3, 4]);
      } finally {
        config.setImageDataFormat('channels_last');
      }
    }));

  it('averagePool with padding same divides by the real cells only', () =>
    tidy(() => {
      const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
      // 2x2 windows, stride 2, pads (0, 1): the last row/column windows hold 2 and 1 real cells.
      expect(ops.averagePool(x, 2, { padding: 'same' }).dataSync()).toEqual(Float32Array.from([3, 4.5, 7.5, 9]));
      expect(ops.maxPool(ops.negative(x), 2, { padding: 'same' }).dataSync()).toEqual(Float32Array.from([-1, -3, -7, -9]));
    }));
});

describe('convTranspose is the adjoint of conv (sum(convTranspose(y) * x) = sum(y * conv(x)))', () => {
  const CASES = [
    { x: [2, 8, 6, 3], k: [3, 3, 3, 4], strides: 2, padding: 'same', dilationRate: 1 },
    { x: [1, 9, 7, 2], k: [2, 3, 2, 3], strides: [3, 2], padding: 'valid', dilationRate: 1 },
    { x: [1, 7, 7, 2], k: [3, 3, 2, 2], strides: 1, padding: 'same', dilationRate: 2 },
    { x: [1, 8, 8, 1], k: [1, 1, 1, 2], strides: 2, padding: 'same', dilationRate: 1 },
  ] as const;
  for (const c of CASES) {
    it(`x ${c.x}, kernel ${c.k}, strides ${c.strides}, ${c.padding}, dilation ${c.dilationRate}`, () =>
      tidy(() => {
        const options = { strides: c.strides, padding: c.padding, dilationRate: c.dilationRate };
        const x = values([...c.x], 10);
        const k = values([...c.k], 11);
        const y = values(ops.convOutputShape(c.x, c.k, options) as number[], 12);
        // conv's kernel (kh, kw, in, out) is convTranspose's (kh, kw, out, in): the same array.
        const transposed = ops.convTranspose(y, k, options);
        expect([...transposed.shape]).toEqual([...c.x]);
        const lhs = ops.sum(ops.multiply(transposed, x)).dataSync()[0];
        const rhs = ops.sum(ops.multiply(y, ops.conv(x, k, options))).dataSync()[0];
        expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4 * (1 + Math.abs(rhs)));
      }));
  }
});

describe('shape functions', () => {
  it('work with a symbolic batch and match Keras', () => {
    expect(ops.convOutputShape([null, 64, 64, 3], [3, 3, 3, 17])).toEqual([null, 62, 62, 17]);
    expect(ops.convOutputShape([null, 28, 28, 3], [3, 3, 3, 8], { strides: 2, padding: 'same' })).toEqual([null, 14, 14, 8]);
    expect(ops.convOutputShape([null, 3, 28, 28], [5, 5, 3, 8], { dataFormat: 'channels_first', dilationRate: 2 })).toEqual([null, 8, 20, 20]);
    expect(ops.convOutputShape([null, null, 10, 4], [3, 3, 2, 6], { padding: 'valid' })).toEqual([null, null, 8, 6]);
    expect(ops.convOutputShape([null, 100, 16], [5, 16, 32], { strides: 3 })).toEqual([null, 32, 32]);
    expect(ops.depthwiseConvOutputShape([null, 32, 32, 8], [3, 3, 8, 2], { padding: 'same' })).toEqual([null, 32, 32, 16]);
    expect(ops.convTransposeOutputShape([null, 7, 7, 16], [3, 3, 8, 16], { strides: 2, padding: 'same' })).toEqual([null, 14, 14, 8]);
    expect(ops.convTransposeOutputShape([null, 7, 7, 16], [3, 3, 8, 16], { strides: 2 })).toEqual([null, 15, 15, 8]);
    expect(ops.convTransposeOutputShape([null, 7, 7, 16], [3, 3, 8, 16], { strides: 2, padding: 'same', outputPadding: 0 })).toEqual([null, 13, 13, 8]);
    expect(ops.convTransposeOutputShape([null, 16, 5], [4, 3, 5], { strides: 4, outputPadding: 1 })).toEqual([null, 65, 3]);
    expect(ops.poolOutputShape([null, 28, 28, 3], 2)).toEqual([null, 14, 14, 3]);
    expect(ops.poolOutputShape([null, 3, 7, 7], [3, 3], { strides: 2, padding: 'same', dataFormat: 'channels_first' })).toEqual([null, 3, 4, 4]);
    expect(ops.poolOutputShape([null, 10, 4], 3, { strides: 1 })).toEqual([null, 8, 4]);
  });

  it('agree with the shapes the ops return', () =>
    tidy(() => {
      for (const strides of [1, 2, 3])
        for (const padding of ['valid', 'same'])
          for (const dilationRate of [1, 2]) {
            const options = { strides, padding, dilationRate };
            const x = zeros([1, 9, 8, 2]);
            expect([...ops.conv(x, zeros([3, 2, 2, 4]), options).shape]).toEqual(ops.convOutputShape(x.shape, [3, 2, 2, 4], options));
            expect([...ops.depthwiseConv(x, zeros([3, 2, 2, 2]), options).shape]).toEqual(ops.depthwiseConvOutputShape(x.shape, [3, 2, 2, 2], options));
            expect([...ops.convTranspose(x, zeros([3, 2, 4, 2]), options).shape]).toEqual(ops.convTransposeOutputShape(x.shape, [3, 2, 4, 2], options));
            expect([...ops.maxPool(x, [3, 2], { strides, padding }).shape]).toEqual(ops.poolOutputShape(x.shape, [3, 2], { strides, padding }));
          }
    }));
});

describe('errors', () => {
  it('channel mismatch names both shapes and the fix', () => {
    expect(() => ops.convOutputShape([null, 28, 28, 3], [3, 3, 4, 8])).toThrow(
      /^conv: the input has 3 channels \(last axis of \(None, 28, 28, 3\)\) but the kernel expects 4 \(axis 2 of kernel \(3, 3, 4, 8\)\)\..*Fix: pass a kernel of shape \(3, 3, 3, 8\)/,
    );
    expect(() => tidy(() => ops.conv(zeros([2, 28, 28, 3]), zeros([3, 3, 4, 8])))).toThrow(/the input has 3 channels \(last axis of \(2, 28, 28, 3\)\)/);
    expect(() => ops.convOutputShape([null, 3, 28, 28], [3, 3, 4, 8], { dataFormat: 'channels_first' })).toThrow(/3 channels \(axis 1 of \(None, 3, 28, 28\)\).*read as 'channels_first'/);
    expect(() => ops.depthwiseConvOutputShape([null, 8, 8, 6], [3, 3, 3, 1])).toThrow(/depthwiseConv: the input has 6 channels .* expects 3 \(axis 2 of kernel/);
    expect(() => ops.convTransposeOutputShape([null, 8, 8, 6], [3, 3, 6, 4])).toThrow(/convTranspose: the input has 6 channels .* expects 4 \(axis 3 of kernel \(3, 3, 6, 4\)\)/);
  });

  it('groups: output channels must split into the groups', () => {
    expect(() => ops.convOutputShape([null, 8, 8, 6], [3, 3, 3, 5])).toThrow(/6 channels make 2 groups .* 5 output channels .* Fix: use a multiple of 2 output channels/);
  });

  it('rank and kernel rank', () => {
    expect(() => tidy(() => ops.conv(zeros([28, 28]), zeros([3, 3, 1, 1])))).toThrow(/conv: the input has shape \(28, 28\) \(rank 2\)\. Expected rank 3 .*, rank 4 .* or rank 5 .*Fix: add the missing batch/);
    expect(() => ops.convOutputShape([null, 28, 28, 3], [3, 3, 3])).toThrow(/conv: the kernel has shape \(3, 3, 3\) but a 2-D op on input \(None, 28, 28, 3\) needs a rank-4 kernel \(kernel_height, kernel_width, in_channels, out_channels\)/);
    expect(ops.poolOutputShape([null, 2, 8, 8, 8], 2)).toEqual([null, 1, 4, 4, 8]);
    expect(ops.convOutputShape([null, 4, 8, 8, 3], [3, 3, 3, 3, 5], { padding: 'same', strides: 2 })).toEqual([null, 2, 4, 4, 5]);
    expect(() => ops.poolOutputShape([null, 2, 8, 8, 8, 1], 2)).toThrow(/pool: the input has shape \(None, 2, 8, 8, 8, 1\) \(rank 6\).*or rank 5/);
    expect(() => ops.convOutputShape([null, 4, 8, 8, 3], [3, 3, 3, 5])).toThrow(/conv: the kernel has shape \(3, 3, 3, 5\) but a 3-D op .* needs a rank-5 kernel/);
  });

  it("a window larger than the input with 'valid'", () => {
    expect(() => ops.convOutputShape([null, 4, 4, 1], [5, 5, 1, 1])).toThrow(/conv: with padding 'valid' the window spans 5 cells on spatial axis 1 .* input \(None, 4, 4, 1\) has only 4 there.*Fix: use padding: 'same'/);
    expect(() => ops.convOutputShape([null, 8, 8, 1], [3, 3, 1, 1], { dilationRate: 4 })).toThrow(/spans 9 cells on spatial axis 1 \(size 3, dilation 4\)/);
    expect(() => tidy(() => ops.maxPool(zeros([1, 2, 2, 1]), 3))).toThrow(/maxPool: with padding 'valid' the window spans 3 cells/);
    expect(ops.poolOutputShape([null, 2, 2, 1], 3, { padding: 'same' })).toEqual([null, 1, 1, 1]);
  });

  it('bad strides, dilations, pool sizes, padding, data format and output padding', () => {
    expect(() => ops.convOutputShape([null, 8, 8, 1], [3, 3, 1, 1], { strides: 0 })).toThrow(/conv: strides 0 is not valid for 2 spatial axes\. Expected a positive integer or a list of 2/);
    expect(() => ops.convOutputShape([null, 8, 8, 1], [3, 3, 1, 1], { strides: [1, 2, 3] })).toThrow(/strides \[1,2,3\] is not valid for 2 spatial axes/);
    expect(() => ops.convOutputShape([null, 8, 1], [3, 1, 1], { dilationRate: 1.5 })).toThrow(/dilationRate 1.5 is not valid for 1 spatial axis/);
    expect(() => ops.poolOutputShape([null, 8, 8, 1], [2, 0])).toThrow(/pool: poolSize \[2,0\] is not valid/);
    expect(() => ops.convOutputShape([null, 8, 8, 1], [3, 3, 1, 1], { padding: 'causal' })).toThrow(/conv: padding "causal" is not supported\. Expected 'valid' or 'same'/);
    expect(ops.convOutputShape([null, 8, 8, 1], [3, 3, 1, 1], { padding: 'SAME' })).toEqual([null, 8, 8, 1]);
    expect(() => ops.convOutputShape([null, 8, 8, 1], [3, 3, 1, 1], { dataFormat: 'NHWC' as never })).toThrow(/dataFormat "NHWC" is not a data format/);
    expect(() => ops.convTransposeOutputShape([null, 8, 8, 1], [3, 3, 1, 1], { strides: 2, outputPadding: 2 })).toThrow(/outputPadding 2 must be smaller than strides \[2,2\]/);
    expect(() => ops.convTransposeOutputShape([null, 1, 1, 1], [2, 2, 1, 1], { padding: 'same', outputPadding: 0 })).toThrow(/convTranspose: the output of input \(None, 1, 1, 1\) .* would be empty \(spatial sizes \[0,0\]\)/);
  });
});

describe('memory', () => {
  it('a tidy conv + vjp (and pooling, depthwise and transposed ones) leaves no tensor behind', () => {
    const x = values([2, 6, 6, 3], 13);
    const k = values([3, 3, 3, 4], 14);
    const before = memory().numTensors;
    tidy(() => {
      const dy = values([2, 3, 3, 4], 15);
      vjp((a, b) => ops.conv(a, b, { strides: 2, padding: 'same' }), [x, k], dy);
      const depthwiseKernel = values([3, 3, 3, 1], 16);
      vjp((a) => ops.maxPool(ops.depthwiseConv(a, depthwiseKernel, { padding: 'same' }), 2, { padding: 'same' }), [x], values([2, 3, 3, 3], 17));
      vjp((a) => ops.averagePool(ops.conv(a, k), 2), [x], values([2, 2, 2, 4], 20));
      vjp((a) => ops.convTranspose(a, k, { strides: 2, padding: 'same' }), [values([2, 3, 3, 4], 18)], values([2, 6, 6, 3], 19));
      return null;
    });
    expect(memory().numTensors).toBe(before);
    x.dispose();
    k.dispose();
  });
});
