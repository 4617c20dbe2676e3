/**
 * The ops tier's edge cases (`ops/edge/<name>`): empty and size-1 axes, scalars, every kind of
 * broadcasting (seven axes included), NaN and infinities where Keras (numpy semantics) defines the result, int32 and
 * bool where ops take them. Each expected value is written or computed here in plain JavaScript,
 * small enough to check by hand; shape and dtype are checked too.
 */
import { ops, tensor, tidy, vjp, type DType, type Tensor } from '@keras-ts/core';
import { tensorMismatch, type Tolerance } from '../compare.js';
import { Mismatch, type ConformanceCaseSpec } from '../kit.js';

interface Expected {
  shape: number[];
  dtype: DType;
  values: number[];
}

type EdgeCase = [name: string, compute: () => Tensor, expected: Expected, tolerance?: Tolerance];

const f32 = (values: number[], shape: number[] = [values.length]): Tensor => tensor(values, shape, 'float32');
const i32 = (values: number[], shape: number[] = [values.length]): Tensor => tensor(values, shape, 'int32');
const bool = (values: number[], shape: number[] = [values.length]): Tensor => tensor(values, shape, 'bool');
const want = (dtype: DType, shape: number[], values: number[]): Expected => ({ dtype, shape, values });
const [NAN, INF] = [Number.NaN, Number.POSITIVE_INFINITY];

/** numpy broadcasting in plain JS: the result shape and f applied to each pair of elements. */
function broadcast(a: number[], aShape: number[], b: number[], bShape: number[], f: (x: number, y: number) => number): { shape: number[]; values: number[] } {
  const rank = Math.max(aShape.length, bShape.length);
  const pa = [...Array<number>(rank - aShape.length).fill(1), ...aShape];
  const pb = [...Array<number>(rank - bShape.length).fill(1), ...bShape];
  const shape = pa.map((d, i) => (d === 1 ? pb[i] : d));
  const size = shape.reduce((p, d) => p * d, 1);
  const flatIndex = (index: number[], s: number[]) => index.reduce((acc, v, i) => acc * s[i] + (s[i] === 1 ? 0 : v), 0);
  const values: number[] = [];
  for (let n = 0; n < size; n++) {
    const index: number[] = [];
    let rest = n;
    for (let i = rank - 1; i >= 0; i--) {
      index[i] = rest % shape[i];
      rest = Math.floor(rest / shape[i]);
    }
    values.push(f(a[flatIndex(index, pa)], b[flatIndex(index, pb)]));
  }
  return { shape, values };
}

/** A broadcasting case: the op on tensors, its JS definition on numbers. */
function broadcastCase(name: string, op: (a: Tensor, b: Tensor) => Tensor, f: (x: number, y: number) => number, a: [number[], number[]], b: [number[], number[]], dtype: DType = 'float32', outDtype: DType = dtype): EdgeCase {
  const { shape, values } = broadcast(a[0], a[1], b[0], b[1], f);
  return [name, () => op(tensor(a[0], a[1], dtype), tensor(b[0], b[1], dtype)), want(outDtype, shape, values)];
}

const M23 = [1, 2, 3, 4, 5, 6];

/** n small distinct values starting at `start` (a step of 0.5, so products stay exact in float32). */
const sequence = (n: number, start = 1): number[] => Array.from({ length: n }, (_, i) => start + i * 0.5);

/** numpy's constant pad in plain JS. */
function padded(values: number[], shape: number[], pads: [number, number][], fillValue: number): Expected {
  const outShape = shape.map((d, i) => d + pads[i][0] + pads[i][1]);
  const size = outShape.reduce((p, d) => p * d, 1);
  const out: number[] = [];
  for (let n = 0; n < size; n++) {
    let rest = n;
    let source = 0;
    let stride = 1;
    let inside = true;
    for (let i = outShape.length - 1; i >= 0; i--) {
      const at = (rest % outShape[i]) - pads[i][0];
      rest = Math.floor(rest / outShape[i]);
      if (at < 0 || at >= shape[i]) inside = false;
      source += at * stride;
      stride *= shape[i];
    }
    out.push(inside ? values[source] : fillValue);
  }
  return want('float32', outShape, out);
}

