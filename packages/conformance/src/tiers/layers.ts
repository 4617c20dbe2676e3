/**
 * The layers tier (`layers/<name>`): Dense, Conv2D, LSTM and BatchNormalization built on a
 * symbolic input (output shapes, weight shapes and counts) and on a real one (output values
 * against the layer's equations computed here in float64 from the weights read back), and one
 * gradient step each (see checkGradientStep). Every layer is disposed, so the memory check holds.
 */
import { Input, layers, ops, tensor, tidy, utils, type Tensor } from '@keras-ts/core';
import type { Tolerance } from '../compare.js';
import type { ConformanceCaseSpec } from '../kit.js';
import { checkGradientStep, expectClose, expectEqual, expectShape, type GradientStepTolerance } from './checks.js';
import { sample } from './finite_differences.js';

type Layer = layers.Layer;

const SEED = 2024;
/** The layer's output against its equations in float64: float32 rounding is below 1e-6 here. */
const FORWARD: Tolerance = { rtol: 1e-4, atol: 1e-5 };
/** The directional derivative is within 6e-5 of |g|² on the reference, tfjs-cpu and onnx; one weight's gradient 1% off moves it by more. */
const STEP: GradientStepTolerance = { rtol: 1e-3, step: 1e-2 };

const data = (shape: number[], seed: number, lo = -1, hi = 1): Tensor => tensor(sample(shape, seed, lo, hi), shape, 'float32');
const read = (layer: Layer): Float32Array[] => layer.weights.map((w) => Float32Array.from(w.dataSync()));

/** Builds `layer` on a symbolic input; checks the output shape(s), each weight's name and shape, and the counts. */
function symbolicCase(name: string, make: () => Layer, inputShape: number[], outputs: (number | null)[][], weights: [string, number[]][], trainable: number): ConformanceCaseSpec {
  return layerCase(`${name}-symbolic`, () => {
    const layer = make();
    try {
      const y = layer.apply(Input({ shape: inputShape }));
      const list = Array.isArray(y) ? y : [y];
      expectEqual(`${name}: number of outputs`, list.length, outputs.length);
      list.forEach((t, i) => expectShape(`${name}: output ${i}`, t.shape, outputs[i]));
      expectEqual(`${name}: weights`, layer.weights.map((w) => [w.name, w.shape]), weights);
      expectEqual(`${name}: trainable weights`, layer.trainableWeights.length, trainable);
      expectEqual(`${name}: countParams()`, layer.countParams(), weights.reduce((n, [, s]) => n + s.reduce((p, d) => p * d, 1), 0));
    } finally {
      layer.dispose();
    }
  });
}

/** Each case starts from the same seed, so its initial weights are the same on every run and backend. */
function layerCase(name: string, run: () => void): ConformanceCaseSpec {
  return {
    id: `layers/${name}`,
    tier: 'layers',
    group: 'layers',
    run: () => {
      utils.setRandomSeed(SEED);
      run();
    },
  };
}

/**
 * Builds `layer` on the real input x, checks its parameter count, runs `check(layer)` and
 * disposes both whatever happens.
 */
function withLayer<L extends Layer>(layer: L, x: Tensor, params: number, check: (layer: L) => void, options: { training?: boolean } = {}): void {
  try {
    tidy(() => void layer.apply(x, options));
    expectEqual(`${layer.constructor.name} built on ${JSON.stringify(x.shape)}: countParams()`, layer.countParams(), params);
    // Eager calls leave their intermediates to the caller, as in user code: tidy frees them.
    tidy(() => check(layer));
  } finally {
    layer.dispose();
    x.dispose();
  }
}

/** A mean squared error against a fixed target: the loss of each gradient-step case. */
const squaredError = (y: Tensor, seed: number): Tensor => ops.mean(ops.square(ops.subtract(y, data([...y.shape], seed))));

// --- reference equations in float64 -------------------------------------------------------------

function denseRef(x: ArrayLike<number>, n: number, k: Float32Array, b: Float32Array, units: number): number[] {
  const inDim = k.length / units;
  const out: number[] = [];
  for (let r = 0; r < n; r++) for (let u = 0; u < units; u++) {
    let s = b[u];
    for (let i = 0; i < inDim; i++) s += x[r * inDim + i] * k[i * units + u];
    out.push(s);
  }
  return out;
}

