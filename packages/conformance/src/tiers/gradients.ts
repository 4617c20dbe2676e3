/**
 * The gradients tier: one case per differentiable primitive (`gradients/<name>`), the vjp core
 * builds from the backend's kernels against central finite differences on the same backend.
 * Inputs stay away from kinks and ties by more than the step, so a correct backend passes with
 * room to spare; each case states its tolerance. The vjp of conv2d, pooling and gather runs the
 * backprop and scatterAdd kernels, so those are checked here too; conv-transpose's forward is
 * conv2dBackpropInput and its vjp runs conv2d and conv2dBackpropFilter.
 */
import { ops, tensor, type Tensor, type UnaryOp } from '@keras-ts/core';
import type { ConformanceCaseSpec } from '../kit.js';
import { checkGradient, distinct, sample, type GradientInput, type GradientTolerance } from './finite_differences.js';

/**
 * Tolerances of |vjp − fd| <= atol + rtol·|fd|. Smooth ops on values near 1: the step's truncation
 * error (eps² times the third derivative, over 6) and float32 rounding stay below 2e-4 absolute on
 * the reference, tfjs-cpu and onnx backends, about a tenth of these bounds; a gradient 1% off fails.
 */
const STANDARD: GradientTolerance = { eps: 1e-2, rtol: 2e-3, atol: 2e-4 };
/** Sums of many products (conv, matmul, LSTM): more float32 rounding in each output that the step moves. */
const ACCUMULATING: GradientTolerance = { eps: 1e-2, rtol: 2e-3, atol: 5e-4 };

type Fn = (...xs: Tensor[]) => Tensor | Tensor[];

const input = (name: string, shape: number[], values: number[]): GradientInput => ({ name, shape, values });
const x = (shape: number[], seed = 1, lo = -1, hi = 1, avoid: number[] = []): GradientInput => input('x', shape, sample(shape, seed, lo, hi, avoid));

function gradientCase(name: string, f: Fn, inputs: GradientInput[], tolerance: GradientTolerance, wrt?: number[]): ConformanceCaseSpec {
  return { id: `gradients/${name}`, tier: 'gradients', group: 'gradients', run: () => checkGradient(f, inputs, tolerance, wrt) };
}

/** Tags whose output is bool have no gradient; the ops tier checks their values. */
type DifferentiableUnary = Exclude<UnaryOp, 'logicalNot' | 'isNan' | 'isFinite'>;

/** Every differentiable unary tag with its op and a domain away from its kinks and jumps (piecewise-constant ones have gradient 0). */
const UNARY: Record<DifferentiableUnary, { f: (t: Tensor) => Tensor; lo?: number; hi?: number; avoid?: number[] }> = {
  neg: { f: ops.negative },
  abs: { f: ops.abs, avoid: [0] },
  sign: { f: ops.sign, avoid: [0] },
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
  floor: { f: ops.floor, lo: -2, hi: 2, avoid: [-2, -1, 0, 1] },
  ceil: { f: ops.ceil, lo: -2, hi: 2, avoid: [-2, -1, 0, 1] },
  round: { f: ops.round, lo: -2, hi: 2, avoid: [-1.5, -0.5, 0.5, 1.5] },
  softplus: { f: ops.softplus, lo: -3, hi: 3 },
};

/** a (2, 1, 3) and b (2, 3): both operands broadcast, so the gradient must sum over the broadcast axes. */
const binaryInputs = (lo = -1, hi = 1, loB = lo, hiB = hi): GradientInput[] => [
  input('a', [2, 1, 3], sample([2, 1, 3], 1, lo, hi)),
  input('b', [2, 3], sample([2, 3], 2, loB, hiB)),
];

/** For maximum and minimum: a stays at least 0.05 (> eps) away from every b. */
const B_APART = [-0.55, 0.05, 0.65, -0.25, 0.35, 0.9];
const apartInputs = (): GradientInput[] => [input('a', [2, 1, 3], sample([2, 1, 3], 1, -1, 1, B_APART)), input('b', [2, 3], B_APART)];

const BINARY: [name: string, f: Fn, inputs: GradientInput[]][] = [
  ['add', ops.add, binaryInputs()],
  ['sub', ops.subtract, binaryInputs()],
  ['mul', ops.multiply, binaryInputs()],
  ['div', ops.divide, binaryInputs(-1, 1, 0.5, 2)],
  ['pow', ops.power, binaryInputs(0.5, 2, -1.5, 1.5)],
  ['maximum', ops.maximum, apartInputs()],
  ['minimum', ops.minimum, apartInputs()],
  // a / b stays within (1.15, 1.9): no jump of floor(a / b) within a step.
  ['floor-div', ops.floorDivide, binaryInputs(2.2, 2.8, 1.5, 1.9)],
  ['mod', ops.mod, binaryInputs(2.2, 2.8, 1.5, 1.9)],
];

const CONDITION = [1, 0, 1];
const GATHER_INDICES = [2, 0, 2, 1];

