/**
 * Runs one kernel call on the onnx backend and on the reference backend with the same inputs
 * and compares the results: the reference backend is the executable spec of every kernel.
 */
import { expect } from '@jest/globals';
import type { Backend, DType, KernelTensor, OutputSpec, Shape } from '@keras-ts/core';
import { ReferenceBackend } from '@keras-ts/backend-reference';
import { createOnnxBackend, type OnnxBackend } from '../../src/index.js';

export interface Input {
  readonly values: readonly number[];
  readonly shape: Shape;
  readonly dtype: DType;
}

export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

/** float32 elementwise tolerance; int32 and bool results are always compared exactly. */
export const TIGHT: Tolerance = { rtol: 2e-6, atol: 1e-6 };
/** For sums of many products (matmul, convolution, reductions). */
export const SUMS: Tolerance = { rtol: 1e-5, atol: 1e-5 };

const STORAGE = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;

export const onnx: OnnxBackend = createOnnxBackend();
const reference = new ReferenceBackend();

export const sizeOf = (shape: Shape): number => shape.reduce((p, d) => p * d, 1);

export const input = (values: readonly number[], shape: Shape, dtype: DType = 'float32'): Input => {
  if (values.length !== sizeOf(shape)) throw new Error(`test input: ${values.length} values for shape [${shape.join(', ')}]`);
  return { values, shape, dtype };
};

export const spec = (shape: Shape, dtype: DType = 'float32'): OutputSpec => ({ shape, dtype });

/** A deterministic generator (mulberry32) of floats in [0, 1). */
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

/** Random float32 values uniform in [lo, hi). */
export function floats(shape: Shape, seed: number, lo = -1, hi = 1): Input {
  const r = random(seed);
  return input(Array.from({ length: sizeOf(shape) }, () => Math.fround(lo + (hi - lo) * r())), shape);
}

/** Random int32 values in [lo, hi]. */
export function ints(shape: Shape, seed: number, lo = -10, hi = 10): Input {
  const r = random(seed);
  return input(Array.from({ length: sizeOf(shape) }, () => lo + Math.floor((hi - lo + 1) * r())), shape, 'int32');
}

export function bools(shape: Shape, seed: number): Input {
  const r = random(seed);
  return input(Array.from({ length: sizeOf(shape) }, () => (r() < 0.5 ? 1 : 0)), shape, 'bool');
}

type Run = (b: Backend<unknown>, xs: KernelTensor<unknown>[]) => unknown;

export { reference as referenceBackend };

/** Runs `run` on one backend and returns the outputs' values; frees every handle it made. */
export function evaluate(b: Backend<unknown>, run: Run, inputs: readonly Input[], outs: readonly OutputSpec[]): number[][] {
  const xs = inputs.map((i) => ({ handle: b.upload(STORAGE[i.dtype].from(i.values), i.shape, i.dtype), shape: i.shape, dtype: i.dtype }));
  try {
    const result = run(b, xs);
    const handles = Array.isArray(result) ? result : [result];
    expect(handles.length).toBe(outs.length);
    const values = handles.map((handle, k) => {
      const data = b.readSync({ handle, shape: outs[k].shape, dtype: outs[k].dtype });
      expect(Object.prototype.toString.call(data)).toBe(Object.prototype.toString.call(new STORAGE[outs[k].dtype]()));
      expect(data.length).toBe(sizeOf(outs[k].shape));
      return Array.from(data);
    });
    for (const handle of handles) b.dispose(handle);
    return values;
  } finally {
    for (const x of xs) b.dispose(x.handle);
  }
}

/** Checks |a − e| <= atol + rtol·|e| (NaN matches NaN, infinities exactly); names the worst element. */
export function expectClose(actual: readonly number[], expected: readonly number[], tol: Tolerance, label: string): void {
  expect(actual.length).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    let excess: number;
    if (!Number.isFinite(e)) excess = Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)) ? 0 : Infinity;
    else excess = Number.isFinite(a) ? Math.abs(a - e) - (tol.atol + tol.rtol * Math.abs(e)) : Infinity;
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  }
  if (worst >= 0) throw new Error(`${label}: element ${worst} is ${actual[worst]}, the reference gives ${expected[worst]} (tolerance rtol ${tol.rtol}, atol ${tol.atol})`);
}

/**
 * Runs `run` on both backends and compares every output: float32 within `tol`, int32 and bool
 * exactly. Also checks that the onnx backend (`backend`, the shared one by default) keeps no handle alive afterwards.
 */
export function expectSameAsReference(
  label: string, run: Run, inputs: readonly Input[], outs: OutputSpec | readonly OutputSpec[], tol: Tolerance = TIGHT, backend: OnnxBackend = onnx,
): void {
  const specs = Array.isArray(outs) ? (outs as readonly OutputSpec[]) : [outs as OutputSpec];
  const before = backend.numHandles();
  const got = evaluate(backend as Backend<unknown>, run, inputs, specs);
  const want = evaluate(reference as Backend<unknown>, run, inputs, specs);
  expect(backend.numHandles()).toBe(before);
  specs.forEach((s, k) => expectClose(got[k], want[k], s.dtype === 'float32' ? tol : { rtol: 0, atol: 0 }, `${label} (output ${k})`));
}
