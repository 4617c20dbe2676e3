/** Checks shared by the layers, training and agreement tiers; each throws a Mismatch that says what differs. */
import { dispose, tensor, tidy, valueAndGrad, type Dim, type Tensor, type Variable } from '@keras-ts/core';
import { valuesMismatch, type Tolerance } from '../compare.js';
import { Mismatch } from '../kit.js';

const text = (shape: readonly (Dim | undefined)[]) => `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`;

export function expectShape(what: string, actual: readonly Dim[], expected: readonly Dim[]): void {
  if (actual.length !== expected.length || actual.some((d, i) => d !== expected[i])) {
    throw new Mismatch(`${what}: shape ${text(actual)}, expected ${text(expected)}`);
  }
}

export function expectEqual<T>(what: string, actual: T, expected: T): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Mismatch(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}

export function expectClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: Tolerance): void {
  const problem = valuesMismatch(what, actual, expected, tolerance);
  if (problem) throw new Mismatch(problem);
}

/** Reads a scalar tensor and frees it. */
export function readScalar(t: Tensor): number {
  const value = t.dataSync()[0];
  t.dispose();
  return value;
}

/** Sets each variable to `base + scale·direction` (the values from dataSync, so no tensor crosses backends). */
function setAlong(variables: readonly Variable[], base: Float32Array[], direction: Float32Array[], scale: number): void {
  tidy(() => {
    variables.forEach((v, k) => v.assign(tensor(base[k].map((b, i) => b + scale * direction[k][i]), [...v.shape], 'float32')));
  });
}

export interface GradientStepTolerance {
  /** Relative tolerance of the directional derivative along the gradient against |g|². */
  rtol: number;
  /** Length of the finite-difference step along the gradient, as a norm in weight space. */
  step: number;
}

/**
 * One gradient step, checked twice: the directional derivative of the loss along its gradient g,
 * by central differences, must equal |g|² (so the gradients the backend's kernels produce are
 * the loss's), and one SGD step of length `lr·|g|` must lower the loss. Leaves the stepped weights.
 */
export function checkGradientStep(loss: () => Tensor, variables: readonly Variable[], tolerance: GradientStepTolerance, lr: number): void {
  const { value, grads } = valueAndGrad(loss, [...variables]);
  const before = readScalar(value);
  const g = grads.map((t) => Float32Array.from(t.dataSync()));
  grads.forEach((t, k) => expectShape(`gradient of ${variables[k].path}`, t.shape, variables[k].shape));
  dispose(grads);
  if (!Number.isFinite(before)) throw new Mismatch(`the loss is ${before} before the step`);
  g.forEach((values, k) => {
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Mismatch(`gradient of ${variables[k].path}[${bad}] is ${values[bad]}`);
  });
  const norm2 = g.reduce((s, values) => s + values.reduce((a, v) => a + v * v, 0), 0);
  if (!(norm2 > 0)) throw new Mismatch('every gradient is zero');
  const base = variables.map((v) => Float32Array.from(v.dataSync()));
  const t = tolerance.step / Math.sqrt(norm2);
  setAlong(variables, base, g, t);
  const plus = readScalar(tidy(loss));
  setAlong(variables, base, g, -t);
  const minus = readScalar(tidy(loss));
  const directional = (plus - minus) / (2 * t);
  if (!(Math.abs(directional - norm2) <= tolerance.rtol * norm2)) {
    throw new Mismatch(`the loss's derivative along its gradient is ${directional.toPrecision(6)} by finite differences, but |gradient|² is ${norm2.toPrecision(6)} (rtol ${tolerance.rtol}, step ${tolerance.step})`);
  }
  setAlong(variables, base, g, -lr);
  const after = readScalar(tidy(loss));
  if (!(after < before)) throw new Mismatch(`one SGD step (lr ${lr}) did not lower the loss: ${before} -> ${after}`);
}