const RANK7_PADS: [number, number][] = [[1, 0], [0, 1], [1, 1], [0, 1], [1, 0], [1, 0], [0, 1]];
const COMPARE_A = [1, 2, 3, -4];
const COMPARE_B = [1, 3, 2, -4];

const EMPTY: EdgeCase[] = [
  ['empty-add-broadcast', () => ops.add(f32([], [0, 1]), f32([1, 2, 3], [1, 3])), want('float32', [0, 3], [])],
  ['empty-exp', () => ops.exp(f32([], [0])), want('float32', [0], [])],
  ['empty-sum', () => ops.sum(f32([], [0, 3]), { axis: 0 }), want('float32', [3], [0, 0, 0])],
  ['empty-prod', () => ops.prod(f32([], [2, 0]), { axis: 1 }), want('float32', [2], [1, 1])],
  ['empty-matmul', () => ops.matmul(f32([], [2, 0]), f32([], [0, 3])), want('float32', [2, 3], [0, 0, 0, 0, 0, 0])],
  ['empty-concatenate', () => ops.concatenate([f32([], [2, 0]), f32(M23, [2, 3])], { axis: 1 }), want('float32', [2, 3], M23)],
  ['empty-reshape-transpose', () => ops.transpose(ops.reshape(f32([], [0, 3]), [3, 0])), want('float32', [0, 3], [])],
  ['empty-slice', () => ops.slice(f32(M23, [2, 3]), [0, 1], [2, 0]), want('float32', [2, 0], [])],
];

const SIZE_ONE: EdgeCase[] = [
  ['size1-sum-keepdims', () => ops.sum(f32([1, 2, 3], [3, 1]), { axis: 1, keepdims: true }), want('float32', [3, 1], [1, 2, 3])],
  ['size1-softmax', () => ops.softmax(f32([-3, 40], [2, 1])), want('float32', [2, 1], [1, 1])],
  ['size1-log-softmax', () => ops.logSoftmax(f32([-3, 40], [2, 1])), want('float32', [2, 1], [0, 0])],
  ['size1-argmax', () => ops.argmax(f32([5, -1, 2], [3, 1]), { axis: 1 }), want('int32', [3], [0, 0, 0])],
  ['size1-moments-variance', () => ops.moments(f32([5, 7], [2, 1]), [1]).variance, want('float32', [2], [0, 0])],
  ['size1-matmul', () => ops.matmul(f32([2], [1, 1]), f32([3], [1, 1])), want('float32', [1, 1], [6])],
  ['size1-max-pool', () => ops.maxPool(f32([-2], [1, 1, 1, 1]), 1), want('float32', [1, 1, 1, 1], [-2])],
  ['size1-conv', () => ops.conv(f32([3], [1, 1, 1, 1]), f32([-2], [1, 1, 1, 1])), want('float32', [1, 1, 1, 1], [-6])],
  ['size1-squeeze-expand-dims', () => ops.squeeze(ops.expandDims(f32([4, 5]), 0)), want('float32', [2], [4, 5])],
];

const SCALARS: EdgeCase[] = [
  ['scalar-add', () => ops.add(f32([2], []), f32([3], [])), want('float32', [], [5])],
  ['scalar-exp', () => ops.exp(f32([0], [])), want('float32', [], [1])],
  ['scalar-sum', () => ops.sum(f32([4], [])), want('float32', [], [4])],
  ['scalar-reshape', () => ops.reshape(f32([7], []), [1, 1, 1]), want('float32', [1, 1, 1], [7])],
  ['scalar-transpose', () => ops.transpose(f32([7], [])), want('float32', [], [7])],
  ['scalar-where', () => ops.where(bool([1], []), f32([1, 2]), f32([0], [])), want('float32', [2], [1, 2])],
  ['scalar-int32-multiply', () => ops.multiply(i32([-3], []), i32([4], [])), want('int32', [], [-12])],
];

