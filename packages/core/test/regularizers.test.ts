/** Weight regularizers and constraints: values by hand, the losses they add in training, and config round trips. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Input, Model, Sequential, constraints, layers, regularizers, tensor, utils, type Tensor } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
});

const W = [
  [1, -2, 3],
  [-4, 5, -6],
];
const flat = W.flat();

function values(t: Tensor): number[] {
  return Array.from(t.dataSync() as Float32Array);
}

function scalar(t: Tensor): number {
  return values(t)[0];
}

function lossOf(result: number | number[]): number {
  return Array.isArray(result) ? result[0] : result;
}

describe('regularizers', () => {
  it('l1, l2 and l1_l2 compute their penalties', () => {
    const w = tensor(W);
    const sumAbs = flat.reduce((a, b) => a + Math.abs(b), 0);
    const sumSq = flat.reduce((a, b) => a + b * b, 0);
    expect(scalar(regularizers.get('l1')!.call(w))).toBeCloseTo(0.01 * sumAbs, 5);
    expect(scalar(regularizers.get('l2')!.call(w))).toBeCloseTo(0.01 * sumSq, 5);
    expect(scalar(regularizers.get('l1_l2')!.call(w))).toBeCloseTo(0.01 * sumAbs + 0.01 * sumSq, 5);
    expect(scalar(new regularizers.L1L2({ l1: 0.5, l2: 0.25 }).call(w))).toBeCloseTo(0.5 * sumAbs + 0.25 * sumSq, 4);
  });

  it('get takes a name, a config or an instance, and rejects unknown names', () => {
    expect(regularizers.get(null)).toBeNull();
    expect(regularizers.get(undefined)).toBeNull();
    const fromConfig = regularizers.get({ class_name: 'L2', config: { l2: 0.3 } });
    expect(fromConfig).toBeInstanceOf(regularizers.L2);
    expect(scalar(fromConfig!.call(tensor([1, 2])))).toBeCloseTo(0.3 * 5, 5);
    const l1 = new regularizers.L1({ l1: 0.2 });
    expect(regularizers.get(l1)).toBe(l1);
    expect(regularizers.serialize(regularizers.get('l2'))).toMatchObject({ class_name: 'L2', config: { l2: 0.01 } });
    expect(regularizers.get(regularizers.serialize(l1))).toBeInstanceOf(regularizers.L1);
    expect(() => regularizers.get('l3')).toThrow(/Could not interpret regularizer identifier/);
  });
});

describe('constraints', () => {
  // Column norms (axis 0) of W: sqrt(17), sqrt(29), sqrt(45).
  const norms = [0, 1, 2].map((j) => Math.hypot(W[0][j], W[1][j]));

  it('max_norm rescales the columns whose norm exceeds the maximum', () => {
    const out = values(new constraints.MaxNorm({ maxValue: 5 }).call(tensor(W)));
    const expected = W.flat().map((v, i) => {
      const n = norms[i % 3];
      return (v * Math.min(n, 5)) / (n + 1e-7);
    });
    out.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
  });

  it('non_neg zeroes the negative entries', () => {
    expect(values(constraints.get('non_neg')!.call(tensor(W))).map((v) => v + 0)).toEqual([1, 0, 3, 0, 5, 0]);
  });

  it('unit_norm gives each column norm 1', () => {
    const out = values(constraints.get('unit_norm')!.call(tensor(W)));
    out.forEach((v, i) => expect(v).toBeCloseTo(flat[i] / norms[i % 3], 4));
  });

  it('min_max_norm clips the column norms into [min, max]', () => {
    const c = new constraints.MinMaxNorm({ minValue: 4.5, maxValue: 6, rate: 1 });
    const out = values(c.call(tensor(W)));
    const clipped = norms.map((n) => Math.min(Math.max(n, 4.5), 6));
    out.forEach((v, i) => expect(v).toBeCloseTo((flat[i] * clipped[i % 3]) / norms[i % 3], 3));
  });

  it('get takes names and configs, and rejects unknown names', () => {
    expect(constraints.get(null)).toBeNull();
    expect(constraints.get('max_norm')).toBeInstanceOf(constraints.MaxNorm);
    expect(constraints.get({ class_name: 'NonNeg', config: {} })).toBeInstanceOf(constraints.NonNeg);
    expect(() => constraints.get('positive')).toThrow(/Could not interpret constraint identifier/);
  });
});

describe('regularized layers in training', () => {
  it('a Dense kernel_regularizer adds 0.01·sum(kernel²) to losses and to evaluate', async () => {
    utils.setRandomSeed(7);
    const input = Input({ shape: [3] });
    const dense = new layers.Dense({ units: 2, kernelRegularizer: 'l2', useBias: false });
    const model = new Model({ inputs: [input], outputs: [dense.apply(input)] });
    const kernel = values(dense.kernel!.value);
    const penalty = 0.01 * kernel.reduce((a, b) => a + b * b, 0);
    expect(dense.losses).toHaveLength(1);
    expect(scalar(dense.losses[0])).toBeCloseTo(penalty, 5);

    const x = [[1, 2, 3], [-1, 0.5, 2]];
    const y = [[0.5, -1], [2, 1]];
    const pred = values((await model.predict(x)) as Tensor);
    let mse = 0;
    y.flat().forEach((t, i) => (mse += (pred[i] - t) ** 2));
    mse /= 4;
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const result = (await model.evaluate(x, y, { verbose: 0 })) as number | number[];
    expect(lossOf(result)).toBeCloseTo(mse + penalty, 4);
  });

  it('a Dense kernel_constraint non_neg keeps the kernel non-negative after fit', async () => {
    utils.setRandomSeed(3);
    const dense = new layers.Dense({ units: 1, kernelConstraint: 'non_neg', kernelInitializer: 'ones' });
    const model = new Sequential([Input({ shape: [2] }), dense]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    // The targets are far below the outputs, so the gradient pushes every kernel entry down hard.
    await model.fit([[1, 1], [2, 2]], [[-100], [-200]], { epochs: 1, batchSize: 2, verbose: 0 });
    const kernel = values(dense.kernel!.value);
    expect(kernel.every((v) => v >= 0)).toBe(true);
    expect(kernel).toContain(0);
  });

  it('regularized weights of conv and recurrent layers (and their cells) show up in model.losses', () => {
    const seq = Input({ shape: [5, 3] });
    const lstm = new layers.LSTM({ units: 2, kernelRegularizer: 'l2', recurrentRegularizer: 'l1', biasRegularizer: 'l2' });
    const gru = new layers.GRU({ units: 2, kernelRegularizer: 'l1' });
    const rnnModel = new Model({ inputs: [seq], outputs: [lstm.apply(seq), gru.apply(seq)] });
    expect(rnnModel.losses).toHaveLength(4);
    const cell = lstm.cell;
    const expected = 0.01 * values(cell.kernel!.value).reduce((a, b) => a + b * b, 0);
    expect(scalar(lstm.losses[0])).toBeCloseTo(expected, 5);
    const image = Input({ shape: [6, 6, 2] });
    const conv = new layers.Conv2D({ filters: 2, kernelSize: 3, kernelRegularizer: 'l1', biasRegularizer: 'l2' });
    const convModel = new Model({ inputs: [image], outputs: [conv.apply(image)] });
    expect(convModel.losses).toHaveLength(2);
    const bn = new layers.BatchNormalization({ gammaRegularizer: 'l2', betaRegularizer: 'l1' });
    const ln = new layers.LayerNormalization({ gammaRegularizer: 'l2' });
    const gn = new layers.GroupNormalization({ groups: 2, betaRegularizer: 'l1' });
    const normModel = new Model({ inputs: [image], outputs: [gn.apply(ln.apply(bn.apply(image)))] });
    expect(normModel.losses).toHaveLength(4);
    // gamma starts at ones: 0.01 · 2 channels.
    expect(scalar(bn.losses[0])).toBeCloseTo(0.02, 6);
  });

  it('EinsumDense, Embedding, PReLU, MultiHeadAttention and separable/depthwise/transposed convs take them too', () => {
    const seq = Input({ shape: [4, 6] });
    const einsum = new layers.EinsumDense({ equation: 'abc,cd->abd', outputShape: [null, 3], biasAxes: 'd', kernelRegularizer: 'l2', biasRegularizer: 'l1', kernelConstraint: 'max_norm' });
    const prelu = new layers.PReLU({ alphaRegularizer: 'l1', alphaConstraint: 'non_neg' });
    const mha = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, kernelRegularizer: 'l2', biasConstraint: 'non_neg' });
    const seqModel = new Model({ inputs: [seq], outputs: [prelu.apply(einsum.apply(seq)), mha.apply([seq, seq])] });
    // einsum kernel + bias, prelu alpha, and the four kernels of the attention.
    expect(seqModel.losses).toHaveLength(7);
    expect(einsum.kernel!.constraint).toBeInstanceOf(constraints.MaxNorm);
    expect(einsum.getConfig()).toMatchObject({ kernel_regularizer: { class_name: 'L2' }, bias_regularizer: { class_name: 'L1' }, kernel_constraint: { class_name: 'MaxNorm' } });
    expect(prelu.getConfig()).toMatchObject({ alpha_regularizer: { class_name: 'L1' }, alpha_constraint: { class_name: 'NonNeg' } });
    expect(mha.getConfig()).toMatchObject({ kernel_regularizer: { class_name: 'L2' }, bias_regularizer: null, bias_constraint: { class_name: 'NonNeg' } });

    const ids = Input({ shape: [3] });
    const embedding = new layers.Embedding({ inputDim: 5, outputDim: 2, embeddingsRegularizer: 'l2', embeddingsConstraint: 'unit_norm' });
    const embeddingModel = new Model({ inputs: [ids], outputs: [embedding.apply(ids)] });
    expect(embeddingModel.losses).toHaveLength(1);
    expect(embedding.getConfig()).toMatchObject({ embeddings_regularizer: { class_name: 'L2' }, embeddings_constraint: { class_name: 'UnitNorm' } });

    const image = Input({ shape: [6, 6, 2] });
    const separable = new layers.SeparableConv2D({ filters: 2, kernelSize: 3, depthwiseRegularizer: 'l1', pointwiseRegularizer: 'l2', biasRegularizer: 'l2', pointwiseConstraint: 'non_neg' });
    const depthwise = new layers.DepthwiseConv2D({ kernelSize: 3, depthwiseRegularizer: 'l1', depthwiseConstraint: 'max_norm' });
    const transpose = new layers.Conv2DTranspose({ filters: 2, kernelSize: 3, kernelRegularizer: 'l2', biasConstraint: 'non_neg' });
    const convModel = new Model({ inputs: [image], outputs: [separable.apply(image), depthwise.apply(image), transpose.apply(image)] });
    expect(convModel.losses).toHaveLength(5);
    expect(separable.getConfig()).toMatchObject({ depthwise_regularizer: { class_name: 'L1' }, pointwise_constraint: { class_name: 'NonNeg' }, depthwise_constraint: null });
    expect(depthwise.getConfig()).toMatchObject({ depthwise_regularizer: { class_name: 'L1' }, depthwise_constraint: { class_name: 'MaxNorm' } });
    expect(transpose.getConfig()).toMatchObject({ kernel_regularizer: { class_name: 'L2' }, bias_constraint: { class_name: 'NonNeg' } });
  });

  it('ConvLSTM2D and SimpleRNN take them; a bare RNN wrapper and loraRank still refuse', () => {
    const convLstm = new layers.ConvLSTM2D({ filters: 2, kernelSize: 3, kernelRegularizer: 'l2', recurrentConstraint: 'max_norm', biasRegularizer: 'l1' });
    const video = Input({ shape: [2, 5, 5, 1] });
    const simple = new layers.SimpleRNN({ units: 2, recurrentRegularizer: 'l2' });
    const seq = Input({ shape: [3, 2] });
    const model = new Model({ inputs: [video, seq], outputs: [convLstm.apply(video), simple.apply(seq)] });
    expect(model.losses).toHaveLength(3);
    expect(convLstm.getConfig()).toMatchObject({ kernel_regularizer: { class_name: 'L2' }, recurrent_constraint: { class_name: 'MaxNorm' }, bias_regularizer: { class_name: 'L1' } });
    expect(simple.getConfig()).toMatchObject({ recurrent_regularizer: { class_name: 'L2' }, kernel_regularizer: null });
    expect(() => new layers.RNN({ cell: new layers.LSTMCell({ units: 2 }), kernelRegularizer: 'l2' } as never)).toThrow(/kernelRegularizer is an argument of the cell/);
    expect(() => new layers.Conv1D({ filters: 2, kernelSize: 3, loraRank: 4 } as never)).toThrow(/loraRank is not supported/);
  });

  it('ActivityRegularization adds 0.1·sum|x| to evaluate', async () => {
    const input = Input({ shape: [3] });
    const model = new Model({ inputs: [input], outputs: [new layers.ActivityRegularization({ l1: 0.1 }).apply(input)] });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = [[1, -2, 3]];
    const y = [[0, 0, 0]];
    const mse = (1 + 4 + 9) / 3;
    const result = (await model.evaluate(x, y, { verbose: 0 })) as number | number[];
    expect(lossOf(result)).toBeCloseTo(mse + 0.1 * 6, 4);
  });
});

describe('config round trips keep the regularizers and constraints', () => {
  const l2 = { class_name: 'L2', config: { l2: 0.02 } };
  const cases: [string, () => { getConfig(): Record<string, unknown> }, (c: Record<string, unknown>) => { getConfig(): Record<string, unknown> }][] = [
    ['Dense', () => new layers.Dense({ units: 3, kernelRegularizer: l2, biasRegularizer: 'l1', kernelConstraint: 'max_norm', biasConstraint: 'non_neg', activityRegularizer: 'l2' }), (c) => layers.Dense.fromConfig(c)],
    ['Conv2D', () => new layers.Conv2D({ filters: 2, kernelSize: 3, kernelRegularizer: 'l1_l2', biasRegularizer: l2, kernelConstraint: 'unit_norm', biasConstraint: 'non_neg' }), (c) => layers.Conv2D.fromConfig(c)],
    ['LSTM', () => new layers.LSTM({ units: 4, kernelRegularizer: 'l2', recurrentRegularizer: 'l1', biasRegularizer: l2, kernelConstraint: 'max_norm', recurrentConstraint: 'unit_norm', biasConstraint: 'non_neg' }), (c) => layers.LSTM.fromConfig(c)],
    ['BatchNormalization', () => new layers.BatchNormalization({ betaRegularizer: 'l1', gammaRegularizer: l2, betaConstraint: 'non_neg', gammaConstraint: 'max_norm' }), (c) => layers.BatchNormalization.fromConfig(c)],
  ];
  it.each(cases)('%s', (_name, make, restore) => {
    const config = make().getConfig();
    for (const [key, value] of Object.entries(config)) {
      if (/_(regularizer|constraint)$/.test(key) && key !== 'activity_regularizer') expect(value).not.toBeNull();
    }
    expect(restore(config).getConfig()).toEqual(config);
  });
});
