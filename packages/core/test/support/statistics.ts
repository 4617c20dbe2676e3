/**
 * Sample statistics with tolerances derived from the sample size, so that statistical tests fail
 * by chance with negligible probability (6 standard errors) yet still catch a wrong scale.
 */
export interface Moments {
  mean: number;
  std: number;
  min: number;
  max: number;
}

export function moments(values: ArrayLike<number>): Moments {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(squares / (values.length - 1)), min, max };
}

/** Six standard errors of a sample mean of n values with standard deviation sigma. */
export function meanTolerance(sigma: number, n: number): number {
  return (6 * sigma) / Math.sqrt(n);
}

/**
 * Six standard errors of a sample standard deviation, relative to sigma: sqrt((kurtosis - 1) / 4n),
 * with kurtosis 3 for a normal (the bound also covers the uniform's 1.8 and the truncated normal's).
 */
export function relativeStdTolerance(n: number): number {
  return 6 * Math.sqrt(2 / (4 * n));
}
