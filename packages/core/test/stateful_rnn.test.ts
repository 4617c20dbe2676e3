/**
 * stateful: true for LSTM, GRU, SimpleRNN (and RNN): the last states of one batch are the first of the
 * next, resetStates() goes back to zeros, the states are not weights, and the batch size must be fixed.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Input, Model, Sequential, layers, memory, ops, random, tidy, zeros, type Tensor } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
});

const BATCH = 2;
const STEPS = 6;
const FEATURES = 3;
const UNITS = 4;

type Kind = 'LSTM' | 'GRU' | 'SimpleRNN';
function make(kind: Kind, stateful: boolean): layers.Layer {
  const args = { units: UNITS, stateful, seed: 7 };
  if (kind === 'LSTM') return new layers.LSTM(args);
  if (kind === 'GRU') return new layers.GRU(args);
  return new layers.SimpleRNN(args);
}

function close(a: Tensor, b: Tensor): void {
  const x = Array.from(a.dataSync());
  const y = Array.from(b.dataSync());
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => expect(v).toBeCloseTo(y[i], 5));
}

describe.each(['LSTM', 'GRU', 'SimpleRNN'] as const)('stateful %s', (kind) => {
  it('carries states across calls, resets them, and keeps them out of the weights', () => {
    const x = random.normal([BATCH, STEPS, FEATURES], { seed: 1 });
    const first = ops.slice(x, [0, 0, 0], [BATCH, STEPS / 2, FEATURES]);
    const second = ops.slice(x, [0, STEPS / 2, 0], [BATCH, STEPS / 2, FEATURES]);

    const plain = make(kind, false);
    const whole = plain.apply(x) as Tensor;
    const firstOnly = plain.apply(first) as Tensor;

    const stateful = make(kind, true);
    stateful.build([BATCH, STEPS / 2, FEATURES]);
    expect(stateful.getWeights().length).toBe(plain.getWeights().length);
    expect(stateful.weights.length).toBe(plain.weights.length);
    expect(stateful.nonTrainableWeights.length).toBe(plain.nonTrainableWeights.length);
    stateful.setWeights(plain.getWeights());

    const a = stateful.apply(first) as Tensor;
    close(a, firstOnly);
    const b = stateful.apply(second) as Tensor;
    close(b, whole);

    const resettable = stateful as unknown as { resetStates(states?: Tensor[]): void; states: { dataSync(): ArrayLike<number> }[] };
    resettable.resetStates();
    for (const s of resettable.states) expect(Array.from(s.dataSync()).every((v) => v === 0)).toBe(true);
    close(stateful.apply(first) as Tensor, firstOnly);

    // An explicit initialState wins over the kept states.
    const zerosStates = resettable.states.map(() => zeros([BATCH, UNITS]));
    close(stateful.apply(first, { initialState: zerosStates }) as Tensor, firstOnly);

    expect(() => resettable.resetStates([zeros([BATCH + 1, UNITS])])).toThrow(/resetStates\(states\)/);
  });

  it('keeps the number of tensors steady across calls', () => {
    const layer = make(kind, true);
    const x = random.normal([BATCH, STEPS, FEATURES], { seed: 2 });
    tidy(() => {
      layer.apply(x);
    });
    const before = memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tidy(() => {
        layer.apply(x);
      });
    }
    expect(memory().numTensors).toBe(before);
  });

  it('needs a fixed batch size', () => {
    expect(() => make(kind, true).apply(Input({ shape: [STEPS, FEATURES] }))).toThrow(
      /a stateful RNN needs a fixed batch size[\s\S]*Fix: give the first layer the full batch shape, e.g\. Input\(\{ batchShape: \[32, 6, 3\] \}\)/,
    );
    const layer = make(kind, true);
    layer.apply(Input({ batchShape: [BATCH, STEPS, FEATURES] }));
    expect(() => layer.apply(random.normal([BATCH + 1, STEPS, FEATURES]))).toThrow(/built for batches of 2/);
  });

  it('trains with fit and resets through the model', async () => {
    const inp = Input({ batchShape: [BATCH, STEPS, FEATURES] });
    const rnn = make(kind, true);
    const out = new layers.Dense({ units: 1 }).apply(rnn.apply(inp) as never);
    const model = new Model({ inputs: inp, outputs: out as never });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = random.normal([BATCH, STEPS, FEATURES], { seed: 3 });
    const y = random.normal([BATCH, 1], { seed: 4 });
    await model.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0, shuffle: false });
    const states = (rnn as unknown as { states: { dataSync(): ArrayLike<number> }[] }).states;
    expect(states.some((s) => Array.from(s.dataSync()).some((v) => v !== 0))).toBe(true);
    model.resetStates();
    for (const s of states) expect(Array.from(s.dataSync()).every((v) => v === 0)).toBe(true);
  });
});

it('Sequential with batchSize on the first layer builds a stateful GRU', () => {
  const model = new Sequential([new layers.GRU({ units: UNITS, stateful: true, batchSize: BATCH, inputShape: [STEPS, FEATURES] })]);
  const y = model.apply(random.normal([BATCH, STEPS, FEATURES])) as Tensor;
  expect(y.shape).toEqual([BATCH, UNITS]);
  model.resetStates();
});

it('ConvLSTM2D carries its states across calls and resets them', () => {
  const x = random.normal([BATCH, 4, 5, 5, 1], { seed: 5 });
  const first = ops.slice(x, [0, 0, 0, 0, 0], [BATCH, 2, 5, 5, 1]);
  const second = ops.slice(x, [0, 2, 0, 0, 0], [BATCH, 2, 5, 5, 1]);
  const plain = new layers.ConvLSTM2D({ filters: 2, kernelSize: 3, padding: 'same', seed: 1 });
  const whole = plain.apply(x) as Tensor;
  const firstOnly = plain.apply(first) as Tensor;
  const stateful = new layers.ConvLSTM2D({ filters: 2, kernelSize: 3, padding: 'same', stateful: true, seed: 1 });
  stateful.build([BATCH, 2, 5, 5, 1]);
  expect(stateful.getWeights().length).toBe(plain.getWeights().length);
  stateful.setWeights(plain.getWeights());
  close(stateful.apply(first) as Tensor, firstOnly);
  close(stateful.apply(second) as Tensor, whole);
  stateful.resetStates();
  close(stateful.apply(first) as Tensor, firstOnly);
  expect(() => new layers.ConvLSTM2D({ filters: 2, kernelSize: 3, stateful: true }).apply(Input({ shape: [2, 5, 5, 1] }))).toThrow(
    /a stateful RNN needs a fixed batch size[\s\S]*Input\(\{ batchShape: \[32, 2, 5, 5, 1\] \}\)/,
  );
});
