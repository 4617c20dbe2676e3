/**
 * MultiHeadAttention over other attention axes and several output axes, checked by identities that
 * must hold whatever the weights: attending over two axes is attending over their flattening;
 * attending over one axis of (batch, T1, T2, dim) is attending over T2 in each of the T1 rows alone;
 * several output axes are one axis of their product, reshaped. The (batch, T, dim) layer they reduce
 * to is itself checked by hand-computed numbers in layers_catalogue_c.test.ts.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Input, Model, layers, ones, ops, optimizers, tensor, tidy, utils, type KerasTensor, type Tensor } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
});

function values(shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: n }, (_, i) => Math.sin((i + 1) * 12.9898 * seed) * 1.5), shape);
}

function expectClose(actual: Tensor, expected: Tensor, tolerance = 2e-5): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.dataSync();
  const e = expected.dataSync();
  let worst = 0;
  for (let i = 0; i < e.length; i++) worst = Math.max(worst, Math.abs(a[i] - e[i]));
  expect(worst).toBeLessThanOrEqual(tolerance);
}

/** A layer's weights copied to another of the same weight shapes (after both are built). */
function copyWeights(from: layers.Layer, to: layers.Layer, reshape: (i: number, w: Tensor) => Tensor = (_, w) => w): void {
  to.setWeights(from.getWeights().map((w, i) => reshape(i, w)));
}

