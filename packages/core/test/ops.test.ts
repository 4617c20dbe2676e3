/** Forward values of ops and the Keras-style errors they give before any kernel runs. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { memory, ops, tensor, tidy } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
});

const arr = (f: () => { arraySync(): unknown }) => tidy(() => f().arraySync());

describe('arithmetic and math', () => {
  it('broadcasts like numpy and promotes dtypes like Keras', () => {
    expect(arr(() => ops.add(tensor([[1], [2]]), tensor([10, 20, 30])))).toEqual([[11, 21, 31], [12, 22, 32]]);
    expect(tidy(() => ops.add(tensor([1, 2], [2], 'int32'), 1).dtype)).toBe('int32');
    expect(tidy(() => ops.add(tensor([1, 2], [2], 'int32'), 0.5).dtype)).toBe('float32');
    expect(tidy(() => ops.divide(tensor([1, 2], [2], 'int32'), tensor([2, 4], [2], 'int32')).dtype)).toBe('float32');
    expect(arr(() => ops.floorDivide(tensor([7, -7], [2], 'int32'), 2))).toEqual([3, -4]);
    expect(arr(() => ops.mod(tensor([7, -7], [2], 'int32'), 3))).toEqual([1, 2]);
    expect(arr(() => ops.power(tensor([2, 3]), 2))).toEqual([4, 9]);
  });

  it('computes the math functions', () => {
    const close = (got: unknown, want: number[]) => (got as number[]).forEach((g, i) => expect(g).toBeCloseTo(want[i], 5));
    close(arr(() => ops.exp(tensor([0, 1]))), [1, Math.E]);
    close(arr(() => ops.log(tensor([1, Math.E]))), [0, 1]);
    close(arr(() => ops.sqrt(tensor([4, 9]))), [2, 3]);
    close(arr(() => ops.square(tensor([-3]))), [9]);
    close(arr(() => ops.abs(tensor([-3, 2]))), [3, 2]);
    close(arr(() => ops.sign(tensor([-3, 0, 2]))), [-1, 0, 1]);
    close(arr(() => ops.clip(tensor([-3, 0.5, 2]), 0, 1)), [0, 0.5, 1]);
    close(arr(() => ops.erf(tensor([0.5]))), [0.5204998778]);
    expect(arr(() => ops.isnan(tensor([NaN, 1])))).toEqual([true, false]);
  });

  it('compares, selects and combines booleans', () => {
    expect(arr(() => ops.greater(tensor([1, 3]), 2))).toEqual([false, true]);
    expect(arr(() => ops.lessEqual(tensor([1, 3]), tensor([1, 2])))).toEqual([true, false]);
    expect(arr(() => ops.where(ops.equal(tensor([1, 2]), 1), tensor([10, 20]), -1))).toEqual([10, -1]);
    expect(arr(() => ops.logicalAnd(tensor([true, true]), tensor([true, false])))).toEqual([true, false]);
    expect(arr(() => ops.logicalNot(tensor([true, false])))).toEqual([false, true]);
  });

  it('explains incompatible shapes in Keras terms', () => {
    expect(() => tidy(() => ops.add(tensor([[1, 2, 3]]), tensor([[1, 2], [3, 4]])))).toThrow(
      /add: cannot broadcast shapes \(1, 3\) and \(2, 2\): axis -1 has size 3 in the first and 2 in the second\. Expected sizes that are equal or 1 on each axis, counted from the last\. Fix: reshape or expand one operand/,
    );
    expect(() => tidy(() => ops.clip(tensor([1]), 2, 1))).toThrow(/xMin \(2\) is greater than xMax \(1\)/);
    expect(() => tidy(() => ops.exp(tensor([true])))).not.toThrow();
  });
});

describe('activations', () => {
  it('follow Keras 3 definitions', () => {
    const x = [-2, -0.5, 0.5, 2];
    const check = (f: (t: ReturnType<typeof tensor>) => ReturnType<typeof tensor>, g: (v: number) => number) =>
      (arr(() => f(tensor(x))) as number[]).forEach((v, i) => expect(v).toBeCloseTo(g(x[i]), 5));
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    check(ops.relu, (v) => Math.max(v, 0));
    check(ops.relu6, (v) => Math.min(Math.max(v, 0), 6));
    check(ops.sigmoid, sigmoid);
    check(ops.tanh, Math.tanh);
    check((t) => ops.elu(t), (v) => (v > 0 ? v : Math.exp(v) - 1));
    check(ops.selu, (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * (Math.exp(v) - 1)));
    check((t) => ops.gelu(t), (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))));
    check(ops.softplus, (v) => Math.log1p(Math.exp(v)));
    check(ops.softsign, (v) => v / (1 + Math.abs(v)));
    check((t) => ops.leakyRelu(t), (v) => (v > 0 ? v : 0.2 * v));
    check(ops.hardSigmoid, (v) => Math.min(Math.max(v + 3, 0), 6) / 6);
    check(ops.silu, (v) => v * sigmoid(v));
  });

  it('softmax is stable for large inputs and sums to one along the axis', () => {
    const y = arr(() => ops.softmax(tensor([[1000, 1001], [-1000, -1000]]))) as number[][];
    expect(y[0][0]).toBeCloseTo(1 / (1 + Math.E), 5);
    expect(y[1]).toEqual([0.5, 0.5]);
    const axis0 = arr(() => ops.sum(ops.softmax(tensor([[1, 2], [3, 4]]), { axis: 0 }), { axis: 0 }));
    (axis0 as number[]).forEach((v) => expect(v).toBeCloseTo(1, 6));
    expect((arr(() => ops.logSoftmax(tensor([0, 0]))) as number[])[0]).toBeCloseTo(-Math.LN2, 6);
  });
});

describe('reductions', () => {
  const x = () => tensor([[1, 5, 3], [4, 2, 6]]);
  it('reduce over axes with keepdims', () => {
    expect(arr(() => ops.sum(x()))).toBe(21);
    expect(arr(() => ops.sum(x(), { axis: 0 }))).toEqual([5, 7, 9]);
    expect(arr(() => ops.mean(x(), { axis: 1, keepdims: true }))).toEqual([[3], [4]]);
    expect(arr(() => ops.max(x(), { axis: -1 }))).toEqual([5, 6]);
    expect(arr(() => ops.min(x(), { axis: [0, 1] }))).toBe(1);
    expect(arr(() => ops.prod(x(), { axis: 1 }))).toEqual([15, 48]);
    expect(arr(() => ops.argmax(x(), { axis: 1 }))).toEqual([1, 2]);
    expect(arr(() => ops.argmax(x()))).toBe(5);
    expect(arr(() => ops.argmin(x(), { axis: 0, keepdims: true }))).toEqual([[0, 1, 0]]);
  });
  it('reduce empty axes to the identity, as numpy does', () => {
    expect(arr(() => ops.sum(tensor([], [0, 3]), { axis: 0 }))).toEqual([0, 0, 0]);
    expect(arr(() => ops.max(tensor([], [2, 0]), { axis: 1 }))).toEqual([-Infinity, -Infinity]);
  });
  it('moments give the biased variance, accurately with a large mean', () => {
    const { mean, variance } = ops.moments(tensor([1000, 1001, 1002, 1003]), [0]);
    expect(mean.arraySync()).toBeCloseTo(1001.5, 3);
    expect(variance.arraySync()).toBeCloseTo(1.25, 4);
    mean.dispose();
    variance.dispose();
  });
  it('explains a bad axis', () => {
    expect(() => tidy(() => ops.sum(tensor([[1, 2]]), { axis: 2 }))).toThrow(/sum: axis 2 is out of bounds for a tensor of rank 2\. Expected an integer in \[-2, 1\]/);
    expect(() => tidy(() => ops.sum(tensor([[1, 2]]), { axis: [0, -2] }))).toThrow(/repeats an axis/);
  });
});

describe('layout', () => {
  it('reshapes with -1, transposes, squeezes and expands', () => {
    expect(tidy(() => ops.reshape(tensor([1, 2, 3, 4, 5, 6]), [-1, 3]).shape)).toEqual([2, 3]);
    expect(arr(() => ops.transpose(tensor([[1, 2, 3], [4, 5, 6]])))).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(tidy(() => ops.squeeze(tensor([[[1], [2]]])).shape)).toEqual([2]);
    expect(tidy(() => ops.expandDims(tensor([1, 2]), -1).shape)).toEqual([2, 1]);
  });
  it('concatenates, stacks, splits and slices', () => {
    expect(arr(() => ops.concatenate([tensor([[1]]), tensor([[2, 3]])], { axis: 1 }))).toEqual([[1, 2, 3]]);
    expect(arr(() => ops.stack([tensor([1, 2]), tensor([3, 4])], { axis: 1 }))).toEqual([[1, 3], [2, 4]]);
    expect(tidy(() => ops.split(tensor([1, 2, 3, 4, 5]), [2, 3]).map((t) => t.arraySync()))).toEqual([[1, 2], [3], [4, 5]]);
    expect(arr(() => ops.slice(tensor([[1, 2, 3], [4, 5, 6]]), [1, 1], [1, -1]))).toEqual([[5, 6]]);
  });
  it('pads, takes, tiles, broadcasts and flips', () => {
    expect(arr(() => ops.pad(tensor([[1]]), [[1, 0], [0, 1]]))).toEqual([[0, 0], [1, 0]]);
    expect(arr(() => ops.take(tensor([[1, 2, 3], [4, 5, 6]]), tensor([2, -3], [2], 'int32'), { axis: 1 }))).toEqual([[3, 1], [6, 4]]);
    expect(arr(() => ops.gather(tensor([10, 20, 30]), tensor([[0, 2]], [1, 2], 'int32')))).toEqual([[10, 30]]);
    expect(arr(() => ops.tile(tensor([1, 2]), [2]))).toEqual([1, 2, 1, 2]);
    expect(arr(() => ops.broadcastTo(tensor([1, 2]), [2, 2]))).toEqual([[1, 2], [1, 2]]);
    expect(arr(() => ops.flip(tensor([1, 2, 3])))).toEqual([3, 2, 1]);
  });
  it('casts and one-hot encodes', () => {
    expect(arr(() => ops.cast(tensor([1.7, -1.7, 0]), 'int32'))).toEqual([1, -1, 0]);
    expect(arr(() => ops.cast(tensor([2, 0]), 'bool'))).toEqual([true, false]);
    expect(arr(() => ops.oneHot(tensor([0, 2, 5], [3], 'int32'), 3))).toEqual([[1, 0, 0], [0, 0, 1], [0, 0, 0]]);
  });
  it('explains layout mistakes', () => {
    expect(() => tidy(() => ops.reshape(tensor([1, 2, 3, 4, 5, 6]), [4, -1]))).toThrow(/cannot reshape \(6,\) \(6 elements\) to \(4, None\): 6 is not a multiple of 4/);
    expect(() => tidy(() => ops.reshape(tensor([1, 2, 3]), [2, 2]))).toThrow(/cannot reshape \(3,\) \(3 elements\) to \(2, 2\) \(4 elements\)/);
    expect(() => tidy(() => ops.concatenate([tensor([[1, 2]]), tensor([[1, 2, 3]])]))).toThrow(/tensor 1 has shape \(1, 3\), which does not match \(1, 2\) on every axis but axis 0/);
    expect(() => tidy(() => ops.transpose(tensor([[1]]), { axes: [0, 0] }))).toThrow(/are not a permutation/);
    expect(() => tidy(() => ops.squeeze(tensor([[1, 2]]), { axis: 1 }))).toThrow(/axis 1 of \(1, 2\) has size 2, not 1/);
    expect(() => tidy(() => ops.take(tensor([1, 2]), tensor([2], [1], 'int32')))).toThrow(/index 2 is out of bounds for axis 0 of size 2/);
    expect(() => tidy(() => ops.split(tensor([1, 2, 3]), 2))).toThrow(/cannot split axis 0 of size 3 into 2 equal sections/);
  });
});

describe('matmul and the LSTM cell', () => {
  it('multiplies with numpy semantics', () => {
    expect(arr(() => ops.matmul(tensor([[1, 2]]), tensor([[3], [4]])))).toEqual([[11]]);
    expect(arr(() => ops.matmul(tensor([1, 2]), tensor([3, 4])))).toBe(11);
    expect(tidy(() => ops.matmul(tensor(new Float32Array(24), [2, 1, 3, 4]), tensor(new Float32Array(40), [5, 4, 2])).shape)).toEqual([2, 5, 3, 2]);
  });
  it('explains mismatched inner sizes', () => {
    expect(() => tidy(() => ops.matmul(tensor([[1, 2, 3]]), tensor([[1, 2]])))).toThrow(
      /matmul: cannot multiply \(1, 3\) by \(1, 2\): the last axis of the first \(3\) must equal the second-to-last axis of the second \(1\)\. Fix: transpose one operand/,
    );
  });
  it('runs one LSTM step in Keras gate order and checks its weights', () => {
    const before = memory().numTensors;
    const [h, c] = tidy(() => ops.lstmCell(tensor([[1]]), tensor([[0]]), tensor([[0]]), tensor([[0, 0, 1, 0]]), tensor([[0, 0, 0, 0]]), tensor([0, 0, 0, 0])));
    // i = f = o = sigmoid(0) = 0.5, g = tanh(1): c = 0.5 tanh(1), h = 0.5 tanh(c).
    expect(c.dataSync()[0]).toBeCloseTo(0.5 * Math.tanh(1), 6);
    expect(h.dataSync()[0]).toBeCloseTo(0.5 * Math.tanh(0.5 * Math.tanh(1)), 6);
    h.dispose();
    c.dispose();
    expect(memory().numTensors).toBe(before);
    expect(() => tidy(() => ops.lstmCell(tensor([[1]]), tensor([[0]]), tensor([[0]]), tensor([[0, 0, 1]]), tensor([[0, 0, 0, 0]]), tensor([0, 0, 0, 0])))).toThrow(
      /lstmCell: kernel should be \(1, 4\), got \(1, 3\)/,
    );
  });
});

describe('pad modes', () => {
  it("pads like numpy's edge, reflect, symmetric and wrap modes, and explains the limits", () => {
    const x = () => tensor([1, 2, 3]);
    expect(arr(() => ops.pad(x(), [[2, 1]], { mode: 'edge' }))).toEqual([1, 1, 1, 2, 3, 3]);
    expect(arr(() => ops.pad(x(), [[2, 1]], { mode: 'reflect' }))).toEqual([3, 2, 1, 2, 3, 2]);
    expect(arr(() => ops.pad(x(), [[2, 1]], { mode: 'symmetric' }))).toEqual([2, 1, 1, 2, 3, 3]);
    expect(arr(() => ops.pad(x(), [[2, 1]], { mode: 'wrap' }))).toEqual([2, 3, 1, 2, 3, 1]);
    expect(arr(() => ops.pad(tensor([[1, 2], [3, 4]]), [[1, 0], [0, 1]], { mode: 'edge' }))).toEqual([[1, 2, 2], [1, 2, 2], [3, 4, 4]]);
    expect(() => tidy(() => ops.pad(x(), [[3, 0]], { mode: 'reflect' }))).toThrow(/mode 'reflect' can pad axis 0 of size 3 by at most 2 on each side; got \[3, 0\]/);
    expect(() => tidy(() => ops.pad(x(), [[1, 0]], { mode: 'mean' as never }))).toThrow(/unknown mode 'mean'. Expected one of 'constant', 'edge', 'reflect', 'symmetric', 'wrap'/);
  });
});
