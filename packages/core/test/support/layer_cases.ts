/**
 * Sample arguments for every layer class of the catalogue, and the model around one layer, shared by
 * the config round trip (saving_config_layers) and the file round trips (saving_roundtrip_catalogue).
 */
import { expect } from '@jest/globals';
import { Input, Model, layers, tensor, type KerasTensor, type Tensor } from '@keras-ts/core';

type Layer = layers.Layer;

export interface LayerCase {
  /** The layer to put in the model. */
  make: () => Layer;
  /** One shape per input, without the batch axis. */
  inputs: number[][];
  /** Call options for the layer (e.g. { training: false } is always added when running). */
  asList?: boolean;
  /** Input values are whole numbers in [0, integers) (Embedding, CategoryEncoding). */
  integers?: number;
}

const cell = (units = 3): Layer => new layers.SimpleRNNCell({ units });

/** Sample arguments for every layer class (InputLayer is in every model; Lambda is refused on load). */
export const CASES: Record<string, LayerCase> = {
  Dense: { make: () => new layers.Dense({ units: 3, activation: 'relu', kernelRegularizer: 'l2' }), inputs: [[4]] },
  EinsumDense: { make: () => new layers.EinsumDense({ equation: 'ab,bc->ac', outputShape: 3, biasAxes: 'c' } as never), inputs: [[4]] },
  Embedding: { make: () => new layers.Embedding({ inputDim: 6, outputDim: 3 }), inputs: [[4]], integers: 6 },
  Identity: { make: () => new layers.Identity(), inputs: [[3]] },
  Masking: { make: () => new layers.Masking({ maskValue: 0 }), inputs: [[3, 2]] },
  Activation: { make: () => new layers.Activation({ activation: 'tanh' }), inputs: [[3]] },
  ReLU: { make: () => new layers.ReLU({ maxValue: 2, negativeSlope: 0.1, threshold: 0.2 }), inputs: [[3]] },
  LeakyReLU: { make: () => new layers.LeakyReLU({ negativeSlope: 0.2 }), inputs: [[3]] },
  PReLU: { make: () => new layers.PReLU({ sharedAxes: [1] }), inputs: [[2, 3]] },
  ELU: { make: () => new layers.ELU({ alpha: 0.5 }), inputs: [[3]] },
  Softmax: { make: () => new layers.Softmax({ axis: -1 }), inputs: [[3]] },
  Add: { make: () => new layers.Add(), inputs: [[3], [3]], asList: true },
  Subtract: { make: () => new layers.Subtract(), inputs: [[3], [3]], asList: true },
  Multiply: { make: () => new layers.Multiply(), inputs: [[3], [3]], asList: true },
  Average: { make: () => new layers.Average(), inputs: [[3], [3]], asList: true },
  Maximum: { make: () => new layers.Maximum(), inputs: [[3], [3]], asList: true },
  Minimum: { make: () => new layers.Minimum(), inputs: [[3], [3]], asList: true },
  Concatenate: { make: () => new layers.Concatenate({ axis: -1 }), inputs: [[3], [2]], asList: true },
  Dot: { make: () => new layers.Dot({ axes: 1, normalize: true }), inputs: [[3], [3]], asList: true },
  Flatten: { make: () => new layers.Flatten(), inputs: [[2, 3]] },
  Reshape: { make: () => new layers.Reshape({ targetShape: [3, 2] }), inputs: [[6]] },
  Permute: { make: () => new layers.Permute({ dims: [2, 1] }), inputs: [[2, 3]] },
  RepeatVector: { make: () => new layers.RepeatVector({ n: 2 }), inputs: [[3]] },
  ZeroPadding1D: { make: () => new layers.ZeroPadding1D({ padding: [1, 2] }), inputs: [[3, 2]] },
  ZeroPadding2D: { make: () => new layers.ZeroPadding2D({ padding: [[1, 0], [0, 1]] }), inputs: [[2, 2, 1]] },
  ZeroPadding3D: { make: () => new layers.ZeroPadding3D({ padding: 1 }), inputs: [[2, 2, 2, 1]] },
  Cropping1D: { make: () => new layers.Cropping1D({ cropping: [1, 1] }), inputs: [[4, 2]] },
  Cropping2D: { make: () => new layers.Cropping2D({ cropping: [[1, 0], [0, 1]] }), inputs: [[3, 3, 1]] },
  Cropping3D: { make: () => new layers.Cropping3D({ cropping: 1 }), inputs: [[3, 3, 3, 1]] },
  UpSampling1D: { make: () => new layers.UpSampling1D({ size: 2 }), inputs: [[3, 2]] },
  UpSampling2D: { make: () => new layers.UpSampling2D({ size: [2, 1] }), inputs: [[2, 2, 1]] },
  UpSampling3D: { make: () => new layers.UpSampling3D({ size: 2 }), inputs: [[2, 2, 2, 1]] },
  Conv1D: { make: () => new layers.Conv1D({ filters: 2, kernelSize: 2, padding: 'same', dilationRate: 1, activation: 'relu' }), inputs: [[5, 3]] },
  Conv2D: { make: () => new layers.Conv2D({ filters: 2, kernelSize: [2, 2], strides: 1, useBias: false }), inputs: [[4, 4, 2]] },
  Conv3D: { make: () => new layers.Conv3D({ filters: 2, kernelSize: 2 }), inputs: [[3, 3, 3, 1]] },
  Conv1DTranspose: { make: () => new layers.Conv1DTranspose({ filters: 2, kernelSize: 2, strides: 2 }), inputs: [[3, 2]] },
  Conv2DTranspose: { make: () => new layers.Conv2DTranspose({ filters: 2, kernelSize: 2, strides: 2 }), inputs: [[2, 2, 1]] },
  Conv3DTranspose: { make: () => new layers.Conv3DTranspose({ filters: 1, kernelSize: 2 }), inputs: [[2, 2, 2, 1]] },
  SeparableConv1D: { make: () => new layers.SeparableConv1D({ filters: 2, kernelSize: 2, depthMultiplier: 2 }), inputs: [[4, 2]] },
  SeparableConv2D: { make: () => new layers.SeparableConv2D({ filters: 2, kernelSize: 2 }), inputs: [[3, 3, 2]] },
  DepthwiseConv1D: { make: () => new layers.DepthwiseConv1D({ kernelSize: 2, depthMultiplier: 2 }), inputs: [[4, 2]] },
  DepthwiseConv2D: { make: () => new layers.DepthwiseConv2D({ kernelSize: 2 }), inputs: [[3, 3, 2]] },
  MaxPooling1D: { make: () => new layers.MaxPooling1D({ poolSize: 2 }), inputs: [[4, 2]] },
  MaxPooling2D: { make: () => new layers.MaxPooling2D({ poolSize: [2, 2], padding: 'same' }), inputs: [[3, 3, 1]] },
  MaxPooling3D: { make: () => new layers.MaxPooling3D({ poolSize: 2 }), inputs: [[2, 2, 2, 1]] },
  AveragePooling1D: { make: () => new layers.AveragePooling1D({ poolSize: 2, strides: 1 }), inputs: [[4, 2]] },
  AveragePooling2D: { make: () => new layers.AveragePooling2D({ poolSize: 2 }), inputs: [[4, 4, 1]] },
  AveragePooling3D: { make: () => new layers.AveragePooling3D({ poolSize: 2 }), inputs: [[2, 2, 2, 1]] },
  GlobalMaxPooling1D: { make: () => new layers.GlobalMaxPooling1D(), inputs: [[3, 2]] },
  GlobalMaxPooling2D: { make: () => new layers.GlobalMaxPooling2D({ keepdims: true }), inputs: [[2, 2, 2]] },
  GlobalMaxPooling3D: { make: () => new layers.GlobalMaxPooling3D(), inputs: [[2, 2, 2, 1]] },
  GlobalAveragePooling1D: { make: () => new layers.GlobalAveragePooling1D(), inputs: [[3, 2]] },
  GlobalAveragePooling2D: { make: () => new layers.GlobalAveragePooling2D(), inputs: [[2, 2, 2]] },
  GlobalAveragePooling3D: { make: () => new layers.GlobalAveragePooling3D(), inputs: [[2, 2, 2, 1]] },
  BatchNormalization: { make: () => new layers.BatchNormalization({ momentum: 0.9, epsilon: 0.01 }), inputs: [[3]] },
  LayerNormalization: { make: () => new layers.LayerNormalization({ epsilon: 0.001 }), inputs: [[4]] },
  GroupNormalization: { make: () => new layers.GroupNormalization({ groups: 2 }), inputs: [[3, 4]] },
  UnitNormalization: { make: () => new layers.UnitNormalization(), inputs: [[3]] },
  Dropout: { make: () => new layers.Dropout({ rate: 0.3, seed: 1 }), inputs: [[3]] },
  SpatialDropout1D: { make: () => new layers.SpatialDropout1D({ rate: 0.3 }), inputs: [[3, 2]] },
  SpatialDropout2D: { make: () => new layers.SpatialDropout2D({ rate: 0.3 }), inputs: [[2, 2, 2]] },
  SpatialDropout3D: { make: () => new layers.SpatialDropout3D({ rate: 0.3 }), inputs: [[2, 2, 2, 1]] },
  GaussianNoise: { make: () => new layers.GaussianNoise({ stddev: 0.1 }), inputs: [[3]] },
  GaussianDropout: { make: () => new layers.GaussianDropout({ rate: 0.2 }), inputs: [[3]] },
  AlphaDropout: { make: () => new layers.AlphaDropout({ rate: 0.2 }), inputs: [[3]] },
  ActivityRegularization: { make: () => new layers.ActivityRegularization({ l1: 0.01, l2: 0.02 }), inputs: [[3]] },
  SimpleRNN: { make: () => new layers.SimpleRNN({ units: 3, returnSequences: true }), inputs: [[4, 2]] },
  LSTM: { make: () => new layers.LSTM({ units: 3, recurrentActivation: 'hard_sigmoid' }), inputs: [[4, 2]] },
  GRU: { make: () => new layers.GRU({ units: 3, resetAfter: false, goBackwards: true }), inputs: [[4, 2]] },
  RNN: { make: () => new layers.RNN({ cell: cell() }), inputs: [[4, 2]] },
  SimpleRNNCell: { make: () => new layers.RNN({ cell: new layers.SimpleRNNCell({ units: 2, activation: 'relu' }) }), inputs: [[3, 2]] },
  LSTMCell: { make: () => new layers.RNN({ cell: new layers.LSTMCell({ units: 2 }) }), inputs: [[3, 2]] },
  GRUCell: { make: () => new layers.RNN({ cell: new layers.GRUCell({ units: 2 }) }), inputs: [[3, 2]] },
  StackedRNNCells: { make: () => new layers.RNN({ cell: new layers.StackedRNNCells({ cells: [cell(2), cell(3)] }) }), inputs: [[3, 2]] },
  ConvLSTM2D: { make: () => new layers.ConvLSTM2D({ filters: 2, kernelSize: 2 }), inputs: [[2, 3, 3, 1]] },
  Bidirectional: { make: () => new layers.Bidirectional({ layer: new layers.LSTM({ units: 2, returnSequences: true }), mergeMode: 'concat' }), inputs: [[3, 2]] },
  TimeDistributed: { make: () => new layers.TimeDistributed({ layer: new layers.Dense({ units: 2 }) }), inputs: [[3, 4]] },
  Attention: { make: () => new layers.Attention({ useScale: true }), inputs: [[3, 4], [2, 4]], asList: true },
  AdditiveAttention: { make: () => new layers.AdditiveAttention(), inputs: [[3, 4], [2, 4]], asList: true },
  MultiHeadAttention: { make: () => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2 }), inputs: [[3, 4], [2, 4]], asList: true },
  Rescaling: { make: () => new layers.Rescaling({ scale: 0.5, offset: 1 }), inputs: [[3]] },
  CenterCrop: { make: () => new layers.CenterCrop({ height: 2, width: 2 }), inputs: [[4, 4, 1]] },
  Resizing: { make: () => new layers.Resizing({ height: 4, width: 2, interpolation: 'nearest' }), inputs: [[2, 2, 1]] },
  CategoryEncoding: { make: () => new layers.CategoryEncoding({ numTokens: 5, outputMode: 'count' }), inputs: [[3]], integers: 5 },
  Normalization: { make: () => new layers.Normalization({ mean: [1, 2, 3], variance: [1, 4, 9] }), inputs: [[3]] },
};