const BROADCASTING: EdgeCase[] = [
  broadcastCase('broadcast-same-shape', ops.add, (x, y) => x + y, [M23, [2, 3]], [[6, 5, 4, 3, 2, 1], [2, 3]]),
  broadcastCase('broadcast-trailing-vector', ops.subtract, (x, y) => x - y, [M23, [2, 3]], [[10, 20, 30], [3]]),
  broadcastCase('broadcast-leading-one', ops.multiply, (x, y) => x * y, [[1, 2, 3], [1, 3]], [M23, [2, 3]]),
  broadcastCase('broadcast-outer', ops.add, (x, y) => x + y, [[1, 2, 3], [3, 1]], [[10, 20, 30, 40], [1, 4]]),
  broadcastCase('broadcast-rank-extension-both', ops.multiply, (x, y) => x * y, [M23, [2, 1, 3]], [[1, -1, 2, -2], [4, 1]]),
  broadcastCase('broadcast-scalar-left', ops.maximum, (x, y) => Math.max(x, y), [[2.5], []], [[1, 2, 3, 4], [2, 2]]),
  broadcastCase('broadcast-scalar-right', ops.divide, (x, y) => x / y, [[1, 2, 3, 4], [2, 2]], [[4], []]),
  broadcastCase('broadcast-size-one-vector', ops.subtract, (x, y) => x - y, [[1], [1]], [[1, 2, 3], [3]]),
  broadcastCase('broadcast-power', ops.power, (x, y) => x ** y, [[2, 3], [2, 1]], [[2, 0.5], [1, 2]]),
  broadcastCase('broadcast-int32', ops.add, (x, y) => x + y, [[100, -100], [2, 1]], [[1, 2, 3], [3]], 'int32'),
  broadcastCase('broadcast-compare', ops.less, (x, y) => Number(x < y), [[1, 2], [2, 1]], [[0, 1.5, 3], [3]], 'float32', 'bool'),
  [
    'broadcast-where-three-ways',
    () => ops.where(bool([1, 0], [2, 1]), f32([1, 2, 3], [1, 3]), f32([-1], [])),
    want('float32', [2, 3], [1, 2, 3, -1, -1, -1]),
  ],
  ['broadcast-to', () => ops.broadcastTo(f32([1, 2, 3], [3, 1]), [2, 3, 2]), want('float32', [2, 3, 2], [1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3])],
  broadcastCase('broadcast-empty-and-one', ops.add, (x, y) => x + y, [[], [0, 1]], [[1, 2], [1, 2]]),
  // Seven axes (an einsum over seven indices multiplies such operands): XNNPACK-backed kernels take at most six.
  broadcastCase('broadcast-rank7-same-shape', ops.add, (x, y) => x + y, [sequence(128), [2, 2, 2, 2, 2, 2, 2]], [sequence(128, -3), [2, 2, 2, 2, 2, 2, 2]]),
  broadcastCase('broadcast-rank7-alternating', ops.multiply, (x, y) => x * y, [sequence(16), [2, 1, 2, 1, 2, 1, 2]], [sequence(16, 5), [1, 2, 1, 2, 1, 2, 2]]),
  ['pad-rank7-every-axis', () => ops.pad(f32(sequence(16), [2, 1, 2, 1, 2, 1, 2]), RANK7_PADS, { constantValues: -1 }), padded(sequence(16), [2, 1, 2, 1, 2, 1, 2], RANK7_PADS, -1)],
];

