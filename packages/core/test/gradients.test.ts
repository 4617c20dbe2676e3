/**
 * Every gradient rule of the elementwise, reduction, layout, matmul, statistics and fused
 * primitives against central finite differences (the conv and pooling rules have their own file).
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { memory, ops, tensor, tidy, valueAndGrad, Variable, type Tensor, UNARY_OPS, BINARY_OPS } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';
import { expectGradientsMatch } from './support/gradient_check.js';

beforeAll(async () => {
  await useTestBackend();
});

/** Deterministic values in [lo, hi), away from kinks when `avoid` is given. */
function values(shape: number[], lo = -2, hi = 2, seed = 1, avoid: number[] = []): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const unit = ((((Math.sin((i + 1) * 78.233 * seed) * 43758.5453) % 1) + 1) % 1);
    let v = lo + (hi - lo) * unit;
    for (const k of avoid) if (Math.abs(v - k) < 0.05) v = k + 0.1;
    out.push(v);
  }
  return tensor(out, shape);
}

const UNARY_CASES: Record<string, { f: (x: Tensor) => Tensor; lo?: number; hi?: number; avoid?: number[] }> = {
  neg: { f: ops.negative },
  abs: { f: ops.abs, avoid: [0] },
  exp: { f: ops.exp },
  expm1: { f: ops.expm1 },
  log: { f: ops.log, lo: 0.5, hi: 3 },
  log1p: { f: ops.log1p, lo: -0.5, hi: 3 },
  sqrt: { f: ops.sqrt, lo: 0.5, hi: 3 },
  rsqrt: { f: ops.rsqrt, lo: 0.5, hi: 3 },
  square: { f: ops.square },
  reciprocal: { f: ops.reciprocal, lo: 0.5, hi: 3 },
  sin: { f: ops.sin },
  cos: { f: ops.cos },
  tanh: { f: ops.tanh },
  sigmoid: { f: ops.sigmoid },
  relu: { f: ops.relu, avoid: [0] },
  erf: { f: ops.erf },
  softplus: { f: ops.softplus },
};

describe('gradients of unary primitives match finite differences', () => {
  for (const [name, { f, lo, hi, avoid }] of Object.entries(UNARY_CASES)) {
    it(name, () => expectGradientsMatch(f, [values([2, 3], lo, hi, 1, avoid)]));
  }
  it('piecewise-constant ops (sign, floor, ceil, round) have zero gradient', () => {
    for (const f of [ops.sign, ops.floor, ops.ceil, ops.round]) {
      const x = values([4], -2, 2, 3, [-1, 0, 1, -1.5, -0.5, 0.5, 1.5]);
      const { value, grads } = valueAndGrad(() => ops.sum(f(x)), [x]);
      expect(Array.from(grads[0].dataSync())).toEqual([0, 0, 0, 0]);
      value.dispose();
      grads[0].dispose();
      x.dispose();
    }
  });
  it('covers every unary op tag', () => {
    const covered = new Set([...Object.keys(UNARY_CASES), 'sign', 'floor', 'ceil', 'round', 'logicalNot', 'isNan', 'isFinite']);
    expect(UNARY_OPS.filter((op) => !covered.has(op))).toEqual([]);
  });
});

describe('gradients of binary primitives match finite differences, with broadcasting', () => {
  const shapes: [number[], number[]][] = [
    [[2, 3], [2, 3]],
    [[2, 3], [3]],
    [[2, 1], [1, 3]],
    [[3], []],
  ];
  const cases: Record<string, { f: (a: Tensor, b: Tensor) => Tensor; lo?: number; hi?: number }> = {
    add: { f: ops.add },
    sub: { f: ops.subtract },
    mul: { f: ops.multiply },
    div: { f: ops.divide, lo: 0.5, hi: 2 },
    pow: { f: ops.power, lo: 0.5, hi: 2 },
    maximum: { f: ops.maximum },
    minimum: { f: ops.minimum },
  };
  for (const [name, { f, lo, hi }] of Object.entries(cases)) {
    for (const [sa, sb] of shapes) {
      it(`${name} ${JSON.stringify(sa)} with ${JSON.stringify(sb)}`, () => expectGradientsMatch(f, [values(sa, lo, hi, 1), values(sb, lo, hi, 2.37)]));
    }
  }
  it('mod, away from its jumps (a / b stays within (1, 2))', () => {
    expectGradientsMatch(ops.mod, [values([2, 3], 2.2, 2.8, 1), values([3], 1.5, 1.9, 2.37)]);
  });
  it('floorDiv has zero gradient and comparisons have none', () => {
    const a = values([3], 1, 3, 1);
    const b = values([3], 1, 3, 2);
    const { value, grads } = valueAndGrad(() => ops.sum(ops.add(ops.floorDivide(a, b), ops.cast(ops.greater(a, b), 'float32'))), [a, b]);
    expect(Array.from(grads[0].dataSync())).toEqual([0, 0, 0]);
    tidy(() => [value, ...grads, a, b]).forEach((t) => t.dispose());
  });
  it('covers every binary op tag', () => {
    const covered = new Set([...Object.keys(cases), 'mod', 'floorDiv', 'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr']);
    expect(BINARY_OPS.filter((op) => !covered.has(op))).toEqual([]);
  });
});

