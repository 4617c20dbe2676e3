/**
 * The spatial layers: Conv2D, MaxPooling2D, AveragePooling2D, BatchNormalization, Flatten and
 * Reshape. Output shapes on symbolic inputs (both data formats), numbers against the torch-ref
 * conformance vectors through the layers (forward and gradients), a functional Model against the
 * layers called one by one, gradients by finite differences with respect to the layers' weights,
 * configs, weight counts, every error message, the BatchNormalization axis-0 warning and memory.
 */
import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Input, Model, config, layers, memory, ops, tensor, tidy, valueAndGrad, type KerasTensor, type Tensor, type Variable } from '@keras-ts/core';
import { expectGradientsMatch } from './support/gradient_check.js';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
});

const originalFormat = config.imageDataFormat();
afterEach(() => {
  config.setImageDataFormat(originalFormat);
  jest.restoreAllMocks();
});

// --- the conformance vectors -----------------------------------------------------------------

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
  keras_compatible?: boolean;
}

function conformanceDir(): string {
  const candidates = [process.env.KERAS_CONFORMANCE_DIR, resolve(process.cwd(), 'packages/conformance/vectors')];
  const found = candidates.find((c): c is string => c !== undefined && existsSync(resolve(c, 'torch-ref')));
  if (!found) throw new Error(`conformance vectors not found; tried ${candidates.join(', ')}. Set KERAS_CONFORMANCE_DIR.`);
  return found;
}

const DIR = resolve(conformanceDir(), 'torch-ref');
const load = (name: string): Case => JSON.parse(readFileSync(resolve(DIR, `${name}.json`), 'utf8')) as Case;
const names = (pattern: RegExp): string[] => readdirSync(DIR).map((f) => f.replace(/\.json$/, '')).filter((f) => pattern.test(f)).sort();
const get = (list: CaseTensor[], name: string, id: string): CaseTensor => {
  const t = list.find((i) => i.name === name);
  if (!t) throw new Error(`${id} has no tensor '${name}'`);
  return t;
};
const input = (c: Case, name: string): CaseTensor => get(c.inputs, name, c.id);
const output = (c: Case, name: string): CaseTensor => get(c.outputs, name, c.id);
const toTensor = (t: CaseTensor): Tensor => tensor(Float32Array.from(t.data, (v) => Number(v)), t.shape);
const pair = (v: unknown): [number, number] => v as [number, number];

/** abs(actual - expected) <= atol + rtol * abs(expected) everywhere, reporting the worst element. */
function expectClose(label: string, actual: Tensor | Variable, expected: CaseTensor | { shape: readonly number[]; data: ArrayLike<number> }, tol: { rtol: number; atol: number }): void {
  expect({ label, shape: [...actual.shape] }).toEqual({ label, shape: [...expected.shape] });
  const values = actual.dataSync();
  const want = Array.from(expected.data as ArrayLike<number | string | boolean>, (v) => Number(v));
  let worst = { index: -1, actual: 0, expected: 0 };
  let excessWorst = 0;
  want.forEach((e, i) => {
    const excess = Math.abs(values[i] - e) - (tol.atol + tol.rtol * Math.abs(e));
    if (!(excess <= excessWorst) || Number.isNaN(values[i])) {
      excessWorst = excess;
      worst = { index: i, actual: values[i], expected: e };
    }
  });
  expect({ label, worst }).toEqual({ label, worst: { index: -1, actual: 0, expected: 0 } });
}

const shapeOf = (t: KerasTensor | KerasTensor[]): unknown => (Array.isArray(t) ? t.map((x) => x.shape) : [...t.shape]);

/** Deterministic values in [-1, 1) (no randomness: every backend sees the same numbers). */
function values(shape: number[], seed = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Float32Array.from({ length: n }, (_, i) => Math.sin((i + 1) * 12.9898 * seed + seed) * 0.999), shape);
}

// --- output shapes -----------------------------------------------------------------------------

