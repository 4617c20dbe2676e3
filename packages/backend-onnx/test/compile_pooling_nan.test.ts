/**
 * Max pooling inside a compiled graph keeps eager's NaN rule: a window holding NaN gives NaN and
 * sends its gradient to its first NaN. A recorded graph cannot look at x's values as the eager kernel
 * does, so its forward adds a NaN-or-zero term built from the windows' mean magnitudes and its
 * backward branches (If) on x holding a NaN; a compiled predict (weights baked) runs the plain
 * MaxPool and falls back to the exact graph (If) when a pooled tensor's sum is NaN. Eager and compiled
 * must all give the values of the rule,
 * worked out here window by window, with NaN, +Infinity and -Infinity in the windows, at 2 channels
 * and at 32 (where onnxruntime runs the pooling in its blocked NCHWc layout).
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { compiledStepReport, layers, ops, registerBackend, Sequential, setBackend, tensor, valueAndGrad, type Tensor } from '@keras-ts/core';
import { CompiledFunction } from '../../core/src/runtime/compile.js';
import { createOnnxBackend } from '../src/index.js';

beforeAll(async () => {
  registerBackend('onnx', () => createOnnxBackend());
  await setBackend('onnx');
});

/** [2, 4, 4, channels] values in (-1, 1), with `special` written at flat positions. */
function input(channels: number, special: Record<number, number>): Tensor {
  const values = Array.from({ length: 2 * 16 * channels }, (_, i) => Math.sin(i * 0.73 + 0.2));
  for (const [at, v] of Object.entries(special)) values[Number(at)] = v;
  return tensor(values, [2, 4, 4, channels]);
}

/**
 * The rule, for 2x2 windows of stride 2 over [2, 4, 4, c] values: each window's first NaN, or else its
 * first maximum, gives the pooled value and receives the window's weight as gradient.
 */
function expected(values: readonly number[], weights: readonly number[], c: number): number[][] {
  const pooled: number[] = [];
  const gradient = new Array<number>(values.length).fill(0);
  for (let n = 0; n < 2; n++) {
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        for (let ch = 0; ch < c; ch++) {
          let winner = -1;
          for (const [dh, dw] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
            const at = ((n * 4 + 2 * i + dh) * 4 + 2 * j + dw) * c + ch;
            if (winner >= 0 && Number.isNaN(values[winner])) continue;
            if (winner < 0 || Number.isNaN(values[at]) || values[at] > values[winner]) winner = at;
          }
          const out = ((n * 2 + i) * 2 + j) * c + ch;
          pooled[out] = values[winner];
          gradient[winner] += weights[out];
        }
      }
    }
  }
  return [pooled, gradient];
}

/** The pooled values and the gradient of sum(pool(x) * weights) with respect to x. */
function poolAndGradient(x: Tensor, weights: Tensor): Tensor[] {
  const { value, grads } = valueAndGrad(() => {
    const y = ops.maxPool(x, 2);
    return { loss: ops.sum(ops.multiply(y, weights)), y };
  }, [x]);
  // The loss is NaN wherever a window is: only the pooled values and the gradient are compared.
  value.loss.dispose();
  return [value.y, grads[0]];
}

const bits = (t: Tensor): number[] => Array.from(t.dataSync(), (v) => (Number.isNaN(v) ? Number.NaN : v));

function expectSame(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  const differing = actual.flatMap((v, i) => (Object.is(v, expected[i]) || v === expected[i] ? [] : [`${i}: ${v} vs ${expected[i]}`]));
  expect(differing).toEqual([]);
}

