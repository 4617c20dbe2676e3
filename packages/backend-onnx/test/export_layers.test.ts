/**
 * Each layer the ONNX export converts, alone in a model (weights and statistics randomized so that
 * biases and moving averages count): the exported file, run by plain onnxruntime, gives
 * model.predict's values within 1e-5.
 */
import { beforeAll, describe, it } from '@jest/globals';
import { Input, Model, Sequential, layers, tensor, type Dim, type KerasTensor, type Tensor } from '@keras-ts/core';
import '../src/index.js';
import { useTestBackend } from '../../core/test/support/backend.js';
import { expectOnnxMatchesPredict, randomizeWeights, sampleInput } from './support/export_harness.js';

beforeAll(async () => {
  await useTestBackend();
});

/** Input(shape) → layer, weights randomized, exported and compared on a batch of 3. */
async function expectLayerExports(layer: layers.Layer, shape: number[], input?: Tensor): Promise<void> {
  const x = Input({ shape });
  const model = new Model({ inputs: x, outputs: layer.apply(x) as KerasTensor });
  randomizeWeights(model);
  await expectOnnxMatchesPredict(model, input ?? sampleInput([3, ...shape]));
}

describe('export to ONNX: core and activation layers', () => {
  it('Dense on a rank-3 input, with and without bias', async () => {
    await expectLayerExports(new layers.Dense({ units: 5, activation: 'gelu' }), [4, 6]);
    await expectLayerExports(new layers.Dense({ units: 5, useBias: false }), [6]);
  });

  it.each(['relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'log_softmax', 'elu', 'selu', 'gelu', 'softplus', 'softsign', 'leaky_relu', 'hard_sigmoid', 'hard_sigmoid_keras2', 'hard_silu', 'silu', 'mish', 'exponential'])(
    'Activation %s',
    async (activation) => {
      await expectLayerExports(new layers.Activation({ activation }), [2, 7], sampleInput([3, 2, 7], 4, 4));
    },
  );

  it('ReLU with max_value and negative_slope, LeakyReLU, ELU, Softmax on an inner axis, PReLU', async () => {
    await expectLayerExports(new layers.ReLU({ maxValue: 0.5, negativeSlope: 0.1 }), [8]);
    await expectLayerExports(new layers.LeakyReLU({ negativeSlope: 0.05 }), [8]);
    await expectLayerExports(new layers.ELU({ alpha: 0.7 }), [8]);
    await expectLayerExports(new layers.Softmax({ axis: 1 }), [4, 5]);
    await expectLayerExports(new layers.PReLU({ sharedAxes: [1] }), [3, 4]);
  });

  it('Embedding (int32 indices)', async () => {
    const indices = tensor([0, 3, 9, 2, 2, 7, 1, 5, 4], [3, 3], 'int32');
    const x = Input({ shape: [3], dtype: 'int32' });
    const model = new Model({ inputs: x, outputs: new layers.Embedding({ inputDim: 10, outputDim: 4 }).apply(x) });
    randomizeWeights(model);
    await expectOnnxMatchesPredict(model, indices);
  });

  it('Flatten, Reshape, Permute, RepeatVector, and the inference no-ops', async () => {
    await expectLayerExports(new layers.Flatten(), [2, 3, 4]);
    await expectLayerExports(new layers.Reshape({ targetShape: [6, -1] }), [3, 4]);
    await expectLayerExports(new layers.Permute({ dims: [2, 1, 3] }), [2, 3, 4]);
    await expectLayerExports(new layers.RepeatVector({ n: 3 }), [5]);
    const x = Input({ shape: [6] });
    const y = new layers.GaussianNoise({ stddev: 1 }).apply(new layers.Dropout({ rate: 0.3 }).apply(new layers.Identity().apply(x)));
    await expectOnnxMatchesPredict(new Model({ inputs: x, outputs: y }), sampleInput([3, 6]));
  });
});

describe('export to ONNX: convolution and pooling', () => {
  it('Conv1D: same, causal, dilated, strided', async () => {
    await expectLayerExports(new layers.Conv1D({ filters: 3, kernelSize: 4, padding: 'same' }), [9, 2]);
    await expectLayerExports(new layers.Conv1D({ filters: 3, kernelSize: 3, padding: 'causal', dilationRate: 2 }), [9, 2]);
    await expectLayerExports(new layers.Conv1D({ filters: 2, kernelSize: 2, strides: 2, activation: 'relu' }), [9, 2]);
  });

  it('Conv2D: groups, dilation, odd same padding with strides, channels_first', async () => {
    await expectLayerExports(new layers.Conv2D({ filters: 4, kernelSize: 3, groups: 2 }), [7, 6, 4]);
    await expectLayerExports(new layers.Conv2D({ filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same' }), [7, 6, 3]);
    await expectLayerExports(new layers.Conv2D({ filters: 2, kernelSize: 4, strides: 3, padding: 'same' }), [8, 7, 3]);
    await expectLayerExports(new layers.Conv2D({ filters: 2, kernelSize: 3, dataFormat: 'channels_first' }), [3, 6, 5]);
  });

  it('Conv3D', async () => {
    await expectLayerExports(new layers.Conv3D({ filters: 2, kernelSize: 2, padding: 'same' }), [4, 3, 5, 2]);
  });

  it('DepthwiseConv1D/2D and SeparableConv1D/2D', async () => {
    await expectLayerExports(new layers.DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }), [6, 5, 3]);
    await expectLayerExports(new layers.DepthwiseConv1D({ kernelSize: 3, depthMultiplier: 1 }), [8, 3]);
    await expectLayerExports(new layers.SeparableConv2D({ filters: 4, kernelSize: 3, depthMultiplier: 2, activation: 'relu' }), [6, 5, 3]);
    await expectLayerExports(new layers.SeparableConv1D({ filters: 2, kernelSize: 2, padding: 'same' }), [7, 3]);
  });

  it('max and average pooling, 1D to 3D, valid and same', async () => {
    await expectLayerExports(new layers.MaxPooling1D({ poolSize: 2 }), [7, 3]);
    await expectLayerExports(new layers.MaxPooling2D({ poolSize: 3, strides: 2, padding: 'same' }), [7, 6, 2]);
    await expectLayerExports(new layers.AveragePooling2D({ poolSize: 2, padding: 'same' }), [5, 5, 2]);
    await expectLayerExports(new layers.AveragePooling1D({ poolSize: 3, strides: 1 }), [6, 2]);
    await expectLayerExports(new layers.MaxPooling3D({ poolSize: 2 }), [4, 4, 4, 2]);
    await expectLayerExports(new layers.AveragePooling3D({ poolSize: 2, padding: 'same' }), [3, 4, 5, 2]);
  });

  it('global pooling, with and without keepdims', async () => {
    await expectLayerExports(new layers.GlobalAveragePooling2D(), [4, 5, 3]);
    await expectLayerExports(new layers.GlobalMaxPooling2D({ keepdims: true }), [4, 5, 3]);
    await expectLayerExports(new layers.GlobalAveragePooling1D(), [6, 3]);
    await expectLayerExports(new layers.GlobalMaxPooling1D(), [6, 3]);
    await expectLayerExports(new layers.GlobalAveragePooling3D(), [3, 3, 3, 2]);
  });
});

describe('export to ONNX: normalization and merging', () => {
  it('BatchNormalization (moving statistics) on the last axis and on axis 1', async () => {
    await expectLayerExports(new layers.BatchNormalization(), [5]);
    await expectLayerExports(new layers.BatchNormalization(), [4, 3, 6]);
    await expectLayerExports(new layers.BatchNormalization({ axis: 1 }), [4, 3, 2]);
    await expectLayerExports(new layers.BatchNormalization({ center: false, scale: false }), [5]);
  });

  it('LayerNormalization', async () => {
    await expectLayerExports(new layers.LayerNormalization(), [3, 6]);
    await expectLayerExports(new layers.LayerNormalization({ axis: [-2, -1] }), [3, 6]);
    await expectLayerExports(new layers.LayerNormalization({ rmsScaling: true }), [3, 6]);
  });

  it.each([
    ['Add', () => new layers.Add()],
    ['Subtract', () => new layers.Subtract()],
    ['Multiply', () => new layers.Multiply()],
    ['Average', () => new layers.Average()],
    ['Maximum', () => new layers.Maximum()],
    ['Minimum', () => new layers.Minimum()],
    ['Concatenate', () => new layers.Concatenate({ axis: 1 })],
  ] as const)('%s', async (_name, make) => {
    const a = Input({ shape: [3, 4] });
    const b = Input({ shape: [3, 4] });
    const model = new Model({ inputs: [a, b], outputs: make().apply([a, b]) });
    await expectOnnxMatchesPredict(model, [sampleInput([2, 3, 4], 1), sampleInput([2, 3, 4], 2)]);
  });
});

describe('export to ONNX: recurrent layers', () => {
  it('LSTM: sequences, states, backwards', async () => {
    await expectLayerExports(new layers.LSTM({ units: 5, returnSequences: true }), [6, 3]);
    await expectLayerExports(new layers.LSTM({ units: 5, goBackwards: true, returnSequences: true }), [6, 3]);
    await expectLayerExports(new layers.LSTM({ units: 4, returnState: true }), [6, 3]);
  });

  it('GRU with reset_after true and false', async () => {
    await expectLayerExports(new layers.GRU({ units: 5 }), [6, 3]);
    await expectLayerExports(new layers.GRU({ units: 5, resetAfter: false, returnSequences: true }), [6, 3]);
    await expectLayerExports(new layers.GRU({ units: 4, goBackwards: true, returnState: true }), [6, 3]);
  });

  it('recurrent activations other than the defaults', async () => {
    await expectLayerExports(new layers.LSTM({ units: 3, recurrentActivation: 'hard_sigmoid', activation: 'relu' }), [5, 2]);
    await expectLayerExports(new layers.LSTM({ units: 3, recurrentActivation: 'hard_sigmoid_keras2' }), [5, 2]);
    await expectLayerExports(new layers.GRU({ units: 3, recurrentActivation: 'hard_sigmoid', returnSequences: true }), [5, 2]);
  });

  it('SimpleRNN', async () => {
    await expectLayerExports(new layers.SimpleRNN({ units: 5, returnSequences: true }), [6, 3]);
    await expectLayerExports(new layers.SimpleRNN({ units: 4, activation: 'relu' }), [6, 3]);
  });

  it('an LSTM given initial states', async () => {
    const sequence = Input({ shape: [5, 3] });
    const h = Input({ shape: [4] });
    const c = Input({ shape: [4] });
    const out = new layers.LSTM({ units: 4 }).apply(sequence, { initialState: [h, c] });
    const model = new Model({ inputs: [sequence, h, c], outputs: out });
    randomizeWeights(model);
    await expectOnnxMatchesPredict(model, [sampleInput([2, 5, 3], 1), sampleInput([2, 4], 2), sampleInput([2, 4], 3)]);
  });
});

describe('export to ONNX: nested models', () => {
  it('a Sequential inside a functional model is inlined', async () => {
    const inner = new Sequential([Input({ shape: [6] }), new layers.Dense({ units: 4, activation: 'relu' }), new layers.Dense({ units: 6 })]);
    const x = Input({ shape: [6] });
    const y = new layers.Add().apply([inner.apply(x) as KerasTensor, x]);
    const model = new Model({ inputs: x, outputs: y });
    randomizeWeights(model);
    await expectOnnxMatchesPredict(model, sampleInput([3, 6]));
  });

  it('an unknown sequence length stays symbolic', async () => {
    const x = Input({ shape: [null, 3] as Dim[] });
    const y = new layers.Conv1D({ filters: 2, kernelSize: 3, padding: 'same' }).apply(x);
    const model = new Model({ inputs: x, outputs: new layers.GlobalMaxPooling1D().apply(y) });
    await expectOnnxMatchesPredict(model, sampleInput([2, 7, 3]));
  });
});
