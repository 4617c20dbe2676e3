/**
 * Central finite differences against the autodiff gradient, the way JAX's check_grads does it:
 * for a scalar function f of float32 inputs, compare each grad element with
 * (f(x + eps·e_i) - f(x - eps·e_i)) / 2eps, computed in float64 from float32 evaluations.
 */
import { expect } from '@jest/globals';
import { tensor, tidy, valueAndGrad, ops, type Tensor } from '@keras-ts/core';

export interface GradientCheckOptions {
  eps?: number;
  rtol?: number;
  atol?: number;
}

/** f maps input tensors to any tensor; it is reduced as sum(f(x) * w) with fixed random weights w. */
export function expectGradientsMatch(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], options: GradientCheckOptions = {}): void {
  const eps = options.eps ?? 1e-2;
  const rtol = options.rtol ?? 2e-2;
  const atol = options.atol ?? 2e-3;
  // Random weights make every output element matter with a distinct coefficient.
  const probe = tidy(() => f(...inputs));
  const weights = tensor(Array.from({ length: probe.size }, (_, i) => Math.sin(i * 12.9898 + 1) * 0.5 + 0.75), probe.shape);
  probe.dispose();
  const scalarOf = (...xs: Tensor[]) => ops.sum(ops.multiply(f(...xs), weights));
  const { value, grads } = valueAndGrad(() => scalarOf(...inputs), inputs);
  value.dispose();
  inputs.forEach((input, k) => {
    const base = Float64Array.from(input.dataSync());
    const analytic = grads[k].dataSync();
    for (let i = 0; i < base.length; i++) {
      const evalAt = (delta: number): number =>
        tidy(() => {
          const values = Float32Array.from(base);
          values[i] = base[i] + delta;
          const shifted = inputs.map((t, j) => (j === k ? tensor(values, [...input.shape]) : t));
          return scalarOf(...shifted).dataSync()[0];
        });
      const numeric = (evalAt(eps) - evalAt(-eps)) / (2 * eps);
      const tolerance = atol + rtol * Math.abs(numeric);
      if (!(Math.abs(analytic[i] - numeric) <= tolerance)) {
        expect({ input: k, element: i, analytic: analytic[i], numeric }).toEqual({ input: k, element: i, analytic: numeric, numeric });
      }
    }
  });
  grads.forEach((g) => g.dispose());
  weights.dispose();
}
