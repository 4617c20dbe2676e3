/**
 * keras.optimizers: each update rule against Keras's published rule computed by hand in plain JS,
 * clipping, weight decay, schedules, configs and names, custom training loops, and no leaks.
 */
import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Input, Model, Variable, dispose, layers, memory, ops, optimizers, tensor, tidy, valueAndGrad, zeros, type Tensor, type TensorValues, type VariableOptions } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';

const { schedules } = optimizers;

beforeAll(async () => {
  await useTestBackend();
});

afterEach(() => {
  jest.restoreAllMocks();
});

/** A variable whose initial tensor is freed (the Variable keeps its own copy). */
const variable = (values: TensorValues, options: VariableOptions): Variable => tidy(() => new Variable(tensor(values), options));

/** float32 arithmetic against float64 references: close in absolute and relative terms. */
function expectClose(actual: ArrayLike<number>, expected: readonly number[], atol = 1e-6, rtol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= atol + rtol * Math.abs(expected[i]))) {
      expect({ index: i, actual: Array.from(actual) }).toEqual({ index: i, actual: expected });
    }
  }
}

const W0 = [1.0, -2.0, 0.5];
const GRADS = [
  [0.5, -1.0, 2.0],
  [0.3, 0.2, -1.5],
  [-0.4, 0.8, 0.1],
];

/** Applies `grads` one update at a time to a fresh variable and returns its value after each. */
function trajectory(optimizer: optimizers.Optimizer, w0: readonly number[] = W0, grads: readonly number[][] = GRADS): number[][] {
  const v = variable([...w0], { name: 'w' });
  const out: number[][] = [];
  for (const g of grads) {
    const gt = tensor(g);
    optimizer.applyGradients([[gt, v]]);
    gt.dispose();
    out.push(Array.from(v.dataSync()));
  }
  optimizer.dispose();
  v.dispose();
  return out;
}

/**
 * The reference: runs `step(w, g, t, state)` per element, where t is the 1-based step and state
 * holds that element's moments, starting from `init`.
 */
function reference<S extends object>(init: () => S, step: (w: number, g: number, t: number, s: S) => number, w0 = W0, grads = GRADS): number[][] {
  const w = [...w0];
  const states = w.map(() => init());
  return grads.map((g, k) => {
    for (let i = 0; i < w.length; i++) w[i] = step(w[i], g[i], k + 1, states[i]);
    return [...w];
  });
}

function expectTrajectory(actual: number[][], expected: number[][], atol?: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, k) => expectClose(a, expected[k], atol));
}

