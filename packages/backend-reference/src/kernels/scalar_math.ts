/**
 * Scalar functions that JavaScript's Math lacks or gets numerically wrong, each accurate in
 * float64 well beyond float32 precision.
 */

// W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969),
// coefficients as in his CALERF routine (SPECFUN, netlib). Relative error below 1e-16 in float64.
const ERF_A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const ERF_B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const ERFC_C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
];
const ERFC_D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
];
const ERFC_P = [0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4, 0.0163153871373020978];
const ERFC_Q = [2.56852019228982242, 1.87295284992346725, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];
const ONE_OVER_SQRT_PI = 0.56418958354775628695;

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
