/**
 * Recurrent layers (GRU, GRUCell, SimpleRNN, SimpleRNNCell, RNN) on every backend: the layer
 * harness, the torch-ref gru_sequence vectors, hand-computed SimpleRNN numbers, masks, initial
 * states, goBackwards and the error messages.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Input, layers, ops, tensor, tidy, type KerasTensor, type Tensor } from '@keras-ts/core';
import { ALL_TEST_BACKENDS, useNamedBackend } from './support/backend.js';
import { runLayerTest } from './support/layer_test.js';

interface CaseTensor {
  name: string;
  shape: number[];
  data: number[];
}
interface Case {
  id: string;
  attributes: { units: number; reset_after: boolean };
  inputs: CaseTensor[];
  outputs: CaseTensor[];
  tolerance: { rtol: number; atol: number };
}

const GRU_DIR = resolve(process.cwd(), 'packages/conformance/vectors/torch-ref');
const GRU_CASES = readdirSync(GRU_DIR)
  .filter((f) => /^gru_sequence_\d+\.json$/.test(f))
  .sort()
  .map((f) => JSON.parse(readFileSync(resolve(GRU_DIR, f), 'utf8')) as Case);

const find = (list: CaseTensor[], name: string): CaseTensor | undefined => list.find((t) => t.name === name);
const toTensor = (t: CaseTensor): Tensor => tensor(Float32Array.from(t.data), t.shape);

function expectClose(label: string, actual: Tensor, expected: CaseTensor, tol: { rtol: number; atol: number }): void {
  expect({ label, shape: [...actual.shape] }).toEqual({ label, shape: expected.shape });
  const got = actual.dataSync();
  expected.data.forEach((e, i) => {
    if (!(Math.abs(got[i] - e) <= tol.atol + tol.rtol * Math.abs(e))) expect({ label, index: i, value: got[i] }).toEqual({ label, index: i, value: e });
  });
}

const values = (t: Tensor): number[] => Array.from(t.dataSync());
const close = (a: number[], b: number[], tol = 1e-5): void => {
  expect(a).toHaveLength(b.length);
  a.forEach((v, i) => {
    if (!(Math.abs(v - b[i]) <= tol * (1 + Math.abs(b[i])))) expect({ index: i, value: v }).toEqual({ index: i, value: b[i] });
  });
};

/** A linear SimpleRNN of one unit: kernel 2, recurrent kernel 0.5, bias 0.1. */
function linearRnn(extra: Partial<layers.SimpleRNNArgs> = {}): layers.SimpleRNN {
  const rnn = new layers.SimpleRNN({ units: 1, activation: 'linear', returnSequences: true, ...extra });
  rnn.apply(tensor([0, 0, 0], [1, 3, 1]));
  rnn.setWeights([[[2]], [[0.5]], [0.1]]);
  return rnn;
}

/** A user cell: h' = h + x · w, one state of 1 unit (w is 1 by default). */
class Accumulator extends layers.Layer {
  readonly stateSize = 1;
  call(inputs: Tensor, options: layers.CallOptions = {}): Tensor {
    const states = options.initialState as Tensor[];
    return ops.add(states[0], ops.sum(inputs, { axis: -1, keepdims: true }));
  }
}