const NAN_AND_INFINITY: EdgeCase[] = [
  ['nan-add', () => ops.add(f32([NAN, 1, INF, INF]), f32([1, NAN, -INF, 1])), want('float32', [4], [NAN, NAN, NAN, INF])],
  ['inf-divide-by-zero', () => ops.divide(f32([1, -1, 0, 3]), f32([0, 0, 0, INF])), want('float32', [4], [INF, -INF, NAN, 0])],
  ['inf-exp', () => ops.exp(f32([-INF, INF, 0])), want('float32', [3], [0, INF, 1])],
  ['inf-log', () => ops.log(f32([0, -1, INF])), want('float32', [3], [-INF, NAN, INF])],
  ['nan-sqrt', () => ops.sqrt(f32([-1, INF, 0])), want('float32', [3], [NAN, INF, 0])],
  ['inf-tanh', () => ops.tanh(f32([-INF, INF])), want('float32', [2], [-1, 1])],
  ['inf-sigmoid', () => ops.sigmoid(f32([-INF, INF])), want('float32', [2], [0, 1])],
  ['inf-relu', () => ops.relu(f32([-INF, INF])), want('float32', [2], [0, INF])],
  ['inf-softplus', () => ops.softplus(f32([-INF, INF, 100])), want('float32', [3], [0, INF, 100])],
  ['inf-exp-overflow', () => ops.exp(f32([100, -200])), want('float32', [2], [INF, 0])],
  ['inf-log1p', () => ops.log1p(f32([-1, -2])), want('float32', [2], [-INF, NAN])],
  ['inf-rsqrt', () => ops.rsqrt(f32([0, -1])), want('float32', [2], [INF, NAN])],
  ['inf-erf', () => ops.erf(f32([-INF, INF])), want('float32', [2], [-1, 1])],
  ['inf-power', () => ops.power(f32([INF, 0, -INF]), f32([-1, -1, 3])), want('float32', [3], [0, INF, -INF])],
  ['nan-relu', () => ops.relu(f32([NAN, -1])), want('float32', [2], [NAN, 0])],
  ['nan-clip', () => ops.clip(f32([NAN, 2]), 0, 1), want('float32', [2], [NAN, 1])],
  ['nan-reduce-max', () => ops.max(f32([1, NAN, 3])), want('float32', [], [NAN])],
  ['nan-reduce-min', () => ops.min(f32([NAN, 1, 3])), want('float32', [], [NAN])],
  ['nan-reduce-mean', () => ops.mean(f32([1, NAN])), want('float32', [], [NAN])],
  ['nan-reduce-max-axis0', () => ops.max(f32([1, NAN, 3, 4, 5, -INF], [2, 3]), { axis: 0 }), want('float32', [3], [4, NAN, 3])],
  ['nan-reduce-min-axis1', () => ops.min(f32([1, NAN, -3, -INF, 5, 6], [2, 3]), { axis: 1 }), want('float32', [2], [NAN, -INF])],
  // argmax/argmin as numpy's: NaN beats every number and the first NaN wins (ties: the first index).
  ['nan-argmax', () => ops.argmax(f32([1, NAN, 3])), want('int32', [], [1])],
  ['nan-argmin', () => ops.argmin(f32([1, NAN, -3])), want('int32', [], [1])],
  [
    'nan-argmax-rows',
    () => ops.argmax(f32([1, NAN, 3, NAN, INF, -INF, NAN, 0, 2, 5, 4, 5], [3, 4]), { axis: 1 }),
    want('int32', [3], [1, 2, 1]),
  ],
  ['nan-argmin-columns', () => ops.argmin(f32([2, -INF, NAN, 0, NAN, NAN], [3, 2]), { axis: 0 }), want('int32', [2], [1, 2])],
  // Max pooling likewise: a window holding NaN gives NaN (even after a +Infinity), and its gradient
  // goes to the window's first NaN. 2x6 input, 2x2 windows [1, NaN, 3, 4], [2, 5, −1, 0], [+Inf, −2, NaN, 6].
  [
    'nan-max-pool',
    () => ops.maxPool(f32([1, NAN, 2, 5, INF, -2, 3, 4, -1, 0, NAN, 6], [1, 2, 6, 1]), 2),
    want('float32', [1, 1, 3, 1], [NAN, 5, NAN]),
  ],
  [
    'nan-max-pool-grad',
    () => vjp((t) => ops.maxPool(t, 2), [f32([1, NAN, 2, 5, INF, -2, 3, 4, -1, 0, NAN, 6], [1, 2, 6, 1])], f32([10, 100, 1000], [1, 1, 3, 1])).grads[0],
    want('float32', [1, 2, 6, 1], [0, 10, 0, 100, 0, 0, 0, 0, 0, 0, 1000, 0]),
  ],
  // An average over NaN, or over +Infinity and −Infinity, is NaN. Windows [1, NaN, 0, 3], [2, 4, 3, 5], [+Inf, 1, −Inf, 2].
  [
    'nan-average-pool',
    () => ops.averagePool(f32([1, NAN, 2, 4, INF, 1, 0, 3, 3, 5, -INF, 2], [1, 2, 6, 1]), 2),
    want('float32', [1, 1, 3, 1], [NAN, 3.5, NAN]),
  ],
  ['nan-isnan', () => ops.isnan(f32([NAN, INF, -INF, 0, 1])), want('bool', [5], [1, 0, 0, 0, 0])],
  ['nan-isfinite', () => ops.isfinite(f32([NAN, INF, -INF, 0, 1])), want('bool', [5], [0, 0, 0, 1, 1])],
  ['nan-maximum', () => ops.maximum(f32([NAN, 1, 2]), f32([1, NAN, 1])), want('float32', [3], [NAN, NAN, 2])],
  ['nan-minimum', () => ops.minimum(f32([NAN, 1, 2]), f32([1, NAN, 1])), want('float32', [3], [NAN, NAN, 1])],
  ['nan-where-selects', () => ops.where(bool([0, 1]), f32([NAN, 5]), f32([1, INF])), want('float32', [2], [1, 5])],
  ['nan-power', () => ops.power(f32([-8, 0, 2]), f32([1 / 3, 0, -1])), want('float32', [3], [NAN, 1, 0.5])],
  // C's pow, which numpy follows, where JavaScript's Math.pow gives NaN: 1 ** y = 1 for every y (NaN
  // included), (−1) ** ±Infinity = 1; x ** ±0 = 1 for every x (NaN included); (−1) ** NaN stays NaN.
  [
    'pow-special-values',
    () => ops.power(f32([1, 1, 1, -1, -1, NAN, NAN, INF, 0, -1]), f32([NAN, INF, -INF, INF, -INF, 0, -0, 0, 0, NAN])),
    want('float32', [10], [1, 1, 1, 1, 1, 1, 1, 1, 1, NAN]),
  ],
  ['inf-clip', () => ops.clip(f32([-INF, INF, 0.5]), -1, 1), want('float32', [3], [-1, 1, 0.5])],
  ['inf-softmax-masked', () => ops.softmax(f32([0, -INF, 0])), want('float32', [3], [0.5, 0, 0.5])],
  ['inf-log-softmax-masked', () => ops.logSoftmax(f32([0, -INF, 0])), want('float32', [3], [-Math.LN2, -INF, -Math.LN2])],
  ['softmax-large-logits', () => ops.softmax(f32([1000, 1000, -1000])), want('float32', [3], [0.5, 0.5, 0])],
  ['log-softmax-large-logits', () => ops.logSoftmax(f32([1000, 0])), want('float32', [2], [0, -1000])],
];