/** 'valid', stride 1, NHWC input, HWIO kernel. */
function convRef(x: ArrayLike<number>, [n, h, w, cin]: number[], k: Float32Array, [kh, kw, , cout]: number[], b: Float32Array): number[] {
  const out: number[] = [];
  for (let s = 0; s < n; s++) for (let i = 0; i + kh <= h; i++) for (let j = 0; j + kw <= w; j++) for (let o = 0; o < cout; o++) {
    let acc = b[o];
    for (let di = 0; di < kh; di++) for (let dj = 0; dj < kw; dj++) for (let c = 0; c < cin; c++) {
      acc += x[((s * h + i + di) * w + j + dj) * cin + c] * k[((di * kw + dj) * cin + c) * cout + o];
    }
    out.push(acc);
  }
  return out;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** Keras's LSTM (gates i, f, c, o; tanh and sigmoid) from zero states: the sequence of h, and the last h and c. */
function lstmRef(x: ArrayLike<number>, [n, steps, inDim]: number[], [k, r, b]: Float32Array[], units: number): { sequences: number[]; h: number[]; c: number[] } {
  const sequences = new Array<number>(n * steps * units);
  const hLast: number[] = [];
  const cLast: number[] = [];
  for (let s = 0; s < n; s++) {
    let h = new Array<number>(units).fill(0);
    let c = new Array<number>(units).fill(0);
    for (let t = 0; t < steps; t++) {
      const z = Array.from({ length: 4 * units }, (_, g) => {
        let acc = b[g];
        for (let i = 0; i < inDim; i++) acc += x[(s * steps + t) * inDim + i] * k[i * 4 * units + g];
        for (let j = 0; j < units; j++) acc += h[j] * r[j * 4 * units + g];
        return acc;
      });
      c = c.map((cj, j) => sigmoid(z[units + j]) * cj + sigmoid(z[j]) * Math.tanh(z[2 * units + j]));
      h = c.map((cj, j) => sigmoid(z[3 * units + j]) * Math.tanh(cj));
      h.forEach((v, j) => (sequences[(s * steps + t) * units + j] = v));
    }
    hLast.push(...h);
    cLast.push(...c);
  }
  return { sequences, h: hLast, c: cLast };
}

// --- the cases -----------------------------------------------------------------------------------

const denseCases = (): ConformanceCaseSpec[] => [
  symbolicCase('dense', () => new layers.Dense({ units: 3 }), [5], [[null, 3]], [['kernel', [5, 3]], ['bias', [3]]], 2),
  layerCase('dense-real', () => {
    const x = data([2, 5], 1);
    withLayer(new layers.Dense({ units: 3, biasInitializer: 'ones' }), x, 18, (dense) => {
      const y = dense.apply(x);
      expectShape('dense output', y.shape, [2, 3]);
      const [k, b] = read(dense);
      expectClose('dense output', y.dataSync(), denseRef(x.dataSync(), 2, k, b, 3), FORWARD);
      y.dispose();
    });
  }),
  layerCase('dense-gradient-step', () => {
    const x = data([4, 5], 2);
    withLayer(new layers.Dense({ units: 3, activation: 'tanh' }), x, 18, (dense) => checkGradientStep(() => squaredError(dense.apply(x), 3), dense.trainableWeights, STEP, 0.1));
  }),
];

const convCases = (): ConformanceCaseSpec[] => [
  symbolicCase('conv2d', () => new layers.Conv2D({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }), [8, 7, 3], [[null, 4, 4, 4]], [['kernel', [3, 3, 3, 4]], ['bias', [4]]], 2),
  layerCase('conv2d-real', () => {
    const x = data([2, 5, 4, 2], 4);
    withLayer(new layers.Conv2D({ filters: 3, kernelSize: [3, 2], biasInitializer: 'ones' }), x, 39, (conv) => {
      const y = conv.apply(x);
      expectShape('conv2d output', y.shape, [2, 3, 3, 3]);
      const [k, b] = read(conv);
      expectClose('conv2d output', y.dataSync(), convRef(x.dataSync(), [2, 5, 4, 2], k, [3, 2, 2, 3], b), FORWARD);
      y.dispose();
    });
  }),
  layerCase('conv2d-gradient-step', () => {
    const x = data([2, 6, 6, 2], 5);
    withLayer(new layers.Conv2D({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }), x, 57, (conv) =>
      checkGradientStep(() => squaredError(conv.apply(x), 6), conv.trainableWeights, STEP, 0.1),
    );
  }),
];

const lstmCases = (): ConformanceCaseSpec[] => [
  symbolicCase('lstm', () => new layers.LSTM({ units: 3 }), [5, 4], [[null, 3]], [['kernel', [4, 12]], ['recurrent_kernel', [3, 12]], ['bias', [12]]], 3),
  symbolicCase('lstm-state', () => new layers.LSTM({ units: 3, returnSequences: true, returnState: true }), [5, 4], [[null, 5, 3], [null, 3], [null, 3]], [['kernel', [4, 12]], ['recurrent_kernel', [3, 12]], ['bias', [12]]], 3),
  layerCase('lstm-return-sequences', () => {
    const x = data([2, 4, 3], 7);
    withLayer(new layers.LSTM({ units: 2, returnSequences: true, returnState: true }), x, 48, (lstm) => {
      const [sequences, h, c] = lstm.apply(x) as Tensor[];
      const want = lstmRef(x.dataSync(), [2, 4, 3], read(lstm), 2);
      expectShape('lstm sequences', sequences.shape, [2, 4, 2]);
      expectClose('lstm sequences', sequences.dataSync(), want.sequences, FORWARD);
      expectClose('lstm h', h.dataSync(), want.h, FORWARD);
      expectClose('lstm c', c.dataSync(), want.c, FORWARD);
      [sequences, h, c].forEach((t) => t.dispose());
    });
  }),
  layerCase('lstm-gradient-step', () => {
    const x = data([2, 3, 2], 8);
    withLayer(new layers.LSTM({ units: 3 }), x, 72, (lstm) => checkGradientStep(() => squaredError(lstm.apply(x) as Tensor, 9), lstm.trainableWeights, STEP, 0.1));
  }),
];

/** Per-channel float64 mean and biased variance of x (n rows of c channels). */
function columnMoments(x: ArrayLike<number>, c: number): { mean: number[]; variance: number[] } {
  const n = x.length / c;
  const mean = Array.from({ length: c }, (_, j) => Array.from({ length: n }, (_, i) => x[i * c + j]).reduce((a, v) => a + v, 0) / n);
  const variance = mean.map((m, j) => Array.from({ length: n }, (_, i) => (x[i * c + j] - m) ** 2).reduce((a, v) => a + v, 0) / n);
  return { mean, variance };
}

const EPSILON = 1e-3;
const batchNormCases = (): ConformanceCaseSpec[] => [
  symbolicCase('batch-normalization', () => new layers.BatchNormalization(), [6, 3], [[null, 6, 3]], [['gamma', [3]], ['beta', [3]], ['moving_mean', [3]], ['moving_variance', [3]]], 2),
  layerCase('batch-normalization-training', () => {
    // A mean far from zero against the spread: moments must not lose the variance to cancellation.
    const x = data([5, 3], 10, 49, 51);
    withLayer(new layers.BatchNormalization({ momentum: 0.9 }), x, 12, (bn) => {
      const { mean, variance } = columnMoments(x.dataSync(), 3);
      const [, , movingMean, movingVariance] = read(bn);
      // Building it applied one training call already: the moving statistics moved once.
      expectClose('moving_mean after one training call', movingMean, mean.map((m) => 0.1 * m), FORWARD);
      expectClose('moving_variance after one training call', movingVariance, variance.map((v) => 0.9 + 0.1 * v), FORWARD);
      const y = bn.apply(x, { training: true });
      const xs = x.dataSync();
      expectClose('batch-normalized output', y.dataSync(), Array.from(xs, (v, i) => (v - mean[i % 3]) / Math.sqrt(variance[i % 3] + EPSILON)), { rtol: 1e-3, atol: 1e-3 });
      y.dispose();
    }, { training: true });
  }),
  layerCase('batch-normalization-inference', () => {
    const x = data([4, 3], 11);
    withLayer(new layers.BatchNormalization(), x, 12, (bn) => {
      const [gamma, beta, mm, mv] = [[2, 1, 0.5], [0.1, -0.2, 0.3], [0.5, -0.5, 0], [4, 0.25, 1]];
      bn.setWeights([gamma, beta, mm, mv]);
      const y = bn.apply(x);
      const xs = x.dataSync();
      expectClose('inference output', y.dataSync(), Array.from(xs, (v, i) => gamma[i % 3] * ((v - mm[i % 3]) / Math.sqrt(mv[i % 3] + EPSILON)) + beta[i % 3]), FORWARD);
      y.dispose();
    });
  }),
  layerCase('batch-normalization-gradient-step', () => {
    const x = data([6, 4], 12);
    withLayer(new layers.BatchNormalization(), x, 16, (bn) =>
      checkGradientStep(() => squaredError(ops.tanh(bn.apply(x, { training: true })), 13), bn.trainableWeights, STEP, 0.1),
    );
  }),
];

export function layerCases(): ConformanceCaseSpec[] {
  return [...denseCases(), ...convCases(), ...lstmCases(), ...batchNormCases()];
}
