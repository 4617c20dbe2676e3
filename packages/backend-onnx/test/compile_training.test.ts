/**
 * Compiled training on onnx: fit's default step recorded once and run as one graph gives the same
 * weights and losses as eager fit (jitCompile: false), for an MLP, a CNN, an LSTM and an Embedding model with Adam and
 * SGD; fit, evaluate and predict leave the tensor count where it was; a learning-rate change is
 * fed; Dropout compiles with eager's masks; what cannot compile says why.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  backendInstance, callbacks, compiledStepReport, layers, memory, Model, ops, optimizers, registerBackend, Sequential, setBackend, tensor, utils, Variable, type Tensor,
} from '@keras-ts/core';
import { createOnnxBackend, type OnnxBackend } from '../src/index.js';

beforeAll(async () => {
  registerBackend('onnx', () => createOnnxBackend());
  await setBackend('onnx');
});

const data = (n: number, shape: number[], seed: number): Tensor => {
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: n * size }, (_, i) => Math.sin(i * 1.37 + seed)), [n, ...shape]);
};

const oneHot = (n: number, classes: number): Tensor => {
  const values = new Array<number>(n * classes).fill(0);
  for (let i = 0; i < n; i++) values[i * classes + ((i * 7) % classes)] = 1;
  return tensor(values, [n, classes]);
};

type Builder = () => Sequential;

const mlp: Builder = () => new Sequential([layers.Input({ shape: [12] }), new layers.Dense({ units: 16, activation: 'relu' }), new layers.Dense({ units: 4, activation: 'softmax' })]);
const cnn: Builder = () => new Sequential([
  layers.Input({ shape: [8, 8, 1] }), new layers.Conv2D({ filters: 4, kernelSize: 3, activation: 'relu' }), new layers.MaxPooling2D({ poolSize: 2 }),
  new layers.Flatten(), new layers.Dense({ units: 4, activation: 'softmax' }),
]);
const lstm: Builder = () => new Sequential([layers.Input({ shape: [5, 3] }), new layers.LSTM({ units: 6 }), new layers.Dense({ units: 4, activation: 'softmax' })]);

// Token ids in, as a text model takes them: the step checks their range on the host before each compiled run.
const embedding: Builder = () => new Sequential([
  layers.Input({ shape: [5], dtype: 'int32' }), new layers.Embedding({ inputDim: 10, outputDim: 6 }), new layers.Flatten(),
  new layers.Dense({ units: 4, activation: 'softmax' }),
]);

const inputShapes: Record<string, number[]> = { mlp: [12], cnn: [8, 8, 1], lstm: [5, 3], embedding: [5] };
const builders: Record<string, Builder> = { mlp, cnn, lstm, embedding };

const tokens = (n: number, length: number): Tensor => tensor(Array.from({ length: n * length }, (_, i) => (i * 7) % 10), [n, length], 'int32');

async function train(kind: string, optimizer: 'adam' | 'sgd', jitCompile: boolean, steps = 5): Promise<{ losses: number[]; weights: Float32Array[]; model: Sequential }> {
  utils.setRandomSeed(7);
  const model = builders[kind]();
  model.compile({
    optimizer: optimizer === 'adam' ? new optimizers.Adam({ learningRate: 0.01 }) : new optimizers.SGD({ learningRate: 0.1, momentum: 0.9 }),
    loss: 'categorical_crossentropy', metrics: ['accuracy'], jitCompile,
  });
  const x = kind === 'embedding' ? tokens(16, 5) : data(16, inputShapes[kind], 1);
  const y = oneHot(16, 4);
  const history = await model.fit(x, y, { epochs: steps, batchSize: 16, shuffle: false, verbose: 0 });
  x.dispose();
  y.dispose();
  return { losses: history.history.loss as number[], weights: model.getWeights().map((w: Tensor) => w.dataSync() as Float32Array), model };
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tolerance: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(tolerance * (1 + Math.abs(want[i])));
}

describe.each(['mlp', 'cnn', 'lstm', 'embedding'])('compiled fit of the %s', (kind) => {
  it.each(['adam', 'sgd'] as const)('with %s gives eager\'s losses and weights', async (optimizer) => {
    const eager = await train(kind, optimizer, false);
    const compiled = await train(kind, optimizer, true);
    expect(compiledStepReport(compiled.model).train?.[0]).toMatchObject({ status: 'compiled' });
    expectClose(compiled.losses, eager.losses, 1e-5);
    compiled.weights.forEach((w, i) => expectClose(w, eager.weights[i], 1e-5));
  });
});

describe('compiled evaluate and predict', () => {
  it('give eager\'s numbers and leave the tensor count where it was', async () => {
    const run = async (jitCompile: boolean) => {
      utils.setRandomSeed(3);
      const model = cnn();
      model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'], jitCompile });
      const x = data(40, inputShapes.cnn, 2);
      const y = oneHot(40, 4);
      const before = memory().numTensors;
      await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
      expect(memory().numTensors).toBe(before);
      const scores: number[] = [];
      for (let i = 0; i < 3; i++) scores.push(...((await model.evaluate(x, y, { batchSize: 8, verbose: 0 })) as number[]));
      expect(memory().numTensors).toBe(before);
      const predictions: Float32Array[] = [];
      for (let i = 0; i < 3; i++) {
        const p = (await model.predict(x, { batchSize: 8 })) as Tensor;
        predictions.push(p.dataSync() as Float32Array);
        p.dispose();
      }
      expect(memory().numTensors).toBe(before);
      x.dispose();
      y.dispose();
      return { scores, predictions, report: compiledStepReport(model) };
    };
    const eager = await run(false);
    const compiled = await run(true);
    expect(compiled.report.predict?.[0]).toMatchObject({ status: 'compiled' });
    expect(compiled.report.test?.[0]).toMatchObject({ status: 'compiled' });
    expect(eager.report.predict).toBeUndefined();
    expectClose(compiled.scores, eager.scores, 1e-5);
    compiled.predictions.forEach((p, i) => expectClose(p, eager.predictions[i], 1e-5));
  });
});

describe('guards and fallbacks', () => {
  it('a learning-rate change mid-training is fed to the same graph (no new recording), and the numbers stay eager\'s', async () => {
    const run = async (jitCompile: boolean) => {
      utils.setRandomSeed(5);
      const model = mlp();
      model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.01 }), loss: 'categorical_crossentropy', jitCompile });
      const x = data(16, inputShapes.mlp, 4);
      const y = oneHot(16, 4);
      const scheduler = new callbacks.LearningRateScheduler((epoch: number) => (epoch < 4 ? 0.01 : 0.002));
      const history = await model.fit(x, y, { epochs: 8, batchSize: 16, verbose: 0, callbacks: [scheduler] });
      x.dispose();
      y.dispose();
      return { losses: history.history.loss as number[], weights: model.getWeights().map((w: Tensor) => w.dataSync()), report: compiledStepReport(model) };
    };
    const eager = await run(false);
    const compiled = await run(true);
    expect(compiled.report.train?.[0]).toMatchObject({ status: 'compiled', calls: 8, recordings: 1 });
    expectClose(compiled.losses, eager.losses, 1e-5);
    compiled.weights.forEach((w, i) => expectClose(w, eager.weights[i], 1e-5));
  });

  it('Dropout in training compiles: its masks are drawn again before each run, so the numbers are jitCompile: false\'s', async () => {
    const run = async (jitCompile: boolean) => {
      utils.setRandomSeed(9);
      const model = new Sequential([layers.Input({ shape: [12] }), new layers.Dense({ units: 16, activation: 'relu' }), new layers.Dropout({ rate: 0.5 }), new layers.Dense({ units: 4, activation: 'softmax' })]);
      model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', jitCompile });
      const x = data(16, inputShapes.mlp, 6);
      const y = oneHot(16, 4);
      const history = await model.fit(x, y, { epochs: 4, batchSize: 16, verbose: 0 });
      const predicted = (await model.predict(x)) as Tensor;
      const result = { losses: history.history.loss as number[], predicted: predicted.dataSync(), report: compiledStepReport(model) };
      predicted.dispose();
      x.dispose();
      y.dispose();
      return { ...result, predictReport: compiledStepReport(model) };
    };
    const eager = await run(false);
    const compiled = await run(true);
    expect(compiled.report.train?.[0]).toMatchObject({ status: 'compiled' });
    expectClose(compiled.losses, eager.losses, 1e-5);
    expectClose(compiled.predicted, eager.predicted, 1e-5);
  });
});

describe('what stays eager, and freeing the graphs', () => {
  it('a learning rate schedule compiles: its rate is computed before each step and fed, with eager\'s numbers', async () => {
    const run = async (jitCompile: boolean) => {
      utils.setRandomSeed(11);
      const model = mlp();
      const learningRate = new optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.05, decaySteps: 1, decayRate: 0.9 });
      model.compile({ optimizer: new optimizers.SGD({ learningRate }), loss: 'categorical_crossentropy', jitCompile });
      const x = data(16, inputShapes.mlp, 3);
      const y = oneHot(16, 4);
      const history = await model.fit(x, y, { epochs: 6, batchSize: 16, verbose: 0 });
      x.dispose();
      y.dispose();
      return { losses: history.history.loss as number[], report: compiledStepReport(model) };
    };
    const eager = await run(false);
    const compiled = await run(true);
    expect(compiled.report.train?.[0]).toMatchObject({ status: 'compiled', recordings: 1 });
    expectClose(compiled.losses, eager.losses, 1e-5);
  });

  const predictThrice = async (model: Model, x: Tensor) => {
    for (let i = 0; i < 3; i++) ((await model.predict(x)) as Tensor).dispose();
    return compiledStepReport(model).predict?.[0];
  };

  it('a host read of a variable is a guard: a new value records the step again; values changing every time end in eager', async () => {
    const x = data(4, [3], 1);
    const scale = new Variable(tensor(2), { trainable: false });
    class ScalesOnHost extends Model {
      override call(inputs: Tensor | Tensor[]): Tensor {
        return ops.multiply(inputs as Tensor, scale.dataSync()[0]);
      }
    }
    const model = new ScalesOnHost();
    const expectScaled = async (factor: number) => {
      const y = (await model.predict(x)) as Tensor;
      expectClose(y.dataSync(), x.dataSync().map((v) => v * factor), 1e-6);
      y.dispose();
    };
    for (let i = 0; i < 3; i++) await expectScaled(2);
    expect(compiledStepReport(model).predict?.[0]).toMatchObject({ status: 'compiled', recordings: 1 });
    scale.assign(tensor(3));
    for (let i = 0; i < 3; i++) await expectScaled(3);
    expect(compiledStepReport(model).predict?.[0]).toMatchObject({ status: 'compiled', recordings: 2 });
    scale.assign(tensor(4));
    await expectScaled(4);
    expect(compiledStepReport(model).predict?.[0]).toMatchObject({ status: 'eager', reason: expect.stringMatching(/changed 2 times/) });
    x.dispose();
    scale.dispose();
  });

  it('a step that reads a computed value on the host, or uses a plain tensor from outside, stays eager with the reason', async () => {
    const x = data(4, [3], 1);
    const outside = tensor([1, 2, 3], [3]);
    class ReadsOnHost extends Model {
      override call(inputs: Tensor | Tensor[]): Tensor {
        const t = inputs as Tensor;
        return ops.multiply(t, ops.sum(t).dataSync()[0]);
      }
    }
    class ClosesOverTensor extends Model {
      override call(inputs: Tensor | Tensor[]): Tensor {
        return ops.add(inputs as Tensor, outside);
      }
    }
    expect(await predictThrice(new ReadsOnHost(), x)).toMatchObject({ status: 'eager', reason: expect.stringMatching(/reads a computed float32 \[\] tensor on the host/) });
    expect(await predictThrice(new ClosesOverTensor(), x)).toMatchObject({ status: 'eager', reason: expect.stringMatching(/neither an input nor a variable/) });
    x.dispose();
    outside.dispose();
  });

  it('freezing a layer between fits records the step again; compile() and dispose() free the graphs', async () => {
    const backend = backendInstance() as OnnxBackend;
    const start = backend.compiledGraphCount();
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
    const x = data(16, inputShapes.mlp, 2);
    const y = oneHot(16, 4);
    await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 });
    model.layers[1].trainable = false;
    const frozen = model.layers[1].getWeights().map((w) => w.dataSync());
    await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 });
    model.layers[1].getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(frozen[i])));
    expect(compiledStepReport(model).train).toHaveLength(2);
    expect(backend.compiledGraphCount()).toBe(start + 2);
    ((await model.predict(x)) as Tensor).dispose();
    await model.predict(x).then((p) => (p as Tensor).dispose());
    await model.predict(x).then((p) => (p as Tensor).dispose());
    expect(backend.compiledGraphCount()).toBe(start + 3);
    model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
    expect(backend.compiledGraphCount()).toBe(start + 1);
    model.dispose();
    expect(backend.compiledGraphCount()).toBe(start);
    x.dispose();
    y.dispose();
  });
});

describe('compiled predict bakes the weights', () => {
  it('new weights (fit, setWeights) record the graph again, and predictions follow them', async () => {
    utils.setRandomSeed(13);
    const model = cnn();
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    const x = data(8, inputShapes.cnn, 5);
    const y = oneHot(8, 4);
    const predictions = async () => {
      const p = (await model.predict(x)) as Tensor;
      const values = p.dataSync();
      p.dispose();
      return values;
    };
    // The same model with jitCompile off: predict's compiled graphs belong to the model, not to its compile.
    const eagerly = async () => {
      const optimizer = model.optimizer as optimizers.Optimizer;
      model.compile({ optimizer, loss: 'categorical_crossentropy', jitCompile: false });
      const values = await predictions();
      model.compile({ optimizer, loss: 'categorical_crossentropy' });
      return values;
    };
    for (let round = 0; round < 4; round++) {
      const want = await eagerly();
      for (let i = 0; i < 3; i++) expectClose(await predictions(), want, 1e-5);
      expect(compiledStepReport(model).predict?.[0]).toMatchObject({ status: 'compiled' });
      if (round % 2 === 0) await model.fit(x, y, { epochs: 1, verbose: 0 });
      else model.setWeights(model.getWeights().map((w) => ops.multiply(w, 0.5)));
    }
    // Four weight changes: after two, the weights are fed rather than baked, so no more recordings.
    expect(compiledStepReport(model).predict?.[0].recordings).toBeLessThanOrEqual(4);
    x.dispose();
    y.dispose();
  });
});

describe('random layers in training compile with eager\'s draws', () => {
  const noisy: Record<string, () => Sequential> = {
    GaussianNoise: () => new Sequential([layers.Input({ shape: [12] }), new layers.GaussianNoise({ stddev: 0.3 }), new layers.Dense({ units: 4, activation: 'softmax' })]),
    GaussianDropout: () => new Sequential([layers.Input({ shape: [12] }), new layers.GaussianDropout({ rate: 0.3 }), new layers.Dense({ units: 4, activation: 'softmax' })]),
    AlphaDropout: () => new Sequential([layers.Input({ shape: [12] }), new layers.AlphaDropout({ rate: 0.3 }), new layers.Dense({ units: 4, activation: 'softmax' })]),
    SpatialDropout1D: () => new Sequential([layers.Input({ shape: [5, 3] }), new layers.SpatialDropout1D({ rate: 0.3 }), new layers.Flatten(), new layers.Dense({ units: 4, activation: 'softmax' })]),
    'LSTM with dropout and recurrentDropout': () => new Sequential([layers.Input({ shape: [5, 3] }), new layers.LSTM({ units: 4, dropout: 0.3, recurrentDropout: 0.2 }), new layers.Dense({ units: 4, activation: 'softmax' })]),
  };
  it.each(Object.keys(noisy))('%s', async (name) => {
    const run = async (jitCompile: boolean) => {
      utils.setRandomSeed(17);
      const model = noisy[name]();
      model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', jitCompile });
      const x = data(16, model.inputs[0].shape.slice(1) as number[], 8);
      const y = oneHot(16, 4);
      const history = await model.fit(x, y, { epochs: 5, batchSize: 16, verbose: 0 });
      x.dispose();
      y.dispose();
      return { losses: history.history.loss as number[], weights: model.getWeights().map((w: Tensor) => w.dataSync()), report: compiledStepReport(model) };
    };
    const eager = await run(false);
    const compiled = await run(true);
    expect(compiled.report.train?.[0]).toMatchObject({ status: 'compiled' });
    expectClose(compiled.losses, eager.losses, 1e-5);
    compiled.weights.forEach((w, i) => expectClose(w, eager.weights[i], 1e-5));
  });
});