describe('output shapes on symbolic inputs', () => {
  it("Conv2D: API.md's example, channels_last and channels_first, strides, 'same', dilation, groups", () => {
    expect(shapeOf(new layers.Conv2D({ filters: 17, kernelSize: [3, 3] }).apply(Input({ shape: [64, 64, 3] })))).toEqual([null, 62, 62, 17]);
    expect(shapeOf(new layers.Conv2D({ filters: 17, kernelSize: [3, 3], dataFormat: 'channels_first' }).apply(Input({ shape: [3, 64, 64] })))).toEqual([null, 17, 62, 62]);
    expect(shapeOf(new layers.Conv2D({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }).apply(Input({ shape: [28, 27, 3] })))).toEqual([null, 14, 14, 8]);
    expect(shapeOf(new layers.Conv2D({ filters: 8, kernelSize: 3, strides: [2, 1] }).apply(Input({ shape: [9, 9, 3] })))).toEqual([null, 4, 7, 8]);
    expect(shapeOf(new layers.Conv2D({ filters: 4, kernelSize: 3, dilationRate: 2 }).apply(Input({ shape: [9, 10, 1] })))).toEqual([null, 5, 6, 4]);
    expect(shapeOf(new layers.Conv2D({ filters: 6, kernelSize: 1, groups: 2 }).apply(Input({ batchShape: [5, 4, 4, 4] })))).toEqual([5, 4, 4, 6]);
    // Unknown spatial sizes stay unknown.
    expect(shapeOf(new layers.Conv2D({ filters: 2, kernelSize: 3 }).apply(Input({ shape: [null, null, 3] })))).toEqual([null, null, null, 2]);
  });

  it("Conv2D follows keras.config's image_data_format when dataFormat is not given", () => {
    config.setImageDataFormat('channels_first');
    const conv = new layers.Conv2D({ filters: 17, kernelSize: [3, 3] });
    expect(conv.dataFormat).toBe('channels_first');
    expect(shapeOf(conv.apply(Input({ shape: [3, 64, 64] })))).toEqual([null, 17, 62, 62]);
    expect(conv.weights.map((w) => w.shape)).toEqual([[3, 3, 3, 17], [17]]);
    config.setImageDataFormat('channels_last');
    // The format is read when the layer is made, as Keras's standardize_data_format does.
    expect(conv.dataFormat).toBe('channels_first');
    expect(new layers.MaxPooling2D().dataFormat).toBe('channels_last');
  });

  it('MaxPooling2D and AveragePooling2D: defaults, strides, padding, both data formats', () => {
    expect(shapeOf(new layers.MaxPooling2D().apply(Input({ shape: [28, 28, 8] })))).toEqual([null, 14, 14, 8]);
    expect(shapeOf(new layers.MaxPooling2D({ poolSize: 3, strides: 2 }).apply(Input({ shape: [7, 7, 4] })))).toEqual([null, 3, 3, 4]);
    expect(shapeOf(new layers.MaxPooling2D({ padding: 'same' }).apply(Input({ shape: [5, 5, 3] })))).toEqual([null, 3, 3, 3]);
    expect(shapeOf(new layers.MaxPooling2D({ dataFormat: 'channels_first' }).apply(Input({ shape: [8, 28, 28] })))).toEqual([null, 8, 14, 14]);
    expect(shapeOf(new layers.AveragePooling2D({ poolSize: [2, 3], strides: [2, 1], padding: 'same' }).apply(Input({ shape: [9, 8, 3] })))).toEqual([null, 5, 8, 3]);
    expect(shapeOf(new layers.AveragePooling2D({ dataFormat: 'channels_first' }).apply(Input({ shape: [3, 10, null] })))).toEqual([null, 3, 5, null]);
  });

  it('BatchNormalization keeps the shape; its weights are shaped by the kept axis', () => {
    const last = new layers.BatchNormalization();
    expect(shapeOf(last.apply(Input({ shape: [8, 8, 5] })))).toEqual([null, 8, 8, 5]);
    expect(last.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([
      ['gamma', [5], true], ['beta', [5], true], ['moving_mean', [5], false], ['moving_variance', [5], false],
    ]);
    const first = new layers.BatchNormalization({ axis: 1 });
    expect(shapeOf(first.apply(Input({ shape: [3, 8, 8] })))).toEqual([null, 3, 8, 8]);
    expect(first.weights.map((w) => w.shape)).toEqual([[3], [3], [3], [3]]);
    const middle = new layers.BatchNormalization({ axis: -2 });
    middle.apply(Input({ shape: [6, 4] }));
    expect(middle.weights.map((w) => w.shape)).toEqual([[6], [6], [6], [6]]);
  });

  it('Flatten and Reshape', () => {
    expect(shapeOf(new layers.Flatten().apply(Input({ shape: [10, 64] })))).toEqual([null, 640]);
    expect(shapeOf(new layers.Flatten({ dataFormat: 'channels_first' }).apply(Input({ shape: [3, 4, 5] })))).toEqual([null, 60]);
    expect(shapeOf(new layers.Flatten().apply(Input({ shape: [null, 4] })))).toEqual([null, null]);
    expect(shapeOf(new layers.Flatten().apply(Input({ batchShape: [7] })))).toEqual([7, 1]);
    expect(shapeOf(new layers.Reshape({ targetShape: [3, 4] }).apply(Input({ shape: [12] })))).toEqual([null, 3, 4]);
    expect(shapeOf(new layers.Reshape({ targetShape: [-1, 2, 2] }).apply(Input({ shape: [12] })))).toEqual([null, 3, 2, 2]);
    expect(shapeOf(new layers.Reshape({ targetShape: [-1, 2] }).apply(Input({ shape: [null, 4] })))).toEqual([null, null, 2]);
  });

  it('a small CNN: Conv2D -> BatchNormalization -> MaxPooling2D -> Flatten -> Dense', () => {
    const x = Input({ shape: [28, 28, 1] });
    const h = new layers.Conv2D({ filters: 8, kernelSize: 3, activation: 'relu' }).apply(x);
    const b = new layers.BatchNormalization().apply(h);
    const p = new layers.MaxPooling2D().apply(b);
    const f = new layers.Flatten().apply(p);
    const y = new layers.Dense({ units: 10 }).apply(f);
    expect([h, b, p, f, y].map(shapeOf)).toEqual([[null, 26, 26, 8], [null, 26, 26, 8], [null, 13, 13, 8], [null, 1352], [null, 10]]);
    const model = new Model({ inputs: x, outputs: y });
    // 3*3*1*8 + 8 = 80; BN 4*8 = 32 (16 non-trainable); Dense 1352*10 + 10 = 13530.
    expect(model.countParams()).toBe(80 + 32 + 13530);
  });
});

// --- numbers against torch-ref -------------------------------------------------------------------

describe('Conv2D against torch-ref conv2d vectors', () => {
  for (const name of names(/^conv2d_\d+$/)) {
    it(name, () => {
      const c = load(name);
      const a = c.attributes;
      const args = { filters: input(c, 'kernel').shape[3], kernelSize: input(c, 'kernel').shape.slice(0, 2), strides: pair(a.strides), padding: a.padding as string, dilationRate: pair(a.dilation_rate), useBias: a.use_bias as boolean, dataFormat: 'channels_last' as const };
      if (c.keras_compatible === false) {
        // Strides and dilation both above 1: Keras's Conv layers reject it, and so does Conv2D.
        expect(() => new layers.Conv2D(args)).toThrow(/strides > 1 not supported in conjunction with dilationRate > 1/);
        return;
      }
      tidy(() => {
        const conv = new layers.Conv2D(args);
        const x = toTensor(input(c, 'x'));
        conv.apply(x); // builds the layer (tidy frees the output)
        conv.setWeights(a.use_bias ? [toTensor(input(c, 'kernel')), toTensor(input(c, 'bias'))] : [toTensor(input(c, 'kernel'))]);
        expectClose(`${name} y`, conv.apply(x) as Tensor, output(c, 'y'), c.tolerance);
        conv.dispose();
      });
    });
  }
});

describe('Conv2D gradients against torch-ref conv2d_grad vectors (valueAndGrad w.r.t. x and trainableWeights)', () => {
  for (const name of names(/^conv2d_grad_\d+$/)) {
    it(name, () => {
      const c = load(name);
      const a = c.attributes;
      const args = { filters: input(c, 'kernel').shape[3], kernelSize: input(c, 'kernel').shape.slice(0, 2), strides: pair(a.strides), padding: a.padding as string, dilationRate: pair(a.dilation_rate), dataFormat: 'channels_last' as const };
      if (c.keras_compatible === false) {
        expect(() => new layers.Conv2D(args)).toThrow(/strides > 1 not supported/);
        return;
      }
      tidy(() => {
        const conv = new layers.Conv2D(args);
        const [x, dy] = [toTensor(input(c, 'x')), toTensor(input(c, 'dy'))];
        conv.apply(x);
        conv.setWeights([toTensor(input(c, 'kernel')), toTensor(input(c, 'bias'))]);
        const { value, grads } = valueAndGrad(() => {
          const y = conv.apply(x) as Tensor;
          return [ops.sum(ops.multiply(y, dy)), y];
        }, [x, ...conv.trainableWeights]);
        expectClose(`${name} y`, value[1], output(c, 'y'), c.tolerance);
        expectClose(`${name} dx`, grads[0], output(c, 'dx'), c.tolerance);
        expectClose(`${name} dkernel`, grads[1], output(c, 'dkernel'), c.tolerance);
        expectClose(`${name} dbias`, grads[2], output(c, 'dbias'), c.tolerance);
        conv.dispose();
      });
    });
  }
});

describe('MaxPooling2D and AveragePooling2D against torch-ref pooling vectors (y and dx)', () => {
  for (const name of names(/^(max|avg)_pool2d_\d+$/)) {
    it(name, () => {
      const c = load(name);
      const a = c.attributes;
      // The strides are passed only when they differ from the pool size, so the default is exercised too.
      const strides = JSON.stringify(a.strides) === JSON.stringify(a.pool_size) ? undefined : pair(a.strides);
      const args = { poolSize: pair(a.pool_size), strides, padding: a.padding as string };
      const layer = c.op === 'max_pool2d' ? new layers.MaxPooling2D(args) : new layers.AveragePooling2D(args);
      tidy(() => {
        const [x, dy] = [toTensor(input(c, 'x')), toTensor(input(c, 'dy'))];
        const { value, grads } = valueAndGrad(() => {
          const y = layer.apply(x) as Tensor;
          return [ops.sum(ops.multiply(y, dy)), y];
        }, [x]);
        expectClose(`${name} y`, value[1], output(c, 'y'), c.tolerance);
        expectClose(`${name} dx`, grads[0], output(c, 'dx'), c.tolerance);
      });
    });
  }
});

describe('BatchNormalization against torch-ref batch_normalization vectors', () => {
  for (const name of names(/^batch_normalization_\d+$/)) {
    it(name, () => {
      const c = load(name);
      const a = c.attributes;
      const training = a.training as boolean;
      const bn = new layers.BatchNormalization({ axis: a.axis as number, epsilon: a.epsilon as number, momentum: a.momentum as number });
      tidy(() => {
        const [x, dy] = [toTensor(input(c, 'x')), toTensor(input(c, 'dy'))];
        const stats = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((n) => toTensor(input(c, n)));
        bn.apply(x);
        bn.setWeights(stats);
        // The forward pass, with the moving-statistics update in training.
        const y = bn.apply(x, { training }) as Tensor;
        expectClose(`${name} y`, y, output(c, 'y'), c.tolerance);
        if (training) {
          expectClose(`${name} moving_mean`, bn.movingMean as Variable, output(c, 'new_moving_mean'), c.tolerance);
          expectClose(`${name} moving_variance`, bn.movingVariance as Variable, output(c, 'new_moving_variance'), c.tolerance);
        } else {
          // Inference leaves the moving statistics alone.
          const exact = (t: CaseTensor): number[] => Array.from(Float32Array.from(t.data, (v) => Number(v)));
          expect(Array.from(bn.movingMean?.dataSync() ?? [])).toEqual(exact(input(c, 'moving_mean')));
          expect(Array.from(bn.movingVariance?.dataSync() ?? [])).toEqual(exact(input(c, 'moving_variance')));
        }
        // Gradients (in training through the batch mean and variance too).
        bn.setWeights(stats);
        const { value, grads } = valueAndGrad(() => ops.sum(ops.multiply(bn.apply(x, { training }) as Tensor, dy)), [x, ...bn.trainableWeights]);
        value.dispose();
        expectClose(`${name} dx`, grads[0], output(c, 'dx'), c.tolerance);
        expectClose(`${name} dgamma`, grads[1], output(c, 'dgamma'), c.tolerance);
        expectClose(`${name} dbeta`, grads[2], output(c, 'dbeta'), c.tolerance);
        // The update inside valueAndGrad happened once, with the same batch statistics.
        if (training) expectClose(`${name} moving_mean after valueAndGrad`, bn.movingMean as Variable, output(c, 'new_moving_mean'), c.tolerance);
      });
      bn.dispose();
    });
  }

  it('batch statistics and the update follow the formulas on any kept axis (axis 1 of a rank-4 input)', () => {
    tidy(() => {
      const x = values([2, 3, 4, 5], 3);
      const bn = new layers.BatchNormalization({ axis: 1, momentum: 0.9, epsilon: 1e-3 });
      const y = bn.apply(x, { training: true }) as Tensor;
      const { mean, variance } = ops.moments(x, [0, 2, 3]);
      const expected = ops.divide(ops.subtract(x, ops.reshape(mean, [1, 3, 1, 1])), ops.sqrt(ops.add(ops.reshape(variance, [1, 3, 1, 1]), 1e-3)));
      expectClose('y', y, { shape: expected.shape, data: expected.dataSync() }, { rtol: 1e-4, atol: 1e-5 });
      const m = ops.multiply(mean, 0.1);
      const v = ops.add(0.9, ops.multiply(variance, 0.1));
      expectClose('moving_mean', bn.movingMean as Variable, { shape: [3], data: m.dataSync() }, { rtol: 1e-5, atol: 1e-6 });
      expectClose('moving_variance', bn.movingVariance as Variable, { shape: [3], data: v.dataSync() }, { rtol: 1e-5, atol: 1e-6 });
      // Inference mode (training false or absent) uses the moving statistics.
      const inference = bn.apply(x) as Tensor;
      const fromMoving = ops.divide(ops.subtract(x, ops.reshape(m, [1, 3, 1, 1])), ops.sqrt(ops.add(ops.reshape(v, [1, 3, 1, 1]), 1e-3)));
      expectClose('inference', inference, { shape: fromMoving.shape, data: fromMoving.dataSync() }, { rtol: 1e-4, atol: 1e-5 });
      expectClose('training false', bn.apply(x, { training: false }) as Tensor, { shape: fromMoving.shape, data: fromMoving.dataSync() }, { rtol: 1e-4, atol: 1e-5 });
      bn.dispose();
    });
  });

  it('a non-trainable BatchNormalization runs in inference mode even with training true (as in Keras)', () => {
    tidy(() => {
      const x = values([4, 3], 2);
      const bn = new layers.BatchNormalization();
      bn.apply(x);
      bn.trainable = false;
      const y = bn.apply(x, { training: true }) as Tensor;
      expect(Array.from(bn.movingMean?.dataSync() ?? [])).toEqual([0, 0, 0]);
      expectClose('y', y, { shape: x.shape, data: ops.divide(x, Math.sqrt(1 + 1e-3)).dataSync() }, { rtol: 1e-5, atol: 1e-6 });
      bn.dispose();
    });
  });

  it('tracing a model in training mode (a model inside a model) does not touch the moving statistics', () => {
    const x = Input({ shape: [6, 6, 2] });
    const bn = new layers.BatchNormalization();
    const inner = new Model({ inputs: x, outputs: bn.apply(new layers.Conv2D({ filters: 3, kernelSize: 3 }).apply(x)) });
    expect(shapeOf(inner.apply(Input({ shape: [6, 6, 2] }), { training: true }))).toEqual([null, 4, 4, 3]);
    expect(Array.from(bn.movingMean?.dataSync() ?? [])).toEqual([0, 0, 0]);
    expect(Array.from(bn.movingVariance?.dataSync() ?? [])).toEqual([1, 1, 1]);
    inner.dispose();
  });

  it('center: false and scale: false drop beta and gamma', () => {
    const bn = new layers.BatchNormalization({ center: false, scale: false });
    bn.apply(Input({ shape: [4] }));
    expect(bn.weights.map((w) => w.name)).toEqual(['moving_mean', 'moving_variance']);
    expect(bn.trainableWeights).toEqual([]);
    tidy(() => {
      const x = values([6, 4]);
      const { mean, variance } = ops.moments(x, [0]);
      const expected = ops.divide(ops.subtract(x, mean), ops.sqrt(ops.add(variance, 1e-3)));
      expectClose('y', bn.apply(x, { training: true }) as Tensor, { shape: expected.shape, data: expected.dataSync() }, { rtol: 1e-4, atol: 1e-5 });
    });
    bn.dispose();
  });
});

// --- a functional Model against the layers one by one ----------------------------------------------

describe('a functional Model gives the numbers of its layers called one by one', () => {
  it('Conv2D (channels_first) -> BatchNormalization(axis 1) -> AveragePooling2D -> Flatten -> Reshape -> Conv2D -> MaxPooling2D', () => {
    const conv1 = new layers.Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', dataFormat: 'channels_first' });
    const bn = new layers.BatchNormalization({ axis: 1, momentum: 0.5 });
    const avg = new layers.AveragePooling2D({ dataFormat: 'channels_first' });
    const flatten = new layers.Flatten({ dataFormat: 'channels_first' });
    const reshape = new layers.Reshape({ targetShape: [4, 4, -1] });
    const conv2 = new layers.Conv2D({ filters: 3, kernelSize: [2, 2], groups: 1 });
    const pool = new layers.MaxPooling2D({ poolSize: 2, padding: 'same' });
    const stack = [conv1, bn, avg, flatten, reshape, conv2, pool];
    const x = Input({ shape: [2, 8, 8] });
    let h: KerasTensor = x;
    for (const layer of stack) h = layer.apply(h) as KerasTensor;
    expect(h.shape).toEqual([null, 2, 2, 3]);
    const model = new Model({ inputs: x, outputs: h });
    const data = values([3, 2, 8, 8], 5);
    // Some non-default statistics, so that inference mode is not the identity.
    tidy(() => bn.setWeights([values([4], 2), values([4], 3), values([4], 4), ops.add(values([4], 6), 1.5)]));
    const initial = bn.getWeights();
    for (const training of [false, true]) {
      tidy(() => {
        bn.setWeights(initial);
        let one: Tensor = data;
        for (const layer of stack) one = layer.apply(one, { training }) as Tensor;
        const statsOne = bn.getWeights();
        bn.setWeights(initial);
        const whole = model.apply(data, { training }) as Tensor;
        expectClose(`model (training ${training})`, whole, { shape: one.shape, data: one.dataSync() }, { rtol: 1e-5, atol: 1e-6 });
        bn.getWeights().forEach((w, i) => expectClose(`bn weight ${i}`, w, { shape: statsOne[i].shape, data: statsOne[i].dataSync() }, { rtol: 1e-6, atol: 1e-7 }));
      });
    }
    initial.forEach((t) => t.dispose());
    data.dispose();
    model.dispose();
  });

  it('Flatten under channels_first orders the values as channels_last does', () => {
    tidy(() => {
      const x = values([2, 3, 2, 2]);
      const first = new layers.Flatten({ dataFormat: 'channels_first' }).apply(x) as Tensor;
      const last = new layers.Flatten({ dataFormat: 'channels_last' }).apply(ops.transpose(x, { axes: [0, 2, 3, 1] })) as Tensor;
      expect(Array.from(first.dataSync())).toEqual(Array.from(last.dataSync()));
      expect(first.shape).toEqual([2, 12]);
      const reshaped = new layers.Reshape({ targetShape: [3, -1] }).apply(x) as Tensor;
      expect(reshaped.shape).toEqual([2, 3, 4]);
      expect(Array.from(reshaped.dataSync())).toEqual(Array.from(x.dataSync()));
    });
  });
});

// --- gradients by finite differences -------------------------------------------------------------

/**
 * valueAndGrad of sum(layer(x) * w) with respect to x and the layer's trainable weights, against
 * central differences (the weights perturbed through Variable.assign).
 */
function checkLayerGradients(layer: layers.Layer, x: Tensor, options: layers.CallOptions = {}, eps = 1e-2): void {
  // With respect to x (support's expectGradientsMatch).
  expectGradientsMatch((xv) => layer.apply(xv, options) as Tensor, [x], { eps });
  const weights = layer.trainableWeights;
  const probe = tidy(() => layer.apply(x, options) as Tensor);
  const w = tensor(Array.from({ length: probe.shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 12.9898 + 1) * 0.5 + 0.75), [...probe.shape]);
  probe.dispose();
  const scalar = (): Tensor => ops.sum(ops.multiply(layer.apply(x, options) as Tensor, w));
  const { value, grads } = valueAndGrad(scalar, weights);
  value.dispose();
  weights.forEach((variable, k) => {
    const base = Float32Array.from(variable.dataSync());
    const analytic = grads[k].dataSync();
    for (let i = 0; i < base.length; i++) {
      const at = (delta: number): number =>
        tidy(() => {
          const shifted = Float32Array.from(base);
          shifted[i] += delta;
          variable.assign(tensor(shifted, [...variable.shape]));
          return scalar().dataSync()[0];
        });
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      tidy(() => variable.assign(tensor(base, [...variable.shape])));
      if (!(Math.abs(analytic[i] - numeric) <= 2e-3 + 2e-2 * Math.abs(numeric))) {
        expect({ weight: variable.path, element: i, analytic: analytic[i] }).toEqual({ weight: variable.path, element: i, analytic: numeric });
      }
    }
  });
  grads.forEach((g) => g.dispose());
  w.dispose();
}

describe('gradients through each layer match finite differences', () => {
  it('Conv2D (channels_last, strides 2, same, relu-free)', () => {
    const conv = new layers.Conv2D({ filters: 2, kernelSize: 2, strides: 2, padding: 'same', biasInitializer: 'ones' });
    const x = values([2, 3, 3, 2], 7);
    checkLayerGradients(conv, x);
    x.dispose();
    conv.dispose();
  });

  it('Conv2D (channels_first, dilation 2, groups 2, tanh)', () => {
    const conv = new layers.Conv2D({ filters: 2, kernelSize: 2, dilationRate: 2, groups: 2, activation: 'tanh', dataFormat: 'channels_first' });
    const x = values([1, 4, 4, 4], 8);
    checkLayerGradients(conv, x);
    expect(conv.kernel?.shape).toEqual([2, 2, 2, 2]);
    x.dispose();
    conv.dispose();
  });

  it('BatchNormalization in training (through the batch moments) and in inference', () => {
    const bn = new layers.BatchNormalization({ axis: 1, gammaInitializer: { class_name: 'Constant', config: { value: 1.5 } }, betaInitializer: 'ones' });
    const x = values([3, 2, 2], 9);
    checkLayerGradients(bn, x, { training: true });
    checkLayerGradients(bn, x, { training: false });
    x.dispose();
    bn.dispose();
  });

  it('MaxPooling2D, AveragePooling2D, Flatten and Reshape (with respect to the input)', () => {
    // Distinct values 0.05 apart, so that no max is within the finite-difference step of another value.
    const x = tensor(Float32Array.from({ length: 40 }, (_, i) => ((i * 17) % 40) * 0.05 - 1), [1, 4, 5, 2]);
    checkLayerGradients(new layers.MaxPooling2D({ poolSize: 2, strides: 1 }), x);
    checkLayerGradients(new layers.AveragePooling2D({ poolSize: 3, strides: 2, padding: 'same' }), x);
    checkLayerGradients(new layers.Flatten({ dataFormat: 'channels_first' }), x);
    checkLayerGradients(new layers.Reshape({ targetShape: [-1, 4] }), x);
    x.dispose();
  });
});

// --- configs and weights ----------------------------------------------------------------------------

describe('getConfig / fromConfig and weights', () => {
  const roundTrip = <T extends layers.Layer>(layer: T, cls: { fromConfig(config: Record<string, unknown>): T }): Record<string, unknown> => {
    const cfg = layer.getConfig();
    const json = JSON.parse(JSON.stringify(cfg)) as Record<string, unknown>;
    const clone = cls.fromConfig(json);
    expect(clone.constructor).toBe(layer.constructor);
    expect(clone.getConfig()).toEqual(cfg);
    return json;
  };

  it("Conv2D's config has Keras's keys and values", () => {
    const conv = new layers.Conv2D({ filters: 16, kernelSize: 3, strides: [2, 1], padding: 'SAME', activation: 'relu', useBias: false, kernelInitializer: 'he_normal', name: 'c1' });
    const cfg = roundTrip(conv, layers.Conv2D);
    expect(cfg).toMatchObject({
      name: 'c1', trainable: true, filters: 16, kernel_size: [3, 3], strides: [2, 1], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1], groups: 1,
      activation: 'relu', use_bias: false, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
    });
    expect(cfg.kernel_initializer).toMatchObject({ module: 'keras.initializers', class_name: 'HeNormal' });
    expect(cfg.bias_initializer).toMatchObject({ class_name: 'Zeros' });
    // A config as Python Keras writes it loads too.
    const fromPython = layers.Conv2D.fromConfig({
      name: 'conv2d_7', trainable: true, filters: 4, kernel_size: [5, 5], strides: [1, 1], padding: 'valid', data_format: 'channels_first', dilation_rate: [1, 1], groups: 1,
      activation: 'linear', use_bias: true, kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null },
      bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null }, kernel_regularizer: null, bias_regularizer: null,
      activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
    });
    expect([fromPython.kernelSize, fromPython.dataFormat, fromPython.filters]).toEqual([[5, 5], 'channels_first', 4]);
  });

  it('pooling, BatchNormalization, Flatten and Reshape configs', () => {
    expect(roundTrip(new layers.MaxPooling2D({ poolSize: 3, strides: 2, padding: 'same', name: 'p' }), layers.MaxPooling2D)).toMatchObject({
      name: 'p', pool_size: [3, 3], strides: [2, 2], padding: 'same', data_format: 'channels_last',
    });
    expect(roundTrip(new layers.MaxPooling2D(), layers.MaxPooling2D)).toMatchObject({ pool_size: [2, 2], strides: [2, 2], padding: 'valid' });
    expect(roundTrip(new layers.AveragePooling2D({ dataFormat: 'channels_first' }), layers.AveragePooling2D)).toMatchObject({ data_format: 'channels_first' });
    const bn = roundTrip(new layers.BatchNormalization({ axis: 1, momentum: 0.9, epsilon: 1e-5, center: false, movingVarianceInitializer: 'zeros' }), layers.BatchNormalization);
    expect(bn).toMatchObject({
      axis: 1, momentum: 0.9, epsilon: 1e-5, center: false, scale: true, beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null, synchronized: false,
    });
    expect(bn.gamma_initializer).toMatchObject({ class_name: 'Ones' });
    expect(bn.moving_variance_initializer).toMatchObject({ class_name: 'Zeros' });
    expect(roundTrip(new layers.BatchNormalization(), layers.BatchNormalization)).toMatchObject({ axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true });
    expect(roundTrip(new layers.Flatten({ dataFormat: 'channels_first' }), layers.Flatten)).toMatchObject({ data_format: 'channels_first' });
    expect(roundTrip(new layers.Reshape({ targetShape: [-1, 4] }), layers.Reshape)).toMatchObject({ target_shape: [-1, 4] });
  });

  it('weight counts: Conv2D has kh*kw*cin/groups*filters + filters', () => {
    const cases: [layers.Layer, number[], number][] = [
      [new layers.Conv2D({ filters: 17, kernelSize: [3, 3] }), [64, 64, 3], 3 * 3 * 3 * 17 + 17],
      [new layers.Conv2D({ filters: 8, kernelSize: [5, 3], groups: 4 }), [10, 10, 12], 5 * 3 * (12 / 4) * 8 + 8],
      [new layers.Conv2D({ filters: 8, kernelSize: 1, useBias: false }), [4, 4, 6], 6 * 8],
      [new layers.BatchNormalization(), [4, 4, 6], 4 * 6],
      [new layers.MaxPooling2D(), [4, 4, 6], 0],
      [new layers.AveragePooling2D(), [4, 4, 6], 0],
      [new layers.Flatten(), [4, 4, 6], 0],
      [new layers.Reshape({ targetShape: [-1] }), [4, 4, 6], 0],
    ];
    for (const [layer, shape, params] of cases) {
      layer.apply(Input({ shape }));
      expect([layer.constructor.name, layer.countParams()]).toEqual([layer.constructor.name, params]);
    }
    const grouped = cases[1][0] as layers.Conv2D;
    expect(grouped.weights.map((w) => [w.name, w.shape])).toEqual([['kernel', [5, 3, 3, 8]], ['bias', [8]]]);
    const bn = cases[3][0];
    expect([bn.trainableWeights.length, bn.nonTrainableWeights.length]).toEqual([2, 2]);
    expect(bn.weights.map((w) => w.path)).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance'].map((n) => `${bn.name}/${n}`));
    for (const [layer] of cases) layer.dispose();
  });
});

