/**
 * Central finite differences on the backend under test, against `vjp`. For f with outputs y_k and
 * fixed cotangents w_k, the vjp of input x at element i must equal
 * (S(x + eps·e_i) − S(x − eps·e_i)) / 2eps with S = Σ_k Σ_j w_k[j]·y_k[j]. S is accumulated in
 * float64 from the float32 outputs read back, so the only float32 error is the backend's own.
 */
import { tensor, tidy, vjp, type Tensor } from '@keras-ts/core';
import { Mismatch } from '../kit.js';

export interface GradientTolerance {
  /** The finite-difference step. */
  eps: number;
  rtol: number;
  atol: number;
}

export interface GradientInput {
  name: string;
  shape: number[];
  values: number[];
}

/** Deterministic values in [lo, hi) (a hash of the index), away from each point in `avoid` by at least `margin`. */
export function sample(shape: number[], seed: number, lo = -1, hi = 1, avoid: number[] = [], margin = 0.05): number[] {
  const size = shape.reduce((p, d) => p * d, 1);
  return Array.from({ length: size }, (_, i) => {
    const unit = (((Math.sin((i + 1) * 12.9898 * seed + seed) * 43758.5453) % 1) + 1) % 1;
    let v = lo + (hi - lo) * unit;
    for (const k of avoid) if (Math.abs(v - k) < margin) v = k + (v < k ? -margin : margin);
    return v;
  });
}

/** Distinct values `step` apart in a shuffled order: no ties within a finite-difference step (for max pooling and reductions). */
export function distinct(shape: number[], seed: number, step = 0.1, offset = -1): number[] {
  const size = shape.reduce((p, d) => p * d, 1);
  const order = Array.from({ length: size }, (_, i) => i).sort((a, b) => Math.sin(a * 7.13 * seed + 1) - Math.sin(b * 7.13 * seed + 1));
  const out = new Array<number>(size);
  order.forEach((slot, rank) => (out[slot] = offset + rank * step));
  return out;
}

/** Cotangent weights in [0.25, 1.25), float32-rounded so that S uses exactly what vjp is given. */
function cotangent(size: number, k: number): number[] {
  return Array.from({ length: size }, (_, i) => Math.fround(0.75 + 0.5 * Math.sin(i * 1.618 + k * 2.71 + 0.5)));
}

const asList = (y: Tensor | Tensor[]): Tensor[] => (Array.isArray(y) ? y : [y]);

/**
 * Throws a Mismatch naming the worst element when the vjp of f differs from central finite
 * differences. `wrt` lists the inputs to check (default all).
 */
export function checkGradient(f: (...xs: Tensor[]) => Tensor | Tensor[], inputs: GradientInput[], tolerance: GradientTolerance, wrt?: readonly number[]): void {
  tidy(() => {
    const xs = inputs.map((input) => tensor(input.values, input.shape, 'float32'));
    const probe = asList(f(...xs));
    const weights = probe.map((y, k) => cotangent(y.size, k));
    const dys = probe.map((y, k) => tensor(weights[k], [...y.shape], 'float32'));
    const { grads } = vjp((...args) => f(...args), xs, dys);
    const objective = (args: Tensor[]): number =>
      tidy(() => {
        let s = 0;
        asList(f(...args)).forEach((y, k) => {
          const values = y.dataSync();
          for (let j = 0; j < values.length; j++) s += weights[k][j] * values[j];
        });
        return s;
      });
    const problems: string[] = [];
    for (const k of wrt ?? inputs.map((_, i) => i)) {
      const analytic = grads[k].dataSync();
      const base = Float32Array.from(inputs[k].values);
      let worst: { i: number; a: number; n: number; excess: number } | undefined;
      for (let i = 0; i < base.length; i++) {
        // The step actually taken is what float32 can hold of x ± eps.
        const plus = Math.fround(base[i] + tolerance.eps);
        const minus = Math.fround(base[i] - tolerance.eps);
        const at = (value: number): number =>
          tidy(() => {
            const values = Float32Array.from(base);
            values[i] = value;
            return objective(xs.map((x, j) => (j === k ? tensor(values, inputs[k].shape, 'float32') : x)));
          });
        const numeric = (at(plus) - at(minus)) / (plus - minus);
        const excess = Math.abs(analytic[i] - numeric) - (tolerance.atol + tolerance.rtol * Math.abs(numeric));
        if (!(excess <= 0) && (!worst || !(excess <= worst.excess))) worst = { i, a: analytic[i], n: numeric, excess };
      }
      if (worst) {
        problems.push(
          `d/d${inputs[k].name}[${worst.i}]: vjp ${worst.a}, finite differences ${worst.n.toPrecision(7)} ` +
            `(|diff| ${Math.abs(worst.a - worst.n).toExponential(2)} > atol ${tolerance.atol} + rtol ${tolerance.rtol}·|fd|, eps ${tolerance.eps})`,
        );
      }
    }
    if (problems.length > 0) throw new Mismatch(problems.join('; '));
  });
}
