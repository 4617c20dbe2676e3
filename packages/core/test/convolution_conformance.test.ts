/**
 * The conv and pooling ops against the shared conformance vectors: every torch-ref case of conv2d,
 * conv2d_grad, max_pool2d and avg_pool2d (forward and gradients through `vjp`), and the ONNX node
 * cases of Conv, ConvTranspose, MaxPool, AveragePool, GlobalAveragePool and GlobalMaxPool that
 * Keras's semantics can express (run channels_first, as ONNX lays them out). The rest are listed
 * with the reason in SKIPPED_ONNX.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ops, tensor, tidy, vjp, type Tensor, type TypedArray } from '@keras-ts/core';
import { samePads } from '../src/ops/primitives/convolution.js';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
});

interface CaseTensor {
  name: string;
  shape: number[];
  data: (number | string | boolean)[];
}
interface Case {
  id: string;
  op: string;
  attributes: Record<string, unknown>;
  inputs: CaseTensor[];
  outputs: CaseTensor[];
  tolerance: { rtol: number; atol: number };
}

function conformanceDir(): string {
  // The repository's own copy of the vectors (packages/conformance/vectors), so a fresh clone has them.
  const candidates = [process.env.KERAS_CONFORMANCE_DIR, resolve(process.cwd(), 'packages/conformance/vectors')];
  const found = candidates.find((c): c is string => c !== undefined && existsSync(resolve(c, 'index.json')));
  if (!found) throw new Error(`conformance vectors not found; tried ${candidates.join(', ')}. Set KERAS_CONFORMANCE_DIR.`);
  return found;
}

const DIR = conformanceDir();
const load = (source: string, name: string): Case => JSON.parse(readFileSync(resolve(DIR, source, `${name}.json`), 'utf8')) as Case;
const names = (source: string, pattern: RegExp): string[] =>
  readdirSync(resolve(DIR, source)).filter((f) => pattern.test(f)).map((f) => f.replace(/\.json$/, '')).sort();

const toTensor = (t: CaseTensor): Tensor => tensor(Float32Array.from(t.data, (v) => Number(v)), t.shape);
const input = (c: Case, name: string): CaseTensor => {
  const t = c.inputs.find((i) => i.name === name);
  if (!t) throw new Error(`${c.id} has no input '${name}'`);
  return t;
};
const output = (c: Case, name: string): CaseTensor => {
  const t = c.outputs.find((i) => i.name === name);
  if (!t) throw new Error(`${c.id} has no output '${name}'`);
  return t;
};

/** abs(actual - expected) <= atol + rtol * abs(expected) everywhere, reporting the worst element. */
function expectClose(label: string, actual: Tensor, expected: CaseTensor, tol: { rtol: number; atol: number }): void {
  expect({ label, shape: [...actual.shape] }).toEqual({ label, shape: expected.shape });
  const values: TypedArray = actual.dataSync();
  let worst = { index: -1, actual: 0, expected: 0, excess: 0 };
  expected.data.forEach((v, i) => {
    const e = Number(v);
    const excess = Math.abs(values[i] - e) - (tol.atol + tol.rtol * Math.abs(e));
    if (!(excess <= worst.excess) || Number.isNaN(values[i])) worst = { index: i, actual: values[i], expected: e, excess };
  });
  expect({ label, worst: worst.index }).toEqual({ label, worst: -1 });
}

const counts = new Map<string, { passed: number; run: number; skipped: number }>();
function count(op: string, outcome: 'passed' | 'run' | 'skipped'): void {
  const c = counts.get(op) ?? { passed: 0, run: 0, skipped: 0 };
  c[outcome]++;
  counts.set(op, c);
}
afterAll(() => {
  const lines = [...counts].map(([op, c]) => `${op}: ${c.passed}/${c.run} passed${c.skipped ? `, ${c.skipped} skipped` : ''}`);
  console.log(`conv/pool conformance\n${lines.join('\n')}`);
});