describe('gradients of where and cast', () => {
  it('where routes the gradient by the condition, with broadcasting', () => {
    const cond = tensor([true, false, true], [3], 'bool');
    expectGradientsMatch((a, b) => ops.where(cond, a, b), [values([2, 3]), values([3], -1, 1, 2)]);
    cond.dispose();
  });
  it('cast between float32 and float32 passes the gradient', () => {
    expectGradientsMatch((x) => ops.multiply(ops.cast(x, 'float32'), 2), [values([3])]);
  });
});

describe('gradients of reductions', () => {
  const axesList: (number | number[] | null)[] = [null, 0, 1, [0, 2], -1];
  const cases: Record<string, (x: Tensor, o: ops.ReduceOptions) => Tensor> = { sum: ops.sum, mean: ops.mean, max: ops.max, min: ops.min, prod: ops.prod };
  for (const [name, f] of Object.entries(cases)) {
    for (const axis of axesList) {
      for (const keepdims of [false, true]) {
        it(`${name} axis=${JSON.stringify(axis)} keepdims=${keepdims}`, () => expectGradientsMatch((x) => f(x, { axis, keepdims }), [values([2, 3, 2], 0.5, 2)]));
      }
    }
  }
  it('prod is exact where one element is zero', () => {
    const x = tensor([[0, 2, 3], [1, 2, 3]]);
    const { value, grads } = valueAndGrad(() => ops.sum(ops.prod(x, { axis: 1 })), [x]);
    expect(Array.from(grads[0].dataSync())).toEqual([6, 0, 0, 6, 3, 2]);
    [value, grads[0], x].forEach((t) => t.dispose());
  });
  it('max shares the gradient between ties', () => {
    const x = tensor([1, 3, 3]);
    const { value, grads } = valueAndGrad(() => ops.max(x), [x]);
    expect(Array.from(grads[0].dataSync())).toEqual([0, 0.5, 0.5]);
    [value, grads[0], x].forEach((t) => t.dispose());
  });
});

describe('gradients of layout primitives', () => {
  it('reshape', () => expectGradientsMatch((x) => ops.multiply(ops.reshape(x, [3, 2]), values([3, 2], -1, 1, 5)), [values([2, 3])]));
  it('transpose', () => expectGradientsMatch((x) => ops.transpose(x, { axes: [2, 0, 1] }), [values([2, 3, 4])]));
  it('slice', () => expectGradientsMatch((x) => ops.slice(x, [1, 0], [2, 2]), [values([3, 3])]));
  it('concatenate', () => expectGradientsMatch((a, b) => ops.concatenate([a, b], { axis: 1 }), [values([2, 2]), values([2, 3], -1, 1, 2)]));
  it('stack and split', () => expectGradientsMatch((a, b) => ops.concatenate(ops.split(ops.stack([a, b], { axis: 1 }), 2, { axis: 2 })), [values([2, 4]), values([2, 4], -1, 1, 2)]));
  it('pad', () => expectGradientsMatch((x) => ops.pad(x, [[1, 0], [2, 1]], { constantValues: 3 }), [values([2, 2])]));
  it('take (gather) with repeated indices', () => {
    const idx = tensor([2, 0, 2, 1], [2, 2], 'int32');
    expectGradientsMatch((x) => ops.take(x, idx, { axis: 1 }), [values([2, 3])]);
    idx.dispose();
  });
  it('tile and broadcastTo', () => {
    expectGradientsMatch((x) => ops.tile(x, [2, 3]), [values([2, 2])]);
    expectGradientsMatch((x) => ops.broadcastTo(x, [4, 2, 3]), [values([2, 1])]);
  });
  it('flip (reverse)', () => expectGradientsMatch((x) => ops.flip(x, { axis: [0, 1] }), [values([2, 3])]));
  it('expandDims and squeeze', () => expectGradientsMatch((x) => ops.squeeze(ops.expandDims(x, 1), { axis: 1 }), [values([2, 3])]));
});

