/** The small statistics the report needs: medians of times and of paired ratios. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The median of the round-by-round ratios a[r] / b[r]. Rounds where either side has no time (it
 * failed) are skipped; NaN when no round has both. Pairing by round is what makes the ratio robust
 * to the machine's drift: both sides of a pair ran back to back.
 */
export function medianPairRatio(a: readonly (number | undefined)[], b: readonly (number | undefined)[]): number {
  const ratios: number[] = [];
  for (let r = 0; r < Math.min(a.length, b.length); r++) {
    const x = a[r];
    const y = b[r];
    if (x !== undefined && y !== undefined && y > 0) ratios.push(x / y);
  }
  return median(ratios);
}
