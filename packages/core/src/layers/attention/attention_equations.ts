/**
 * The einsum equations of MultiHeadAttention over any attention axes, as Keras 3 builds them.
 * After projection query, key and value are (batch, <other axes>, <attention axes>, heads, channels)
 * of one rank r; every axis that is neither an attention axis nor the channels axis (the batch, the
 * other axes, the heads) is a batch axis of the attention:
 *
 * - scores = einsum(dot, key, query): (<batch axes>, <query attention axes>, <key attention axes>),
 *   normalized jointly over the key attention axes (the last ones);
 * - attended = einsum(combine, weights, value): back to the query's projected shape.
 */

const letter = (i: number): string => String.fromCharCode(97 + i);

export interface AttentionEquations {
  readonly dot: string;
  readonly combine: string;
}

/** `axes`: the attention axes in the projected tensors' coordinates (each in 1..r-3). */
export function attentionEquations(rank: number, axes: readonly number[]): AttentionEquations {
  const target = Array.from({ length: rank }, (_, i) => letter(i));
  const batchAxes = target.map((_, i) => i).filter((i) => !axes.includes(i) && i !== rank - 1);
  // The key/value side gets fresh letters on the attention axes: they are summed or kept apart from the query's.
  let next = rank;
  const source = target.map((t, i) => (axes.includes(i) ? letter(next++) : t));
  const product = [...batchAxes.map((i) => target[i]), ...axes.map((i) => target[i]), ...axes.map((i) => source[i])].join('');
  return {
    dot: `${source.join('')},${target.join('')}->${product}`,
    combine: `${product},${source.join('')}->${target.join('')}`,
  };
}

/**
 * A projection's equation: `free` leading axes kept, `bound` axes contracted with the kernel's
 * first axes, `produced` new axes from the kernel's last ones (the bias covers those).
 */
export function projectionEquation(free: number, bound: number, produced: number): string {
  const kept = Array.from({ length: free }, (_, i) => letter(i)).join('');
  const contracted = Array.from({ length: bound }, (_, i) => letter(free + i)).join('');
  const made = Array.from({ length: produced }, (_, i) => letter(free + bound + i)).join('');
  return `${kept}${contracted},${contracted}${made}->${kept}${made}`;
}
