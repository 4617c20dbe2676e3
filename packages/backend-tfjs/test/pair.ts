/**
 * Runs one kernel call on a tfjs backend and on the reference backend (@keras-ts/backend-reference,
 * the executable definition of every kernel) with the same inputs, and compares the results.
 */
import { expect } from '@jest/globals';
import { engine } from '@tensorflow/tfjs-core';
import type { Backend, DType, KernelTensor, OutputSpec, Shape } from '@keras-ts/core';
import { createReferenceBackend } from '@keras-ts/backend-reference';
import type { TfjsBackend } from '../src/index.js';
import { size, storage } from './helpers.js';

export interface Input {
  readonly values: readonly number[];
  readonly shape: Shape;
  readonly dtype: DType;
}

export const f32 = (values: readonly number[], shape: Shape = [values.length]): Input => ({ values, shape, dtype: 'float32' });
export const i32 = (values: readonly number[], shape: Shape = [values.length]): Input => ({ values, shape, dtype: 'int32' });
export const bool = (values: readonly number[], shape: Shape = [values.length]): Input => ({ values, shape, dtype: 'bool' });

/** One kernel call written once for any backend; it returns one handle or several. */
export type Call = <H>(backend: Backend<H>, xs: readonly KernelTensor<H>[]) => H | readonly H[];

export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

/** float32 kernels may differ from the float64 reference by a few ulps, and by accumulation order. */
export const DEFAULT_TOLERANCE: Tolerance = { rtol: 2e-6, atol: 1e-6 };

function runOn<H>(backend: Backend<H>, inputs: readonly Input[], call: Call, outs: readonly OutputSpec[]): number[][] {
  const xs = inputs.map((i) => ({ handle: backend.upload(storage(i.values, i.dtype), i.shape, i.dtype), shape: i.shape, dtype: i.dtype }));
  try {
    const result = call(backend, xs);
    const handles = (Array.isArray(result) ? result : [result]) as H[];
    try {
      expect(handles.length).toBe(outs.length);
      return handles.map((handle, n) => {
        const values = backend.readSync({ handle, shape: outs[n].shape, dtype: outs[n].dtype });
        expect(values.length).toBe(size(outs[n].shape));
        return Array.from(values);
      });
    } finally {
      for (const h of handles) backend.dispose(h);
    }
  } finally {
    for (const x of xs) backend.dispose(x.handle);
  }
}

/** Whether `got` matches the reference's `want`: NaN for NaN, infinities exactly, ints and bools exactly. */
export function mismatches(got: readonly number[], want: readonly number[], dtype: DType, tol: Tolerance): string[] {
  const found: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const [g, w] = [got[i], want[i]];
    const ok = dtype !== 'float32' ? g === w
      : Number.isNaN(w) ? Number.isNaN(g)
        : !Number.isFinite(w) ? g === w
          : Math.abs(g - w) <= tol.atol + tol.rtol * Math.abs(w);
    if (!ok) found.push(`[${i}] got ${g}, reference ${w}`);
  }
  return found;
}

/** Compares a tfjs backend with the reference on one call; `label` names the values in a failure. */
export class VersusReference {
  readonly reference = createReferenceBackend();

  /** @param engineFree whether to check that tfjs's global engine counts no new tensor (see BackendCase) */
  constructor(readonly backend: TfjsBackend, readonly engineFree = true) {}

  check(label: string, inputs: readonly Input[], outs: OutputSpec | readonly OutputSpec[], call: Call, tol: Tolerance = DEFAULT_TOLERANCE): void {
    const specs = Array.isArray(outs) ? (outs as readonly OutputSpec[]) : [outs as OutputSpec];
    const [before, engineTensors] = [this.backend.numDataIds(), engine().state.numTensors];
    const got = runOn(this.backend, inputs, call, specs);
    const want = runOn(this.reference, inputs, call, specs);
    // Nothing leaks, and tfjs's global engine (which this package never uses) counts no new tensor.
    const engineGrew = this.engineFree ? engine().state.numTensors - engineTensors : 0;
    expect({ label, leaked: this.backend.numDataIds() - before, engineGrew }).toEqual({ label, leaked: 0, engineGrew: 0 });
    const problems = specs.flatMap((s, n) => mismatches(got[n], want[n], s.dtype, tol).map((p) => `output ${n} ${p}`));
    if (problems.length > 0) {
      const inputText = inputs.map((i) => `${i.dtype}[${i.shape.join(',')}] ${JSON.stringify(i.values.slice(0, 40).map(String))}`).join('; ');
      throw new Error(`${this.backend.name} differs from the reference: ${label}\n  inputs: ${inputText}\n  ${problems.slice(0, 12).join('\n  ')}`);
    }
  }
}
