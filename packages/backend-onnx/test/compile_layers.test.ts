/**
 * Compiled predict for every layer of the catalogue: a small functional model around each layer
 * predicts eagerly (jitCompile: false) and then compiled (the third call of a signature runs the
 * recorded graph); the two agree within float32 tolerance. Layers whose step cannot be compiled are
 * listed in FALLBACKS and must report that they stayed eager, with the reason. A compiled Embedding
 * or CategoryEncoding still rejects an index out of range with the layer's own error.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { compiledStepReport, layers, Model, registerBackend, setBackend, tensor, type DType, type Tensor } from '@keras-ts/core';
import { createOnnxBackend } from '../src/index.js';

beforeAll(async () => {
  registerBackend('onnx', () => createOnnxBackend());
  await setBackend('onnx');
});

interface Case {
  make: () => layers.Layer;
  /** Input shapes without the batch axis (several for layers of several inputs). */
  inputs: number[][];
  dtype?: DType;
  /** Integer inputs in [0, max). */
  max?: number;
}

const rnnCell = () => new layers.SimpleRNNCell({ units: 3 });

const CASES: Record<string, Case> = {
  Dense: { make: () => new layers.Dense({ units: 3, activation: 'tanh' }), inputs: [[4]] },
  EinsumDense: { make: () => new layers.EinsumDense({ equation: '...b,bc->...c', outputShape: 3 }), inputs: [[2, 4]] },
  Activation: { make: () => new layers.Activation({ activation: 'gelu' }), inputs: [[5]] },
  Identity: { make: () => new layers.Identity(), inputs: [[3]] },
  Lambda: { make: () => new layers.Lambda({ function: (x: Tensor | Tensor[]) => x }), inputs: [[3]] },
  ReLU: { make: () => new layers.ReLU({ maxValue: 2, negativeSlope: 0.5, threshold: 0.1 }), inputs: [[5]] },
  LeakyReLU: { make: () => new layers.LeakyReLU(), inputs: [[5]] },
  PReLU: { make: () => new layers.PReLU(), inputs: [[5]] },
  ELU: { make: () => new layers.ELU(), inputs: [[5]] },
  Softmax: { make: () => new layers.Softmax(), inputs: [[5]] },
  Add: { make: () => new layers.Add(), inputs: [[3], [3]] },
  Subtract: { make: () => new layers.Subtract(), inputs: [[3], [3]] },
  Multiply: { make: () => new layers.Multiply(), inputs: [[3], [3]] },
  Average: { make: () => new layers.Average(), inputs: [[3], [3]] },
  Maximum: { make: () => new layers.Maximum(), inputs: [[3], [3]] },
  Minimum: { make: () => new layers.Minimum(), inputs: [[3], [3]] },
  Concatenate: { make: () => new layers.Concatenate(), inputs: [[3], [2]] },
  Dot: { make: () => new layers.Dot({ axes: [2, 1], normalize: true }), inputs: [[2, 3], [3, 4]] },
  Flatten: { make: () => new layers.Flatten(), inputs: [[2, 3]] },
  Reshape: { make: () => new layers.Reshape({ targetShape: [3, 2] }), inputs: [[6]] },
  Permute: { make: () => new layers.Permute({ dims: [2, 1] }), inputs: [[2, 3]] },
  RepeatVector: { make: () => new layers.RepeatVector({ n: 3 }), inputs: [[2]] },
  ZeroPadding1D: { make: () => new layers.ZeroPadding1D({ padding: 1 }), inputs: [[3, 2]] },
  ZeroPadding2D: { make: () => new layers.ZeroPadding2D({ padding: 1 }), inputs: [[3, 3, 2]] },
  ZeroPadding3D: { make: () => new layers.ZeroPadding3D({ padding: 1 }), inputs: [[2, 2, 2, 1]] },
  Cropping1D: { make: () => new layers.Cropping1D({ cropping: 1 }), inputs: [[4, 2]] },
  Cropping2D: { make: () => new layers.Cropping2D({ cropping: 1 }), inputs: [[4, 4, 2]] },
  Cropping3D: { make: () => new layers.Cropping3D({ cropping: 1 }), inputs: [[4, 4, 4, 1]] },
  UpSampling1D: { make: () => new layers.UpSampling1D({ size: 2 }), inputs: [[3, 2]] },
  UpSampling2D: { make: () => new layers.UpSampling2D({ size: 2 }), inputs: [[2, 2, 2]] },
  UpSampling3D: { make: () => new layers.UpSampling3D({ size: 2 }), inputs: [[2, 2, 2, 1]] },
  Conv1D: { make: () => new layers.Conv1D({ filters: 3, kernelSize: 2, padding: 'same' }), inputs: [[5, 2]] },
  Conv2D: { make: () => new layers.Conv2D({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }), inputs: [[6, 6, 2]] },
  Conv3D: { make: () => new layers.Conv3D({ filters: 2, kernelSize: 2 }), inputs: [[3, 3, 3, 1]] },
  Conv1DTranspose: { make: () => new layers.Conv1DTranspose({ filters: 2, kernelSize: 3, strides: 2 }), inputs: [[4, 2]] },
  Conv2DTranspose: { make: () => new layers.Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }), inputs: [[3, 3, 2]] },
  Conv3DTranspose: { make: () => new layers.Conv3DTranspose({ filters: 1, kernelSize: [2, 1, 1], strides: [2, 1, 1] }), inputs: [[2, 2, 2, 1]] },
  SeparableConv1D: { make: () => new layers.SeparableConv1D({ filters: 3, kernelSize: 2 }), inputs: [[5, 2]] },
  SeparableConv2D: { make: () => new layers.SeparableConv2D({ filters: 3, kernelSize: 2 }), inputs: [[4, 4, 2]] },
  DepthwiseConv1D: { make: () => new layers.DepthwiseConv1D({ kernelSize: 2, depthMultiplier: 2 }), inputs: [[5, 2]] },
  DepthwiseConv2D: { make: () => new layers.DepthwiseConv2D({ kernelSize: 2, depthMultiplier: 2 }), inputs: [[4, 4, 2]] },
  MaxPooling1D: { make: () => new layers.MaxPooling1D({ poolSize: 2 }), inputs: [[6, 2]] },
  MaxPooling2D: { make: () => new layers.MaxPooling2D({ poolSize: 2, padding: 'same' }), inputs: [[5, 5, 2]] },
  MaxPooling3D: { make: () => new layers.MaxPooling3D({ poolSize: 2 }), inputs: [[4, 4, 4, 1]] },
  AveragePooling1D: { make: () => new layers.AveragePooling1D({ poolSize: 2 }), inputs: [[6, 2]] },
  AveragePooling2D: { make: () => new layers.AveragePooling2D({ poolSize: 2 }), inputs: [[4, 4, 2]] },
  AveragePooling3D: { make: () => new layers.AveragePooling3D({ poolSize: 2 }), inputs: [[4, 4, 4, 1]] },
  GlobalMaxPooling1D: { make: () => new layers.GlobalMaxPooling1D(), inputs: [[4, 3]] },
  GlobalMaxPooling2D: { make: () => new layers.GlobalMaxPooling2D(), inputs: [[3, 3, 2]] },
  GlobalMaxPooling3D: { make: () => new layers.GlobalMaxPooling3D(), inputs: [[2, 2, 2, 2]] },
  GlobalAveragePooling1D: { make: () => new layers.GlobalAveragePooling1D(), inputs: [[4, 3]] },
  GlobalAveragePooling2D: { make: () => new layers.GlobalAveragePooling2D(), inputs: [[3, 3, 2]] },
  GlobalAveragePooling3D: { make: () => new layers.GlobalAveragePooling3D(), inputs: [[2, 2, 2, 2]] },
  BatchNormalization: { make: () => new layers.BatchNormalization(), inputs: [[4]] },
  LayerNormalization: { make: () => new layers.LayerNormalization(), inputs: [[4]] },
  GroupNormalization: { make: () => new layers.GroupNormalization({ groups: 2 }), inputs: [[3, 4]] },
  UnitNormalization: { make: () => new layers.UnitNormalization(), inputs: [[4]] },
  Dropout: { make: () => new layers.Dropout({ rate: 0.5 }), inputs: [[4]] },
  SpatialDropout1D: { make: () => new layers.SpatialDropout1D({ rate: 0.5 }), inputs: [[3, 2]] },
  SpatialDropout2D: { make: () => new layers.SpatialDropout2D({ rate: 0.5 }), inputs: [[2, 2, 2]] },
  SpatialDropout3D: { make: () => new layers.SpatialDropout3D({ rate: 0.5 }), inputs: [[2, 2, 2, 2]] },
  GaussianNoise: { make: () => new layers.GaussianNoise({ stddev: 0.5 }), inputs: [[4]] },
  GaussianDropout: { make: () => new layers.GaussianDropout({ rate: 0.5 }), inputs: [[4]] },
  AlphaDropout: { make: () => new layers.AlphaDropout({ rate: 0.5 }), inputs: [[4]] },
  ActivityRegularization: { make: () => new layers.ActivityRegularization({ l1: 0.1 }), inputs: [[4]] },
  Masking: { make: () => new layers.Masking({ maskValue: 0 }), inputs: [[3, 2]] },
  Embedding: { make: () => new layers.Embedding({ inputDim: 6, outputDim: 3 }), inputs: [[4]], dtype: 'int32', max: 6 },
  SimpleRNN: { make: () => new layers.SimpleRNN({ units: 3 }), inputs: [[4, 2]] },
  GRU: { make: () => new layers.GRU({ units: 3, returnSequences: true }), inputs: [[4, 2]] },
  LSTM: { make: () => new layers.LSTM({ units: 3 }), inputs: [[4, 2]] },
  RNN: { make: () => new layers.RNN({ cell: rnnCell() }), inputs: [[4, 2]] },
  StackedRNNCells: { make: () => new layers.RNN({ cell: new layers.StackedRNNCells({ cells: [rnnCell(), new layers.LSTMCell({ units: 2 }), new layers.GRUCell({ units: 2 })] }) }), inputs: [[4, 2]] },
  Bidirectional: { make: () => new layers.Bidirectional({ layer: new layers.LSTM({ units: 2 }) }), inputs: [[3, 2]] },
  TimeDistributed: { make: () => new layers.TimeDistributed({ layer: new layers.Dense({ units: 2 }) }), inputs: [[3, 4]] },
  ConvLSTM2D: { make: () => new layers.ConvLSTM2D({ filters: 2, kernelSize: 2, padding: 'same' }), inputs: [[2, 3, 3, 1]] },
  Attention: { make: () => new layers.Attention({ useScale: true }), inputs: [[2, 3], [4, 3]] },
  AdditiveAttention: { make: () => new layers.AdditiveAttention(), inputs: [[2, 3], [4, 3]] },
  MultiHeadAttention: { make: () => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2 }), inputs: [[3, 4], [3, 4]] },
  Rescaling: { make: () => new layers.Rescaling({ scale: 0.5, offset: -1 }), inputs: [[3]] },
  CenterCrop: { make: () => new layers.CenterCrop({ height: 2, width: 2 }), inputs: [[4, 4, 1]] },
  Resizing: { make: () => new layers.Resizing({ height: 3, width: 5 }), inputs: [[4, 4, 1]] },
  Normalization: { make: () => new layers.Normalization({ mean: 1, variance: 4 }), inputs: [[3]] },
  CategoryEncoding: { make: () => new layers.CategoryEncoding({ numTokens: 4, outputMode: 'multi_hot' }), inputs: [[3]], dtype: 'int32', max: 4 },
};

