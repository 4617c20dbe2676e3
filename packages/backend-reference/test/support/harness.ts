/** Small helpers to call the reference backend's kernels directly and read their results. */
import type { DType, KernelTensor, OutputSpec, Shape } from '@keras-ts/core';
import { ReferenceBackend, type RefHandle } from '@keras-ts/backend-reference';

export type T = KernelTensor<RefHandle>;

const STORAGE = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;

/** A backend plus shorthands: `t` uploads, `out` makes an OutputSpec, `read` reads a handle as numbers. */
export class Harness {
  readonly backend = new ReferenceBackend();

  /** Uploads values (converted to the storage of `dtype`) and returns the KernelTensor. */
  t(values: ArrayLike<number>, shape: Shape, dtype: DType = 'float32'): T {
    const storage = STORAGE[dtype].from(Array.from(values));
    return { handle: this.backend.upload(storage, shape, dtype), shape, dtype };
  }

  /** A KernelTensor for a handle a kernel returned. */
  as(handle: RefHandle, shape: Shape, dtype: DType = 'float32'): T {
    return { handle, shape, dtype };
  }

  out(shape: Shape, dtype: DType = 'float32'): OutputSpec {
    return { shape, dtype };
  }

  /** The values of a handle as a plain number array. */
  read(handle: RefHandle, shape: Shape, dtype: DType = 'float32'): number[] {
    return Array.from(this.backend.readSync({ handle, shape, dtype }));
  }
}

export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

/**
 * Checks |actual − expected| <= atol + rtol·|expected| element by element (NaN matches NaN,
 * ±Infinity must match exactly) and throws a message naming the worst element.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance, label = 'values'): void {
  if (actual.length !== expected.length) throw new Error(`${label}: ${actual.length} values, expected ${expected.length}`);
  let failures = 0;
  let worst = -1;
  let worstExcess = -Infinity;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    let ok: boolean;
    let excess: number;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      ok = Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e));
      excess = ok ? -Infinity : Infinity;
    } else {
      const err = Math.abs(a - e);
      const bound = tol.atol + tol.rtol * Math.abs(e);
      ok = err <= bound;
      excess = Number.isNaN(err) ? Infinity : err - bound;
    }
    if (!ok) failures++;
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  }
  if (failures > 0) {
    throw new Error(
      `${label}: ${failures} of ${expected.length} elements outside atol ${tol.atol} + rtol ${tol.rtol}·|e|; ` +
        `worst at [${worst}]: got ${actual[worst]}, expected ${expected[worst]}`,
    );
  }
}

/** Exact comparison of plain number arrays, with NaN equal to NaN and -0 equal to 0. */
export function expectValues(actual: ArrayLike<number>, expected: readonly number[], label = 'values'): void {
  expectClose(actual, expected, { rtol: 0, atol: 0 }, label);
}

/** float32 rounding of an array of float64 values (what a float32 kernel must return). */
export function f32(values: readonly number[]): number[] {
  return values.map((v) => Math.fround(v));
}

/** A deterministic pseudo-random generator (mulberry32) for property tests. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` float32-representable values uniform in [-1, 1). */
export function randomValues(rand: () => number, n: number): number[] {
  return Array.from({ length: n }, () => Math.fround(rand() * 2 - 1));
}
