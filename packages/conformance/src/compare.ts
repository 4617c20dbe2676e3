/** Comparing a backend's result with expected values under `|a - e| <= atol + rtol·|e|`. */
import type { Tensor } from '@keras-ts/core';
import { numbersOf, type VectorTensor } from './vectors.js';

export interface Tolerance {
  rtol: number;
  atol: number;
}

const shapeText = (s: readonly number[]) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;

/**
 * Returns null when `actual` matches `expected` element by element, else a message naming the
 * worst element. NaN matches NaN, and an infinity only the same infinity.
 */
export function valuesMismatch(name: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: Tolerance): string | null {
  if (actual.length !== expected.length) return `${name}: ${actual.length} values, expected ${expected.length}`;
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (!Number.isFinite(e) || !Number.isFinite(a)) {
      if (a !== e) return `${name}[${i}]: got ${a}, expected ${e}`;
      continue;
    }
    const excess = Math.abs(a - e) - (tolerance.atol + tolerance.rtol * Math.abs(e));
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  }
  if (worst < 0) return null;
  const diff = Math.abs(actual[worst] - expected[worst]).toExponential(2);
  return `${name}[${worst}]: got ${actual[worst]}, expected ${expected[worst]} (|diff| ${diff} > atol ${tolerance.atol} + rtol ${tolerance.rtol}·|expected|)`;
}

/** The same for a tensor against shape and values. */
export function tensorMismatch(name: string, actual: Tensor, shape: readonly number[], expected: ArrayLike<number>, tolerance: Tolerance): string | null {
  if (actual.shape.length !== shape.length || actual.shape.some((d, i) => d !== shape[i])) {
    return `${name}: shape ${shapeText(actual.shape)}, expected ${shapeText(shape)}`;
  }
  return valuesMismatch(name, actual.dataSync(), expected, tolerance);
}

/** A reference vector's output against the backend's tensor. */
export function mismatch(actual: Tensor, expected: VectorTensor, tolerance: Tolerance): string | null {
  return tensorMismatch(expected.name, actual, expected.shape, numbersOf(expected), tolerance);
}