/**
 * Layers whose compiled predict stays eager, and why. None now: Embedding and CategoryEncoding check
 * their integer inputs' range on the host, and a compiled step repeats those checks before each run.
 */
const FALLBACKS: Record<string, RegExp> = {};

const BATCH = 2;

function inputData(shape: number[], c: Case, seed: number): Tensor {
  const size = BATCH * shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: size }, (_, i) => (c.max !== undefined ? (i * 7 + seed) % c.max : Math.sin(i * 1.7 + seed) * 2));
  return tensor(values, [BATCH, ...shape], c.dtype ?? 'float32');
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want[i])));
}

const outputsOf = (y: Tensor | Tensor[]): Tensor[] => (Array.isArray(y) ? y : [y]);

describe('compiled predict per catalogue layer', () => {
  it.each(Object.keys(CASES))('%s', async (name) => {
    const c = CASES[name];
    const inputs = c.inputs.map((shape) => layers.Input({ shape, dtype: c.dtype }));
    const output = c.make().apply(inputs.length === 1 ? inputs[0] : inputs);
    const model = new Model({ inputs, outputs: output as never });
    const x = c.inputs.map((shape, i) => inputData(shape, c, i));
    const feed = x.length === 1 ? x[0] : x;
    model.compile({ jitCompile: false });
    const eager = outputsOf(await model.predict(feed as never));
    model.compile({});
    let compiled: Tensor[] = [];
    for (let i = 0; i < 3; i++) {
      compiled.forEach((t) => t.dispose());
      compiled = outputsOf(await model.predict(feed as never));
    }
    const report = compiledStepReport(model).predict?.[0];
    if (FALLBACKS[name]) {
      expect(report).toMatchObject({ status: 'eager' });
      expect(report?.reason).toMatch(FALLBACKS[name]);
    } else {
      expect(report).toMatchObject({ status: 'compiled' });
    }
    compiled.forEach((t, i) => expectClose(t.dataSync(), eager[i].dataSync()));
    [...eager, ...compiled, ...x].forEach((t) => t.dispose());
  });
});

