/**
 * runLayerTest: one harness for every layer, in the spirit of Keras's run_layer_test. For a layer
 * factory and an input it checks: construction from its config and back; the output shape on
 * symbolic input against the eager output's shape; weight counts and shapes; the numbers against
 * hand-computed (or reference-vector) values when given; one gradient step against central finite
 * differences (input and every trainable weight); training true vs false where they differ; and
 * that the backend's tensor count ends where it started.
 */
import { expect } from '@jest/globals';
import type { layers} from '@keras-ts/core';
import { Input, memory, tensor, tidy, valueAndGrad, ops, type Dim, type KerasTensor, type Tensor, type Variable } from '@keras-ts/core';

type AnyLayer = layers.Layer;

export interface LayerTestSpec {
  /** Makes a fresh layer (called several times). */
  make: () => AnyLayer;
  /** The input with its batch axis (a concrete shape), or several inputs for merge layers. */
  inputShape: number[] | number[][];
  /** Input values; defaults to a deterministic pattern in [-1, 1]. */
  inputData?: number[] | number[][];
  inputDtype?: 'float32' | 'int32';
  /** The symbolic output shape for a batch of `null` (a list of shapes for several outputs). */
  expectedOutputShape: Dim[] | Dim[][];
  expectedTrainableWeights?: number;
  expectedNonTrainableWeights?: number;
  /** The weight shapes in `weights` order. */
  expectedWeightShapes?: number[][];
  /** Weights to set before computing (values in `weights` order). */
  weights?: number[][];
  /** Hand-computed output values (flat), with the tolerance. */
  expectedOutput?: number[];
  tolerance?: number;
  /** Whether training: true gives different numbers (dropout, batch statistics). */
  trainingDiffers?: boolean;
  /** Skip the finite-difference check (e.g. for layers with integer inputs), with the reason. */
  noGradient?: string;
  /** Options passed to every apply. */
  callOptions?: Record<string, unknown>;
}

export function pattern(n: number, seed = 1): number[] {
  return Array.from({ length: n }, (_, i) => Math.round(Math.sin((i + 1) * 1.7 * seed + seed) * 1000) / 1000);
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function inputsOf(spec: LayerTestSpec): Tensor[] {
  const shapes = (Array.isArray(spec.inputShape[0]) ? spec.inputShape : [spec.inputShape]) as number[][];
  const data = spec.inputData ? ((Array.isArray(spec.inputData[0]) ? spec.inputData : [spec.inputData]) as number[][]) : undefined;
  return shapes.map((s, i) => tensor(data?.[i] ?? pattern(size(s), i + 1), s, spec.inputDtype ?? 'float32'));
}

function applyTo(layer: AnyLayer, inputs: Tensor[], spec: LayerTestSpec, training?: boolean): Tensor[] {
  const arg = inputs.length === 1 && !Array.isArray(spec.inputShape[0]) ? inputs[0] : inputs;
  const out = layer.apply(arg, { ...(spec.callOptions ?? {}), ...(training === undefined ? {} : { training }) });
  return Array.isArray(out) ? out : [out];
}

/** Finite differences of sum(w · f) for one tensor-valued function of one array of values. */
function numericGradient(f: (values: Float32Array) => number, base: Float32Array, eps: number): Float64Array {
  const grad = new Float64Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const plus = Float32Array.from(base);
    const minus = Float32Array.from(base);
    plus[i] += eps;
    minus[i] -= eps;
    grad[i] = (f(plus) - f(minus)) / (2 * eps);
  }
  return grad;
}