describe.each(ALL_TEST_BACKENDS)('recurrent layers on %s', (backend) => {
  beforeAll(async () => {
    await useNamedBackend(backend);
  });

  // --- GRU -------------------------------------------------------------------------------------

  it('GRU (resetAfter true): harness, bias [2, 3u]', () =>
    runLayerTest({
      make: () => new layers.GRU({ units: 2 }),
      inputShape: [2, 3, 2],
      expectedOutputShape: [null, 2],
      expectedTrainableWeights: 3,
      expectedWeightShapes: [[2, 6], [2, 6], [2, 6]],
    }));

  it('GRU (resetAfter false): harness, bias [3u], with sequences and state', () =>
    runLayerTest({
      make: () => new layers.GRU({ units: 2, resetAfter: false, returnSequences: true, returnState: true }),
      inputShape: [2, 3, 2],
      expectedOutputShape: [[null, 3, 2], [null, 2]],
      expectedWeightShapes: [[2, 6], [2, 6], [6]],
    }));

  it('GRUCell: harness', () =>
    runLayerTest({ make: () => new layers.GRUCell({ units: 2 }), inputShape: [2, 3], expectedOutputShape: [null, 2], expectedWeightShapes: [[3, 6], [2, 6], [2, 6]] }));

  it.each(GRU_CASES.map((c) => [c.id, c] as const))('GRU matches %s', (_id, c) => {
    const layer = new layers.GRU({ units: c.attributes.units, resetAfter: c.attributes.reset_after, returnSequences: true, returnState: true });
    tidy(() => {
      const x = toTensor(find(c.inputs, 'x') as CaseTensor);
      const h0 = find(c.inputs, 'initial_h');
      layer.apply(x);
      layer.setWeights(['kernel', 'recurrent_kernel', 'bias'].map((n) => toTensor(find(c.inputs, n) as CaseTensor)));
      const [sequences, h] = layer.apply(x, h0 ? { initialState: [toTensor(h0)] } : {}) as Tensor[];
      expectClose(`${c.id} sequences`, sequences, find(c.outputs, 'sequences') as CaseTensor, c.tolerance);
      expectClose(`${c.id} h`, h, find(c.outputs, 'h') as CaseTensor, c.tolerance);
    });
    expect(layer.weights.map((w) => w.path)).toEqual([`${layer.name}/gru_cell/kernel`, `${layer.name}/gru_cell/recurrent_kernel`, `${layer.name}/gru_cell/bias`]);
    layer.dispose();
  });

  it('GRU getConfig has Keras 3 keys', () => {
    const config = new layers.GRU({ units: 3, name: 'g' }).getConfig();
    expect(Object.keys(config).sort()).toEqual(
      [
        'name', 'trainable', 'dtype', 'return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll', 'zero_output_for_mask', 'units', 'activation',
        'recurrent_activation', 'use_bias', 'kernel_initializer', 'recurrent_initializer', 'bias_initializer', 'kernel_regularizer', 'recurrent_regularizer',
        'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'recurrent_constraint', 'bias_constraint', 'dropout', 'recurrent_dropout', 'reset_after', 'seed',
      ].sort(),
    );
    expect(config).toMatchObject({ units: 3, activation: 'tanh', recurrent_activation: 'sigmoid', reset_after: true, use_bias: true, dropout: 0 });
  });

  it('GRU: dropout differs in training only', () =>
    runLayerTest({ make: () => new layers.GRU({ units: 2, dropout: 0.5, seed: 3 }), inputShape: [2, 3, 2], expectedOutputShape: [null, 2], trainingDiffers: true }));

  // --- SimpleRNN -------------------------------------------------------------------------------

  it('SimpleRNN: harness with hand-computed numbers (tanh)', () =>
    runLayerTest({
      make: () => new layers.SimpleRNN({ units: 1, returnSequences: true }),
      inputShape: [1, 2, 1],
      inputData: [1, -1],
      weights: [[2], [0.5], [0.1]],
      // h1 = tanh(2·1 + 0.1 + 0.5·0) = tanh(2.1) = 0.9704519;
      // h2 = tanh(2·(-1) + 0.1 + 0.5·0.9704519) = tanh(-1.4147740) = -0.8885036.
      expectedOutputShape: [null, 2, 1],
      expectedWeightShapes: [[1, 1], [1, 1], [1]],
      expectedOutput: [0.9704519, -0.8885036],
    }));

  it('SimpleRNNCell: harness', () =>
    runLayerTest({ make: () => new layers.SimpleRNNCell({ units: 2 }), inputShape: [2, 3], expectedOutputShape: [null, 2], expectedWeightShapes: [[3, 2], [2, 2], [2]] }));

  it('SimpleRNN: returnState, goBackwards and initialState (linear, by hand)', () => {
    const rnn = linearRnn({ returnState: true });
    tidy(() => {
      const x = tensor([1, -1, 2], [1, 3, 1]);
      // forward: h1 = 2 + 0.1 = 2.1; h2 = -2 + 0.1 + 1.05 = -0.85; h3 = 4 + 0.1 - 0.425 = 3.675.
      const [seq, h] = rnn.apply(x) as Tensor[];
      close(values(seq), [2.1, -0.85, 3.675]);
      close(values(h), [3.675]);
      // initial h = 1: h1 = 2 + 0.1 + 0.5 = 2.6; h2 = -2 + 0.1 + 1.3 = -0.6; h3 = 4 + 0.1 - 0.3 = 3.8.
      const [seq2] = rnn.apply(x, { initialState: [tensor([1], [1, 1])] }) as Tensor[];
      close(values(seq2), [2.6, -0.6, 3.8]);
    });
    const back = linearRnn({ goBackwards: true });
    tidy(() => {
      // processed 2, -1, 1: h1 = 4.1; h2 = -2 + 0.1 + 2.05 = 0.15; h3 = 2 + 0.1 + 0.075 = 2.175 (in processing order).
      close(values(back.apply(tensor([1, -1, 2], [1, 3, 1])) as Tensor), [4.1, 0.15, 2.175]);
    });
    rnn.dispose();
    back.dispose();
  });

  it('SimpleRNN: a mask keeps the state and repeats the output (zeros with zeroOutputForMask)', () => {
    const rnn = linearRnn();
    const zero = linearRnn({ zeroOutputForMask: true });
    tidy(() => {
      const x = tensor([1, -1, 2], [1, 3, 1]);
      const mask = tensor([1, 0, 1], [1, 3], 'bool');
      // step 2 masked: h stays 2.1 and the output repeats 2.1; h3 = 4 + 0.1 + 1.05 = 5.15.
      close(values(rnn.apply(x, { mask }) as Tensor), [2.1, 2.1, 5.15]);
      close(values(zero.apply(x, { mask }) as Tensor), [2.1, 0, 5.15]);
    });
    rnn.dispose();
    zero.dispose();
  });

  it('SimpleRNN getConfig has Keras 3 keys', () => {
    const config = new layers.SimpleRNN({ units: 3 }).getConfig();
    expect(config).toMatchObject({ units: 3, activation: 'tanh', use_bias: true, return_sequences: false, go_backwards: false, recurrent_dropout: 0, seed: null });
    expect('recurrent_activation' in config).toBe(false);
  });

  // --- RNN over any cell -----------------------------------------------------------------------

  it('RNN(GRUCell): harness', () =>
    runLayerTest({ make: () => new layers.RNN({ cell: new layers.GRUCell({ units: 2 }), returnSequences: true }), inputShape: [1, 2, 2], expectedOutputShape: [null, 2, 2], expectedTrainableWeights: 3 }));

  it('RNN(LSTMCell) computes what LSTM computes, with [output, h, c]', () => {
    const lstm = new layers.LSTM({ units: 2, returnState: true });
    const rnn = new layers.RNN({ cell: new layers.LSTMCell({ units: 2 }), returnState: true });
    tidy(() => {
      const x = tensor([0.1, -0.2, 0.3, 0.4, -0.5, 0.6], [1, 3, 2]);
      lstm.apply(x);
      rnn.apply(x);
      rnn.setWeights(lstm.getWeights());
      const a = lstm.apply(x) as Tensor[];
      const b = rnn.apply(x) as Tensor[];
      expect(b).toHaveLength(3);
      a.forEach((t, i) => close(values(b[i]), values(t)));
    });
    lstm.dispose();
    rnn.dispose();
  });

  it('RNN over a user cell (stateSize and call(x, { initialState }))', () => {
    const rnn = new layers.RNN({ cell: new Accumulator(), returnSequences: true, returnState: true });
    const [seq, h] = rnn.apply(Input({ shape: [3, 2] })) as KerasTensor[];
    expect([seq.shape, h.shape]).toEqual([[null, 3, 1], [null, 1]]);
    tidy(() => {
      // running sums of the rows' sums: 3, 3 + 7 = 10, 10 + 11 = 21.
      const [s, last] = rnn.apply(tensor([1, 2, 3, 4, 5, 6], [1, 3, 2])) as Tensor[];
      close(values(s), [3, 10, 21]);
      close(values(last), [21]);
    });
  });

  it('RNN rebuilds its cell from its config', () => {
    const rnn = new layers.RNN({ cell: new layers.SimpleRNNCell({ units: 3 }) });
    const config = JSON.parse(JSON.stringify(rnn.getConfig())) as Record<string, unknown>;
    expect(config.cell).toMatchObject({ class_name: 'SimpleRNNCell', config: { units: 3 } });
    expect(layers.RNN.fromConfig(config).cell).toBeInstanceOf(layers.SimpleRNNCell);
  });

  it('RNN over a list of cells (StackedRNNCells): harness', () =>
    runLayerTest({
      make: () => new layers.RNN({ cell: [new layers.GRUCell({ units: 2 }), new layers.SimpleRNNCell({ units: 1 })], returnState: true }),
      inputShape: [1, 2, 2],
      expectedOutputShape: [[null, 1], [null, 2], [null, 1]],
      expectedWeightShapes: [[2, 6], [2, 6], [2, 6], [2, 1], [1, 1], [1]],
    }));

  it('StackedRNNCells computes what two stacked layers compute', () => {
    const stacked = new layers.RNN({ cell: new layers.StackedRNNCells({ cells: [new layers.GRUCell({ units: 3 }), new layers.GRUCell({ units: 2 })] }), returnSequences: true });
    const first = new layers.GRU({ units: 3, returnSequences: true });
    const second = new layers.GRU({ units: 2, returnSequences: true });
    tidy(() => {
      const x = tensor([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8], [2, 2, 2]);
      stacked.apply(x);
      second.apply(first.apply(x) as Tensor);
      stacked.setWeights([...first.getWeights(), ...second.getWeights()]);
      close(values(stacked.apply(x) as Tensor), values(second.apply(first.apply(x) as Tensor) as Tensor));
      expect(stacked.weights.map((w) => w.path)[0]).toMatch(new RegExp(`^${stacked.name}/${stacked.cell.name}/gru_cell`));
    });
    [stacked, first, second].forEach((l) => l.dispose());
  });

  // --- Bidirectional and TimeDistributed --------------------------------------------------------

  it('Bidirectional(GRU): harness, concat', () =>
    runLayerTest({ make: () => new layers.Bidirectional({ layer: new layers.GRU({ units: 2 }) }), inputShape: [1, 2, 2], expectedOutputShape: [null, 4], expectedTrainableWeights: 6 }));

  it('Bidirectional(SimpleRNN): harness, mergeMode null with sequences and states', () =>
    runLayerTest({
      make: () => new layers.Bidirectional({ layer: new layers.SimpleRNN({ units: 1, returnSequences: true, returnState: true }), mergeMode: null }),
      inputShape: [1, 2, 2],
      expectedOutputShape: [[null, 2, 1], [null, 2, 1], [null, 1], [null, 1]],
    }));

  it.each([
    // forward (linear, k 2, r 0.5, b 0.1) over 1, -1, 2: 2.1, -0.85, 3.675; backward over 2, -1, 1: 4.1, 0.15, 2.175,
    // put back in time order: 2.175, 0.15, 4.1.
    ['concat', [2.1, 2.175, -0.85, 0.15, 3.675, 4.1]],
    ['sum', [4.275, -0.7, 7.775]],
    ['ave', [2.1375, -0.35, 3.8875]],
    ['mul', [4.5675, -0.1275, 15.0675]],
  ] as const)('Bidirectional mergeMode %s, by hand', (mergeMode, expected) => {
    const bi = new layers.Bidirectional({ layer: new layers.SimpleRNN({ units: 1, activation: 'linear', returnSequences: true }), mergeMode });
    tidy(() => {
      const x = tensor([1, -1, 2], [1, 3, 1]);
      bi.apply(x);
      bi.setWeights([[[2]], [[0.5]], [0.1], [[2]], [[0.5]], [0.1]]);
      close(values(bi.apply(x) as Tensor), [...expected]);
    });
    expect(bi.weights.map((w) => w.path)).toContain(`${bi.backwardLayer.name}/simple_rnn_cell/kernel`);
    expect(bi.backwardLayer.goBackwards).toBe(true);
    bi.dispose();
  });

  it('Bidirectional getConfig round trip and initial states', () => {
    const bi = new layers.Bidirectional({ layer: new layers.LSTM({ units: 2, name: 'enc' }), mergeMode: 'sum' });
    const config = JSON.parse(JSON.stringify(bi.getConfig())) as Record<string, unknown>;
    expect(config).toMatchObject({ merge_mode: 'sum', layer: { class_name: 'LSTM', config: { name: 'forward_enc', units: 2 } } });
    const again = layers.Bidirectional.fromConfig(config);
    expect([again.forwardLayer.name, again.backwardLayer.name]).toEqual(['forward_enc', 'backward_enc']);
    const out = bi.apply(Input({ shape: [3, 2] }), { initialState: [Input({ shape: [2] }), Input({ shape: [2] }), Input({ shape: [2] }), Input({ shape: [2] })] }) as KerasTensor;
    expect(out.shape).toEqual([null, 2]);
  });

  it('TimeDistributed(Dense): harness with hand-computed numbers', () =>
    runLayerTest({
      make: () => new layers.TimeDistributed({ layer: new layers.Dense({ units: 1 }) }),
      inputShape: [1, 2, 2],
      inputData: [1, 2, 3, 4],
      weights: [[1, -1], [0.5]],
      // each timestep: x0 - x1 + 0.5 → 1 - 2 + 0.5 = -0.5; 3 - 4 + 0.5 = -0.5.
      expectedOutputShape: [null, 2, 1],
      expectedOutput: [-0.5, -0.5],
    }));

  // --- Attention -------------------------------------------------------------------------------

  it('Attention (useScale): harness with hand-computed numbers', () =>
    runLayerTest({
      make: () => new layers.Attention({ useScale: true }),
      inputShape: [[1, 1, 2], [1, 2, 2]],
      inputData: [[1, 0], [1, 0, 0, 1]],
      weights: [[2]],
      // key = value = [[1, 0], [0, 1]]; scores = scale · q·kᵀ = 2 · [1, 0] = [2, 0];
      // softmax: e²/(e²+1) = 0.8807971, 0.1192029; output = 0.8807971·[1, 0] + 0.1192029·[0, 1].
      expectedOutputShape: [null, 1, 2],
      expectedWeightShapes: [[]],
      expectedOutput: [0.8807971, 0.1192029],
    }));

  it("Attention scoreMode 'concat': harness with hand-computed numbers", () =>
    runLayerTest({
      make: () => new layers.Attention({ scoreMode: 'concat' }),
      inputShape: [[1, 1, 2], [1, 2, 2]],
      inputData: [[1, 0], [1, 0, 0, 1]],
      // scores = Σ tanh(q + k): k0 = [1, 0] → tanh 2 + tanh 0 = 0.9640276; k1 = [0, 1] → 2·tanh 1 = 1.5231883;
      // softmax: w1 = 1/(1 + e^-(1.5231883 - 0.9640276)) = 0.6362583, w0 = 0.3637417 → output [w0, w1].
      expectedOutputShape: [null, 1, 2],
      expectedWeightShapes: [[]],
      expectedOutput: [0.3637417, 0.6362583],
    }));

  it('AdditiveAttention: harness with hand-computed numbers (scale [1, 1] gives the concat numbers)', () =>
    runLayerTest({
      make: () => new layers.AdditiveAttention(),
      inputShape: [[1, 1, 2], [1, 2, 2]],
      inputData: [[1, 0], [1, 0, 0, 1]],
      weights: [[1, 1]],
      expectedOutputShape: [null, 1, 2],
      expectedWeightShapes: [[2]],
      expectedOutput: [0.3637417, 0.6362583],
    }));

  it('Attention: causal mask, value mask, query mask, attention scores and a separate key', () => {
    const attention = new layers.Attention();
    tidy(() => {
      const q = tensor([1, 0, 0, 1], [1, 2, 2]);
      const v = tensor([1, 0, 0, 1], [1, 2, 2]);
      // causal: query 0 sees value 0 only → [1, 0]; query 1 scores [0, 1] → weights [0.2689414, 0.7310586].
      const [out, scores] = attention.apply([q, v], { useCausalMask: true, returnAttentionScores: true }) as Tensor[];
      close(values(out), [1, 0, 0.2689414, 0.7310586]);
      close(values(scores), [1, 0, 0.2689414, 0.7310586]);
      // value mask [true, false] (Keras's list form mask: [queryMask, valueMask]): every query sees value 0 only.
      close(values(attention.apply([q, v], { mask: [null, tensor([true, false], [1, 2], 'bool')] as unknown as Tensor }) as Tensor), [1, 0, 1, 0]);
      // query mask [true, false]: the second query's output is zeroed; scores [1, 0] → [0.7310586, 0.2689414].
      close(values(attention.apply([q, v], { queryMask: tensor([true, false], [1, 2], 'bool') }) as Tensor), [0.7310586, 0.2689414, 0, 0]);
      // key differs from value: scores from the key, values from the value: q0 · k = [0, 1] → weights [0.2689414, 0.7310586] on values [10, 20].
      const k = tensor([0, 1, 1, 0], [1, 2, 2]);
      close(values(attention.apply([tensor([1, 0], [1, 1, 2]), tensor([10, 20], [1, 2, 1]), k]) as Tensor), [10 * 0.2689414 + 20 * 0.7310586]);
    });
    const [o, s] = attention.apply([Input({ shape: [3, 4] }), Input({ shape: [5, 6] }), Input({ shape: [5, 4] })], { returnAttentionScores: true }) as KerasTensor[];
    expect([o.shape, s.shape]).toEqual([[null, 3, 6], [null, 3, 5]]);
    expect(new layers.Attention({ useScale: true, scoreMode: 'concat', dropout: 0.1 }).getConfig()).toMatchObject({ use_scale: true, score_mode: 'concat', dropout: 0.1 });
    expect(new layers.AdditiveAttention().getConfig()).toMatchObject({ use_scale: true, dropout: 0 });
  });

  // --- MultiHeadAttention ----------------------------------------------------------------------

  it('MultiHeadAttention: harness, weights as Keras 3 names them', () => {
    runLayerTest({
      make: () => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 1, valueDim: 2, outputShape: 3 }),
      inputShape: [[1, 2, 2], [1, 3, 1]],
      expectedOutputShape: [null, 2, 3],
      expectedWeightShapes: [[2, 2, 1], [2, 1], [1, 2, 1], [2, 1], [1, 2, 2], [2, 2], [2, 2, 3], [3]],
    });
    const mha = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3, name: 'mha' });
    const [out, scores] = mha.apply([Input({ shape: [4, 5] }), Input({ shape: [6, 7] })], { returnAttentionScores: true }) as KerasTensor[];
    expect([out.shape, scores.shape]).toEqual([[null, 4, 5], [null, 2, 4, 6]]);
    expect(mha.weights.map((w) => w.path)).toEqual([
      'mha/query/kernel', 'mha/query/bias', 'mha/key/kernel', 'mha/key/bias', 'mha/value/kernel', 'mha/value/bias', 'mha/attention_output/kernel', 'mha/attention_output/bias',
    ]);
    expect(new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3, useBias: false }).getConfig()).toMatchObject({
      num_heads: 2, key_dim: 3, value_dim: null, dropout: 0, use_bias: false, output_shape: null, attention_axes: null, kernel_initializer: { class_name: 'GlorotUniform' },
    });
  });

  it('MultiHeadAttention: hand-computed numbers, masks and causal mask', () => {
    const mha = new layers.MultiHeadAttention({ numHeads: 1, keyDim: 1 });
    tidy(() => {
      const q = tensor([2], [1, 1, 1]);
      const v = tensor([1, 3], [1, 2, 1]);
      mha.apply([q, v]);
      // every projection the identity, zero biases except the output's 0.5.
      mha.setWeights([[[[1]]], [[0]], [[[1]]], [[0]], [[[1]]], [[0]], [[[1]]], [0.5]]);
      // q = 2/√1 = 2, k = [1, 3]: scores [2, 6]; softmax w0 = 1/(1 + e⁴) = 0.0179862, w1 = 0.9820138;
      // output = 0.0179862·1 + 0.9820138·3 + 0.5 = 3.4640276.
      const [out, scores] = mha.apply([q, v], { returnAttentionScores: true }) as Tensor[];
      close(values(out), [3.4640276]);
      close(values(scores), [0.0179862, 0.9820138]);
      expect([...scores.shape]).toEqual([1, 1, 1, 2]);
      // value mask [true, false] or attentionMask [[true, false]]: only value 0 → 1 + 0.5.
      close(values(mha.apply([q, v], { valueMask: tensor([true, false], [1, 2], 'bool') }) as Tensor), [1.5]);
      close(values(mha.apply([q, v], { attentionMask: tensor([true, false], [1, 1, 2], 'bool') }) as Tensor), [1.5]);
      // self-attention over x = [2, 1] with useCausalMask: step 0 sees itself → 2 + 0.5;
      // step 1 scores 1·[2, 1] → w = [e/(e+1), 1/(e+1)] = [0.7310586, 0.2689414] → 0.7310586·2 + 0.2689414 + 0.5 = 2.2310586.
      const x = tensor([2, 1], [1, 2, 1]);
      close(values(mha.apply([x, x], { useCausalMask: true }) as Tensor), [2.5, 2.2310586]);
    });
    mha.dispose();
  });

  it('MultiHeadAttention: dropout differs in training only', () =>
    runLayerTest({
      make: () => new layers.MultiHeadAttention({ numHeads: 1, keyDim: 1, dropout: 0.5, seed: 1 }),
      inputShape: [[1, 3, 1], [1, 3, 1]],
      expectedOutputShape: [null, 3, 1],
      trainingDiffers: true,
    }));

  // --- ConvLSTM2D ------------------------------------------------------------------------------

  it("ConvLSTM2D: harness, padding 'same'", () =>
    runLayerTest({
      make: () => new layers.ConvLSTM2D({ filters: 1, kernelSize: 2, padding: 'same' }),
      inputShape: [1, 2, 2, 2, 1],
      expectedOutputShape: [null, 2, 2, 1],
      expectedWeightShapes: [[2, 2, 1, 4], [2, 2, 1, 4], [4]],
    }));

  it('ConvLSTM2D: returnSequences and returnState shapes, weight paths', () => {
    const layer = new layers.ConvLSTM2D({ filters: 3, kernelSize: [2, 3], returnSequences: true, returnState: true, name: 'clstm' });
    const [seq, h, c] = layer.apply(Input({ shape: [4, 5, 6, 2] })) as KerasTensor[];
    expect([seq.shape, h.shape, c.shape]).toEqual([[null, 4, 4, 4, 3], [null, 4, 4, 3], [null, 4, 4, 3]]);
    expect(layer.weights.map((w) => w.path)).toEqual(['clstm/conv_lstm_cell/kernel', 'clstm/conv_lstm_cell/recurrent_kernel', 'clstm/conv_lstm_cell/bias']);
    expect(layer.getConfig()).toMatchObject({ filters: 3, kernel_size: [2, 3], strides: [1, 1], padding: 'valid', data_format: 'channels_last', unit_forget_bias: true });
  });

  it('ConvLSTM2D with a 1x1 kernel is an LSTM at every pixel', () => {
    const conv = new layers.ConvLSTM2D({ filters: 2, kernelSize: 1, returnSequences: true });
    const lstm = new layers.LSTM({ units: 2, returnSequences: true });
    tidy(() => {
      // (batch 1, time 3, 2x1 pixels, 1 channel); the LSTM sees each pixel as a batch row.
      const data = [0.5, -0.3, 0.1, 0.8, -0.6, 0.2];
      const x = tensor(data, [1, 3, 2, 1, 1]);
      conv.apply(x);
      const perPixel = ops.transpose(ops.reshape(x, [3, 2, 1]), { axes: [1, 0, 2] }); // (pixels, time, 1)
      lstm.apply(perPixel);
      const [k, r, b] = lstm.getWeights();
      conv.setWeights([ops.reshape(k, [1, 1, 1, 8]), ops.reshape(r, [1, 1, 2, 8]), b]);
      const expected = ops.transpose(lstm.apply(perPixel) as Tensor, { axes: [1, 0, 2] }); // (time, pixels, units)
      close(values(conv.apply(x) as Tensor), values(expected));
    });
    conv.dispose();
    lstm.dispose();
  });

  it('ConvLSTM2D channels_first computes what channels_last computes', () => {
    const last = new layers.ConvLSTM2D({ filters: 2, kernelSize: 2, padding: 'same' });
    const first = new layers.ConvLSTM2D({ filters: 2, kernelSize: 2, padding: 'same', dataFormat: 'channels_first' });
    tidy(() => {
      const x = tensor([0.5, -0.3, 0.1, 0.8, -0.6, 0.2, 0.4, -0.1, 0.9, -0.7, 0.3, 0.05], [1, 2, 2, 3, 1]);
      const xFirst = ops.transpose(x, { axes: [0, 1, 4, 2, 3] });
      last.apply(x);
      first.apply(xFirst);
      first.setWeights(last.getWeights());
      close(values(first.apply(xFirst) as Tensor), values(ops.transpose(last.apply(x) as Tensor, { axes: [0, 3, 1, 2] })));
    });
    last.dispose();
    first.dispose();
  });

  // --- more semantics ----------------------------------------------------------------------------

  it('GRU: goBackwards equals running over the flipped sequence; a mask keeps h', () => {
    const gru = new layers.GRU({ units: 2, returnSequences: true, returnState: true });
    const back = new layers.GRU({ units: 2, returnSequences: true, returnState: true, goBackwards: true });
    tidy(() => {
      const x = tensor([0.1, -0.2, 0.3, 0.4, -0.5, 0.6], [1, 3, 2]);
      gru.apply(x);
      back.apply(x);
      back.setWeights(gru.getWeights());
      const [seqB, hB] = back.apply(x) as Tensor[];
      const [seqF, hF] = gru.apply(ops.flip(x, { axis: 1 })) as Tensor[];
      close(values(seqB), values(seqF));
      close(values(hB), values(hF));
      // the last step masked: the final h is the h after step 2, and the last output repeats it.
      const [seqM, hM] = gru.apply(x, { mask: tensor([true, true, false], [1, 3], 'bool') }) as Tensor[];
      const [seq2] = gru.apply(ops.slice(x, [0, 0, 0], [1, 2, 2])) as Tensor[];
      close(values(hM), values(seq2).slice(2));
      close(values(seqM), [...values(seq2), ...values(seq2).slice(2)]);
    });
    gru.dispose();
    back.dispose();
  });

  it('Bidirectional with a backwardLayer of another class', () => {
    const bi = new layers.Bidirectional({ layer: new layers.GRU({ units: 2 }), backwardLayer: new layers.SimpleRNN({ units: 3, goBackwards: true }) });
    const out = bi.apply(Input({ shape: [4, 2] })) as KerasTensor;
    expect(out.shape).toEqual([null, 5]);
    expect(bi.getConfig()).toMatchObject({ backward_layer: { class_name: 'SimpleRNN' } });
    expect(() => new layers.Bidirectional({ layer: new layers.GRU({ units: 2 }), backwardLayer: new layers.GRU({ units: 2 }) })).toThrow(
      'Bidirectional: backwardLayer.goBackwards must be the opposite of layer.goBackwards (both are false)',
    );
  });

  it('Attention: dropout differs in training only', () =>
    runLayerTest({ make: () => new layers.Attention({ dropout: 0.5, seed: 2 }), inputShape: [[1, 3, 2], [1, 3, 2]], expectedOutputShape: [null, 3, 2], trainingDiffers: true }));

  it('ConvLSTM2D: a masked step keeps the states', () => {
    const layer = new layers.ConvLSTM2D({ filters: 1, kernelSize: 1, returnState: true });
    tidy(() => {
      const x = tensor([0.5, -0.3, 0.1, 0.8], [1, 2, 2, 1, 1]);
      const [, hMasked] = layer.apply(x, { mask: tensor([true, false], [1, 2], 'bool') }) as Tensor[];
      const [, hFirst] = layer.apply(ops.slice(x, [0, 0, 0, 0, 0], [1, 1, 2, 1, 1])) as Tensor[];
      close(values(hMasked), values(hFirst));
    });
    layer.dispose();
  });

  // --- errors ----------------------------------------------------------------------------------

  it('errors say what came and what is allowed', () => {
    expect(() => new layers.GRU({ units: 0 })).toThrow('GRU: units must be a positive integer, got 0');
    expect(() => new layers.SimpleRNN({ units: 1.5 })).toThrow('SimpleRNN: units must be a positive integer, got 1.5');
    expect(() => new layers.GRUCell({ units: 2, activation: 'tanhh' })).toThrow(/unknown activation "tanhh"\. Allowed: .*tanh/);
    expect(() => new layers.GRU({ units: 2, recurrentActivation: 'sigmod' })).toThrow(/unknown recurrentActivation "sigmod"\. Allowed: .*sigmoid/);
    expect(() => new layers.GRU({ units: 2, resetAfter: 'yes' as unknown as boolean })).toThrow('resetAfter must be true or false, got "yes"');
    expect(() => new layers.SimpleRNN({ units: 2, dropout: 1 })).toThrow('dropout must be a number in [0, 1)');
    expect(() => new layers.GRU({ units: 2, stateful: true }).apply(Input({ shape: [3, 2] }))).toThrow(/GRU "[^"]+": a stateful RNN needs a fixed batch size.*Input\(\{ batchShape: \[32, 3, 2\] \}\)/);
    expect(() => new layers.RNN({ cell: new layers.Dense({ units: 2 }) })).toThrow(/must have a stateSize/);
    expect(() => new layers.Bidirectional({ layer: new layers.GRU({ units: 2 }), mergeMode: 'max' as never })).toThrow(`Bidirectional: invalid mergeMode "max". Allowed: 'concat', 'sum', 'mul', 'ave', or null`);
    expect(() => new layers.Bidirectional({ layer: new layers.Dense({ units: 2 }) })).toThrow(/layer must be a recurrent layer .*got Dense/);
    expect(() => new layers.TimeDistributed({ layer: new layers.Dense({ units: 2 }) }).apply(Input({ shape: [4] }))).toThrow(/at least 3 axes \(batch, timesteps, \.\.\.\), got shape \(None, 4\)/);
    expect(() => new layers.Attention({ scoreMode: 'general' as never })).toThrow(`Attention: scoreMode must be 'dot' or 'concat', got "general"`);
    expect(() => new layers.Attention().apply([Input({ shape: [2, 3] }), Input({ shape: [4, 5] })])).toThrow(/query's last axis \(3\) must equal key's \(5\)/);
    expect(() => new layers.Attention().apply([Input({ shape: [2, 3] })])).toThrow(/inputs must be \[query, value\] or \[query, value, key\], got 1 input/);
    expect(() => new layers.MultiHeadAttention({ numHeads: 0, keyDim: 2 })).toThrow('MultiHeadAttention: numHeads must be a positive integer, got 0');
    expect(() => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: [2] }).apply([Input({ shape: [2, 3] }), Input({ shape: [2, 3] })])).toThrow(
      /attentionAxes \[2\] must name distinct axes of the inputs between the batch and the last \(1 to 1 for rank 3\)\. Fix: e\.g\. attentionAxes: \[1\]/,
    );
    expect(() => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: [0] })).toThrow(/attentionAxes must be a nonzero integer or a list of them/);
    expect(() => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2 }).apply([Input({ shape: [2, 3] }), Input({ shape: [4, 5] })], { initialState: undefined, attentionMask: null })).not.toThrow();
    tidy(() => {
      const m = new layers.MultiHeadAttention({ numHeads: 1, keyDim: 1 });
      const x = tensor([1, 2], [1, 2, 1]);
      expect(() => m.apply([x, x], { attentionMask: tensor([true, false], [1, 2], 'bool') })).toThrow(/attentionMask has shape \(1, 2\), but it must be \(1, 2, 2\)/);
      m.dispose();
    });
    expect(() => new layers.ConvLSTM2D({ filters: 0, kernelSize: 3 })).toThrow(/ConvLSTM2D: filters must be a positive integer .*received filters=0/);
    expect(() => new layers.ConvLSTM2D({ filters: 2, kernelSize: 3, activation: 'tanhh' })).toThrow(/ConvLSTM2D: unknown activation "tanhh"/);
    expect(() => new layers.ConvLSTM2D({ filters: 2, kernelSize: 3, stateful: true }).apply(Input({ shape: [2, 5, 5, 1] }))).toThrow(/ConvLSTM2D "[^"]+": a stateful RNN needs a fixed batch size/);
    expect(() => new layers.StackedRNNCells({ cells: [] })).toThrow('StackedRNNCells: cells must be a non-empty list of cells, got []');
    const gru = new layers.GRU({ units: 2 });
    const x = Input({ shape: [3, 4] });
    expect(() => gru.apply(x, { initialState: [Input({ shape: [2] }), Input({ shape: [2] })] })).toThrow(/initialState must be 1 tensor\(s\) of shape \(None, 2\), got 2 tensor\(s\)/);
    expect(() => gru.apply(x, { initialState: [Input({ shape: [3] })] })).toThrow(/initial state 0 has shape \(None, 3\), but it must be \(None, 2\)/);
    expect(() => new layers.SimpleRNN({ units: 2 }).apply(Input({ shape: [4] }))).toThrow(/SimpleRNN expects \(batch, timesteps, features\)/);
    tidy(() => {
      expect(() => linearRnn().apply(tensor([1, 2, 3], [1, 3, 1]), { mask: tensor([1, 0], [1, 2], 'bool') })).toThrow(/the mask has shape \(1, 2\), but it must be \(batch, timesteps\) = \(1, 3\)/);
    });
  });
});