describe('update rules match Keras', () => {
  it('SGD: plain, momentum, nesterov', () => {
    const lr = 0.1;
    expectTrajectory(trajectory(new optimizers.SGD({ learningRate: lr })), reference(() => ({}), (w, g) => w - lr * g));
    const mu = 0.9;
    expectTrajectory(
      trajectory(new optimizers.SGD({ learningRate: lr, momentum: mu })),
      reference(() => ({ m: 0 }), (w, g, _t, s) => {
        s.m = mu * s.m - lr * g;
        return w + s.m;
      }),
    );
    expectTrajectory(
      trajectory(new optimizers.SGD({ learningRate: lr, momentum: mu, nesterov: true })),
      reference(() => ({ m: 0 }), (w, g, _t, s) => {
        s.m = mu * s.m - lr * g;
        return w + mu * s.m - lr * g;
      }),
    );
  });

  const adamStep = (lr: number, b1: number, b2: number, eps: number, amsgrad: boolean) => (w: number, g: number, t: number, s: { m: number; v: number; vHat: number }) => {
    s.m += (g - s.m) * (1 - b1);
    s.v += (g * g - s.v) * (1 - b2);
    s.vHat = Math.max(s.vHat, s.v);
    const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    return w - (s.m * alpha) / (Math.sqrt(amsgrad ? s.vHat : s.v) + eps);
  };
  const adamState = () => ({ m: 0, v: 0, vHat: 0 });

  it('Adam, and AMSGrad (with a beta2 that lets v shrink, so the running maximum matters)', () => {
    expectTrajectory(trajectory(new optimizers.Adam({ learningRate: 0.1 })), reference(adamState, adamStep(0.1, 0.9, 0.999, 1e-7, false)));
    const ams = trajectory(new optimizers.Adam({ learningRate: 0.1, beta2: 0.5, amsgrad: true }));
    expectTrajectory(ams, reference(adamState, adamStep(0.1, 0.9, 0.5, 1e-7, true)));
    const plain = reference(adamState, adamStep(0.1, 0.9, 0.5, 1e-7, false));
    expect(Math.abs(ams[2][1] - plain[2][1])).toBeGreaterThan(1e-3);
  });

  it('AdamW: decoupled weight decay w -= w * wd * lr before the Adam step; default weightDecay 0.004', () => {
    const lr = 0.1;
    const wd = 0.1;
    const adam = adamStep(lr, 0.9, 0.999, 1e-7, false);
    expectTrajectory(
      trajectory(new optimizers.AdamW({ learningRate: lr, weightDecay: wd })),
      reference(adamState, (w, g, t, s) => adam(w - w * wd * lr, g, t, s)),
    );
    expect(new optimizers.AdamW().weightDecay).toBe(0.004);
    expect(() => new optimizers.AdamW({ weightDecay: null })).toThrow(/AdamW: weightDecay must be a number/);
  });

  it('RMSprop: plain, and centered with momentum', () => {
    const lr = 0.01;
    const rho = 0.9;
    const eps = 1e-7;
    expectTrajectory(
      trajectory(new optimizers.RMSprop({ learningRate: lr })),
      reference(() => ({ vel: 0 }), (w, g, _t, s) => {
        s.vel = rho * s.vel + (1 - rho) * g * g;
        return w - (lr * g) / Math.sqrt(s.vel + eps);
      }),
    );
    expectTrajectory(
      trajectory(new optimizers.RMSprop({ learningRate: lr, centered: true, momentum: 0.5 })),
      reference(() => ({ vel: 0, avg: 0, mom: 0 }), (w, g, _t, s) => {
        s.vel = rho * s.vel + (1 - rho) * g * g;
        s.avg = rho * s.avg + (1 - rho) * g;
        const increment = (lr * g) / Math.sqrt(s.vel - s.avg * s.avg + eps);
        s.mom = 0.5 * s.mom + increment;
        return w - s.mom;
      }),
    );
  });

  it('Adagrad: accumulators start at initialAccumulatorValue', () => {
    const lr = 0.1;
    expectTrajectory(
      trajectory(new optimizers.Adagrad({ learningRate: lr, initialAccumulatorValue: 0.2 })),
      reference(() => ({ acc: 0.2 }), (w, g, _t, s) => {
        s.acc += g * g;
        return w - (lr * g) / Math.sqrt(s.acc + 1e-7);
      }),
    );
  });

  it('Adadelta', () => {
    const rho = 0.95;
    const eps = 1e-7;
    expectTrajectory(
      trajectory(new optimizers.Adadelta({ learningRate: 1.0 })),
      reference(() => ({ accGrad: 0, accDelta: 0 }), (w, g, _t, s) => {
        s.accGrad = rho * s.accGrad + (1 - rho) * g * g;
        const delta = (-Math.sqrt(s.accDelta + eps) * g) / Math.sqrt(s.accGrad + eps);
        s.accDelta = rho * s.accDelta + (1 - rho) * delta * delta;
        return w + 1.0 * delta;
      }),
      2e-7,
    );
  });

  it('Adamax', () => {
    const lr = 0.1;
    const [b1, b2, eps] = [0.9, 0.999, 1e-7];
    expectTrajectory(
      trajectory(new optimizers.Adamax({ learningRate: lr })),
      reference(() => ({ m: 0, u: 0 }), (w, g, t, s) => {
        s.m += (g - s.m) * (1 - b1);
        s.u = Math.max(b2 * s.u, Math.abs(g));
        return w - (lr * s.m) / ((1 - b1 ** t) * (s.u + eps));
      }),
    );
  });

  it('Nadam: the momentum schedule and its running product', () => {
    const lr = 0.1;
    const [b1, b2, eps] = [0.9, 0.999, 1e-7];
    const u = (t: number) => b1 * (1 - 0.5 * 0.96 ** t);
    // The product advances once per update, shared by every element.
    const products = [1, u(1), u(1) * u(2), u(1) * u(2) * u(3)];
    expectTrajectory(
      trajectory(new optimizers.Nadam({ learningRate: lr })),
      reference(() => ({ m: 0, v: 0 }), (w, g, t, s) => {
        const product = products[t];
        s.m += (g - s.m) * (1 - b1);
        s.v += (g * g - s.v) * (1 - b2);
        const mHat = (u(t + 1) * s.m) / (1 - product * u(t + 1)) + ((1 - u(t)) * g) / (1 - product);
        const vHat = s.v / (1 - b2 ** t);
        return w - (lr * mHat) / (Math.sqrt(vHat) + eps);
      }),
    );
  });

  it('Lion', () => {
    const lr = 0.1;
    const [b1, b2] = [0.9, 0.99];
    expectTrajectory(
      trajectory(new optimizers.Lion({ learningRate: lr })),
      reference(() => ({ m: 0 }), (w, g, _t, s) => {
        const next = w - lr * Math.sign(b1 * s.m + (1 - b1) * g);
        s.m = b2 * s.m + (1 - b2) * g;
        return next;
      }),
    );
  });

  it('weightDecay on any optimizer, and excludeFromWeightDecay by name', () => {
    const [lr, wd] = [0.1, 0.5];
    expectTrajectory(trajectory(new optimizers.SGD({ learningRate: lr, weightDecay: wd })), reference(() => ({}), (w, g) => w - w * wd * lr - lr * g));
    const kernel = variable([1, 2], { name: 'kernel' });
    const bias = variable([1, 2], { name: 'bias' });
    const sgd = new optimizers.SGD({ learningRate: lr, weightDecay: wd });
    sgd.excludeFromWeightDecay({ varNames: ['bias'] });
    tidy(() => sgd.applyGradients([[zeros([2]), kernel], [zeros([2]), bias]]));
    expectClose(kernel.dataSync(), [0.95, 1.9]);
    expectClose(bias.dataSync(), [1, 2]);
    expect(() => sgd.excludeFromWeightDecay({ varNames: ['kernel'] })).toThrow(/before the optimizer is built/);
    dispose([kernel.value, bias.value]);
    sgd.dispose();
  });

  it('clipnorm: each gradient scaled to norm <= clipnorm (norm over the whole gradient)', () => {
    const [lr, c] = [0.1, 1.0];
    const clipped = GRADS.map((g) => {
      const norm = Math.hypot(...g);
      return g.map((x) => (x * c) / Math.max(norm, c));
    });
    expectTrajectory(trajectory(new optimizers.SGD({ learningRate: lr, clipnorm: c })), reference(() => ({}), (w, g) => w - lr * g, W0, clipped));
    expect(Math.hypot(...GRADS[2])).toBeLessThan(c);
  });

  it('clipvalue: every element clipped to [-clipvalue, clipvalue]', () => {
    const [lr, c] = [0.1, 0.6];
    const clipped = GRADS.map((g) => g.map((x) => Math.min(Math.max(x, -c), c)));
    expectTrajectory(trajectory(new optimizers.SGD({ learningRate: lr, clipvalue: c })), reference(() => ({}), (w, g) => w - lr * g, W0, clipped));
  });

  it('globalClipnorm: all gradients scaled together by clipnorm / max(globalNorm, clipnorm)', () => {
    const [lr, c] = [0.1, 1.5];
    const a = variable([1, 2, 3], { name: 'a' });
    const b = variable([-1, 1], { name: 'b' });
    const ga = [0.5, -1.0, 2.0];
    const gb = [1.0, 0.5];
    const norm = Math.hypot(...ga, ...gb);
    const scale = c / Math.max(norm, c);
    const sgd = new optimizers.SGD({ learningRate: lr, globalClipnorm: c });
    tidy(() => sgd.applyGradients([[tensor(ga), a], [tensor(gb), b]]));
    expectClose(a.dataSync(), [1, 2, 3].map((w, i) => w - lr * ga[i] * scale));
    expectClose(b.dataSync(), [-1, 1].map((w, i) => w - lr * gb[i] * scale));
    // A zero gradient leaves the scale at 1 rather than dividing by zero.
    tidy(() => sgd.applyGradients([[zeros([3]), a], [zeros([2]), b]]));
    expect(Array.from(a.dataSync()).every(Number.isFinite)).toBe(true);
    sgd.dispose();
    a.dispose();
    b.dispose();
  });

  it('only one clipping option at a time', () => {
    expect(() => new optimizers.Adam({ clipnorm: 1, clipvalue: 1 })).toThrow(/only one of clipnorm, clipvalue and globalClipnorm can be set/);
    expect(() => new optimizers.SGD({ globalClipnorm: 1, clipnorm: 1 })).toThrow(/only one of/);
  });

  it('lossScaleFactor: gradients are divided by it, and scaleLoss multiplies the loss', () => {
    const lr = 0.1;
    const unscaled = GRADS.map((g) => g.map((x) => x / 4));
    expectTrajectory(trajectory(new optimizers.SGD({ learningRate: lr, lossScaleFactor: 4 })), reference(() => ({}), (w, g) => w - lr * g, W0, unscaled));
    const loss = tensor(2);
    const scaled = new optimizers.SGD({ lossScaleFactor: 4 }).scaleLoss(loss);
    expect(scaled.dataSync()[0]).toBe(8);
    dispose([loss, scaled]);
  });

  it('a schedule gives the learning rate of each update from the iteration count', () => {
    const schedule = new schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
    const sgd = new optimizers.SGD({ learningRate: schedule });
    expect(sgd.learningRate).toBe(0.1);
    expectTrajectory(trajectory(sgd), reference(() => ({}), (w, g, t) => w - 0.1 * 0.5 ** (t - 1) * g));
    expect(sgd.learningRateSchedule).toBe(schedule);
  });
});

