/**
 * Small models for the training and agreement tiers, each with its data made here from fixed
 * formulas (no randomness but the initializers', which `utils.setRandomSeed` fixes on every
 * backend) and trained with `valueAndGrad` and plain SGD, or an optimizer (the agreement tier's Adam).
 */
import { Input, Model, dispose, layers, ops, tensor, tidy, valueAndGrad, type KerasTensor, type optimizers, type Tensor, type Variable } from '@keras-ts/core';
import { readScalar } from './checks.js';
import { sample } from './finite_differences.js';

export interface Trainee {
  /** What SGD updates. */
  trainable: Variable[];
  /** Every weight (moving statistics too), in a fixed order. */
  weights: Variable[];
  loss(): Tensor;
  dispose(): void;
}

export interface Recipe {
  name: string;
  build(): Trainee;
  lr: number;
}

/** One-hot labels of the class a fixed linear score picks for each row of x (n rows of d values). */
function labelsOf(x: number[], n: number, d: number, classes: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < n; r++) {
    const scores = Array.from({ length: classes }, (_, c) => x.slice(r * d, r * d + d).reduce((s, v, i) => s + v * Math.sin(1 + c * 2.3 + i * 1.7), 0));
    const best = scores.indexOf(Math.max(...scores));
    out.push(...scores.map((_, c) => (c === best ? 1 : 0)));
  }
  return out;
}

function trainee(inputs: KerasTensor, outputs: KerasTensor, x: Tensor, loss: (model: Model, x: Tensor) => Tensor, data: Tensor[]): Trainee {
  const model = new Model({ inputs, outputs });
  return {
    trainable: model.trainableWeights,
    weights: model.weights,
    loss: () => loss(model, x),
    dispose: () => {
      model.dispose();
      dispose([x, ...data]);
    },
  };
}

const crossEntropy = (labels: Tensor, training = false) => (model: Model, x: Tensor) => ops.mean(ops.softmaxCrossEntropy(model.apply(x, { training }) as Tensor, labels));

/** Images of a horizontal (class 0) or vertical (class 1) bar at a position that varies. */
function bars(n: number, size: number): { images: number[]; labels: number[] } {
  const images: number[] = [];
  const labels: number[] = [];
  for (let s = 0; s < n; s++) {
    const vertical = s % 2;
    const at = (s * 3 + 1) % size;
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) images.push((vertical ? j : i) === at ? 1 : 0.1 * Math.sin(s + i * size + j));
    labels.push(vertical ? 0 : 1, vertical ? 1 : 0);
  }
  return { images, labels };
}

export const RECIPES: Recipe[] = [
  {
    name: 'dense-classifier',
    lr: 0.5,
    build() {
      const values = sample([16, 4], 21);
      const x = tensor(values, [16, 4]);
      const y = tensor(labelsOf(values, 16, 4, 3), [16, 3]);
      const input = Input({ shape: [4] });
      const hidden = new layers.Dense({ units: 8, activation: 'tanh' }).apply(input);
      return trainee(input, new layers.Dense({ units: 3 }).apply(hidden), x, crossEntropy(y), [y]);
    },
  },
  {
    name: 'conv-classifier',
    lr: 0.3,
    build() {
      const { images, labels } = bars(8, 6);
      const x = tensor(images, [8, 6, 6, 1]);
      const y = tensor(labels, [8, 2]);
      const input = Input({ shape: [6, 6, 1] });
      const conv = new layers.Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input);
      const pooled = new layers.Flatten().apply(new layers.MaxPooling2D({ poolSize: 2 }).apply(conv));
      return trainee(input, new layers.Dense({ units: 2 }).apply(pooled), x, crossEntropy(y), [y]);
    },
  },
  {
    name: 'lstm-regressor',
    lr: 0.3,
    build() {
      const values = sample([8, 5, 2], 23);
      const x = tensor(values, [8, 5, 2]);
      // The target: a running difference of the two features, which the LSTM has to accumulate.
      const target = Array.from({ length: 8 }, (_, s) => 0.3 * Array.from({ length: 5 }, (_, t) => values[(s * 5 + t) * 2] - values[(s * 5 + t) * 2 + 1]).reduce((a, v) => a + v, 0));
      const y = tensor(target, [8, 1]);
      const input = Input({ shape: [5, 2] });
      const h = new layers.LSTM({ units: 4 }).apply(input) as KerasTensor;
      const mse = (model: Model, xs: Tensor) => ops.mean(ops.square(ops.subtract(model.apply(xs) as Tensor, y)));
      return trainee(input, new layers.Dense({ units: 1 }).apply(h), x, mse, [y]);
    },
  },
  {
    name: 'batchnorm-classifier',
    lr: 0.3,
    build() {
      const values = sample([16, 4], 25, 2, 4);
      const x = tensor(values, [16, 4]);
      const y = tensor(labelsOf(values.map((v) => v - 3), 16, 4, 3), [16, 3]);
      const input = Input({ shape: [4] });
      const normalized = new layers.BatchNormalization().apply(new layers.Dense({ units: 6 }).apply(input));
      const hidden = new layers.Activation({ activation: 'relu' }).apply(normalized) as KerasTensor;
      return trainee(input, new layers.Dense({ units: 3 }).apply(hidden), x, crossEntropy(y, true), [y]);
    },
  },
];

/** `steps` steps of plain SGD at `lr`, or of `optimizer` when given; returns the loss before each step. */
export function train(t: Trainee, steps: number, lr: number, optimizer?: optimizers.Optimizer): number[] {
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const { value, grads } = valueAndGrad(() => t.loss(), t.trainable);
    losses.push(readScalar(value));
    if (optimizer) optimizer.applyGradients(grads.map((g, k) => [g, t.trainable[k]] as const));
    else tidy(() => t.trainable.forEach((v, k) => v.assign(ops.subtract(v.value, ops.multiply(grads[k], lr)))));
    dispose(grads);
  }
  return losses;
}