/** Runs a case body, counting it as passed only when every expectation held. */
function runCase(op: string, body: () => void): void {
  count(op, 'run');
  tidy(body);
  count(op, 'passed');
}

const pair = (v: unknown): [number, number] => v as [number, number];

describe('torch-ref conv2d (forward) through ops.conv', () => {
  for (const name of names('torch-ref', /^conv2d_\d+\.json$/)) {
    it(name, () => {
      const c = load('torch-ref', name);
      const a = c.attributes;
      runCase('torch-ref conv2d', () => {
        const x = toTensor(input(c, 'x'));
        const kernel = toTensor(input(c, 'kernel'));
        // The case's explicit pads are Keras's 'same' pads: the rule core turns 'same' into.
        if (a.padding === 'same') {
          const [kh, kw] = kernel.shape;
          const [sh, sw] = pair(a.strides);
          const [dh, dw] = pair(a.dilation_rate);
          expect([samePads(x.shape[1], kh, sh, dh), samePads(x.shape[2], kw, sw, dw)]).toEqual(a.explicit_padding);
        }
        let y = ops.conv(x, kernel, { strides: pair(a.strides), padding: a.padding as string, dilationRate: pair(a.dilation_rate), dataFormat: 'channels_last' });
        if (a.use_bias) y = ops.add(y, toTensor(input(c, 'bias')));
        expectClose(`${name} y`, y, output(c, 'y'), c.tolerance);
      });
    });
  }
});

describe('torch-ref conv2d_grad: y, dx, dkernel, dbias through vjp', () => {
  for (const name of names('torch-ref', /^conv2d_grad_\d+\.json$/)) {
    it(name, () => {
      const c = load('torch-ref', name);
      const a = c.attributes;
      runCase('torch-ref conv2d_grad', () => {
        const [x, kernel, bias, dy] = ['x', 'kernel', 'bias', 'dy'].map((n) => toTensor(input(c, n)));
        const options = { strides: pair(a.strides), padding: a.padding as string, dilationRate: pair(a.dilation_rate) };
        const { outputs, grads } = vjp((xv, kv, bv) => ops.add(ops.conv(xv, kv, options), bv), [x, kernel, bias], dy);
        expectClose(`${name} y`, outputs[0], output(c, 'y'), c.tolerance);
        expectClose(`${name} dx`, grads[0], output(c, 'dx'), c.tolerance);
        expectClose(`${name} dkernel`, grads[1], output(c, 'dkernel'), c.tolerance);
        expectClose(`${name} dbias`, grads[2], output(c, 'dbias'), c.tolerance);
      });
    });
  }
});