// --- errors ---------------------------------------------------------------------------------------------

describe('errors say what was expected, what came and the fix', () => {
  it('Conv2D constructor arguments', () => {
    expect(() => new layers.Conv2D({ filters: 0, kernelSize: 3 })).toThrow(/filters must be a positive integer.*received filters=0/);
    expect(() => new layers.Conv2D({ filters: 2.5, kernelSize: 3 })).toThrow(/filters must be a positive integer/);
    expect(() => new layers.Conv2D({ filters: 4 } as never)).toThrow(/kernelSize is required/);
    expect(() => new layers.Conv2D({ filters: 4, kernelSize: [3] })).toThrow(/kernelSize must be a positive integer or a list of 2 positive integers; received kernelSize=\[3\]/);
    expect(() => new layers.Conv2D({ filters: 4, kernelSize: [3, 0] })).toThrow(/kernelSize must be a positive integer or a list of 2/);
    expect(() => new layers.Conv2D({ filters: 4, kernelSize: 3, strides: 0 })).toThrow(/strides must be a positive integer/);
    expect(() => new layers.Conv2D({ filters: 4, kernelSize: 3, dilationRate: [1, -1] })).toThrow(/dilationRate must be a positive integer/);
    expect(() => new layers.Conv2D({ filters: 4, kernelSize: 3, groups: 0 })).toThrow(/number of groups must be a positive integer; received groups=0/);
    expect(() => new layers.Conv2D({ filters: 6, kernelSize: 3, groups: 4 })).toThrow(/filters must be evenly divisible by the number of groups; received groups=4, filters=6/);
    expect(() => new layers.Conv2D({ filters: 4, kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(
      /strides > 1 not supported in conjunction with dilationRate > 1; received strides=\[2,2\] and dilationRate=\[2,2\]/,
    );
    expect(() => new layers.Conv2D({ filters: 4, kernelSize: 3, padding: 'causal' })).toThrow(/padding must be 'valid' or 'same'; received padding="causal"/);
    expect(() => new layers.Conv2D({ filters: 4, kernelSize: 3, dataFormat: 'NCHW' as never })).toThrow(/dataFormat must be 'channels_last' or 'channels_first'; received dataFormat="NCHW"/);
    expect(() => new layers.Conv2D({ filters: 4, kernelSize: 3, loraRank: 2 } as never)).toThrow(/loraRank is not supported by keras-ts yet/);
    expect(() => new layers.Conv2D({ filters: 4, kernelSize: 3, kernelRegularizer: 'l5' })).toThrow(/Could not interpret regularizer identifier/);
  });

  it('Conv2D on an input of the wrong rank names the layout, the image_data_format and its source, and the fix', () => {
    const conv = new layers.Conv2D({ filters: 8, kernelSize: 3 });
    const call = (shape: (number | null)[]) => () => conv.apply(Input({ shape }));
    expect(call([28, 28])).toThrow(/expected ndim=4, found ndim=3/);
    expect(call([28, 28])).toThrow(/Conv2D expects a rank-4 input \(batch, height, width, channels\)/);
    expect(call([28, 28])).toThrow(/image_data_format 'channels_last', from keras\.config\.imageDataFormat\(\)/);
    expect(call([28, 28])).toThrow(/Fix: .*Input\(\{ shape: \[28, 28, 1\] \}\)/);
    expect(call([28, 28])).toThrow(/first axis is always the batch axis, even for one example/);
    expect(call([784])).toThrow(/flat vector of 784 values.*layers\.Reshape\(\{ targetShape: \[28, 28, 1\] \}\)/);
    expect(call([10])).toThrow(/layers\.Reshape\(\{ targetShape: \[height, width, channels\] \}\)/);
    expect(call([5, 28, 28, 3])).toThrow(/1 axis too many/);
    expect(() => conv.apply(tensor([1, 2, 3]))).toThrow(/expected ndim=4, found ndim=1.*The first axis is the batch axis/);
    // Eagerly, one image without its batch axis.
    expect(() => conv.apply(values([28, 28, 1]))).toThrow(/add the batch axis \(ops\.expandDims\(x, 0\)\)/);
    expect(conv.built).toBe(false);
  });

  it('under channels_first (from the layer or from keras.config) the layout and the fix follow', () => {
    const conv = new layers.Conv2D({ filters: 8, kernelSize: 3, dataFormat: 'channels_first' });
    expect(() => conv.apply(Input({ shape: [28, 28] }))).toThrow(/\(batch, channels, height, width\) \(image_data_format 'channels_first', set by the layer's dataFormat argument\)/);
    expect(() => conv.apply(Input({ shape: [28, 28] }))).toThrow(/Input\(\{ shape: \[1, 28, 28\] \}\)/);
    config.setImageDataFormat('channels_first');
    const fromConfig = new layers.Conv2D({ filters: 8, kernelSize: 3 });
    expect(() => fromConfig.apply(Input({ shape: [28, 28] }))).toThrow(/\(batch, channels, height, width\) \(image_data_format 'channels_first', from keras\.config\.imageDataFormat\(\): "image_data_format" in keras\.json/);
  });

  it('Conv2D: channels after build, unknown channels, groups, and a kernel larger than the input', () => {
    const conv = new layers.Conv2D({ filters: 4, kernelSize: 3 });
    conv.apply(Input({ shape: [8, 8, 3] }));
    expect(() => conv.apply(Input({ shape: [8, 8, 1] }))).toThrow(/expected axis -1 of input shape to have value 3.*This Conv2D was built for inputs with 3 channels \(axis -1/);
    expect(() => conv.apply(Input({ shape: [3, 8, 8] }))).toThrow(/The input looks channels_first: it has 3 on axis 1.*pass the dataFormat that matches the data/);
    expect(() => new layers.Conv2D({ filters: 4, kernelSize: 3 }).apply(Input({ shape: [8, 8, null] }))).toThrow(/channel axis \(axis -1.*must be known to make the kernel/);
    expect(() => new layers.Conv2D({ filters: 4, kernelSize: 3, groups: 2 }).apply(Input({ shape: [8, 8, 3] }))).toThrow(
      /number of input channels must be evenly divisible by the number of groups\. Received groups=2, but the input has 3 channels \(full input shape is \(None, 8, 8, 3\)\)/,
    );
    const big = new layers.Conv2D({ filters: 4, kernelSize: 5 });
    expect(() => big.apply(Input({ shape: [3, 3, 1] }))).toThrow(/the 5x5 kernel is larger than the 3x3 input \(the spatial axes of \(None, 3, 3, 1\)\) with padding 'valid', so the output would be empty \(spatial sizes -1x-1\)/);
    expect(big.built).toBe(false);
    expect(() => new layers.Conv2D({ filters: 4, kernelSize: 3, dilationRate: [3, 1] }).apply(Input({ shape: [6, 6, 1] }))).toThrow(/3x3 kernel with dilationRate 3x1 spans 7x3 cells and is larger than the 6x6 input.*smaller kernelSize or dilationRate/);
    // 'same' keeps any size; eagerly, a later smaller input is caught before the kernel runs.
    expect(shapeOf(new layers.Conv2D({ filters: 4, kernelSize: 5, padding: 'same' }).apply(Input({ shape: [3, 3, 1] })))).toEqual([null, 3, 3, 4]);
    const eager = new layers.Conv2D({ filters: 1, kernelSize: 3 });
    tidy(() => eager.apply(values([1, 4, 4, 1])));
    expect(() => eager.apply(values([1, 2, 4, 1]))).toThrow(/the 3x3 kernel is larger than the 2x4 input/);
    eager.dispose();
  });

  it('pooling arguments and inputs', () => {
    expect(() => new layers.MaxPooling2D({ poolSize: [2, 2, 2] })).toThrow(/poolSize must be a positive integer or a list of 2 positive integers; received poolSize=\[2,2,2\]/);
    expect(() => new layers.MaxPooling2D({ strides: 0 })).toThrow(/strides must be a positive integer/);
    expect(() => new layers.AveragePooling2D({ padding: 'full' })).toThrow(/padding must be 'valid' or 'same'; received padding="full"/);
    expect(() => new layers.MaxPooling2D().apply(Input({ shape: [28, 28] }))).toThrow(/MaxPooling2D expects a rank-4 input \(batch, height, width, channels\).*Input\(\{ shape: \[28, 28, 1\] \}\)/);
    expect(() => new layers.MaxPooling2D({ poolSize: 4 }).apply(Input({ shape: [3, 8, 2] }))).toThrow(/the 4x4 pool window is larger than the 3x8 input \(the spatial axes of \(None, 3, 8, 2\)\) with padding 'valid', so the output would be empty/);
    expect(() => new layers.AveragePooling2D({ poolSize: 4 }).apply(values([1, 3, 8, 2]))).toThrow(/4x4 pool window is larger than the 3x8 input/);
  });

  it('BatchNormalization arguments and inputs', () => {
    expect(() => new layers.BatchNormalization({ axis: 1.5 })).toThrow(/axis must be an integer \(the axis that is kept.*received axis=1\.5/);
    expect(() => new layers.BatchNormalization({ momentum: Number.NaN })).toThrow(/momentum must be a number/);
    expect(() => new layers.BatchNormalization({ epsilon: -1 })).toThrow(/epsilon must be a small non-negative number.*received epsilon=-1/);
    expect(() => new layers.BatchNormalization({ synchronized: 'yes' as never })).toThrow('BatchNormalization: synchronized must be true or false; received synchronized="yes". Fix: synchronized: false.');
    // One device: the synchronized statistics are the local ones, so the layer computes the same numbers.
    const x = tensor([1, 5, 2, 7, 0, 3], [3, 2]);
    const plain = new layers.BatchNormalization();
    const synced = new layers.BatchNormalization({ synchronized: true });
    const a = plain.apply(x, { training: true }) as Tensor;
    const b = synced.apply(x, { training: true }) as Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(synced.getWeights()[3].dataSync())).toEqual(Array.from(plain.getWeights()[3].dataSync()));
    expect(synced.getConfig()).toMatchObject({ synchronized: true });
    [x, a, b].forEach((t) => t.dispose());
    expect(() => new layers.BatchNormalization({ axis: 3 }).apply(Input({ shape: [4] }))).toThrow(/axis 3 is out of range for an input of rank 2, shape \(None, 4\).*Fix: use axis: -1/);
    expect(() => new layers.BatchNormalization({ axis: -1 }).apply(Input({ shape: [4, null] }))).toThrow(/kept axis -1 of the input \(None, 4, None\) has no fixed size/);
    const bn = new layers.BatchNormalization();
    bn.apply(Input({ shape: [4] }));
    expect(() => bn.apply(Input({ shape: [5] }))).toThrow(/expected axis -1 of input shape to have value 4.*built for 4 entries on its kept axis -1; it cannot take 5/);
    expect(() => bn.apply(Input({ shape: [2, 4] }))).toThrow(/expected ndim=2, found ndim=3.*built for rank-2 inputs/);
  });

  it('Reshape and Flatten', () => {
    expect(() => new layers.Reshape({ targetShape: [-1, -1] })).toThrow(/must not contain more than one -1 value; received targetShape=\(-1, -1\)/);
    expect(() => new layers.Reshape({ targetShape: [3, 0] })).toThrow(/targetShape must be a list of positive integers \(one of them may be -1\).*received targetShape=\[3,0\]/);
    expect(() => new layers.Reshape({} as never)).toThrow(/targetShape must be a list/);
    expect(() => new layers.Reshape({ targetShape: [3, 4] }).apply(Input({ shape: [10] }))).toThrow(
      /the total size of each example must be unchanged\. Received: input_shape=\(None, 10\) \(10 values per example\), target_shape=\(3, 4\) \(12 values\)/,
    );
    expect(() => new layers.Reshape({ targetShape: [-1, 3] }).apply(Input({ shape: [10] }))).toThrow(/input_shape=\(None, 10\) has 10 values per example.*target_shape=\(-1, 3\) \(product 3\) do not divide/);
    expect(() => new layers.Reshape({ targetShape: [3, 4] }).apply(values([2, 10]))).toThrow(/input_shape=\(None, 10\) \(10 values per example\), target_shape=\(3, 4\)/);
    expect(() => new layers.Flatten({ dataFormat: 'nhwc' as never })).toThrow(/dataFormat must be 'channels_last' or 'channels_first'; received dataFormat="nhwc"/);
  });
});

// --- the BatchNormalization axis-0 warning -------------------------------------------------------------

describe('BatchNormalization with axis 0 (the batch axis)', () => {
  it('warns once per layer that it normalizes each example over its features and that axis -1 is the usual choice', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const bn = new layers.BatchNormalization({ axis: 0 });
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0][0]);
    expect(message).toMatch(/axis 0 is the batch axis/);
    expect(message).toMatch(/`axis` is the axis that is KEPT/);
    expect(message).toMatch(/normalizes each example over its features/);
    expect(message).toMatch(/axis: -1 \(the features or channels axis\) is the usual choice/);
    // It still works (with a fixed batch size), and says it only once.
    const y = bn.apply(Input({ batchShape: [4, 3] }));
    expect(shapeOf(y)).toEqual([4, 3]);
    expect(bn.weights.map((w) => w.shape)).toEqual([[4], [4], [4], [4]]);
    tidy(() => bn.apply(values([4, 3]), { training: true }));
    expect(warn).toHaveBeenCalledTimes(1);
    // An unknown batch size cannot size the weights: the error says why.
    expect(() => new layers.BatchNormalization({ axis: 0 }).apply(Input({ shape: [3] }))).toThrow(/Axis 0 is the batch axis; use axis: -1 to normalize each feature/);
    bn.dispose();
  });

  it('a negative axis that lands on the batch axis warns when the layer is built', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const bn = new layers.BatchNormalization({ axis: -2 });
    expect(warn).not.toHaveBeenCalled();
    bn.apply(Input({ batchShape: [4, 3] }));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/axis -2 is the batch axis/);
    new layers.BatchNormalization({ axis: 1 }).apply(Input({ batchShape: [4, 3] }));
    expect(warn).toHaveBeenCalledTimes(1);
    bn.dispose();
  });
});

// --- memory -----------------------------------------------------------------------------------------------

describe('memory', () => {
  it('a tidy eager call frees everything it made (the moving statistics are replaced, not added)', () => {
    const stack: layers.Layer[] = [
      new layers.Conv2D({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }),
      new layers.BatchNormalization(),
      new layers.MaxPooling2D(),
      new layers.AveragePooling2D({ poolSize: 1 }),
      new layers.Flatten(),
      new layers.Reshape({ targetShape: [-1, 3] }),
    ];
    const x = values([2, 6, 6, 2]);
    const run = (training: boolean): void => {
      tidy(() => {
        let h: Tensor = x;
        for (const layer of stack) h = layer.apply(h, { training }) as Tensor;
      });
    };
    run(true); // builds the weights
    const before = memory().numTensors;
    run(true);
    run(false);
    tidy(() => {
      const { value, grads } = valueAndGrad(() => {
        let h: Tensor = x;
        for (const layer of stack) h = layer.apply(h, { training: true }) as Tensor;
        return ops.sum(h);
      }, stack.flatMap((l) => l.trainableWeights));
      void [value, grads];
    });
    expect(memory().numTensors).toBe(before);
    for (const layer of stack) layer.dispose();
    x.dispose();
  });
});
