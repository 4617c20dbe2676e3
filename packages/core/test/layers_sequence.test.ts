/**
 * LSTM (and LSTMCell), Dropout, Activation, Lambda, Add and Concatenate: shapes on symbolic inputs,
 * numbers (LSTM against the torch-ref lstm_sequence vectors, forward and gradients), initial states
 * through a functional model, dropout behaviour, Lambda's traced shapes, configs, every error.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  Input, Model, layers, memory, ops, random, tensor, tidy, utils, valueAndGrad, type KerasTensor, type Tensor,
} from '@keras-ts/core';
import { expectGradientsMatch } from './support/gradient_check.js';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
  utils.setRandomSeed(11);
});

interface CaseTensor {
  name: string;
  shape: number[];
  data: (number | string)[];
}
interface LstmCase {
  id: string;
  attributes: { units: number; initial_state: string };
  inputs: CaseTensor[];
  outputs: CaseTensor[];
  tolerance: { rtol: number; atol: number };
}

const VECTORS = resolve(process.cwd(), 'packages/conformance/vectors/torch-ref');
const LSTM_CASES = ['000', '003', '004', '006', '007'].map((n) => JSON.parse(readFileSync(resolve(VECTORS, `lstm_sequence_${n}.json`), 'utf8')) as LstmCase);

const find = (list: CaseTensor[], name: string): CaseTensor | undefined => list.find((t) => t.name === name);
const toTensor = (t: CaseTensor): Tensor => tensor(t.data.map(Number), t.shape);

const data = (shape: number[], seed = 1): Tensor =>
  tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.37 * seed + seed)), shape);

function expectClose(actual: Tensor, expected: ArrayLike<number>, tol: { rtol: number; atol: number } = { rtol: 1e-5, atol: 1e-5 }, what = ''): void {
  const got = actual.dataSync();
  expect({ what, length: got.length }).toEqual({ what, length: expected.length });
  for (let i = 0; i < got.length; i++) {
    const e = Number(expected[i]);
    if (!(Math.abs(got[i] - e) <= tol.atol + tol.rtol * Math.abs(e))) {
      expect({ what, index: i, value: got[i] }).toEqual({ what, index: i, value: e });
    }
  }
}

const shapeOf = (y: KerasTensor | KerasTensor[]): unknown => (Array.isArray(y) ? y.map((t) => t.shape) : y.shape);

// ------------------------------------------------------------------------------------------------
describe('LSTM shapes and weights', () => {
  it('gives the shapes of API.md on symbolic inputs', () => {
    const seq = Input({ shape: [5, 4] });
    expect(shapeOf(new layers.LSTM({ units: 10 }).apply(seq))).toEqual([null, 10]);
    expect(shapeOf(new layers.LSTM({ units: 10, returnSequences: true }).apply(seq))).toEqual([null, 5, 10]);
    const withState = new layers.LSTM({ units: 10, returnState: true }).apply(seq);
    expect(Array.isArray(withState)).toBe(true);
    expect(shapeOf(withState)).toEqual([[null, 10], [null, 10], [null, 10]]);
    expect(shapeOf(new layers.LSTM({ units: 10, returnSequences: true, returnState: true }).apply(seq))).toEqual([[null, 5, 10], [null, 10], [null, 10]]);
    // An unknown number of timesteps stays unknown.
    expect(shapeOf(new layers.LSTM({ units: 3, returnSequences: true }).apply(Input({ shape: [null, 4] })))).toEqual([null, null, 3]);
    expect(shapeOf(new layers.LSTM({ units: 3 }).apply(Input({ batchShape: [7, 2, 4] })))).toEqual([7, 3]);
  });

  it('makes Keras 3 weights: kernel, recurrent_kernel, bias with the forget block of the bias at one', () => {
    const lstm = new layers.LSTM({ units: 10, name: 'my_lstm' });
    expect(lstm.weights).toEqual([]);
    lstm.apply(Input({ shape: [5, 4] }));
    expect(lstm.weights.map((w) => [w.name, w.shape])).toEqual([['kernel', [4, 40]], ['recurrent_kernel', [10, 40]], ['bias', [40]]]);
    expect(lstm.weights.map((w) => w.path)).toEqual(['my_lstm/lstm_cell/kernel', 'my_lstm/lstm_cell/recurrent_kernel', 'my_lstm/lstm_cell/bias']);
    expect(lstm.countParams()).toBe(4 * 40 + 10 * 40 + 40);
    expect(lstm.trainableWeights).toHaveLength(3);
    const bias = Array.from(lstm.weights[2].dataSync());
    expect(bias).toEqual([...Array(10).fill(0), ...Array(10).fill(1), ...Array(20).fill(0)]);
    // The recurrent kernel is orthogonal by default: R Rᵀ = I for the [10, 40] matrix's rows.
    const r = lstm.weights[1].value;
    expectClose(ops.matmul(r, ops.transpose(r)), identity(10), { rtol: 0, atol: 1e-4 }, 'orthogonal');

    const plain = new layers.LSTM({ units: 2, unitForgetBias: false, biasInitializer: 'ones' });
    plain.apply(Input({ shape: [3, 1] }));
    expect(Array.from(plain.weights[2].dataSync())).toEqual(Array(8).fill(1));
    const forget = new layers.LSTM({ units: 2, biasInitializer: 'ones' });
    forget.apply(Input({ shape: [3, 1] }));
    expect(Array.from(forget.weights[2].dataSync())).toEqual(Array(8).fill(1));
    const noBias = new layers.LSTM({ units: 2, useBias: false });
    noBias.apply(Input({ shape: [3, 1] }));
    expect(noBias.weights.map((w) => w.name)).toEqual(['kernel', 'recurrent_kernel']);
    const frozen = new layers.LSTM({ units: 2, trainable: false });
    frozen.apply(Input({ shape: [3, 1] }));
    expect(frozen.trainableWeights).toHaveLength(0);
    expect(frozen.nonTrainableWeights).toHaveLength(3);
  });

  it('explains an input without a timesteps axis, as the issue asks', () => {
    const lstm = new layers.LSTM({ units: 10 });
    const apply = (): unknown => lstm.apply(Input({ shape: [5] }));
    expect(apply).toThrow(/Input 0 of layer "lstm(_\d+)?" is incompatible with the layer: expected ndim=3, found ndim=2\. Full shape received: \(None, 5\)\./);
    expect(apply).toThrow(/LSTM expects \(batch, timesteps, features\)/);
    expect(apply).toThrow(/use Input\(\{ shape: \[5, 1\] \}\)/);
    expect(apply).toThrow(/reshape the data to \(batch, 5, 1\)/);
    // Generally (None, n) suggests [n, 1].
    expect(() => new layers.LSTM({ units: 2 }).apply(Input({ shape: [17] }))).toThrow(/Input\(\{ shape: \[17, 1\] \}\)/);
    expect(() => new layers.LSTM({ units: 2 }).apply(Input({ shape: [null] }))).toThrow(/Input\(\{ shape: \[null, 1\] \}\)/);
    // Eagerly too, before any kernel runs.
    expect(() => new layers.LSTM({ units: 2 }).apply(data([3, 5]))).toThrow(/Full shape received: \(3, 5\)\. LSTM expects \(batch, timesteps, features\).*Input\(\{ shape: \[5, 1\] \}\)/);
    expect(lstm.built).toBe(false);
  });

  it('explains images and wrong feature counts', () => {
    expect(() => new layers.LSTM({ units: 2 }).apply(Input({ shape: [28, 28, 1] }))).toThrow(
      /expected ndim=3, found ndim=4.*each example here has 3 axes \(28, 28, 1\).*reshape to \(batch, 28, 28\) and use Input\(\{ shape: \[28, 28\] \}\)/,
    );
    const lstm = new layers.LSTM({ units: 2 });
    lstm.apply(Input({ shape: [5, 4] }));
    expect(() => lstm.apply(Input({ shape: [5, 3] }))).toThrow(/expected axis -1 of input shape to have value 4.*This LSTM was built for 4 features per timestep; it cannot take 3/);
  });

  it('rejects bad arguments with clear errors', () => {
    expect(() => new layers.LSTM({ units: 0 })).toThrow(/LSTM: units must be a positive integer, got 0\. Fix: new layers\.LSTM\(\{ units: 32 \}\)/);
    expect(() => new layers.LSTM({} as never)).toThrow(/units must be a positive integer, got undefined/);
    expect(() => new layers.LSTM(undefined as never)).toThrow(/LSTM: expected an options object/);
    expect(() => new layers.LSTM({ units: 3, stateful: true }).apply(Input({ shape: [4, 2] }))).toThrow(/LSTM "[^"]+": a stateful RNN needs a fixed batch size.*Input\(\{ batchShape: \[32, 4, 2\] \}\)/);
    expect(() => new layers.LSTM({ units: 3, dropout: 1.5 })).toThrow(/LSTM: dropout must be a number in \[0, 1\)/);
    expect(() => new layers.LSTM({ units: 3, recurrentDropout: -0.1 })).toThrow(/LSTM: recurrentDropout must be a number in \[0, 1\)/);
    expect(() => new layers.LSTM({ units: 3, activation: 'nope' })).toThrow(/LSTM: unknown activation "nope". Allowed: linear, relu,/);
    expect(() => new layers.LSTM({ units: 3, recurrentInitializer: 'nope' })).toThrow(/unknown initializer "nope"/);
    expect(() => new layers.LSTM({ units: 3, returnSequences: 'yes' as never })).toThrow(/LSTM: returnSequences must be true or false, got "yes"/);
    expect(() => new layers.LSTM({ units: 3, kernelRegularizer: 'l5' })).toThrow(/Could not interpret regularizer identifier/);
    expect(() => new layers.LSTM({ units: 3, seed: 1.5 })).toThrow(/LSTM: seed must be an integer/);
    expect(() => new layers.LSTM({ units: 3, unroll: true }).apply(Input({ shape: [null, 2] }))).toThrow(/cannot unroll an RNN whose time dimension is undefined/);
    expect(shapeOf(new layers.LSTM({ units: 3, unroll: true }).apply(Input({ shape: [4, 2] })))).toEqual([null, 3]);
    expect(() => new layers.LSTM({ units: 3 }).apply(Input({ shape: [4, null] }))).toThrow(/the features axis of the input \(None, 4, None\) must be known/);
    expect(() => new layers.LSTM({ units: 3 }).apply(tensor([], [2, 0, 3]))).toThrow(/has no timesteps/);
  });
});

function identity(n: number): number[] {
  return Array.from({ length: n * n }, (_, i) => (Math.floor(i / n) === i % n ? 1 : 0));
}

// ------------------------------------------------------------------------------------------------
describe('LSTM numbers against the torch-ref lstm_sequence vectors', () => {
  for (const c of LSTM_CASES) {
    it(`${c.id}: sequences, h, c and the gradients of x, the weights and the initial states`, () => {
      const x = toTensor(find(c.inputs, 'x') as CaseTensor);
      const hasInitial = find(c.inputs, 'initial_h') !== undefined;
      const states = hasInitial ? [toTensor(find(c.inputs, 'initial_h') as CaseTensor), toTensor(find(c.inputs, 'initial_c') as CaseTensor)] : [];
      const lstm = new layers.LSTM({ units: c.attributes.units, returnSequences: true, returnState: true });
      lstm.build([null, x.shape[1], x.shape[2]]);
      lstm.built = true;
      lstm.setWeights(['kernel', 'recurrent_kernel', 'bias'].map((n) => toTensor(find(c.inputs, n) as CaseTensor)));
      const cot = ['d_sequences', 'd_h', 'd_c'].map((n) => toTensor(find(c.inputs, n) as CaseTensor));
      const sources = [x, ...lstm.weights, ...states];
      const { value, grads } = valueAndGrad(() => {
        const out = lstm.apply(x, hasInitial ? { initialState: states } : {}) as Tensor[];
        const loss = out.map((o, k) => ops.sum(ops.multiply(o, cot[k]))).reduce((a, b) => ops.add(a, b));
        return [loss, ...out];
      }, sources);
      const [, sequences, h, cc] = value;
      expect(sequences.shape).toEqual(find(c.outputs, 'sequences')?.shape);
      const tol = c.tolerance;
      expectClose(sequences, (find(c.outputs, 'sequences') as CaseTensor).data.map(Number), tol, 'sequences');
      expectClose(h, (find(c.outputs, 'h') as CaseTensor).data.map(Number), tol, 'h');
      expectClose(cc, (find(c.outputs, 'c') as CaseTensor).data.map(Number), tol, 'c');
      const names = ['dx', 'dkernel', 'drecurrent_kernel', 'dbias', ...(hasInitial ? ['dinitial_h', 'dinitial_c'] : [])];
      names.forEach((name, k) => expectClose(grads[k], (find(c.outputs, name) as CaseTensor).data.map(Number), { rtol: 1e-3, atol: 1e-4 }, name));
      lstm.dispose();
    });
  }

  it('returns the last output alone by default, equal to the last step of the sequence', () => {
    const c = LSTM_CASES[2];
    const x = toTensor(find(c.inputs, 'x') as CaseTensor);
    const lstm = new layers.LSTM({ units: c.attributes.units });
    lstm.apply(x);
    lstm.setWeights(['kernel', 'recurrent_kernel', 'bias'].map((n) => toTensor(find(c.inputs, n) as CaseTensor)));
    const y = lstm.apply(x, { initialState: [toTensor(find(c.inputs, 'initial_h') as CaseTensor), toTensor(find(c.inputs, 'initial_c') as CaseTensor)] }) as Tensor;
    expect(y.shape).toEqual([3, 5]);
    expectClose(y, (find(c.outputs, 'h') as CaseTensor).data.map(Number), c.tolerance, 'last output');
  });

  it('goBackwards runs the reversed sequence and returns the outputs in processing order', () => {
    const x = data([2, 4, 3], 2);
    const fwd = new layers.LSTM({ units: 3, returnSequences: true, returnState: true });
    const bwd = new layers.LSTM({ units: 3, returnSequences: true, returnState: true, goBackwards: true });
    fwd.apply(x);
    bwd.apply(x);
    bwd.setWeights(fwd.getWeights());
    const a = fwd.apply(ops.flip(x, { axis: 1 })) as Tensor[];
    const b = bwd.apply(x) as Tensor[];
    a.forEach((t, k) => expectClose(b[k], t.dataSync(), undefined, `output ${k}`));
  });

  it('composes the cell for other activations, and the composed cell equals the fused one for tanh/sigmoid', () => {
    const x = data([2, 3, 4], 3);
    const fused = new layers.LSTM({ units: 5, returnSequences: true });
    fused.apply(x);
    // Functions without a registered name take the composed path.
    const composed = new layers.LSTM({ units: 5, returnSequences: true, activation: (t) => ops.tanh(t), recurrentActivation: (t) => ops.sigmoid(t) });
    composed.apply(x);
    composed.setWeights(fused.getWeights());
    expectClose(composed.apply(x) as Tensor, (fused.apply(x) as Tensor).dataSync(), { rtol: 1e-5, atol: 1e-6 }, 'composed vs fused');

    // relu / hard_sigmoid against the Keras equations written out here.
    const relu = new layers.LSTM({ units: 2, activation: 'relu', recurrentActivation: 'hard_sigmoid', returnState: true });
    relu.apply(x);
    const [k, r, b] = relu.getWeights();
    let h = tensor(Array(4).fill(0), [2, 2]);
    let cc = tensor(Array(4).fill(0), [2, 2]);
    for (let t = 0; t < 3; t++) {
      const xt = ops.reshape(ops.slice(x, [0, t, 0], [2, 1, 4]), [2, 4]);
      const z = ops.add(ops.add(ops.matmul(xt, k), ops.matmul(h, r)), b);
      const [zi, zf, zc, zo] = ops.split(z, 4, { axis: -1 });
      cc = ops.add(ops.multiply(ops.hardSigmoid(zf), cc), ops.multiply(ops.hardSigmoid(zi), ops.relu(zc)));
      h = ops.multiply(ops.hardSigmoid(zo), ops.relu(cc));
    }
    const [out, hOut, cOut] = relu.apply(x) as Tensor[];
    expectClose(out, h.dataSync(), undefined, 'output');
    expectClose(hOut, h.dataSync(), undefined, 'h');
    expectClose(cOut, cc.dataSync(), undefined, 'c');
    // No bias: the same equations without b.
    const unbiased = new layers.LSTM({ units: 2, useBias: false });
    unbiased.apply(x);
    const withZeroBias = new layers.LSTM({ units: 2 });
    withZeroBias.apply(x);
    withZeroBias.setWeights([...unbiased.getWeights(), tensor(Array(8).fill(0), [8])]);
    expectClose(unbiased.apply(x) as Tensor, (withZeroBias.apply(x) as Tensor).dataSync(), undefined, 'no bias');
  });

  it('differentiates the composed cell (finite differences)', () => {
    const lstm = new layers.LSTM({ units: 2, activation: 'softsign', returnSequences: true });
    const x = data([2, 3, 2], 5);
    lstm.apply(x);
    expectGradientsMatch((xs) => lstm.apply(xs) as Tensor, [x]);
  });

  it('keeps the state through masked timesteps and repeats the previous output', () => {
    const x = data([2, 4, 3], 4);
    const lstm = new layers.LSTM({ units: 3, returnSequences: true, returnState: true });
    lstm.apply(x);
    const mask = tensor([1, 1, 0, 0, 1, 0, 1, 1], [2, 4], 'bool');
    const [seq, h, c] = lstm.apply(x, { mask }) as Tensor[];
    const full = lstm.apply(x) as Tensor[];
    const s = seq.arraySync() as number[][][];
    const f = full[0].arraySync() as number[][][];
    // Row 0: steps 0-1 run, steps 2-3 repeat step 1's output; the last state is step 1's.
    expect(s[0][0]).toEqual(f[0][0]);
    expect(s[0][1]).toEqual(f[0][1]);
    expect(s[0][2]).toEqual(f[0][1]);
    expect(s[0][3]).toEqual(f[0][1]);
    expect((h.arraySync() as number[][])[0]).toEqual(f[0][1]);
    const first2 = lstm.apply(ops.slice(x, [0, 0, 0], [2, 2, 3])) as Tensor[];
    expect((c.arraySync() as number[][])[0]).toEqual((first2[2].arraySync() as number[][])[0]);
    // Row 1: step 1 is skipped, its output repeats step 0's.
    expect(s[1][1]).toEqual(s[1][0]);
    // zeroOutputForMask gives zeros at masked steps instead.
    const zeroed = new layers.LSTM({ units: 3, returnSequences: true, zeroOutputForMask: true });
    zeroed.apply(x);
    zeroed.setWeights(lstm.getWeights());
    expect((zeroed.apply(x, { mask }) as Tensor).arraySync()).toEqual(
      s.map((row, i) => row.map((v, t) => ([1, 1, 0, 0, 1, 0, 1, 1][i * 4 + t] ? v : [0, 0, 0]))),
    );
    expect(() => lstm.apply(x, { mask: tensor([1, 1], [2, 1], 'bool') })).toThrow(/the mask has shape \(2, 1\), but it must be \(batch, timesteps\) = \(2, 4\)/);
  });
});

// ------------------------------------------------------------------------------------------------
describe('LSTM initial states and functional models', () => {
  it('takes [h, c] from Inputs in a functional model and gives the torch-ref numbers', () => {
    const c = LSTM_CASES[1];
    const x = toTensor(find(c.inputs, 'x') as CaseTensor);
    const u = c.attributes.units;
    const xIn = Input({ shape: [x.shape[1], x.shape[2]], name: 'seq' });
    const hIn = Input({ shape: [u], name: 'h0' });
    const cIn = Input({ shape: [u], name: 'c0' });
    const lstm = new layers.LSTM({ units: u, returnSequences: true, returnState: true });
    const outs = lstm.apply(xIn, { initialState: [hIn, cIn] }) as KerasTensor[];
    expect(outs.map((o) => o.shape)).toEqual([[null, 3, u], [null, u], [null, u]]);
    expect(lstm.inboundNodes[0].inboundLayers.map((l) => l.name)).toEqual(['seq', 'h0', 'c0']);
    expect(lstm.input).toBe(xIn);
    expect(lstm.inputShape).toEqual([null, 3, 6]);
    const model = new Model({ inputs: [xIn, hIn, cIn], outputs: outs });
    lstm.setWeights(['kernel', 'recurrent_kernel', 'bias'].map((n) => toTensor(find(c.inputs, n) as CaseTensor)));
    const h0 = toTensor(find(c.inputs, 'initial_h') as CaseTensor);
    const c0 = toTensor(find(c.inputs, 'initial_c') as CaseTensor);
    const [seq, h, cc] = model.apply([x, h0, c0]) as Tensor[];
    expectClose(seq, (find(c.outputs, 'sequences') as CaseTensor).data.map(Number), c.tolerance, 'sequences');
    expectClose(h, (find(c.outputs, 'h') as CaseTensor).data.map(Number), c.tolerance, 'h');
    expectClose(cc, (find(c.outputs, 'c') as CaseTensor).data.map(Number), c.tolerance, 'c');
    // Without the states the layer starts from zeros, which differs.
    const fromZeros = lstm.apply(x) as Tensor[];
    expect(Array.from(fromZeros[1].dataSync())).not.toEqual(Array.from(h.dataSync()));
  });

  it('reports wrong initial states when the graph is built, and eagerly', () => {
    const xIn = Input({ shape: [3, 2] });
    const lstm = new layers.LSTM({ units: 4 });
    expect(() => lstm.apply(xIn, { initialState: [Input({ shape: [5] }), Input({ shape: [4] })] })).toThrow(
      /LSTM "lstm(_\d+)?": initial state h has shape \(None, 5\), but it must be \(batch, units\) = \(None, 4\): initialState must be \[h, c\], two tensors of shape \(None, 4\)/,
    );
    expect(() => lstm.apply(xIn, { initialState: [Input({ shape: [4] })] })).toThrow(/initialState must be \[h, c\], two tensors of shape \(None, 4\), got 1 tensor\(s\) of shape \(None, 4\)/);
    const x = data([2, 3, 2]);
    expect(() => lstm.apply(x, { initialState: [data([3, 4]), data([2, 4])] })).toThrow(/initial state h has shape \(3, 4\), but it must be \(batch, units\) = \(2, 4\)/);
    expect(() => lstm.apply(xIn, { initialState: [Input({ shape: [4] }), data([2, 4]) as never] })).toThrow(/a mix of KerasTensors and other values/);
  });

  it('gives the same numbers through a functional Model as layer by layer', () => {
    const x = data([3, 6, 5], 7);
    const input = Input({ shape: [6, 5] });
    const l1 = new layers.LSTM({ units: 6, returnSequences: true, dropout: 0.3, recurrentDropout: 0.2 });
    const drop = new layers.Dropout({ rate: 0.5 });
    const l2 = new layers.LSTM({ units: 4, goBackwards: true });
    const act = new layers.Activation({ activation: 'softmax' });
    const y = act.apply(l2.apply(drop.apply(l1.apply(input))));
    const model = new Model({ inputs: input, outputs: y });
    expect(model.layers.map((l) => l.constructor.name)).toEqual(['InputLayer', 'LSTM', 'Dropout', 'LSTM', 'Activation']);
    expect(model.countParams()).toBe(5 * 24 + 6 * 24 + 24 + 6 * 16 + 4 * 16 + 16);
    const viaModel = model.apply(x) as Tensor;
    const byHand = act.apply(l2.apply(drop.apply(l1.apply(x)))) as Tensor;
    expect(viaModel.shape).toEqual([3, 4]);
    expectClose(viaModel, byHand.dataSync(), { rtol: 0, atol: 0 }, 'model vs layers');
    // Training changes the numbers (dropout), inference does not.
    const trained = model.apply(x, { training: true }) as Tensor;
    expect(Array.from(trained.dataSync())).not.toEqual(Array.from(viaModel.dataSync()));
    const lines: string[] = [];
    model.summary({ printFn: (t) => lines.push(t) });
    expect(lines.join('\n')).toMatch(/LSTM\)\s+│ \(None, 6, 6\)\s+│\s+288/);
  });

  it('traces an LSTM inside a nested model', () => {
    const seq = Input({ shape: [5, 3] });
    const sub = new Model({ inputs: seq, outputs: new layers.LSTM({ units: 4, returnSequences: true }).apply(seq) });
    const outer = Input({ shape: [5, 3] });
    const y = sub.apply(outer) as KerasTensor;
    expect(y.shape).toEqual([null, 5, 4]);
  });
});

// ------------------------------------------------------------------------------------------------
describe('LSTMCell', () => {
  it('runs one step: apply(x, { initialState: [h, c] }) gives [h, c], as ops.lstmCell', () => {
    const c = LSTM_CASES[1];
    const cell = new layers.LSTMCell({ units: 8 });
    const x = data([2, 6]);
    const h = data([2, 8], 2);
    const cc = data([2, 8], 3);
    expect(shapeOf(cell.apply(Input({ shape: [6] }), { initialState: [Input({ shape: [8] }), Input({ shape: [8] })] }) as KerasTensor[])).toEqual([[null, 8], [null, 8]]);
    cell.setWeights(['kernel', 'recurrent_kernel', 'bias'].map((n) => toTensor(find(c.inputs, n) as CaseTensor)));
    const [h1, c1] = cell.apply(x, { initialState: [h, cc] }) as Tensor[];
    const [eh, ec] = ops.lstmCell(x, h, cc, cell.weights[0], cell.weights[1], cell.weights[2]);
    expectClose(h1, eh.dataSync(), undefined, 'h');
    expectClose(c1, ec.dataSync(), undefined, 'c');
    expect(cell.weights.map((w) => w.path)).toEqual(['lstm_cell/kernel', 'lstm_cell/recurrent_kernel', 'lstm_cell/bias']);
    expect(() => cell.apply(data([2, 3, 6]))).toThrow(/expected ndim=2, found ndim=3.*LSTMCell processes one timestep, \(batch, features\)\. Fix: for a whole sequence \(batch, timesteps, features\) use layers\.LSTM instead\./);
    expect(() => new layers.LSTMCell({ units: -1 })).toThrow(/LSTMCell: units must be a positive integer, got -1/);
  });
});

// ------------------------------------------------------------------------------------------------
describe('dropout in LSTM', () => {
  it('uses one input mask from core random for every step, only in training', () => {
    const x = data([4, 5, 3], 3);
    const plain = new layers.LSTM({ units: 3, returnSequences: true });
    plain.apply(x);
    const dropped = new layers.LSTM({ units: 3, returnSequences: true, dropout: 0.4, seed: 99 });
    dropped.apply(x);
    dropped.setWeights(plain.getWeights());
    // Inference: no dropout.
    expectClose(dropped.apply(x) as Tensor, (plain.apply(x) as Tensor).dataSync(), { rtol: 0, atol: 0 }, 'inference');
    // Training: the first mask of a SeedGenerator(99), the same at every step.
    const training = dropped.apply(x, { training: true }) as Tensor;
    const mask = random.dropout(tensor(Array(12).fill(1), [4, 3]), 0.4, { seed: new random.SeedGenerator(99) });
    const expected = plain.apply(ops.multiply(x, ops.expandDims(mask, 1))) as Tensor;
    expectClose(training, expected.dataSync(), { rtol: 1e-6, atol: 1e-6 }, 'training');
    // The next call draws a new mask.
    const again = dropped.apply(x, { training: true }) as Tensor;
    expect(Array.from(again.dataSync())).not.toEqual(Array.from(training.dataSync()));
  });

  it('recurrent dropout: deterministic for a seed, off in inference, differentiable', () => {
    const x = data([3, 4, 2], 6);
    const make = (): InstanceType<typeof layers.LSTM> => {
      const l = new layers.LSTM({ units: 3, dropout: 0.2, recurrentDropout: 0.5, seed: 5 });
      l.apply(x);
      return l;
    };
    const a = make();
    const b = make();
    b.setWeights(a.getWeights());
    const ya = a.apply(x, { training: true }) as Tensor;
    const yb = b.apply(x, { training: true }) as Tensor;
    expect(Array.from(ya.dataSync())).toEqual(Array.from(yb.dataSync()));
    const inference = a.apply(x) as Tensor;
    expect(Array.from(inference.dataSync())).not.toEqual(Array.from(ya.dataSync()));
    const plain = new layers.LSTM({ units: 3 });
    plain.apply(x);
    plain.setWeights(a.getWeights());
    expectClose(inference, (plain.apply(x) as Tensor).dataSync(), { rtol: 0, atol: 0 }, 'inference');
    const { grads } = valueAndGrad(() => ops.sum(a.apply(x, { training: true }) as Tensor), a.weights);
    expect(grads.map((g) => g.shape)).toEqual([[2, 12], [3, 12], [12]]);
    expect(grads.every((g) => Array.from(g.dataSync()).every(Number.isFinite))).toBe(true);
  });

  it('follows utils.setRandomSeed when no seed is given', () => {
    const x = data([2, 3, 2]);
    const run = (): number[] => {
      utils.setRandomSeed(123);
      const l = new layers.LSTM({ units: 2, dropout: 0.5, kernelInitializer: 'ones', recurrentInitializer: 'zeros' });
      l.apply(x);
      return Array.from((l.apply(x, { training: true }) as Tensor).dataSync());
    };
    expect(run()).toEqual(run());
  });
});

// ------------------------------------------------------------------------------------------------
describe('Dropout', () => {
  it('passes the input through unless training', () => {
    const x = data([4, 5]);
    const d = new layers.Dropout({ rate: 0.5 });
    expect(Array.from((d.apply(x) as Tensor).dataSync())).toEqual(Array.from(x.dataSync()));
    expect(Array.from((d.apply(x, { training: false }) as Tensor).dataSync())).toEqual(Array.from(x.dataSync()));
    expect(shapeOf(d.apply(Input({ shape: [7, 3] })))).toEqual([null, 7, 3]);
    expect(d.weights).toEqual([]);
  });

  it('drops about rate of the values and scales the rest by 1 / (1 - rate)', () => {
    const n = 20000;
    const x = tensor(Array(n).fill(2), [100, 200]);
    const d = new layers.Dropout({ rate: 0.3, seed: 1 });
    const y = Array.from((d.apply(x, { training: true }) as Tensor).dataSync());
    const kept = y.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 2 / 0.7) < 1e-5)).toBe(true);
    const sigma = Math.sqrt(n * 0.3 * 0.7);
    expect(Math.abs(kept.length - 0.7 * n)).toBeLessThan(4 * sigma);
  });

  it('is deterministic for a seed and for setRandomSeed, with a new mask per call', () => {
    const x = data([6, 10]);
    const mask = (y: Tensor): boolean[] => Array.from(y.dataSync()).map((v) => v !== 0);
    const a = new layers.Dropout({ rate: 0.5, seed: 42 });
    const b = new layers.Dropout({ rate: 0.5, seed: 42 });
    const a1 = a.apply(x, { training: true }) as Tensor;
    expect(mask(a1)).toEqual(mask(b.apply(x, { training: true }) as Tensor));
    expect(mask(a.apply(x, { training: true }) as Tensor)).not.toEqual(mask(a1));
    // The mask is core's random.dropout with the layer's generator.
    expectClose(a1, random.dropout(x, 0.5, { seed: new random.SeedGenerator(42) }).dataSync(), { rtol: 0, atol: 0 }, 'core random');
    const run = (): boolean[] => {
      utils.setRandomSeed(7);
      return mask(new layers.Dropout({ rate: 0.5 }).apply(x, { training: true }) as Tensor);
    };
    expect(run()).toEqual(run());
  });

  it('shares the mask along noiseShape axes of size 1', () => {
    const x = tensor(Array(40 * 6).fill(1), [40, 6]);
    const d = new layers.Dropout({ rate: 0.5, noiseShape: [null, 1], seed: 3 });
    const rows = (d.apply(x, { training: true }) as Tensor).arraySync() as number[][];
    expect(rows.every((r) => r.every((v) => v === r[0]))).toBe(true);
    expect(new Set(rows.map((r) => r[0])).size).toBe(2);
    expect(() => new layers.Dropout({ rate: 0.5, noiseShape: [3, 1] }).apply(x, { training: true })).toThrow(/noiseShape \[3,1\] does not fit an input of shape \(40, 6\)/);
  });

  it('rate 0 does nothing and rate 1 drops everything', () => {
    const x = data([3, 3]);
    expect(Array.from((new layers.Dropout({ rate: 0 }).apply(x, { training: true }) as Tensor).dataSync())).toEqual(Array.from(x.dataSync()));
    expect(Array.from((new layers.Dropout({ rate: 1 }).apply(x, { training: true }) as Tensor).dataSync())).toEqual(Array(9).fill(0));
  });

  it('validates its arguments', () => {
    expect(() => new layers.Dropout({ rate: 1.5 })).toThrow(/Dropout: invalid value received for argument rate\. Expected a number between 0 and 1.*got 1\.5/);
    expect(() => new layers.Dropout({ rate: -0.1 })).toThrow(/Expected a number between 0 and 1/);
    expect(() => new layers.Dropout({} as never)).toThrow(/Expected a number between 0 and 1.*got undefined/);
    expect(() => new layers.Dropout(0.5 as never)).toThrow(/Dropout: expected an options object such as \{ rate: 0\.5 \}/);
    expect(() => new layers.Dropout({ rate: 0.5, noiseShape: [null, 0] })).toThrow(/noiseShape entry 1 is 0; expected a positive integer or null/);
    expect(() => new layers.Dropout({ rate: 0.5, noiseShape: 'x' as never })).toThrow(/noiseShape must be a list of positive integers or null/);
    expect(() => new layers.Dropout({ rate: 0.5, seed: 'x' as never })).toThrow(/Dropout: seed must be an integer/);
  });
});

// ------------------------------------------------------------------------------------------------
describe('Activation', () => {
  it('applies an activation by name or function', () => {
    const x = tensor([[-3, -1, 0, 2]]);
    expect(Array.from((new layers.Activation({ activation: 'relu' }).apply(x) as Tensor).dataSync())).toEqual([0, 0, 0, 2]);
    expect(Array.from((new layers.Activation({ activation: 'leakyRelu' }).apply(x) as Tensor).dataSync())).toEqual([-0.6000000238418579, -0.20000000298023224, 0, 2]);
    const soft = new layers.Activation({ activation: 'softmax' }).apply(x) as Tensor;
    expect(ops.sum(soft).dataSync()[0]).toBeCloseTo(1, 6);
    expect(Array.from((new layers.Activation({ activation: (t) => ops.multiply(t, 2) }).apply(x) as Tensor).dataSync())).toEqual([-6, -2, 0, 4]);
    expect(Array.from((new layers.Activation({ activation: null }).apply(x) as Tensor).dataSync())).toEqual([-3, -1, 0, 2]);
    expect(shapeOf(new layers.Activation({ activation: 'tanh' }).apply(Input({ shape: [4, 2] })))).toEqual([null, 4, 2]);
  });

  it('validates its argument', () => {
    expect(() => new layers.Activation({} as never)).toThrow(/Activation: the activation argument is required/);
    expect(() => new layers.Activation('relu' as never)).toThrow(/Activation: expected an options object, got 'relu'\. Fix: new layers\.Activation\(\{ activation: 'relu' \}\)/);
    expect(() => new layers.Activation({ activation: 'rleu' })).toThrow(/Could not interpret activation function identifier: "rleu"/);
  });
});

// ------------------------------------------------------------------------------------------------
describe('Lambda', () => {
  it("finds its output shape by tracing the function (the custom-layer tracing path)", () => {
    const lambda = new layers.Lambda({ function: (x) => ops.concatenate([x as Tensor, ops.square(x as Tensor)], { axis: -1 }) });
    const y = lambda.apply(Input({ shape: [3] })) as KerasTensor;
    expect(y.shape).toEqual([null, 6]);
    expect(lambda.computeOutputShape([null, 3])).toEqual([null, 6]);
    expect(lambda.computeOutputShape([4, 3])).toEqual([4, 6]);
    const out = lambda.apply(tensor([[1, 2, 3]])) as Tensor;
    expect(Array.from(out.dataSync())).toEqual([1, 2, 3, 1, 4, 9]);
    // Dtypes are traced too.
    const cast = new layers.Lambda({ function: (x) => ops.cast(x as Tensor, 'int32') }).apply(Input({ shape: [2] })) as KerasTensor;
    expect(cast.dtype).toBe('int32');
    // A list of inputs, and a list of outputs.
    const a = Input({ shape: [4] });
    const b = Input({ shape: [4] });
    const two = new layers.Lambda({ function: (xs) => [ops.add((xs as Tensor[])[0], (xs as Tensor[])[1]), ops.sum((xs as Tensor[])[0], { axis: -1 })] }).apply([a, b]) as KerasTensor[];
    expect(two.map((t) => t.shape)).toEqual([[null, 4], [null]]);
    // In a model.
    const model = new Model({ inputs: [a, b], outputs: two });
    const [s, t] = model.apply([tensor([[1, 2, 3, 4]]), tensor([[1, 1, 1, 1]])]) as Tensor[];
    expect(Array.from(s.dataSync())).toEqual([2, 3, 4, 5]);
    expect(Array.from(t.dataSync())).toEqual([10]);
  });

  it('uses outputShape when given, and passes arguments and training to the function', () => {
    const calls: unknown[] = [];
    const lambda = new layers.Lambda({
      function: (x, args) => {
        calls.push(args.training);
        return ops.multiply(x as Tensor, args.factor as number);
      },
      outputShape: [3],
      arguments: { factor: 3 },
    });
    expect((lambda.apply(Input({ shape: [3] })) as KerasTensor).shape).toEqual([null, 3]);
    expect(calls).toEqual([]);
    expect(Array.from((lambda.apply(tensor([[1, 2, 3]]), { training: true }) as Tensor).dataSync())).toEqual([3, 6, 9]);
    expect(calls).toEqual([true]);
    const byFunction = new layers.Lambda({ function: (x) => ops.reshape(x as Tensor, [-1, 6]), outputShape: (s) => [(s as (number | null)[])[0], 6] });
    expect((byFunction.apply(Input({ shape: [2, 3] })) as KerasTensor).shape).toEqual([null, 6]);
    const several = new layers.Lambda({ function: (x) => [x as Tensor, x as Tensor], outputShape: [[3], [3]] });
    expect(shapeOf(several.apply(Input({ shape: [3] })) as KerasTensor[])).toEqual([[null, 3], [null, 3]]);
  });

  it('says when tracing fails, and validates its arguments', () => {
    const bad = new layers.Lambda({ function: (x) => tensor(Array.from((x as Tensor).dataSync())) });
    expect(() => bad.apply(Input({ shape: [3] }))).toThrow(/Lambda "lambda(_\d+)?": could not infer the shape of the Lambda's output by tracing its function on symbolic inputs of shape \(None, 3\): dataSync: this is a symbolic tensor.*pass the outputShape argument/);
    expect(() => new layers.Lambda({} as never)).toThrow(/Lambda: the function argument must be a function of the input tensor\(s\), got undefined/);
    expect(() => new layers.Lambda(((x: Tensor) => x) as never)).toThrow(/Lambda: expected an options object, got a function/);
    expect(() => new layers.Lambda({ function: (x) => x, outputShape: [-2] })).toThrow(/outputShape \[-2\] is not a shape/);
    expect(() => new layers.Lambda({ function: (x) => x, arguments: [1] as never })).toThrow(/arguments must be an object of named values/);
    expect(() => new layers.Lambda({ function: (x) => x, mask: 'm' as never })).toThrow(/the mask argument is not supported yet/);
  });

  it('cannot serialize its function: fromConfig asks for it back', () => {
    const lambda = new layers.Lambda({ function: (x) => ops.square(x as Tensor), outputShape: [3], arguments: { k: 1 }, name: 'sq' });
    const config = lambda.getConfig();
    expect(config).toEqual({ name: 'sq', trainable: true, dtype: 'float32', output_shape: [3], arguments: { k: 1 } });
    expect(() => layers.Lambda.fromConfig(config)).toThrow(/Lambda\.fromConfig: the config has no function\. keras-ts cannot save a Lambda's function in its config.*Fix: pass the function back in/);
    const back = layers.Lambda.fromConfig({ ...config, function: (x: Tensor) => ops.square(x) });
    expect(back.getConfig()).toEqual(config);
    expect(Array.from((back.apply(tensor([[2, 3, 4]])) as Tensor).dataSync())).toEqual([4, 9, 16]);
  });
});

// ------------------------------------------------------------------------------------------------
describe('Add', () => {
  it('sums a list of tensors, eagerly and symbolically, with broadcasting', () => {
    const a = tensor([[1, 2], [3, 4]]);
    const b = tensor([[10, 20], [30, 40]]);
    const c = tensor([[100, 200], [300, 400]]);
    expect(Array.from((new layers.Add().apply([a, b, c]) as Tensor).dataSync())).toEqual([111, 222, 333, 444]);
    expect(Array.from((layers.add([a, b]) as Tensor).dataSync())).toEqual([11, 22, 33, 44]);
    expect(shapeOf(new layers.Add().apply([Input({ shape: [10] }), Input({ shape: [10] })]))).toEqual([null, 10]);
    expect(shapeOf(new layers.Add().apply([Input({ shape: [3, 4] }), Input({ shape: [4] })]))).toEqual([null, 3, 4]);
    expect(shapeOf(new layers.Add().apply([Input({ shape: [3, 1] }), Input({ batchShape: [8, 1, 5] })]))).toEqual([8, 3, 5]);
    expect(shapeOf(layers.add([Input({ shape: [3] }), Input({ shape: [null] })]))).toEqual([null, 3]);
    // Lower-rank inputs broadcast from the last axis.
    const y = new layers.Add().apply([tensor([[[1, 2], [3, 4]]]), tensor([[10, 20]])]) as Tensor;
    expect(y.arraySync()).toEqual([[[11, 22], [13, 24]]]);
    // In a model.
    const i1 = Input({ shape: [2] });
    const i2 = Input({ shape: [2] });
    const model = new Model({ inputs: [i1, i2], outputs: new layers.Add().apply([i1, i2]) });
    expect(Array.from((model.apply([a, b]) as Tensor).dataSync())).toEqual([11, 22, 33, 44]);
  });

  it('lists every input shape when they do not broadcast', () => {
    expect(() => new layers.Add().apply([Input({ shape: [10] }), Input({ shape: [5] })])).toThrow(
      /Inputs have incompatible shapes for layer "add(_\d+)?" \(Add\)\. Received shapes \(None, 10\), \(None, 5\)\./,
    );
    expect(() => new layers.Add().apply([Input({ shape: [10] }), Input({ shape: [10] }), Input({ shape: [4, 5] })])).toThrow(/Received shapes \(None, 10\), \(None, 10\), \(None, 4, 5\)/);
    const add = new layers.Add();
    add.apply([tensor([[1, 2, 3]]), tensor([[1, 2, 3]])]);
    expect(() => add.apply([tensor([[1, 2, 3]]), tensor([[1, 2]])])).toThrow(/Received shapes \(1, 3\), \(1, 2\)/);
    expect(() => new layers.Add().apply([tensor([[1, 2]]), tensor([[1, 2], [3, 4]])])).toThrow(/Cannot merge tensors with different batch sizes.*Received tensors with shapes \(1, 2\), \(2, 2\)/);
    expect(() => new layers.Add().apply(Input({ shape: [3] }))).toThrow(/A merge layer should be called on a list of inputs \(layer "add(_\d+)?", Add\)\. Received: one input of shape \(None, 3\)/);
    expect(() => new layers.Add().apply(tensor([[1, 2]]))).toThrow(/A merge layer should be called on a list of inputs.*one input of shape \(1, 2\)/);
  });
});

// ------------------------------------------------------------------------------------------------
describe('Concatenate', () => {
  it('joins along the last axis by default, or along axis', () => {
    const a = tensor([[1, 2], [3, 4]]);
    const b = tensor([[5], [6]]);
    expect((new layers.Concatenate().apply([a, b]) as Tensor).arraySync()).toEqual([[1, 2, 5], [3, 4, 6]]);
    expect((new layers.Concatenate({ axis: 0 }).apply([a, tensor([[7, 8]])]) as Tensor).arraySync()).toEqual([[1, 2], [3, 4], [7, 8]]);
    expect((layers.concatenate([a, a], { axis: 1 }) as Tensor).arraySync()).toEqual([[1, 2, 1, 2], [3, 4, 3, 4]]);
    expect(shapeOf(new layers.Concatenate().apply([Input({ shape: [3] }), Input({ shape: [4] })]))).toEqual([null, 7]);
    expect(shapeOf(new layers.Concatenate({ axis: 1 }).apply([Input({ shape: [2, 5] }), Input({ shape: [3, 5] })]))).toEqual([null, 5, 5]);
    expect(shapeOf(new layers.Concatenate({ axis: 1 }).apply([Input({ shape: [null, 5] }), Input({ shape: [3, 5] })]))).toEqual([null, null, 5]);
    expect(shapeOf(new layers.Concatenate().apply([Input({ shape: [null, 2] }), Input({ shape: [4, 3] })]))).toEqual([null, 4, 5]);
  });

  it('lists the shapes when they do not match off the axis', () => {
    expect(() => new layers.Concatenate().apply([Input({ shape: [3, 2] }), Input({ shape: [4, 5] })])).toThrow(
      /A Concatenate layer requires inputs with matching shapes except for the concatenation axis \(layer "concatenate(_\d+)?", axis -1\)\. Received: input_shape=\(None, 3, 2\), \(None, 4, 5\); axis 1 has sizes 3, 4/,
    );
    expect(() => new layers.Concatenate().apply([Input({ shape: [3] }), Input({ shape: [3, 1] })])).toThrow(/Received: input_shape=\(None, 3\), \(None, 3, 1\); the inputs have different ranks \(2, 3\)/);
    expect(() => new layers.Concatenate({ axis: 2 }).apply([Input({ shape: [3] }), Input({ shape: [3] })])).toThrow(/axis 2 is out of bounds for inputs of rank 2 \(shapes \(None, 3\), \(None, 3\)\)/);
    const concat = new layers.Concatenate();
    concat.apply([tensor([[1]]), tensor([[2]])]);
    expect(() => concat.apply([tensor([[1]]), tensor([[2], [3]])])).toThrow(/Received: input_shape=\(1, 1\), \(2, 1\); axis 0 has sizes 1, 2/);
    expect(() => new layers.Concatenate({ axis: 0.5 })).toThrow(/Concatenate: axis must be an integer, got 0\.5/);
    expect(() => new layers.Concatenate().apply(Input({ shape: [3] }))).toThrow(/A merge layer should be called on a list of inputs/);
  });
});

// ------------------------------------------------------------------------------------------------
describe('configs', () => {
  it("LSTM writes Keras 3's keys and comes back from them", () => {
    const lstm = new layers.LSTM({ units: 7, returnSequences: true, dropout: 0.25, seed: 3, activation: 'relu', name: 'enc' });
    const config = lstm.getConfig();
    expect(Object.keys(config)).toEqual([
      'name', 'trainable', 'dtype', 'return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll', 'zero_output_for_mask',
      'units', 'activation', 'recurrent_activation', 'use_bias', 'kernel_initializer', 'recurrent_initializer', 'bias_initializer', 'unit_forget_bias',
      'kernel_regularizer', 'recurrent_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'recurrent_constraint', 'bias_constraint',
      'dropout', 'recurrent_dropout', 'seed',
    ]);
    expect(config).toMatchObject({
      name: 'enc', units: 7, activation: 'relu', recurrent_activation: 'sigmoid', use_bias: true, unit_forget_bias: true, return_sequences: true,
      return_state: false, go_backwards: false, stateful: false, unroll: false, dropout: 0.25, recurrent_dropout: 0, seed: 3,
      kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', registered_name: null },
      recurrent_initializer: { module: 'keras.initializers', class_name: 'OrthogonalInitializer', registered_name: null },
      bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
    });
    const back = layers.LSTM.fromConfig(JSON.parse(JSON.stringify(config)) as Record<string, unknown>);
    expect(back).toBeInstanceOf(layers.LSTM);
    expect(back.getConfig()).toEqual(config);
    expect(shapeOf(back.apply(Input({ shape: [4, 2] })))).toEqual([null, 4, 7]);
    const cellConfig = new layers.LSTMCell({ units: 2, recurrentDropout: 0.1 }).getConfig();
    expect(cellConfig).toMatchObject({ units: 2, recurrent_dropout: 0.1, seed: null });
    expect(layers.LSTMCell.fromConfig(cellConfig).getConfig()).toEqual(cellConfig);
  });

  it('Dropout, Activation, Add and Concatenate round-trip', () => {
    const cases: [{ getConfig(): Record<string, unknown> }, { fromConfig(c: Record<string, unknown>): { getConfig(): Record<string, unknown> } }, Record<string, unknown>][] = [
      [new layers.Dropout({ rate: 0.2, noiseShape: [null, 1], seed: 4, name: 'd' }), layers.Dropout, { name: 'd', trainable: true, dtype: 'float32', rate: 0.2, seed: 4, noise_shape: [null, 1] }],
      [new layers.Activation({ activation: 'leakyRelu', name: 'a' }), layers.Activation, { name: 'a', trainable: true, dtype: 'float32', activation: 'leaky_relu' }],
      [new layers.Add({ name: 'plus' }), layers.Add, { name: 'plus', trainable: true, dtype: 'float32' }],
      [new layers.Concatenate({ axis: 1, name: 'cat' }), layers.Concatenate, { name: 'cat', trainable: true, dtype: 'float32', axis: 1 }],
    ];
    for (const [layer, cls, expected] of cases) {
      expect(layer.getConfig()).toEqual(expected);
      expect(cls.fromConfig(JSON.parse(JSON.stringify(expected)) as Record<string, unknown>).getConfig()).toEqual(expected);
    }
    expect(new layers.Dropout({ rate: 0.1 }).getConfig()).toMatchObject({ seed: null, noise_shape: null });
  });
});

// ------------------------------------------------------------------------------------------------
describe('memory', () => {
  it('frees everything a tidy-wrapped eager call makes', () => {
    const x = data([2, 4, 3]);
    const h0 = data([2, 5], 2);
    const c0 = data([2, 5], 3);
    const flat = data([2, 5], 4);
    const lstm = new layers.LSTM({ units: 5, returnSequences: true, returnState: true, dropout: 0.2, recurrentDropout: 0.3 });
    const custom = new layers.LSTM({ units: 5, activation: 'relu', goBackwards: true });
    const drop = new layers.Dropout({ rate: 0.5 });
    const lambda = new layers.Lambda({ function: (t) => ops.concatenate([t as Tensor, ops.square(t as Tensor)], { axis: -1 }) });
    const run = (): void => {
      tidy(() => {
        lstm.apply(x, { training: true, initialState: [h0, c0] });
        lstm.apply(x, { mask: tensor([1, 0, 1, 1, 1, 1, 0, 1], [2, 4], 'bool') });
        custom.apply(x);
        drop.apply(flat, { training: true });
        new layers.Activation({ activation: 'softmax' }).apply(flat);
        lambda.apply(flat);
        new layers.Add().apply([flat, flat, flat]);
        new layers.Concatenate().apply([flat, flat]);
      });
    };
    run(); // builds the layers (their weights stay)
    const before = memory().numTensors;
    run();
    expect(memory().numTensors).toBe(before);
  });
});