/** Not model parts that a config rebuilds: the base class, the input, and Lambda (code, refused on load). */
export const NOT_IN_TABLE = new Set(['Layer', 'InputLayer', 'Lambda']);

export function sampleInput(shape: number[], seed: number, integers?: number): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = Array.from({ length: size }, (_, i) => {
    const v = Math.sin(seed * 7.1 + i * 1.3);
    return integers ? Math.floor(Math.abs(v) * integers) % integers : v;
  });
  return tensor(data, shape);
}

export function buildModel(spec: LayerCase): Model {
  const inputs = spec.inputs.map((shape, i) => Input({ shape, name: `in_${i}`, ...(spec.integers ? { dtype: 'int32' } : {}) }));
  const layer = spec.make();
  const output = layer.apply(spec.asList ? inputs : inputs[0]) as KerasTensor | KerasTensor[];
  return new Model({ inputs: inputs.length === 1 ? inputs[0] : inputs, outputs: output });
}

export function expectSameOutputs(a: Model, b: Model, spec: LayerCase): void {
  const inputs = spec.inputs.map((shape, i) => sampleInput([2, ...shape], i + 1, spec.integers));
  const run = (m: Model): Tensor[] => {
    const out = m.apply(inputs.length === 1 ? inputs[0] : inputs, { training: false }) as Tensor | Tensor[];
    return Array.isArray(out) ? out : [out];
  };
  const expected = run(a);
  const actual = run(b);
  expect(actual.length).toBe(expected.length);
  expected.forEach((t, i) => {
    expect(actual[i].shape).toEqual(t.shape);
    const got = Array.from(actual[i].dataSync());
    Array.from(t.dataSync()).forEach((v, j) => expect(got[j]).toBeCloseTo(v, 5));
  });
}