describe('torch-ref pooling: y and dx through vjp', () => {
  for (const name of names('torch-ref', /^(max|avg)_pool2d_\d+\.json$/)) {
    it(name, () => {
      const c = load('torch-ref', name);
      const a = c.attributes;
      const pool = c.op === 'max_pool2d' ? ops.maxPool : ops.averagePool;
      runCase(`torch-ref ${c.op}`, () => {
        const [x, dy] = ['x', 'dy'].map((n) => toTensor(input(c, n)));
        // The strides are passed only when they differ from the pool size, so the default is exercised too.
        const strides = JSON.stringify(a.strides) === JSON.stringify(a.pool_size) ? undefined : pair(a.strides);
        const { outputs, grads } = vjp((xv) => pool(xv, pair(a.pool_size), { strides, padding: a.padding as string }), [x], dy);
        expectClose(`${name} y`, outputs[0], output(c, 'y'), c.tolerance);
        expectClose(`${name} dx`, grads[0], output(c, 'dx'), c.tolerance);
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------
// ONNX node cases (NCHW): run with dataFormat 'channels_first'; an ONNX Conv kernel
// [M, C/group, kH, kW] is Keras's [kH, kW, C/group, M], a ConvTranspose kernel [C, M, kH, kW] is
// Keras's [kH, kW, M, C]: both are W.transpose(2, 3, 1, 0).
// ---------------------------------------------------------------------------------------------

/** Every ONNX case of these ops that Keras cannot express, with the reason. */
const SKIPPED_ONNX: Record<string, string> = {
  test_conv_with_strides_and_asymmetric_padding:
    "pads [1, 0, 1, 0] pad the height and not the width; Keras's padding is one mode for every axis ('same' would also pad the width)",
  test_averagepool_2d_ceil: 'ceil_mode=1 (output size rounded up) is not a Keras pooling mode',
  test_averagepool_2d_dilations: 'ceil_mode=1 and dilations=2: Keras pooling has neither',
  test_averagepool_2d_pads: "pads of 2 with a 3x3 pool grow the output (28 -> 30); Keras 'same' keeps it at 28",
  test_averagepool_2d_precomputed_pads_count_include_pad: 'count_include_pad=1 divides by padded cells too; Keras averages the real cells only',
  test_averagepool_2d_same_lower: "auto_pad SAME_LOWER puts the odd pad first; Keras 'same' puts it last",
  test_maxpool_2d_ceil: 'ceil_mode=1 (output size rounded up) is not a Keras pooling mode',
  test_maxpool_2d_dilations: 'dilations=2: Keras pooling has no dilation',
  test_maxpool_2d_pads: "pads of 2 with a 3x3 pool grow the output (28 -> 30); Keras 'same' keeps it at 28",
  test_maxpool_2d_same_lower: "auto_pad SAME_LOWER puts the odd pad first; Keras 'same' puts it last",
};

const nchwKernel = (w: Tensor): Tensor => ops.transpose(w, { axes: [2, 3, 1, 0] });
const cf = { dataFormat: 'channels_first' as const };

/** How each expressible ONNX case runs through the Keras ops: the output from the case's inputs. */
const ONNX_CASES: Record<string, (c: Case) => Tensor> = {
  test_basic_conv_with_padding: (c) => ops.conv(toTensor(input(c, 'x')), nchwKernel(toTensor(input(c, 'W'))), { ...cf, padding: 'same' }),
  test_basic_conv_without_padding: (c) => ops.conv(toTensor(input(c, 'x')), nchwKernel(toTensor(input(c, 'W'))), { ...cf, padding: 'valid' }),
  // pads 1 on every side with stride 2 are Keras's 'same' pads for 7x5 and a 3x3 kernel.
  test_conv_with_strides_padding: (c) => ops.conv(toTensor(input(c, 'x')), nchwKernel(toTensor(input(c, 'W'))), { ...cf, strides: 2, padding: 'same' }),
  // SAME_UPPER crops the transposed output as Keras 'same' does: output = input * stride.
  test_convtranspose_autopad_same: (c) => ops.convTranspose(toTensor(input(c, 'X')), nchwKernel(toTensor(input(c, 'W'))), { ...cf, strides: 2, padding: 'same' }),
  test_convtranspose_dilations: (c) => ops.convTranspose(toTensor(input(c, 'X')), nchwKernel(toTensor(input(c, 'W'))), { ...cf, dilationRate: 2 }),
  // Keras's conv_transpose has no groups: each group of channels is its own convTranspose, concatenated.
  test_convtranspose_group_2: (c) => {
    const x = toTensor(input(c, 'X'));
    const k = nchwKernel(toTensor(input(c, 'W')));
    const parts = [0, 1].map((g) => ops.convTranspose(ops.slice(x, [0, g, 0, 0], [-1, 1, -1, -1]), ops.slice(k, [0, 0, 0, g], [-1, -1, -1, 1]), cf));
    return ops.concatenate(parts, { axis: 1 });
  },
  // output_shape (10, 8) with output_padding 1 is the full 'valid' output: (3-1)*stride + 3 + 1.
  test_convtranspose_kernel_shape: (c) =>
    ops.convTranspose(toTensor(input(c, 'X')), nchwKernel(toTensor(input(c, 'W'))), { ...cf, strides: [3, 2], outputPadding: [1, 1] }),
  // output_shape (10, 8) is one more than the 'valid' output (9, 7): ONNX adds it at the end, as outputPadding 1 does.
  test_convtranspose_output_shape: (c) =>
    ops.convTranspose(toTensor(input(c, 'X')), nchwKernel(toTensor(input(c, 'W'))), { ...cf, strides: [3, 2], outputPadding: [1, 1] }),
  test_convtranspose_pad: (c) => ops.convTranspose(toTensor(input(c, 'X')), nchwKernel(toTensor(input(c, 'W'))), { ...cf, strides: [3, 2], outputPadding: [1, 1] }),
  // pads 2 with a 5x5 window and count_include_pad=0 are Keras 'same' with its real-cell average.
  test_averagepool_2d_precomputed_pads: (c) => ops.averagePool(toTensor(input(c, 'x')), 5, { ...cf, strides: 1, padding: 'same' }),
  test_averagepool_2d_precomputed_same_upper: (c) => ops.averagePool(toTensor(input(c, 'x')), 3, { ...cf, strides: 2, padding: 'same' }),
  test_averagepool_2d_same_upper: (c) => ops.averagePool(toTensor(input(c, 'x')), 2, { ...cf, strides: 1, padding: 'same' }),
  test_averagepool_2d_strides: (c) => ops.averagePool(toTensor(input(c, 'x')), 5, { ...cf, strides: 3 }),
  // GlobalAveragePooling2D/GlobalMaxPooling2D: one window as large as the input (keepdims).
  test_globalaveragepool_precomputed: (c) => ops.averagePool(toTensor(input(c, 'x')), input(c, 'x').shape.slice(2), cf),
  test_globalmaxpool: (c) => ops.maxPool(toTensor(input(c, 'x')), input(c, 'x').shape.slice(2), cf),
  // ONNX's default strides are 1; Keras's default is the pool size, so they are given.
  test_maxpool_2d_default: (c) => ops.maxPool(toTensor(input(c, 'x')), 2, { ...cf, strides: 1 }),
  test_maxpool_2d_precomputed_same_upper: (c) => ops.maxPool(toTensor(input(c, 'x')), 3, { ...cf, strides: 2, padding: 'same' }),
  test_maxpool_2d_precomputed_strides: (c) => ops.maxPool(toTensor(input(c, 'x')), 2, { ...cf, strides: 2 }),
};

const ONNX_OPS = new Set(['Conv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool']);
const onnxNames = names('onnx-node', /^test_.*\.json$/).filter((n) => ONNX_OPS.has(load('onnx-node', n).op));

describe('ONNX node cases through the Keras ops (channels_first)', () => {
  it('every case of these ops is either run or skipped with a reason, and every listed name exists', () => {
    for (const n of onnxNames) expect({ n, listed: n in ONNX_CASES || n in SKIPPED_ONNX }).toEqual({ n, listed: true });
    for (const n of [...Object.keys(ONNX_CASES), ...Object.keys(SKIPPED_ONNX)]) expect({ n, exists: onnxNames.includes(n) }).toEqual({ n, exists: true });
    for (const n of Object.keys(SKIPPED_ONNX)) count(`onnx ${load('onnx-node', n).op}`, 'skipped');
  });
  for (const name of onnxNames.filter((n) => n in ONNX_CASES)) {
    it(name, () => {
      const c = load('onnx-node', name);
      // ONNX's atol of 1e-7 assumes float64-like sums; README: a float32 backend may need about 1e-5.
      const tol = { rtol: c.tolerance.rtol, atol: Math.max(c.tolerance.atol, 1e-5) };
      runCase(`onnx ${c.op}`, () => expectClose(name, ONNX_CASES[name](c), c.outputs[0], tol));
    });
  }
});
