/**
 * Scalar functions that JavaScript's Math lacks or gets numerically wrong, each accurate in
 * float64 well beyond float32 precision.
 */

// W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969),
// coefficients of his CALERF routine (SPECFUN, netlib), each written as the float64 it denotes.
// Relative error below 1e-15 in float64.
const ERF_A = [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
const ERF_B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
const ERFC_C = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769,
  1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
];
const ERFC_D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597,
  4362.619090143247, 3439.3676741437216, 1230.3393548037495,
];
const ERFC_P = [0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 0.0006587491615298378, 0.016315387137302097];
const ERFC_Q = [2.568520192289822, 1.8729528499234673, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918];
const ONE_OVER_SQRT_PI = 0.5641895835477563;

/** exp(-y²) computed as exp(-a²)·exp(-(y-a)(y+a)) with a = y rounded down to 1/16, to keep its relative accuracy (Cody). */
function expMinusSquare(y: number): number {
  const a = Math.trunc(y * 16) / 16;
  return Math.exp(-a * a) * Math.exp(-(y - a) * (y + a));
}

/** erfc(y) for y > 0.46875 (Cody's second and third intervals). */
function erfcPositive(y: number): number {
  if (y <= 4) {
    let num = ERFC_C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + ERFC_C[i]) * y;
      den = (den + ERFC_D[i]) * y;
    }
    return expMinusSquare(y) * ((num + ERFC_C[7]) / (den + ERFC_D[7]));
  }
  if (y >= 26.55) return 0; // erfc underflows in float64 here
  const z = 1 / (y * y);
  let num = ERFC_P[5] * z;
  let den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + ERFC_P[i]) * z;
    den = (den + ERFC_Q[i]) * z;
  }
  const r = (z * (num + ERFC_P[4])) / (den + ERFC_Q[4]);
  return (expMinusSquare(y) * (ONE_OVER_SQRT_PI - r)) / y;
}

/** The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt; odd, erf(±∞) = ±1, erf(NaN) = NaN. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= 0.46875) {
    const z = y * y;
    let num = ERF_A[4] * z;
    let den = z;
    for (let i = 0; i < 3; i++) {
      num = (num + ERF_A[i]) * z;
      den = (den + ERF_B[i]) * z;
    }
    return (x * (num + ERF_A[3])) / (den + ERF_B[3]);
  }
  const result = 1 - erfcPositive(y);
  return x < 0 ? -result : result;
}

/** Round to the nearest integer, ties to the even one (numpy.round, tf.round): 0.5 → 0, 1.5 → 2, -2.5 → -2. */
export function roundHalfToEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const floor = Math.floor(x);
  const fraction = x - floor;
  let r: number;
  if (fraction < 0.5) r = floor;
  else if (fraction > 0.5) r = floor + 1;
  else r = floor % 2 === 0 ? floor : floor + 1;
  // Keep the sign of zero, as numpy does: round(-0.4) is -0.
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}

/** The logistic function 1/(1+e^(−x)), written so that neither branch overflows for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** softplus(x) = log(1+eˣ), computed stably as log1p(e^(−|x|)) + max(x, 0). */
export function softplus(x: number): number {
  return Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0);
}

/**
 * a^b as C's pow (and numpy's) defines it, where JavaScript's Math.pow differs: 1^b = 1 for every b,
 * NaN included, and (−1)^±Infinity = 1 (Math.pow gives NaN for both). a^±0 = 1 for every a, NaN
 * included, in both. Everywhere else Math.pow and C agree (NaN for a negative base and a
 * non-integer exponent, ±Infinity and ±0 as IEEE 754 says).
 */
export function pow(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}

/** a^b for int32 by repeated squaring with 32-bit wrapping multiplication. Negative exponents give the integer part of 1/a^|b|: 1 for a = 1, ±1 for a = -1, 0 otherwise. */
export function intPow(a: number, b: number): number {
  if (b < 0) {
    if (a === 1) return 1;
    if (a === -1) return b % 2 === 0 ? 1 : -1;
    return 0;
  }
  let result = 1;
  let base = a | 0;
  let e = b;
  while (e > 0) {
    if (e % 2 === 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
    e = Math.floor(e / 2);
  }
  return result;
}