const STRUCTURAL: [name: string, f: Fn, inputs: GradientInput[], tolerance: GradientTolerance, wrt?: number[]][] = [
  ['where', (a, b) => ops.where(tensor(CONDITION, [3], 'bool'), a, b), binaryInputs(), STANDARD],
  ['reduce-sum', (t) => ops.sum(t, { axis: [0, 2] }), [x([2, 3, 2])], STANDARD],
  ['reduce-mean', (t) => ops.mean(t, { axis: 1, keepdims: true }), [x([2, 3, 2])], STANDARD],
  ['reduce-max', (t) => ops.max(t, { axis: [0, 2] }), [input('x', [2, 3, 2], distinct([2, 3, 2], 1))], STANDARD],
  ['reduce-min', (t) => ops.min(t, { axis: -1 }), [input('x', [2, 3, 2], distinct([2, 3, 2], 2))], STANDARD],
  ['reduce-prod', (t) => ops.prod(t, { axis: [1, 2] }), [x([2, 3, 2], 1, 0.5, 1.5)], STANDARD],
  ['reshape', (t) => ops.reshape(t, [3, 2]), [x([2, 3])], STANDARD],
  ['transpose', (t) => ops.transpose(t, { axes: [2, 0, 1] }), [x([2, 3, 2])], STANDARD],
  ['slice', (t) => ops.slice(t, [1, 0], [2, 2]), [x([3, 3])], STANDARD],
  ['concatenate', (a, b) => ops.concatenate([a, b], { axis: 1 }), [input('a', [2, 2], sample([2, 2], 1)), input('b', [2, 3], sample([2, 3], 2))], STANDARD],
  ['pad', (t) => ops.pad(t, [[1, 0], [2, 1]], { constantValues: 3 }), [x([2, 2])], STANDARD],
  // Repeated indices: the gradient is scatterAdd, which must accumulate.
  ['gather-scatter-add', (t) => ops.take(t, tensor(GATHER_INDICES, [2, 2], 'int32'), { axis: 1 }), [x([2, 3])], STANDARD],
  ['tile', (t) => ops.tile(t, [2, 3]), [x([2, 2])], STANDARD],
  ['reverse', (t) => ops.flip(t, { axis: [0, 1] }), [x([2, 3])], STANDARD],
  ['matmul', ops.matmul, [input('a', [2, 2, 3], sample([2, 2, 3], 1)), input('b', [1, 3, 2], sample([1, 3, 2], 2))], ACCUMULATING],
  ['conv2d-grad-input', (t, k) => ops.conv(t, k, { strides: 2, padding: 'same' }), [x([1, 5, 5, 2]), input('kernel', [3, 3, 2, 2], sample([3, 3, 2, 2], 2))], ACCUMULATING, [0]],
  ['conv2d-grad-filter', (t, k) => ops.conv(t, k, { dilationRate: 2 }), [x([2, 5, 4, 2]), input('kernel', [2, 2, 2, 3], sample([2, 2, 2, 3], 2))], ACCUMULATING, [1]],
  ['conv-transpose', (t, k) => ops.convTranspose(t, k, { strides: 2, padding: 'same' }), [x([1, 3, 3, 2]), input('kernel', [3, 3, 2, 2], sample([3, 3, 2, 2], 2))], ACCUMULATING],
  ['max-pool', (t) => ops.maxPool(t, 2, { strides: 2 }), [input('x', [1, 4, 4, 2], distinct([1, 4, 4, 2], 1, 0.05))], STANDARD],
  ['max-pool-same-overlapping', (t) => ops.maxPool(t, 3, { strides: 2, padding: 'same' }), [input('x', [1, 5, 5, 1], distinct([1, 5, 5, 1], 2, 0.08))], STANDARD],
  ['average-pool', (t) => ops.averagePool(t, 2, { strides: 2 }), [x([1, 4, 4, 2])], STANDARD],
  ['average-pool-same', (t) => ops.averagePool(t, 3, { strides: 2, padding: 'same' }), [x([1, 5, 5, 1])], STANDARD],
  ['moments', (t) => { const m = ops.moments(t, [0, 2]); return [m.mean, m.variance]; }, [x([3, 2, 4])], STANDARD],
  ['softmax', (t) => ops.softmax(t), [x([3, 4], 1, -2, 2)], STANDARD],
  ['log-softmax', (t) => ops.logSoftmax(t), [x([3, 4], 1, -2, 2)], STANDARD],
  ['softmax-cross-entropy', ops.softmaxCrossEntropy, [input('logits', [3, 4], sample([3, 4], 1, -2, 2)), input('labels', [3, 4], sample([3, 4], 2, 0, 1))], STANDARD],
  [
    'lstm-cell',
    (xt, h, c, k, r, b) => ops.lstmCell(xt, h, c, k, r, b),
    [
      x([2, 3]), input('h', [2, 2], sample([2, 2], 2)), input('c', [2, 2], sample([2, 2], 3)),
      input('kernel', [3, 8], sample([3, 8], 4, -0.5, 0.5)), input('recurrent_kernel', [2, 8], sample([2, 8], 5, -0.5, 0.5)), input('bias', [8], sample([8], 6, -0.5, 0.5)),
    ],
    ACCUMULATING,
  ],
];

export function gradientCases(): ConformanceCaseSpec[] {
  return [
    ...Object.entries(UNARY).map(([tag, { f, lo, hi, avoid }]) => gradientCase(`unary-${tag}`, f, [x([2, 3], 1, lo, hi, avoid)], STANDARD)),
    ...BINARY.map(([name, f, inputs]) => gradientCase(`binary-${name}`, f, inputs, STANDARD)),
    ...STRUCTURAL.map(([name, f, inputs, tolerance, wrt]) => gradientCase(name, f, inputs, tolerance, wrt)),
  ];
}