describe('gradients of matmul, moments and the fused ops', () => {
  it('matmul 2-D, batched, broadcast batch and vectors', () => {
    expectGradientsMatch(ops.matmul, [values([2, 3]), values([3, 4], -1, 1, 2)]);
    expectGradientsMatch(ops.matmul, [values([2, 2, 3]), values([3, 2], -1, 1, 2)]);
    expectGradientsMatch(ops.matmul, [values([2, 1, 2, 3]), values([3, 3, 2], -1, 1, 2)]);
    expectGradientsMatch(ops.matmul, [values([3]), values([3, 2], -1, 1, 2)]);
    expectGradientsMatch(ops.matmul, [values([2, 3]), values([3], -1, 1, 2)]);
  });
  it('moments (mean and variance together)', () => {
    expectGradientsMatch((x) => {
      const { mean, variance } = ops.moments(x, [0, 2]);
      return ops.add(ops.multiply(mean, 1.5), variance);
    }, [values([3, 2, 4])]);
  });
  it('softmax and logSoftmax on every axis', () => {
    for (const axis of [-1, 0, 1]) {
      expectGradientsMatch((x) => ops.softmax(x, { axis }), [values([3, 4])]);
      expectGradientsMatch((x) => ops.logSoftmax(x, { axis }), [values([3, 4])]);
    }
  });
  it('softmaxCrossEntropy w.r.t. logits and labels', () => {
    expectGradientsMatch(ops.softmaxCrossEntropy, [values([3, 4]), values([3, 4], 0, 1, 2)]);
  });
  it('lstmCell w.r.t. every input', () => {
    expectGradientsMatch((x, h, c, k, r, b) => ops.concatenate(ops.lstmCell(x, h, c, k, r, b), { axis: 1 }), [
      values([2, 3], -1, 1, 1), values([2, 2], -1, 1, 2), values([2, 2], -1, 1, 3),
      values([3, 8], -0.5, 0.5, 4), values([2, 8], -0.5, 0.5, 5), values([8], -0.5, 0.5, 6),
    ]);
  });
  it('activations composed from primitives (elu, selu, gelu both forms, leakyRelu, silu, mish, hardSigmoid, softsign, relu6)', () => {
    const fs = [
      (x: Tensor) => ops.elu(x), ops.selu, (x: Tensor) => ops.gelu(x), (x: Tensor) => ops.gelu(x, { approximate: false }),
      (x: Tensor) => ops.leakyRelu(x), ops.silu, ops.mish, ops.softsign, ops.logSigmoid,
    ];
    for (const f of fs) expectGradientsMatch(f, [values([2, 3], -2, 2, 1, [0])]);
    expectGradientsMatch(ops.hardSigmoid, [values([2, 3], -4, 4, 1, [-3, 3])]);
    expectGradientsMatch(ops.relu6, [values([2, 3], -3, 8, 1, [0, 6])]);
  });
});

describe('valueAndGrad', () => {
  it('differentiates with respect to Variables, as in the API contract', () => {
    const v = new Variable(tensor([1, 2, 3]), { name: 'v', trainable: true });
    const { value, grads } = valueAndGrad(() => ops.sum(ops.square(v)), [v]);
    expect(value.arraySync()).toBe(14);
    expect(Array.from(grads[0].dataSync())).toEqual([2, 4, 6]);
    [value, grads[0]].forEach((t) => t.dispose());
    v.dispose();
  });

  it('gives zeros for a source the loss does not use and accumulates repeated uses', () => {
    const a = tensor([1, 2]);
    const b = tensor([3, 4]);
    const { value, grads } = valueAndGrad(() => ops.sum(ops.multiply(a, a)), [a, b]);
    expect(Array.from(grads[0].dataSync())).toEqual([2, 4]);
    expect(Array.from(grads[1].dataSync())).toEqual([0, 0]);
    [value, ...grads, a, b].forEach((t) => t.dispose());
  });

  it('explains bad arguments', () => {
    const i = tensor([1, 2], [2], 'int32');
    expect(() => valueAndGrad(() => ops.sum(i), [i])).toThrow(/item 0 \(\(2,\)\) is int32; gradients exist for float32 only/);
    expect(() => valueAndGrad(() => 3 as unknown as Tensor, [])).toThrow(/returned no Tensor/);
    i.dispose();
  });

  it('leaves memory where it started over 100 training steps', () => {
    const w = new Variable(tensor([[0.5, -0.5], [0.25, 1]]), { name: 'w' });
    const b = new Variable(tensor([0, 0]), { name: 'b' });
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    const y = tensor([[1, 0], [0, 1], [1, 1]]);
    const before = memory().numTensors;
    let first = 0;
    let last = 0;
    for (let step = 0; step < 100; step++) {
      const { value, grads } = valueAndGrad(() => ops.mean(ops.square(ops.subtract(ops.sigmoid(ops.add(ops.matmul(x, w), b)), y))), [w, b]);
      tidy(() => {
        w.assign(ops.subtract(w, ops.multiply(grads[0], 0.5)));
        b.assign(ops.subtract(b, ops.multiply(grads[1], 0.5)));
      });
      const loss = value.dataSync()[0];
      if (step === 0) first = loss;
      last = loss;
      [value, ...grads].forEach((t) => t.dispose());
    }
    expect(memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first * 0.7);
    [w, b].forEach((v) => v.dispose());
    [x, y].forEach((t) => t.dispose());
  });
});