describe('MultiHeadAttention over other axes', () => {
  it('images (batch, H, W, C), attending over (H, W) by default: attention over the H·W flattened positions, scores included', () => {
    tidy(() => {
      utils.setRandomSeed(3);
      const grid = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 2 });
      const flat = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 2 });
      const query = values([2, 3, 4, 5], 1);
      const value = values([2, 2, 3, 6], 2);
      const [out, scores] = grid.apply([query, value], { returnAttentionScores: true }) as Tensor[];
      flat.apply([ops.reshape(query, [2, 12, 5]), ops.reshape(value, [2, 6, 6])]);
      copyWeights(grid, flat);
      const [flatOut, flatScores] = flat.apply([ops.reshape(query, [2, 12, 5]), ops.reshape(value, [2, 6, 6])], { returnAttentionScores: true }) as Tensor[];
      expect(out.shape).toEqual([2, 3, 4, 5]);
      // (batch, heads, H, W, H', W'), normalized jointly over the last two axes.
      expect(scores.shape).toEqual([2, 2, 3, 4, 2, 3]);
      expectClose(out, ops.reshape(flatOut, [2, 3, 4, 5]));
      expectClose(scores, ops.reshape(flatScores, [2, 2, 3, 4, 2, 3]));
      expectClose(ops.sum(scores, { axis: [4, 5] }), ones([2, 2, 3, 4]), 1e-5);
    });
  });

  it('attentionAxes [2] of (batch, T1, T2, dim): each T1 row attends over T2 alone; [-2] is the same axis', () => {
    tidy(() => {
      utils.setRandomSeed(5);
      const rows = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: [2] });
      const negative = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: -2 });
      const single = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2 });
      const x = values([2, 3, 4, 3], 7);
      const out = rows.apply([x, x]) as Tensor;
      negative.apply([x, x]);
      copyWeights(rows, negative);
      expectClose(negative.apply([x, x]) as Tensor, out, 0);
      for (let r = 0; r < 3; r++) {
        const row = ops.reshape(ops.slice(x, [0, r, 0, 0], [2, 1, 4, 3]), [2, 4, 3]);
        if (r === 0) {
          single.apply([row, row]);
          copyWeights(rows, single);
        }
        expectClose(ops.reshape(ops.slice(out, [0, r, 0, 0], [2, 1, 4, 3]), [2, 4, 3]), single.apply([row, row]) as Tensor);
      }
      const [, scores] = rows.apply([x, x], { returnAttentionScores: true }) as Tensor[];
      // (batch, T1, heads, T2, T2'): the non-attention axis is a batch axis before the heads.
      expect(scores.shape).toEqual([2, 3, 2, 4, 4]);
    });
  });

  it('outputShape [2, 3]: one output axis of 6, reshaped; the kernel is (heads, valueDim, 2, 3)', () => {
    tidy(() => {
      utils.setRandomSeed(9);
      const two = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, outputShape: [2, 3], name: 'two_axes' });
      const one = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, outputShape: 6 });
      const q = values([2, 4, 3], 11);
      const v = values([2, 5, 3], 13);
      const out = two.apply([q, v]) as Tensor;
      expect(out.shape).toEqual([2, 4, 2, 3]);
      expect(two.weights.map((w) => [w.path, w.shape])).toContainEqual(['two_axes/attention_output/kernel', [2, 2, 2, 3]]);
      one.apply([q, v]);
      copyWeights(two, one, (i, w) => (i === 6 ? ops.reshape(w, [2, 2, 6]) : i === 7 ? ops.reshape(w, [6]) : w));
      expectClose(out, ops.reshape(one.apply([q, v]) as Tensor, [2, 4, 2, 3]));
    });
  });

  it('attentionMask over two axes: (batch, H, W, H\', W\') masks exactly the positions flattening masks', () => {
    tidy(() => {
      utils.setRandomSeed(4);
      const grid = new layers.MultiHeadAttention({ numHeads: 1, keyDim: 2 });
      const flat = new layers.MultiHeadAttention({ numHeads: 1, keyDim: 2 });
      const x = values([1, 2, 2, 3], 17);
      const maskValues = [true, false, true, true, false, true, true, true, true, true, false, false, true, false, false, true];
      const mask = tensor(maskValues, [1, 2, 2, 2, 2], 'bool');
      const out = grid.apply([x, x], { attentionMask: mask }) as Tensor;
      flat.apply([ops.reshape(x, [1, 4, 3]), ops.reshape(x, [1, 4, 3])]);
      copyWeights(grid, flat);
      const flatOut = flat.apply([ops.reshape(x, [1, 4, 3]), ops.reshape(x, [1, 4, 3])], { attentionMask: tensor(maskValues, [1, 4, 4], 'bool') }) as Tensor;
      expectClose(out, ops.reshape(flatOut, [1, 2, 2, 3]));
    });
  });

  it('shapes, config and errors are explained when the model is built', () => {
    const image = Input({ shape: [4, 4, 8] });
    const mha = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 4, attentionAxes: [1, 2], outputShape: [8] });
    const out = mha.apply([image, image]) as KerasTensor;
    expect(out.shape).toEqual([null, 4, 4, 8]);
    const [, scores] = mha.apply([image, image], { returnAttentionScores: true }) as KerasTensor[];
    expect(scores.shape).toEqual([null, 2, 4, 4, 4, 4]);
    expect(mha.getConfig()).toMatchObject({ attention_axes: [1, 2], output_shape: 8 });
    const rebuilt = layers.MultiHeadAttention.fromConfig({ ...mha.getConfig(), output_shape: [2, 4] }) as layers.MultiHeadAttention;
    expect((rebuilt.apply([image, image]) as KerasTensor).shape).toEqual([null, 4, 4, 2, 4]);
    expect(() => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 4, attentionAxes: [3] }).apply([image, image])).toThrow(
      /attentionAxes \[3\] must name distinct axes of the inputs between the batch and the last \(1 to 2 for rank 4\)/,
    );
    expect(() => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 4 }).apply([image, Input({ shape: [4, 8] })])).toThrow(/all of one higher rank/);
    expect(() => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 4, outputShape: [2, 0] })).toThrow(/outputShape must be a positive integer, got 0/);
    tidy(() => {
      const x = values([1, 2, 2, 3], 1);
      const layer = new layers.MultiHeadAttention({ numHeads: 1, keyDim: 2 });
      expect(() => layer.apply([x, x], { useCausalMask: true })).toThrow(/with attentionAxes or inputs of rank 4, pass attentionMask/);
      expect(() => layer.apply([x, x], { attentionMask: tensor(new Array<number>(32).fill(1), [1, 1, 2, 2, 2, 2, 2], 'bool') })).toThrow(
        /attentionMask has shape \(1, 1, 2, 2, 2, 2, 2\), more axes than the scores \(1, 1, 2, 2, 2, 2\)\. Fix: pass a mask of shape \(batch, <query attention axes>, <key attention axes>\)/,
      );
    });
  });

  it('trains: a model attending over image positions lowers its loss', async () => {
    utils.setRandomSeed(21);
    const input = Input({ shape: [3, 3, 2] });
    const attended = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2 }).apply([input, input]) as KerasTensor;
    const output = new layers.Dense({ units: 1 }).apply(new layers.GlobalAveragePooling2D().apply(attended) as KerasTensor) as KerasTensor;
    const model = new Model({ inputs: input, outputs: output });
    model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.02 }), loss: 'mse' });
    const x = values([16, 3, 3, 2], 23);
    const y = ops.sum(x, { axis: [1, 2, 3] });
    const history = await model.fit(x, ops.reshape(y, [16, 1]), { epochs: 25, batchSize: 8, verbose: 0 });
    const losses = history.history.loss;
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.5);
    x.dispose();
    y.dispose();
  });
});