export function runLayerTest(spec: LayerTestSpec): void {
  const before = memory().numTensors;

  // 1. Config round trip.
  const layer = spec.make();
  const Class = layer.constructor as typeof layers.Layer & { fromConfig(config: Record<string, unknown>): AnyLayer };
  const config = layer.getConfig();
  const rebuilt = Class.fromConfig(JSON.parse(JSON.stringify(config)) as Record<string, unknown>);
  expect(rebuilt.getConfig()).toEqual(JSON.parse(JSON.stringify(config)));

  // 2. Symbolic output shape.
  const shapes = (Array.isArray(spec.inputShape[0]) ? spec.inputShape : [spec.inputShape]) as number[][];
  const symbolicInputs = shapes.map((s) => Input({ shape: s.slice(1), dtype: spec.inputDtype ?? 'float32' }));
  const symbolic = layer.apply(symbolicInputs.length === 1 && !Array.isArray(spec.inputShape[0]) ? symbolicInputs[0] : symbolicInputs, spec.callOptions ?? {});
  const symbolicList = (Array.isArray(symbolic) ? symbolic : [symbolic]) as KerasTensor[];
  const expectedShapes = (Array.isArray(spec.expectedOutputShape[0]) ? spec.expectedOutputShape : [spec.expectedOutputShape]) as Dim[][];
  expect(symbolicList.map((t) => [...t.shape])).toEqual(expectedShapes);

  // 3. Weights.
  if (spec.expectedTrainableWeights !== undefined) expect(layer.trainableWeights).toHaveLength(spec.expectedTrainableWeights);
  if (spec.expectedNonTrainableWeights !== undefined) expect(layer.nonTrainableWeights).toHaveLength(spec.expectedNonTrainableWeights);
  if (spec.expectedWeightShapes) expect(layer.weights.map((w) => [...w.shape])).toEqual(spec.expectedWeightShapes);
  if (spec.weights) tidy(() => layer.setWeights((spec.weights as number[][]).map((v, i) => tensor(v, [...layer.weights[i].shape]))));

  tidy(() => {
    const inputs = inputsOf(spec);
    // 4. Eager output shape equals the symbolic one (with the batch filled in).
    const eager = applyTo(layer, inputs, spec, false);
    eager.forEach((t, i) => expect([...t.shape]).toEqual(expectedShapes[i].map((d, j) => (d === null ? t.shape[j] : d))));
    // 5. Numbers.
    if (spec.expectedOutput) {
      const got = Array.from(eager[0].dataSync());
      expect(got).toHaveLength(spec.expectedOutput.length);
      got.forEach((v, i) => {
        const tol = spec.tolerance ?? 1e-5;
        if (!(Math.abs(v - (spec.expectedOutput as number[])[i]) <= tol * (1 + Math.abs(v)))) expect({ index: i, value: v }).toEqual({ index: i, value: (spec.expectedOutput as number[])[i] });
      });
    }
    // 6. training true and false.
    if (spec.trainingDiffers !== undefined) {
      const trained = applyTo(layer, inputs, spec, true);
      const same = trained.every((t, i) => Array.from(t.dataSync()).every((v, j) => v === eager[i].dataSync()[j]));
      expect({ trainingDiffers: !same }).toEqual({ trainingDiffers: spec.trainingDiffers });
    }
  });

  // 7. One gradient step against finite differences: with respect to each float input and each trainable weight.
  if (!spec.noGradient) {
    tidy(() => {
      const inputs = inputsOf(spec);
      const probe = applyTo(layer, inputs, spec, false);
      const weightsOut = probe.map((t) => tensor(pattern(t.size, 7).map((v) => v + 1.5), [...t.shape]));
      const objective = (xs: Tensor[]): Tensor =>
        applyTo(layer, xs, spec, false).reduce((acc: Tensor | undefined, t, i) => {
          const term = ops.sum(ops.multiply(t, weightsOut[i]));
          return acc ? ops.add(acc, term) : term;
        }, undefined) as Tensor;
      const variables = layer.trainableWeights;
      const floatInputs = inputs.filter((t) => t.dtype === 'float32');
      const { grads } = valueAndGrad(() => objective(inputs), [...floatInputs, ...variables]);
      const eps = 1e-2;
      const check = (analytic: Tensor, numeric: Float64Array, what: string) => {
        const a = analytic.dataSync();
        numeric.forEach((n, i) => {
          if (!(Math.abs(a[i] - n) <= 3e-3 + 3e-2 * Math.abs(n))) expect({ what, index: i, analytic: a[i] }).toEqual({ what, index: i, analytic: n });
        });
      };
      floatInputs.forEach((x, k) => {
        const base = x.dataSync() as Float32Array;
        check(grads[k], numericGradient((v) => tidy(() => objective(inputs.map((t) => (t === x ? tensor(v, [...x.shape]) : t))).dataSync()[0]), base, eps), `input ${k}`);
      });
      variables.forEach((w: Variable, k) => {
        const base = w.dataSync() as Float32Array;
        const numeric = numericGradient((v) => {
          w.assign(tensor(v, [...w.shape]));
          return tidy(() => objective(inputs).dataSync()[0]);
        }, base, eps);
        w.assign(tensor(base, [...w.shape]));
        check(grads[floatInputs.length + k], numeric, `weight ${w.path}`);
      });
    });
  }

  // 8. Memory: only the layer's weights remain.
  const weightsHeld = layer.weights.length + rebuilt.weights.length;
  expect(memory().numTensors - before).toBe(weightsHeld);
  layer.dispose();
  rebuilt.dispose();
}