describe('compiled steps check integer inputs on the host before each run', () => {
  it('Embedding: a compiled predict throws the same RangeError as eager for an index out of range, and negative indices count from the end', async () => {
    const input = layers.Input({ shape: [3], dtype: 'int32' });
    const model = new Model({ inputs: input, outputs: new layers.Embedding({ inputDim: 5, outputDim: 2 }).apply(input) as never });
    model.compile({});
    const good = tensor([0, 4, 1, 2, 3, 0], [2, 3], 'int32');
    for (let i = 0; i < 3; i++) ((await model.predict(good)) as Tensor).dispose();
    expect(compiledStepReport(model).predict?.[0]).toMatchObject({ status: 'compiled' });
    const negative = tensor([-1, 4, 1, 2, -5, 0], [2, 3], 'int32');
    const compiled = (await model.predict(negative)) as Tensor;
    model.compile({ jitCompile: false });
    const eager = (await model.predict(negative)) as Tensor;
    expectClose(compiled.dataSync(), eager.dataSync());
    const bad = tensor([0, 5, 1, 2, 3, 0], [2, 3], 'int32');
    await expect(model.predict(bad)).rejects.toThrow('take: index 5 is out of bounds for axis 0 of size 5');
    model.compile({});
    for (let i = 0; i < 3; i++) ((await model.predict(good)) as Tensor).dispose();
    expect(compiledStepReport(model).predict?.[0]).toMatchObject({ status: 'compiled' });
    await expect(model.predict(bad)).rejects.toThrow('take: index 5 is out of bounds for axis 0 of size 5');
    // The failed check ran before the graph: the step is still compiled and still right.
    const again = (await model.predict(negative)) as Tensor;
    expect(compiledStepReport(model).predict?.[0]).toMatchObject({ status: 'compiled' });
    expectClose(again.dataSync(), eager.dataSync());
    [good, negative, bad, compiled, eager, again].forEach((t) => t.dispose());
  });

  it('CategoryEncoding: a compiled predict rejects a token past numTokens with the layer\'s error', async () => {
    const input = layers.Input({ shape: [3], dtype: 'int32' });
    const model = new Model({ inputs: input, outputs: new layers.CategoryEncoding({ numTokens: 4, outputMode: 'count' }).apply(input) as never });
    model.compile({});
    const good = tensor([0, 3, 3, 1, 2, 0], [2, 3], 'int32');
    for (let i = 0; i < 3; i++) ((await model.predict(good)) as Tensor).dispose();
    expect(compiledStepReport(model).predict?.[0]).toMatchObject({ status: 'compiled' });
    const bad = tensor([0, 3, 4, 1, 2, 0], [2, 3], 'int32');
    await expect(model.predict(bad)).rejects.toThrow('input values must be integers with 0 <= value < numTokens (4); got 4');
    [good, bad].forEach((t) => t.dispose());
  });
});
