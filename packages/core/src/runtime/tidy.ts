/** `tidy(fn)` frees every tensor made inside fn except what fn returns; `memory()` counts what is live. */
import { currentEntry, startedEntry, backend as backendName } from '../backend/registry.js';
import { Tensor } from '../tensor/tensor.js';
import { endScope, keep, startScope } from './engine.js';

function collect(value: unknown, out: Tensor[], seen = new Set<unknown>()): void {
  if (value instanceof Tensor) out.push(value);
  else if (value !== null && typeof value === 'object' && !seen.has(value)) {
    seen.add(value);
    if (Array.isArray(value)) for (const v of value) collect(v, out, seen);
    else if (isPlainObject(value)) for (const v of Object.values(value)) collect(v, out, seen);
  }
}

/**
 * Runs fn and frees every intermediate tensor it made; tensors in its result (a Tensor, or arrays
 * and plain objects of them) are kept. fn must be synchronous.
 *
 * ```ts
 * const y = tidy(() => ops.relu(ops.add(a, b)));   // the sum is freed, y is kept
 * ```
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`tidy: expected a function, got ${typeof fn}. Fix: tidy(() => ...).`);
  startScope();
  let result: T;
  try {
    result = fn();
  } catch (error) {
    endScope([]);
    throw error;
  }
  if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
    endScope([]);
    throw new TypeError('tidy: fn returned a Promise. Expected a synchronous function: tensors made after an await cannot be tracked. Fix: await outside tidy.');
  }
  const kept: Tensor[] = [];
  collect(result, kept);
  endScope(kept);
  return result;
}

export { keep };

/** Frees the tensors in `value` (a Tensor, or arrays and plain objects of them). */
export function dispose(value: unknown): void {
  const tensors: Tensor[] = [];
  collect(value, tensors);
  for (const t of tensors) t.dispose();
}

export interface MemoryInfo {
  /** Live tensors on the backend. */
  numTensors: number;
  /** Bytes those tensors hold, as core counts them (backends may hold more for caches). */
  numBytes: number;
  /** The backend these counts are for. */
  backend: string;
}

/** Live tensors and bytes of the current backend, or of `name` if given. */
export function memory(name?: string): MemoryInfo {
  const entry = name === undefined ? currentEntry() : startedEntry(name);
  if (!entry) return { numTensors: 0, numBytes: 0, backend: name ?? backendName() };
  return { numTensors: entry.numTensors, numBytes: entry.numBytes, backend: entry.name };
}

/** A plain object literal, from this realm or another (test runners may use several). */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}
