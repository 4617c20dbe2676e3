/** Comparing a backend's result with a reference tensor under `|a - e| <= atol + rtol·|e|`. */
import type { Tensor } from '@keras-ts/core';
import { numbersOf, type VectorTensor } from './vectors.js';

export interface Tolerance {
  rtol: number;
  atol: number;
}

/** Returns null when the tensor matches, else a message naming the worst element. */
export function mismatch(actual: Tensor, expected: VectorTensor, tolerance: Tolerance): string | null {
  const shapeText = (s: readonly number[]) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;
  if (actual.shape.length !== expected.shape.length || actual.shape.some((d, i) => d !== expected.shape[i])) {
    return `${expected.name}: shape ${shapeText(actual.shape)}, expected ${shapeText(expected.shape)}`;
  }
  const got = actual.dataSync();
  const want = numbersOf(expected);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < want.length; i++) {
    const a = got[i];
    const e = want[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (!Number.isFinite(e) || !Number.isFinite(a)) {
      if (a !== e) return `${expected.name}[${i}]: got ${a}, expected ${e}`;
      continue;
    }
    const excess = Math.abs(a - e) - (tolerance.atol + tolerance.rtol * Math.abs(e));
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  }
  if (worst < 0) return null;
  return `${expected.name}[${worst}]: got ${got[worst]}, expected ${want[worst]} (|diff| ${Math.abs(got[worst] - want[worst]).toExponential(2)} > atol ${tolerance.atol} + rtol ${tolerance.rtol}·|expected|)`;
}