describe.each([2, 32])('compiled max pooling with NaN and infinities, %i channels', (channels) => {
  const c = channels;
  // Flat index of (sample, row, col, channel).
  const at = (n: number, h: number, w: number, ch: number) => ((n * 4 + h) * 4 + w) * c + ch;
  const cases: Record<string, Record<number, number>> = {
    'no NaN, no infinity': {},
    // +Infinity and -Infinity both present: x's sum is NaN though no value is.
    'infinities only': { [at(0, 0, 0, 0)]: Infinity, [at(0, 2, 3, 1)]: -Infinity, [at(1, 1, 1, 0)]: Infinity },
    'NaN, after +Infinity in its window, and a window of NaN only': {
      [at(0, 0, 0, 1)]: Infinity, [at(0, 0, 1, 1)]: Number.NaN, [at(0, 1, 0, 1)]: Number.NaN,
      [at(1, 2, 2, 0)]: Number.NaN, [at(1, 2, 3, 0)]: Number.NaN, [at(1, 3, 2, 0)]: Number.NaN, [at(1, 3, 3, 0)]: Number.NaN,
      [at(1, 0, 0, 0)]: -Infinity,
      // A NaN first in its window, and one second: onnxruntime's MaxPool alone would skip them.
      [at(0, 2, 0, 0)]: Number.NaN, [at(1, 0, 3, 1)]: Number.NaN,
    },
  };

  it.each(Object.keys(cases))('%s: eager and compiled forward and gradient follow the rule', (name) => {
    const x = input(c, cases[name]);
    const weights = tensor(Array.from({ length: 2 * 4 * c }, (_, i) => 1 + (i % 5)), [2, 2, 2, c]);
    const rule = expected(bits(x), bits(weights), c);
    const eager = poolAndGradient(x, weights).map(bits);
    expectSame(eager[0], rule[0]);
    expectSame(eager[1], rule[1]);
    const compiled = new CompiledFunction('pool-nan');
    let last: number[][] = [];
    // Call 1 runs eagerly, call 2 records, calls 3 and 4 run the recorded graph.
    for (let call = 1; call <= 4; call++) {
      const outputs = compiled.call('x', [x, weights], () => poolAndGradient(x, weights));
      last = outputs.map(bits);
      for (const t of outputs) t.dispose();
    }
    expect(compiled.report()[0].status).toBe('compiled');
    expectSame(last[0], rule[0]);
    expectSame(last[1], rule[1]);
    compiled.dispose();
    x.dispose();
    weights.dispose();
  });
});

describe('compiled predict of a convolution and max pooling (weights baked, NCHWc)', () => {
  let model: Sequential;
  beforeAll(() => {
    model = new Sequential([
      layers.Input({ shape: [4, 4, 2] }),
      new layers.Conv2D({ filters: 32, kernelSize: 1, useBias: false }),
      new layers.MaxPooling2D({ poolSize: 2 }),
      new layers.Flatten(),
    ]);
  });
  const at = (n: number, h: number, w: number, ch: number) => ((n * 4 + h) * 4 + w) * 2 + ch;
  const batches: Record<string, Record<number, number>> = {
    'finite input': {},
    'NaN in the input': { [at(0, 1, 1, 0)]: Number.NaN, [at(1, 2, 0, 1)]: Number.NaN },
    // +Infinity in one channel and -Infinity in the other: the 1x1 convolution makes NaN wherever a filter
    // mixes them with weights of the same sign, though the input holds no NaN.
    'NaN made inside the graph': { [at(0, 2, 2, 0)]: Infinity, [at(0, 2, 2, 1)]: -Infinity },
  };

  it.each(Object.keys(batches))('%s: compiled predict equals eager predict', async (name) => {
    const values = Array.from({ length: 2 * 16 * 2 }, (_, i) => Math.cos(i * 0.61));
    for (const [where, v] of Object.entries(batches[name])) values[Number(where)] = v;
    const x = tensor(values, [2, 4, 4, 2]);
    model.compile({ jitCompile: false });
    // One input, one output: predict gives one tensor.
    const predict = async () => (await model.predict(x)) as Tensor;
    const eager = await predict();
    model.compile({});
    let compiled = await predict();
    for (let call = 2; call <= 3; call++) {
      compiled.dispose();
      compiled = await predict();
    }
    expect(compiledStepReport(model).predict?.[0]).toMatchObject({ status: 'compiled' });
    const expected = bits(eager);
    if (name !== 'finite input') expect(expected.some(Number.isNaN)).toBe(true);
    // The convolution rounds differently compiled (onnxruntime's NCHWc kernel): NaN and infinities must
    // be where eager has them, finite values agree within float32 tolerance.
    const actual = bits(compiled);
    const differing = actual.flatMap((v, i) => {
      const e = expected[i];
      const same = Number.isFinite(e) ? Number.isFinite(v) && Math.abs(v - e) <= 1e-5 * Math.max(1, Math.abs(e)) : Object.is(v, e);
      return same ? [] : [`${i}: ${v} vs ${e}`];
    });
    expect(differing).toEqual([]);
    [x, eager, compiled].forEach((t) => t.dispose());
  });
});