describe('learning-rate schedules match Keras', () => {
  const at = (s: optimizers.schedules.LearningRateSchedule, steps: number[]) => steps.map((step) => s.call(step));

  it('ExponentialDecay, continuous and staircase', () => {
    const steps = [0, 5, 10, 25];
    expectClose(at(new schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }), steps), steps.map((s) => 0.1 * 0.5 ** (s / 10)));
    expectClose(
      at(new schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }), steps),
      steps.map((s) => 0.1 * 0.5 ** Math.floor(s / 10)),
    );
  });

  it('PiecewiseConstantDecay: a boundary step still gets the value before it', () => {
    const s = new schedules.PiecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5, 0.1] });
    expect(at(s, [0, 10, 11, 20, 21, 100])).toEqual([1, 1, 0.5, 0.5, 0.1, 0.1]);
    expect(() => new schedules.PiecewiseConstantDecay({ boundaries: [10], values: [1] })).toThrow(/boundaries should be 1 less than the length of values/);
    expect(() => new schedules.PiecewiseConstantDecay({ boundaries: [20, 10], values: [1, 2, 3] })).toThrow(/strictly increasing/);
  });

  it('CosineDecay, without and with warmup', () => {
    const steps = [0, 25, 50, 100, 150];
    const cosine = (s: number, from: number, decaySteps: number, alpha: number) => from * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * Math.min(s, decaySteps)) / decaySteps)) + alpha);
    expectClose(at(new schedules.CosineDecay({ initialLearningRate: 0.1, decaySteps: 100, alpha: 0.1 }), steps), steps.map((s) => cosine(s, 0.1, 100, 0.1)));
    const warm = new schedules.CosineDecay({ initialLearningRate: 0, decaySteps: 100, warmupTarget: 0.1, warmupSteps: 10 });
    expectClose(at(warm, [0, 5, 10, 60, 110, 200]), [0, 0.05, 0.1, 0.05, 0, 0]);
  });

  it('InverseTimeDecay, continuous and staircase', () => {
    const steps = [0, 5, 10, 35];
    expectClose(at(new schedules.InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }), steps), steps.map((s) => 0.1 / (1 + (0.5 * s) / 10)));
    expectClose(
      at(new schedules.InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }), steps),
      steps.map((s) => 0.1 / (1 + 0.5 * Math.floor(s / 10))),
    );
  });

  it('PolynomialDecay, capped and cycling', () => {
    const poly = new schedules.PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 100, endLearningRate: 0.01, power: 2 });
    expectClose(at(poly, [0, 50, 100, 150]), [0.1, 0.09 * 0.25 + 0.01, 0.01, 0.01]);
    const cycling = new schedules.PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 100, endLearningRate: 0.01, power: 2, cycle: true });
    expectClose(at(cycling, [0, 150]), [0.1, 0.09 * 0.25 ** 2 + 0.01]);
  });

  it('getConfig / fromConfig / serialize / deserialize round trips, with Keras keys', () => {
    const all = [
      new schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }),
      new schedules.PiecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5, 0.1] }),
      new schedules.CosineDecay({ initialLearningRate: 0, decaySteps: 100, warmupTarget: 0.1, warmupSteps: 10 }),
      new schedules.InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }),
      new schedules.PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 100, cycle: true }),
    ];
    for (const s of all) {
      const json = JSON.parse(JSON.stringify(schedules.serialize(s))) as optimizers.schedules.SerializedSchedule;
      expect(json.module).toBe('keras.optimizers.schedules');
      const back = schedules.deserialize(json);
      expect(back.constructor).toBe(s.constructor);
      expect(back.getConfig()).toEqual(s.getConfig());
      expect(at(back, [0, 7, 15, 60])).toEqual(at(s, [0, 7, 15, 60]));
    }
    expect(all[0].getConfig()).toEqual({ initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5, staircase: true, name: 'ExponentialDecay' });
    expect(all[2].getConfig()).toEqual({ initial_learning_rate: 0, decay_steps: 100, alpha: 0, name: 'CosineDecay', warmup_target: 0.1, warmup_steps: 10 });
    expect(() => schedules.deserialize({ class_name: 'StepDecay', config: {} })).toThrow(/unknown learning rate schedule "StepDecay".*'ExponentialDecay'/);
    expect(() => new schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 })).toThrow(/decaySteps must be > 0/);
  });
});

