/**
 * The rest of the converted layers, each alone in a model with randomized weights: padding,
 * cropping, up-sampling, rescaling, transposed convolutions, unit and group normalization,
 * TimeDistributed and Bidirectional. The exported file must give model.predict's values.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Input, Model, layers, tensor, type KerasTensor, type Tensor } from '@keras-ts/core';
import '../src/index.js';
import { useTestBackend } from '../../core/test/support/backend.js';
import { expectOnnxMatchesPredict, randomizeWeights, sampleInput } from './support/export_harness.js';

beforeAll(async () => {
  await useTestBackend();
});

async function expectLayerExports(layer: layers.Layer, shape: number[], input?: Tensor): Promise<void> {
  const x = Input({ shape });
  const out = layer.apply(x) as KerasTensor | KerasTensor[];
  const model = new Model({ inputs: x, outputs: out });
  randomizeWeights(model);
  await expectOnnxMatchesPredict(model, input ?? sampleInput([3, ...shape]));
}

describe('export to ONNX: reshaping and preprocessing layers', () => {
  it('ZeroPadding1D/2D/3D', async () => {
    await expectLayerExports(new layers.ZeroPadding1D({ padding: [1, 2] }), [5, 2]);
    await expectLayerExports(new layers.ZeroPadding2D({ padding: [[1, 0], [2, 3]] }), [4, 3, 2]);
    await expectLayerExports(new layers.ZeroPadding3D({ padding: 1 }), [2, 3, 2, 2]);
  });

  it('Cropping1D/2D/3D', async () => {
    await expectLayerExports(new layers.Cropping1D({ cropping: [1, 0] }), [5, 2]);
    await expectLayerExports(new layers.Cropping2D({ cropping: [[1, 1], [0, 2]] }), [5, 6, 2]);
    await expectLayerExports(new layers.Cropping3D({ cropping: 1 }), [4, 4, 4, 1]);
  });

  it('UpSampling1D/2D/3D (nearest)', async () => {
    await expectLayerExports(new layers.UpSampling1D({ size: 3 }), [4, 2]);
    await expectLayerExports(new layers.UpSampling2D({ size: [2, 3] }), [3, 2, 2]);
    await expectLayerExports(new layers.UpSampling3D({ size: 2 }), [2, 2, 3, 1]);
  });

  it('UpSampling2D bilinear, bicubic and Lanczos: the same per-axis weights as predict', async () => {
    for (const interpolation of ['bilinear', 'bicubic', 'lanczos3', 'lanczos5']) {
      await expectLayerExports(new layers.UpSampling2D({ size: [2, 3], interpolation }), [3, 4, 2]);
    }
    await expectLayerExports(new layers.UpSampling2D({ size: 2, interpolation: 'bilinear', dataFormat: 'channels_first' }), [2, 3, 4]);
  });

  it('Resizing: every interpolation, up and down, cropped or padded to the aspect ratio, channels first', async () => {
    for (const interpolation of ['bilinear', 'nearest', 'bicubic', 'lanczos3', 'lanczos5'] as const) {
      await expectLayerExports(new layers.Resizing({ height: 7, width: 3, interpolation }), [5, 6, 2]);
    }
    await expectLayerExports(new layers.Resizing({ height: 4, width: 8, cropToAspectRatio: true }), [6, 5, 1]);
    await expectLayerExports(new layers.Resizing({ height: 4, width: 8, padToAspectRatio: true, fillValue: 0.5 }), [6, 5, 1]);
    await expectLayerExports(new layers.Resizing({ height: 3, width: 9, interpolation: 'bicubic', dataFormat: 'channels_first' }), [2, 6, 5]);
  });

  it('Resizing and UpSampling2D need a known image size: the error says so', async () => {
    for (const layer of [new layers.Resizing({ height: 4, width: 4 }), new layers.UpSampling2D({ interpolation: 'bilinear' })]) {
      const x = Input({ shape: [null, null, 3] });
      const model = new Model({ inputs: x, outputs: layer.apply(x) as KerasTensor });
      await expect(model.export(join(tmpdir(), 'never-written.onnx'), { format: 'onnx' })).rejects.toThrow(
        `export: layer '${layer.name}' (${layer.constructor.name}) uses an input of shape (None, None, None, 3), whose image size is unknown (the resize weights depend on it), which the ONNX export does not convert. Fix: give the Input a fixed image size, e.g. Input({ shape: [64, 64, 3] }).`,
      );
    }
  });

  it('Dense with LoRA: the merged kernel', async () => {
    await expectLayerExports(new layers.Dense({ units: 3, loraRank: 2, loraAlpha: 5, activation: 'tanh' }), [4]);
  });

  it('Rescaling', async () => {
    await expectLayerExports(new layers.Rescaling({ scale: 1 / 255, offset: -0.5 }), [4, 3]);
  });

  it('Normalization: adapted, given statistics, inverted', async () => {
    const adapted = new layers.Normalization();
    adapted.adapt(sampleInput([10, 4], 5, 3));
    await expectLayerExports(adapted, [4]);
    await expectLayerExports(new layers.Normalization({ mean: [1, 2, 3], variance: [4, 0.25, 1] }), [3]);
    await expectLayerExports(new layers.Normalization({ mean: 0.5, variance: 2, invert: true }), [2, 3]);
  });
});

describe('export to ONNX: CenterCrop and CategoryEncoding', () => {
  it('CenterCrop', async () => {
    await expectLayerExports(new layers.CenterCrop({ height: 3, width: 2 }), [6, 5, 2]);
  });

  it.each([
    ['one_hot', [1]],
    ['one_hot', [3]],
    ['multi_hot', [4]],
    ['count', [4]],
    ['multi_hot', []],
  ] as const)('CategoryEncoding %s of indices shaped %j per example', async (outputMode, shape) => {
    const x = Input({ shape: [...shape], dtype: 'int32' });
    const model = new Model({ inputs: x, outputs: new layers.CategoryEncoding({ numTokens: 6, outputMode }).apply(x) as KerasTensor });
    const size = 3 * shape.reduce((a: number, b: number) => a * b, 1);
    await expectOnnxMatchesPredict(model, tensor(Array.from({ length: size }, (_, i) => (i * 5) % 6), [3, ...shape], 'int32'));
  });
});

describe('export to ONNX: EinsumDense and Dot', () => {
  it('EinsumDense with a bias on the trailing axes', async () => {
    await expectLayerExports(new layers.EinsumDense({ equation: 'abc,cde->abde', outputShape: [null, 2, 3], biasAxes: 'de', activation: 'relu' }), [4, 5]);
    await expectLayerExports(new layers.EinsumDense({ equation: 'ab,bc->ac', outputShape: 6 }), [5]);
  });

  it('Dot on a pair of sequences, plain and normalized', async () => {
    const cases: [number | [number, number], boolean, number[]][] = [
      [[2, 2], false, [5, 4]],
      [1, true, [3, 5]],
      [[-1, 1], false, [4, 5]],
    ];
    for (const [axes, normalize, secondShape] of cases) {
      const a = Input({ shape: [3, 4] });
      const b = Input({ shape: secondShape });
      const model = new Model({ inputs: [a, b], outputs: new layers.Dot({ axes, normalize }).apply([a, b]) });
      await expectOnnxMatchesPredict(model, [sampleInput([2, 3, 4], 1), sampleInput([2, ...secondShape], 2)]);
    }
  });
});

describe('export to ONNX: transposed convolutions', () => {
  it('Conv2DTranspose: valid, same, strides, output padding, dilation', async () => {
    await expectLayerExports(new layers.Conv2DTranspose({ filters: 3, kernelSize: 3 }), [4, 5, 2]);
    await expectLayerExports(new layers.Conv2DTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }), [4, 5, 2]);
    await expectLayerExports(new layers.Conv2DTranspose({ filters: 2, kernelSize: 2, strides: 3 }), [3, 3, 2]);
    await expectLayerExports(new layers.Conv2DTranspose({ filters: 2, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu' }), [3, 4, 2]);
    await expectLayerExports(new layers.Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, outputPadding: 1 }), [3, 3, 2]);
    await expectLayerExports(new layers.Conv2DTranspose({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same' }), [5, 5, 2]);
  });

  it('Conv1DTranspose and Conv3DTranspose', async () => {
    await expectLayerExports(new layers.Conv1DTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }), [5, 3]);
    await expectLayerExports(new layers.Conv3DTranspose({ filters: 2, kernelSize: 2, strides: 2 }), [2, 3, 2, 2]);
  });
});

describe('export to ONNX: more normalization and wrappers', () => {
  it('UnitNormalization and GroupNormalization', async () => {
    await expectLayerExports(new layers.UnitNormalization(), [3, 5]);
    await expectLayerExports(new layers.GroupNormalization({ groups: 2 }), [3, 4, 6]);
    await expectLayerExports(new layers.GroupNormalization({ groups: 3 }), [6]);
  });

  it('TimeDistributed(Dense) and TimeDistributed(Conv2D)', async () => {
    await expectLayerExports(new layers.TimeDistributed({ layer: new layers.Dense({ units: 3, activation: 'tanh' }) }), [4, 5]);
    await expectLayerExports(new layers.TimeDistributed({ layer: new layers.Conv2D({ filters: 2, kernelSize: 2 }) }), [3, 4, 4, 2]);
  });

  it('Bidirectional LSTM and GRU, every merge mode', async () => {
    await expectLayerExports(new layers.Bidirectional({ layer: new layers.LSTM({ units: 3, returnSequences: true }) }), [5, 2]);
    await expectLayerExports(new layers.Bidirectional({ layer: new layers.GRU({ units: 3 }), mergeMode: 'sum' }), [5, 2]);
    await expectLayerExports(new layers.Bidirectional({ layer: new layers.LSTM({ units: 2, returnSequences: true }), mergeMode: 'ave' }), [4, 2]);
    await expectLayerExports(new layers.Bidirectional({ layer: new layers.SimpleRNN({ units: 2 }), mergeMode: 'mul' }), [4, 2]);
    await expectLayerExports(new layers.Bidirectional({ layer: new layers.LSTM({ units: 2, returnState: true }) }), [4, 2]);
  });
});

describe('export to ONNX: RNN over a built-in cell', () => {
  it('RNN(LSTMCell), RNN(GRUCell) either reset_after, RNN(SimpleRNNCell) backwards, and inside Bidirectional', async () => {
    await expectLayerExports(new layers.RNN({ cell: new layers.LSTMCell({ units: 3 }), returnSequences: true }), [5, 2]);
    await expectLayerExports(new layers.RNN({ cell: new layers.LSTMCell({ units: 2 }), returnState: true }), [4, 3]);
    await expectLayerExports(new layers.RNN({ cell: new layers.GRUCell({ units: 3 }) }), [5, 2]);
    await expectLayerExports(new layers.RNN({ cell: new layers.GRUCell({ units: 3, resetAfter: false }), returnSequences: true }), [5, 2]);
    await expectLayerExports(new layers.RNN({ cell: new layers.SimpleRNNCell({ units: 2, activation: 'relu' }), goBackwards: true, returnSequences: true }), [4, 2]);
    await expectLayerExports(new layers.Bidirectional({ layer: new layers.RNN({ cell: new layers.GRUCell({ units: 2 }), returnSequences: true }) }), [4, 2]);
  });

  it('stacked cells are an error that says to use one layer per cell', async () => {
    const x = Input({ shape: [4, 2] });
    const rnn = new layers.RNN({ cell: [new layers.LSTMCell({ units: 2 }), new layers.LSTMCell({ units: 2 })] });
    const model = new Model({ inputs: x, outputs: rnn.apply(x) as KerasTensor });
    await expect(model.export(join(tmpdir(), 'never-written.onnx'), { format: 'onnx' })).rejects.toThrow(
      `export: layer '${rnn.name}' (RNN) uses a cell of class StackedRNNCells, which the ONNX export does not convert. Fix: use one RNN (or LSTM, GRU, SimpleRNN) layer per cell, returning sequences into the next.`,
    );
  });
});

describe('export to ONNX: attention', () => {
  async function expectAttentionExports(layer: layers.Layer, options: Record<string, unknown>, shapes: number[][]): Promise<void> {
    const inputs = shapes.map((shape) => Input({ shape }));
    const out = layer.apply(inputs, options) as KerasTensor | KerasTensor[];
    const model = new Model({ inputs, outputs: out });
    randomizeWeights(model);
    await expectOnnxMatchesPredict(model, shapes.map((shape, i) => sampleInput([2, ...shape], i + 1)));
  }

  it('Attention: dot, scaled, concat, causal, with scores', async () => {
    await expectAttentionExports(new layers.Attention(), {}, [[3, 4], [5, 4]]);
    await expectAttentionExports(new layers.Attention({ useScale: true }), { useCausalMask: true }, [[4, 4], [4, 4]]);
    await expectAttentionExports(new layers.Attention({ scoreMode: 'concat', useScale: true }), { returnAttentionScores: true }, [[3, 4], [5, 2], [5, 4]]);
  });

  it('MultiHeadAttention over image positions is an error naming the layer and its setting', async () => {
    const x = Input({ shape: [3, 3, 4] });
    const mha = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2 });
    const model = new Model({ inputs: x, outputs: mha.apply([x, x]) as KerasTensor });
    await expect(model.export(join(tmpdir(), 'never-written.onnx'), { format: 'onnx' })).rejects.toThrow(
      `export: layer '${mha.name}' (MultiHeadAttention) uses inputs of rank 4 with attention_axes null and output_shape null, which the ONNX export does not convert. Fix: export attention over the timesteps of (batch, timesteps, dim) inputs with one output axis.`,
    );
  });

  it('AdditiveAttention', async () => {
    await expectAttentionExports(new layers.AdditiveAttention(), {}, [[3, 4], [5, 4]]);
  });

  it('MultiHeadAttention: self, cross with a key, causal, with scores', async () => {
    await expectAttentionExports(new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3 }), {}, [[4, 6], [4, 6]]);
    await expectAttentionExports(new layers.MultiHeadAttention({ numHeads: 3, keyDim: 2, valueDim: 4, outputShape: 5 }), { returnAttentionScores: true }, [[3, 6], [5, 4], [5, 2]]);
    await expectAttentionExports(new layers.MultiHeadAttention({ numHeads: 2, keyDim: 4, useBias: false }), { useCausalMask: true }, [[5, 6], [5, 6]]);
  });
});
