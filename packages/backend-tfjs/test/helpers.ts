/** Shared test helpers: upload values, run a kernel, read and compare. */
import { expect } from '@jest/globals';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { DType, KernelTensor, OutputSpec, Shape, TypedArray } from '@keras-ts/core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { TfjsBackend, TfjsCpuBackend, TfjsWasmBackend } from '../src/index.js';
import { KernelRunner } from '../src/common/runner.js';
import { wasmOverrides } from '../src/wasm/kernels.js';

export type T = KernelTensor<TensorInfo>;

export const size = (shape: Shape): number => shape.reduce((p, d) => p * d, 1);

export function storage(values: ArrayLike<number>, dtype: DType): TypedArray {
  if (dtype === 'float32') return Float32Array.from(values);
  if (dtype === 'int32') return Int32Array.from(values);
  return Uint8Array.from(values, (v) => (v !== 0 ? 1 : 0));
}

export const spec = (shape: Shape, dtype: DType = 'float32'): OutputSpec => ({ shape, dtype });

/** A deterministic pseudo-random sequence in [-1, 1). */
export function seeded(n: number, seed = 1): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** Tracks what a test uploads and produces, and frees it all at the end. */
export class Harness {
  readonly handles: TensorInfo[] = [];

  constructor(readonly b: TfjsBackend) {}

  up(values: ArrayLike<number>, shape: Shape, dtype: DType = 'float32'): T {
    const handle = this.b.upload(storage(values, dtype), shape, dtype);
    this.handles.push(handle);
    return { handle, shape, dtype };
  }

  /** Wraps a kernel's result so that it is freed with the rest. */
  keep(handle: TensorInfo, out: OutputSpec): T {
    this.handles.push(handle);
    return { handle, shape: out.shape, dtype: out.dtype };
  }

  /** Reads a kernel's result and checks that tfjs gave it core's shape and dtype. */
  read(handle: TensorInfo, out: OutputSpec): number[] {
    const t = this.keep(handle, out);
    expect(handle.shape).toEqual([...out.shape]);
    expect(handle.dtype).toBe(out.dtype);
    const values = this.b.readSync(t);
    expect(values).toBeInstanceOf(out.dtype === 'float32' ? Float32Array : out.dtype === 'int32' ? Int32Array : Uint8Array);
    expect(values.length).toBe(size(out.shape));
    return Array.from(values);
  }

  freeAll(): void {
    for (const h of this.handles.splice(0)) this.b.dispose(h);
  }
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e)) {
      expect(a).toBeNaN();
    } else if (!Number.isFinite(e)) {
      expect(a).toBe(e);
    } else if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) {
      // Written so that a NaN where a number is expected fails too.
      throw new Error(`element ${i}: got ${a}, expected ${e} (tolerance ${tol})`);
    }
  }
}

/**
 * The shared kernels of src/common on tfjs-cpu's registry without the cpu backend's own
 * replacements (Transpose, pooling gradients): what tfjs-wasm runs, checked here on cpu.
 */
export class CommonKernelsOnCpu extends TfjsBackend {
  readonly name = 'tfjs-common-on-cpu';

  constructor() {
    super(new MathBackendCPU(), 'cpu', 'tfjs-common-on-cpu');
  }

  protected notes(): string[] {
    return [];
  }
}

/** A backend under test: how to make one, and a bare kernel runner over the same kind of tfjs backend. */
export interface BackendCase {
  readonly name: string;
  backend(): TfjsBackend;
  runner(): KernelRunner;
  /** Whether no kernel registers anything with tfjs's global engine (false only for tfjs-cpu's raw kernels: its Abs does). */
  readonly engineFree: boolean;
}

const cpuRunner = (): KernelRunner => new KernelRunner(new MathBackendCPU(), 'cpu', 'tfjs-cpu');

/** The cpu variants. */
export const CPU_CASES: BackendCase[] = [
  { name: 'tfjs-cpu', backend: () => new TfjsCpuBackend(), runner: cpuRunner, engineFree: true },
  { name: 'common kernels without the cpu replacements', backend: () => new CommonKernelsOnCpu(), runner: cpuRunner, engineFree: false },
];

/** For describe.each: `[name, case]` rows. */
export const rows = (cases: readonly BackendCase[]): [string, BackendCase][] => cases.map((c) => [c.name, c]);

/** tfjs-wasm, started (asynchronously) on the process's wasm module. */
export async function wasmCase(): Promise<BackendCase> {
  const first = await TfjsWasmBackend.create();
  const instance = first.moduleInfo.instance;
  return {
    name: 'tfjs-wasm',
    backend: () => new TfjsWasmBackend(first.moduleInfo),
    runner: () => new KernelRunner(instance, 'wasm', 'tfjs-wasm', wasmOverrides(), true),
    engineFree: true,
  };
}