/** sum((w - target)²) minimized from zeros by `optimizer` in `steps` updates; returns the final loss. */
function minimizeQuadratic(optimizer: optimizers.Optimizer, steps: number): number {
  const target = tensor([1, -2, 3]);
  const w = tidy(() => new Variable(zeros([3]), { name: 'w' }));
  const vars = [w];
  for (let step = 0; step < steps; step++) {
    const { value, grads } = valueAndGrad(() => ops.sum(ops.square(ops.subtract(w, target))), vars);
    optimizer.applyGradients(grads.map((g, i) => [g, vars[i]]));
    value.dispose();
    dispose(grads);
  }
  const loss = tidy(() => ops.sum(ops.square(ops.subtract(w, target))).dataSync()[0]);
  optimizer.dispose();
  dispose([target, w.value]);
  return loss;
}

describe('custom training loops', () => {
  const cases: [string, () => optimizers.Optimizer, number][] = [
    ['SGD', () => new optimizers.SGD({ learningRate: 0.1 }), 100],
    ['SGD nesterov', () => new optimizers.SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true }), 200],
    ['Adam', () => new optimizers.Adam({ learningRate: 0.1 }), 300],
    ['AdamW', () => new optimizers.AdamW({ learningRate: 0.1 }), 300],
    ['RMSprop', () => new optimizers.RMSprop({ learningRate: 0.05, centered: true }), 300],
    ['Adagrad', () => new optimizers.Adagrad({ learningRate: 0.5 }), 300],
    ['Adadelta', () => new optimizers.Adadelta({ learningRate: 1.0, epsilon: 1e-3 }), 400],
    ['Adamax', () => new optimizers.Adamax({ learningRate: 0.1 }), 300],
    ['Nadam', () => new optimizers.Nadam({ learningRate: 0.1 }), 300],
    ['Lion', () => new optimizers.Lion({ learningRate: new schedules.CosineDecay({ initialLearningRate: 0.05, decaySteps: 400 }) }), 400],
  ];
  it.each(cases)('%s minimizes a quadratic with valueAndGrad + applyGradients', (_name, make, steps) => {
    expect(minimizeQuadratic(make(), steps)).toBeLessThan(1e-2);
  });

  it('fits a Dense model through model.trainableWeights, with Keras names for the state', () => {
    const x = Input({ shape: [2] });
    const model = new Model({ inputs: x, outputs: new layers.Dense({ units: 1, name: 'opt_dense' }).apply(x) });
    const xs = tensor([[0, 1], [1, 0], [1, 1], [2, 1], [-1, 2], [0.5, -1]]);
    const ys = tidy(() => ops.add(ops.matmul(xs, tensor([[2], [-3]])), 1));
    const optimizer = new optimizers.Adam({ learningRate: 0.1 });
    const vars = model.trainableWeights;
    const loss = () => ops.mean(ops.square(ops.subtract(model.apply(xs) as Tensor, ys)));
    let last = Infinity;
    for (let step = 0; step < 300; step++) {
      const { value, grads } = valueAndGrad(loss, vars);
      optimizer.applyGradients(grads.map((g, i) => [g, vars[i]]));
      last = value.dataSync()[0];
      value.dispose();
      dispose(grads);
    }
    expect(last).toBeLessThan(1e-3);
    expect(optimizer.iterations).toBe(300);
    expect(optimizer.variables.map((v) => v.path)).toEqual([
      'adam/iteration',
      'adam/learning_rate',
      'adam/opt_dense_kernel_momentum',
      'adam/opt_dense_kernel_velocity',
      'adam/opt_dense_bias_momentum',
      'adam/opt_dense_bias_velocity',
    ]);
    expect(optimizer.variables.every((v) => !v.trainable)).toBe(true);
    expect(optimizer.variables[0].dtype).toBe('int32');
    optimizer.dispose();
    dispose([xs, ys]);
  });

  it('apply(grads) after build, a subset of variables, and skipped null gradients', () => {
    const a = variable([1, 1], { name: 'a' });
    const b = variable([1, 1], { name: 'b' });
    const sgd = new optimizers.SGD({ learningRate: 1 });
    sgd.build([a, b]);
    expect(sgd.built).toBe(true);
    tidy(() => sgd.apply([tensor([1, 2]), tensor([3, 4])]));
    expect(Array.from(a.dataSync())).toEqual([0, -1]);
    tidy(() => sgd.applyGradients([[tensor([1, 1]), b]]));
    expect(Array.from(b.dataSync())).toEqual([-3, -4]);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    tidy(() => sgd.applyGradients([[null, a], [tensor([1, 1]), b]]));
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/gradients do not exist for variables \["a"\]/));
    expect(Array.from(a.dataSync())).toEqual([0, -1]);
    expect(sgd.iterations).toBe(3);
    // An empty list is a no-op, as in Keras.
    sgd.applyGradients([]);
    expect(sgd.iterations).toBe(3);
    const stranger = variable([1, 1], { name: 'stranger' });
    expect(() => tidy(() => sgd.applyGradients([[tensor([1, 1]), stranger]]))).toThrow(/unknown variables \["stranger"\].*create a new optimizer/);
    expect(() => tidy(() => sgd.applyGradients([[tensor([1, 1, 1]), a]]))).toThrow(/the gradient for variable 'a' has shape \(3,\), but the variable is \(2,\)/);
    sgd.dispose();
    dispose([a.value, b.value, stranger.value]);
  });
});