const INT_AND_BOOL: EdgeCase[] = [
  // 2**24 + 1 and 4097**2 are not float32 numbers: int32 arithmetic must not pass through float32.
  ['int32-add-exact', () => ops.add(i32([2 ** 24, -(2 ** 31) + 1]), i32([1, -1])), want('int32', [2], [2 ** 24 + 1, -(2 ** 31)])],
  ['int32-multiply-exact', () => ops.multiply(i32([4097, -3]), i32([4097, 5])), want('int32', [2], [4097 * 4097, -15])],
  ['int32-maximum-exact', () => ops.maximum(i32([2 ** 24 + 1, -5]), i32([2 ** 24, -6])), want('int32', [2], [2 ** 24 + 1, -5])],
  ['int32-sum-exact', () => ops.sum(i32([2 ** 24, 1, 1, 1])), want('int32', [], [2 ** 24 + 3])],
  // Python's floor division and modulo: the remainder takes the divisor's sign.
  ['int32-floor-divide', () => ops.floorDivide(i32([-7, 7, -7, 7]), i32([2, 2, -2, -2])), want('int32', [4], [-4, 3, 3, -4])],
  ['int32-mod', () => ops.mod(i32([-7, 7, -7, 7]), i32([2, 2, -2, -2])), want('int32', [4], [1, 1, -1, -1])],
  ['float-floor-divide', () => ops.floorDivide(f32([-7.5, 7.5]), f32([2, -2])), want('float32', [2], [-4, -4])],
  ['float-mod', () => ops.mod(f32([-7.5, 7.5]), f32([2, -2])), want('float32', [2], [0.5, -0.5])],
  ['int32-true-divide', () => ops.divide(i32([7, -7]), i32([2, 2])), want('float32', [2], [3.5, -3.5])],
  ['int32-power', () => ops.power(i32([2, 3, -2]), i32([10, 0, 3])), want('int32', [3], [1024, 1, -8])],
  ['int32-abs', () => ops.abs(i32([-3, 4, 0])), want('int32', [3], [3, 4, 0])],
  ['int32-sign', () => ops.sign(i32([-3, 0, 4])), want('int32', [3], [-1, 0, 1])],
  ['int32-square', () => ops.square(i32([-3, 4])), want('int32', [2], [9, 16])],
  ['int32-max-reduce', () => ops.max(i32([3, -5, 7, 2], [2, 2]), { axis: 0 }), want('int32', [2], [7, 2])],
  ['int32-min-reduce', () => ops.min(i32([3, -5, 7, 2], [2, 2]), { axis: 1 }), want('int32', [2], [-5, 2])],
  ['argmax-first-of-ties', () => ops.argmax(f32([1, 3, 3, 2])), want('int32', [], [1])],
  ['argmin-int32-first-of-ties', () => ops.argmin(i32([2, 0, 0])), want('int32', [], [1])],
  ['round-half-to-even', () => ops.round(f32([0.5, 1.5, 2.5, -0.5, -1.5, 0.4])), want('float32', [6], [0, 2, 2, -0, -2, 0])],
  ['cast-float-to-int32-truncates', () => ops.cast(f32([2.7, -2.7, 0.5]), 'int32'), want('int32', [3], [2, -2, 0])],
  ['cast-float-to-bool', () => ops.cast(f32([0, 2, -0.5]), 'bool'), want('bool', [3], [0, 1, 1])],
  ['cast-bool-to-float', () => ops.cast(bool([1, 0]), 'float32'), want('float32', [2], [1, 0])],
  ['bool-and', () => ops.logicalAnd(bool([1, 1, 0, 0]), bool([1, 0, 1, 0])), want('bool', [4], [1, 0, 0, 0])],
  ['bool-or', () => ops.logicalOr(bool([1, 1, 0, 0]), bool([1, 0, 1, 0])), want('bool', [4], [1, 1, 1, 0])],
  ['bool-not', () => ops.logicalNot(bool([1, 0])), want('bool', [2], [0, 1])],
  ['bool-sum-counts', () => ops.sum(bool([1, 0, 1, 1])), want('int32', [], [3])],
  ['bool-where-int32', () => ops.where(bool([1, 0, 1]), i32([1, 2, 3]), i32([-1, -2, -3])), want('int32', [3], [1, -2, 3])],
  ['int32-equal', () => ops.equal(i32(COMPARE_A), i32(COMPARE_B)), want('bool', [4], COMPARE_A.map((a, i) => Number(a === COMPARE_B[i])))],
  ['int32-not-equal', () => ops.notEqual(i32(COMPARE_A), i32(COMPARE_B)), want('bool', [4], COMPARE_A.map((a, i) => Number(a !== COMPARE_B[i])))],
  ['int32-less-equal', () => ops.lessEqual(i32(COMPARE_A), i32(COMPARE_B)), want('bool', [4], COMPARE_A.map((a, i) => Number(a <= COMPARE_B[i])))],
  ['int32-greater', () => ops.greater(i32(COMPARE_A), i32(COMPARE_B)), want('bool', [4], COMPARE_A.map((a, i) => Number(a > COMPARE_B[i])))],
  ['int32-greater-equal', () => ops.greaterEqual(i32(COMPARE_A), i32(COMPARE_B)), want('bool', [4], COMPARE_A.map((a, i) => Number(a >= COMPARE_B[i])))],
  ['int32-take-repeated', () => ops.take(f32([10, 20, 30]), i32([2, 0, 2])), want('float32', [3], [30, 10, 30])],
  ['int32-one-hot-out-of-range', () => ops.oneHot(i32([2, 0, 5]), 3), want('float32', [3, 3], [0, 0, 1, 1, 0, 0, 0, 0, 0])],
  // Layout kernels move int32 and bool values unchanged (2**24 + 1 again catches a float32 detour).
  ['int32-transpose', () => ops.transpose(i32([2 ** 24 + 1, 2, 3, 4, 5, 6], [2, 3])), want('int32', [3, 2], [2 ** 24 + 1, 4, 2, 5, 3, 6])],
  ['int32-pad', () => ops.pad(i32([2 ** 24 + 1, -2]), [[1, 2]], { constantValues: 7 }), want('int32', [5], [7, 2 ** 24 + 1, -2, 7, 7])],
  ['int32-reverse', () => ops.flip(i32([1, 2, 2 ** 24 + 1])), want('int32', [3], [2 ** 24 + 1, 2, 1])],
  ['int32-gather-axis1', () => ops.take(i32(M23, [2, 3]), i32([2, 0]), { axis: 1 }), want('int32', [2, 2], [3, 1, 6, 4])],
  ['bool-concatenate', () => ops.concatenate([bool([1, 0]), bool([0, 1, 1])]), want('bool', [5], [1, 0, 0, 1, 1])],
  ['bool-tile', () => ops.tile(bool([1, 0]), [2]), want('bool', [4], [1, 0, 1, 0])],
  ['bool-slice-reshape', () => ops.reshape(ops.slice(bool([1, 0, 0, 1, 1, 0], [2, 3]), [0, 1], [2, 2]), [4]), want('bool', [4], [0, 0, 1, 0])],
];

const DEFAULT_TOLERANCE: Tolerance = { rtol: 1e-6, atol: 1e-6 };
const EXACT: Tolerance = { rtol: 0, atol: 0 };

function toSpec([name, compute, expected, tolerance]: EdgeCase): ConformanceCaseSpec {
  return {
    id: `ops/edge/${name}`,
    tier: 'ops',
    group: 'ops/edge',
    run() {
      const problem = tidy(() => {
        const y = compute();
        if (y.dtype !== expected.dtype) return `${name}: dtype ${y.dtype}, expected ${expected.dtype}`;
        return tensorMismatch(name, y, expected.shape, expected.values, tolerance ?? (expected.dtype === 'float32' ? DEFAULT_TOLERANCE : EXACT));
      });
      if (problem) throw new Mismatch(problem);
    },
  };
}

export function edgeCases(): ConformanceCaseSpec[] {
  return [...EMPTY, ...SIZE_ONE, ...SCALARS, ...BROADCASTING, ...NAN_AND_INFINITY, ...INT_AND_BOOL].map(toSpec);
}