describe('state, configs and names', () => {
  it('Keras defaults and names', () => {
    const expected: [optimizers.Optimizer, string, number][] = [
      [new optimizers.SGD(), 'SGD', 0.01],
      [new optimizers.Adam(), 'adam', 0.001],
      [new optimizers.AdamW(), 'adamw', 0.001],
      [new optimizers.RMSprop(), 'rmsprop', 0.001],
      [new optimizers.Adadelta(), 'adadelta', 0.001],
      [new optimizers.Adamax(), 'adamax', 0.001],
      [new optimizers.Nadam(), 'nadam', 0.001],
      [new optimizers.Lion(), 'lion', 0.001],
    ];
    for (const [opt, name, lr] of expected) {
      expect(opt.name).toBe(name);
      expect(opt.learningRate).toBe(Math.fround(lr));
    }
    // Adagrad has no fixed default name in Keras: it gets a unique automatic one.
    expect(new optimizers.Adagrad().name).toMatch(/^adagrad(_\d+)?$/);
    expect(new optimizers.Adam().getConfig()).toEqual({
      name: 'adam',
      learning_rate: 0.0010000000474974513,
      weight_decay: null,
      clipnorm: null,
      global_clipnorm: null,
      clipvalue: null,
      use_ema: false,
      ema_momentum: 0.99,
      ema_overwrite_frequency: null,
      loss_scale_factor: null,
      gradient_accumulation_steps: null,
      beta_1: 0.9,
      beta_2: 0.999,
      epsilon: 1e-7,
      amsgrad: false,
    });
  });

  it('state variables: created on the first update, in Keras order', () => {
    const v = variable([1, 2], { name: 'kernel', path: 'dense/kernel' });
    const u = variable([3], { name: 'bias', path: 'dense/bias' });
    const paths = (opt: optimizers.Optimizer) => {
      expect(opt.built).toBe(false);
      tidy(() => opt.applyGradients([[tensor([1, 1]), v], [tensor([1]), u]]));
      expect(opt.built).toBe(true);
      const p = opt.variables.map((x) => x.path);
      opt.dispose();
      return p;
    };
    expect(paths(new optimizers.SGD())).toEqual(['SGD/iteration', 'SGD/learning_rate']);
    expect(paths(new optimizers.SGD({ momentum: 0.5 }))).toEqual(['SGD/iteration', 'SGD/learning_rate', 'SGD/dense_kernel_momentum', 'SGD/dense_bias_momentum']);
    expect(paths(new optimizers.Adam({ amsgrad: true, name: 'a' }))).toEqual([
      'a/iteration', 'a/learning_rate', 'a/dense_kernel_momentum', 'a/dense_kernel_velocity', 'a/dense_bias_momentum', 'a/dense_bias_velocity',
      'a/dense_kernel_velocity_hat', 'a/dense_bias_velocity_hat',
    ]);
    expect(paths(new optimizers.RMSprop({ momentum: 0.1, centered: true }))).toEqual([
      'rmsprop/iteration', 'rmsprop/learning_rate', 'rmsprop/dense_kernel_velocity', 'rmsprop/dense_bias_velocity', 'rmsprop/dense_kernel_momentum',
      'rmsprop/dense_bias_momentum', 'rmsprop/dense_kernel_average_gradient', 'rmsprop/dense_bias_average_gradient',
    ]);
    expect(paths(new optimizers.Adadelta())).toEqual([
      'adadelta/iteration', 'adadelta/learning_rate', 'adadelta/dense_kernel_accumulated_grad', 'adadelta/dense_kernel_accumulated_delta_var',
      'adadelta/dense_bias_accumulated_grad', 'adadelta/dense_bias_accumulated_delta_var',
    ]);
    expect(paths(new optimizers.Adamax())).toEqual(['adamax/iteration', 'adamax/learning_rate', 'adamax/dense_kernel_momentum', 'adamax/dense_kernel_norm', 'adamax/dense_bias_momentum', 'adamax/dense_bias_norm']);
    expect(paths(new optimizers.Nadam()).slice(-1)).toEqual(['nadam/u_product']);
    expect(paths(new optimizers.Adagrad({ name: 'g' }))).toEqual(['g/iteration', 'g/learning_rate', 'g/dense_kernel_accumulator', 'g/dense_bias_accumulator']);
    expect(paths(new optimizers.Lion({ learningRate: new schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 }) }))).toEqual([
      'lion/iteration', 'lion/dense_kernel_momentum', 'lion/dense_bias_momentum',
    ]);
    dispose([v.value, u.value]);
  });

  it('getConfig / fromConfig round trips (through JSON), and serialize / deserialize', () => {
    const all: optimizers.Optimizer[] = [
      new optimizers.SGD({ learningRate: 0.5, momentum: 0.9, nesterov: true, clipnorm: 1 }),
      new optimizers.Adam({ beta1: 0.8, amsgrad: true, weightDecay: 0.01, globalClipnorm: 2 }),
      new optimizers.AdamW({ learningRate: new schedules.CosineDecay({ initialLearningRate: 0.01, decaySteps: 50, alpha: 0.1 }) }),
      new optimizers.RMSprop({ rho: 0.8, momentum: 0.2, centered: true, clipvalue: 0.5 }),
      new optimizers.Adagrad({ initialAccumulatorValue: 0.3, epsilon: 1e-6, name: 'my_adagrad' }),
      new optimizers.Adadelta({ rho: 0.9, lossScaleFactor: 128 }),
      new optimizers.Adamax({ beta2: 0.99 }),
      new optimizers.Nadam({ epsilon: 1e-5 }),
      new optimizers.Lion({ beta1: 0.95, beta2: 0.98, weightDecay: 0.1 }),
    ];
    for (const opt of all) {
      const config = JSON.parse(JSON.stringify(opt.getConfig())) as optimizers.OptimizerConfig;
      const cls = opt.constructor as unknown as { fromConfig(c: optimizers.OptimizerConfig): optimizers.Optimizer };
      const back = cls.fromConfig(config);
      expect(back.constructor).toBe(opt.constructor);
      expect(back.getConfig()).toEqual(opt.getConfig());
      const viaSerialize = optimizers.deserialize(JSON.parse(JSON.stringify(optimizers.serialize(opt))) as optimizers.OptimizerIdentifier);
      expect(viaSerialize.getConfig()).toEqual(opt.getConfig());
    }
    expect(all[2].getConfig().learning_rate).toEqual({
      module: 'keras.optimizers.schedules',
      class_name: 'CosineDecay',
      config: { initial_learning_rate: 0.01, decay_steps: 50, alpha: 0.1, name: 'CosineDecay', warmup_target: null, warmup_steps: 0 },
      registered_name: null,
    });
    expect(optimizers.serialize(all[0])).toMatchObject({ module: 'keras.optimizers', class_name: 'SGD', registered_name: null });
    // Keras 3 ignores its obsolete `decay` argument with a warning.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(optimizers.SGD.fromConfig({ learning_rate: 0.1, decay: 0.01 }).learningRate).toBeCloseTo(0.1, 7);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/`decay` is no longer supported/));
  });

  it('get by every form, and a clear error for unknown names', () => {
    const names = ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'adadelta', 'adamax', 'nadam', 'lion'];
    const classes = [optimizers.SGD, optimizers.Adam, optimizers.AdamW, optimizers.RMSprop, optimizers.Adagrad, optimizers.Adadelta, optimizers.Adamax, optimizers.Nadam, optimizers.Lion];
    names.forEach((name, i) => {
      expect(optimizers.get(name)).toBeInstanceOf(classes[i]);
      expect(optimizers.get(classes[i].className).constructor).toBe(classes[i]);
      expect(optimizers.get(classes[i]).constructor).toBe(classes[i]);
      expect(optimizers.get({ class_name: classes[i].className, config: {} }).constructor).toBe(classes[i]);
    });
    expect(optimizers.OPTIMIZER_NAMES).toEqual(names);
    expect(optimizers.get('adamW')).toBeInstanceOf(optimizers.AdamW);
    expect(optimizers.get('RMSProp')).toBeInstanceOf(optimizers.RMSprop);
    const sgd = optimizers.get({ class_name: 'SGD', config: { learning_rate: 0.1, momentum: 0.9 } }) as optimizers.SGD;
    expect([sgd.learningRate, sgd.momentum]).toEqual([Math.fround(0.1), 0.9]);
    expect(optimizers.get({ className: 'Lion', config: { beta_1: 0.5 } })).toMatchObject({ beta1: 0.5 });
    const instance = new optimizers.Nadam();
    expect(optimizers.get(instance)).toBe(instance);
    expect(() => optimizers.get('adamm')).toThrow(
      /unknown optimizer "adamm". Expected one of 'sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'adadelta', 'adamax', 'nadam', 'lion'/,
    );
    expect(() => optimizers.get(42 as unknown as string)).toThrow(/could not interpret optimizer identifier 42/);
    expect(() => optimizers.get({ class_name: 'SGD', config: { learning_rate: 0.1, momentun: 0.9 } })).toThrow(/SGD: unknown option 'momentun'/);
  });

  it('learningRate: settable as a number (kept as float32), replaceable by a schedule, not back', () => {
    const v = variable([1], { name: 'v' });
    const sgd = new optimizers.SGD({ learningRate: 0.1 });
    tidy(() => sgd.applyGradients([[tensor([1]), v]]));
    sgd.learningRate = 0.5;
    expect(sgd.learningRate).toBe(Math.fround(0.5));
    expect(sgd.getConfig().learning_rate).toBe(0.5);
    tidy(() => sgd.applyGradients([[tensor([1]), v]]));
    expectClose(v.dataSync(), [1 - 0.1 - 0.5]);
    sgd.learningRate = 0.05;
    expect(sgd.learningRate).toBeCloseTo(0.05, 8);
    expect(sgd.variables[1].dataSync()[0]).toBeCloseTo(0.05, 8);
    sgd.learningRate = new schedules.PiecewiseConstantDecay({ boundaries: [2], values: [1, 0.25] });
    expect(sgd.variables.map((x) => x.path)).toEqual(['SGD/iteration']);
    expect(sgd.learningRate).toBe(1);
    tidy(() => sgd.applyGradients([[tensor([1]), v]]));
    expect(sgd.learningRate).toBe(0.25);
    expect(() => {
      sgd.learningRate = 0.1;
    }).toThrow(/created with a LearningRateSchedule, so its learning rate cannot be set to a number/);
    expect(() => {
      sgd.learningRate = Number.NaN;
    }).toThrow(/learningRate must be a finite number or a LearningRateSchedule/);
    sgd.dispose();
    v.dispose();
  });

  it('option checks: unknown options, ranges, and the unsupported EMA and gradient accumulation', () => {
    expect(() => new optimizers.Adam({ learning_rate: 0.1 } as never)).toThrow(/Adam: unknown option 'learning_rate'.*'learningRate'/);
    expect(() => new optimizers.SGD({ momentum: 1.5 })).toThrow(/SGD: momentum must be >= 0 and <= 1, got 1.5/);
    expect(() => new optimizers.Lion({ beta1: 0 })).toThrow(/Lion: beta1 must be > 0 and <= 1/);
    expect(() => new optimizers.Adagrad({ initialAccumulatorValue: -1 })).toThrow(/initialAccumulatorValue must be >= 0/);
    expect(() => new optimizers.Adam({ useEma: true })).toThrow(/useEma .* is not supported/);
    expect(() => new optimizers.Adam({ gradientAccumulationSteps: 4 })).toThrow(/gradientAccumulationSteps is not supported/);
    expect(() => new optimizers.Adam({ learningRate: '0.1' as unknown as number })).toThrow(/learningRate must be a finite number or a LearningRateSchedule/);
  });

  it('implements the TrainingOptimizer interface fit uses', () => {
    const opt: optimizers.TrainingOptimizer = new optimizers.RMSprop();
    expect(opt.iterations).toBe(0);
    expect(opt.built).toBe(false);
    expect(typeof opt.getConfig().rho).toBe('number');
  });
});

describe('memory', () => {
  const makers: [string, () => optimizers.Optimizer][] = [
    ['SGD', () => new optimizers.SGD({ momentum: 0.9, nesterov: true, clipnorm: 1 })],
    ['Adam', () => new optimizers.Adam({ amsgrad: true, globalClipnorm: 1, weightDecay: 0.01 })],
    ['AdamW', () => new optimizers.AdamW({ learningRate: new schedules.ExponentialDecay({ initialLearningRate: 0.01, decaySteps: 10, decayRate: 0.9 }) })],
    ['RMSprop', () => new optimizers.RMSprop({ momentum: 0.5, centered: true, clipvalue: 0.5 })],
    ['Adagrad', () => new optimizers.Adagrad({ lossScaleFactor: 2 })],
    ['Adadelta', () => new optimizers.Adadelta()],
    ['Adamax', () => new optimizers.Adamax()],
    ['Nadam', () => new optimizers.Nadam()],
    ['Lion', () => new optimizers.Lion()],
  ];
  it.each(makers)('%s: no tensor leaks across 50 updates, and dispose frees the state', (_name, make) => {
    const start = memory().numTensors;
    const a = variable([[1, 2], [3, 4]], { name: 'a' });
    const b = variable([0.5, -0.5], { name: 'b' });
    const opt = make();
    const step = (k: number) => {
      const ga = tensor([[0.1 * k, -0.2], [0.3, 0.4]]);
      const gb = tensor([1, -1]);
      opt.applyGradients([[ga, a], [gb, b]]);
      dispose([ga, gb]);
    };
    step(0);
    const afterFirst = memory().numTensors;
    expect(afterFirst).toBe(start + 2 + opt.variables.length);
    for (let k = 1; k <= 50; k++) step(k);
    expect(memory().numTensors).toBe(afterFirst);
    expect(opt.iterations).toBe(51);
    opt.dispose();
    dispose([a.value, b.value]);
    expect(memory().numTensors).toBe(start);
  });
});
