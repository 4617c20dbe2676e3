/**
 * Tensor: an n-dimensional array that lives on one backend. Its storage is the backend's handle;
 * its shape and dtype are known to core, so every op can be checked before a kernel runs.
 */
import type { Backend } from '../backend/backend.js';
import { bytesPerElement, type DType, type TypedArray } from './dtype.js';
import { formatShape, sizeOf, type Shape } from './shape.js';

/** What a backend in use holds: its live tensors and bytes, counted by core. */
export class BackendEntry {
  numTensors = 0;
  numBytes = 0;
  /** Set when the backend was closed: its handles are gone, so nothing is disposed on it any more. */
  closed = false;
  constructor(
    readonly name: string,
    readonly backend: Backend,
  ) {}
}

/** Frees dropped tensors as a safety net; `dispose` and `tidy` remain the way to free memory on time. */
const finalizer = new FinalizationRegistry<{ entry: BackendEntry; handle: unknown; bytes: number; live: { value: boolean } }>(
  (held) => {
    if (!held.live.value) return;
    held.live.value = false;
    held.entry.numTensors--;
    held.entry.numBytes -= held.bytes;
    if (held.entry.closed) return;
    // An exception thrown here would end the process from inside the garbage collector, so a
    // backend's complaint about a dropped handle is reported, not thrown.
    try {
      held.entry.backend.dispose(held.handle);
    } catch (error) {
      console.warn(`keras-ts: freeing a dropped tensor on backend '${held.entry.name}' failed: ${(error as Error).message}`);
    }
  },
);

let nextTensorId = 0;

type NestedArray = number | boolean | NestedArray[];

export class Tensor {
  /** A unique id, used by the autodiff tape. */
  readonly id: number;
  readonly shape: Shape;
  readonly dtype: DType;
  /** @internal the backend this tensor lives on */
  readonly entry: BackendEntry;
  /** @internal the backend's handle */
  readonly handle: unknown;
  /** Shared with the finalizer so that a tensor is freed exactly once. */
  private readonly live: { value: boolean };
  /** @internal set by Variable: a kept tensor is never freed by tidy */
  kept = false;
  /**
   * The Keras mask a layer attached (Embedding with maskZero, Masking): a bool tensor, true where a
   * timestep is real. The next layer that takes a mask receives it, as Keras's _keras_mask.
   */
  kerasMask: Tensor | undefined;

  /** @internal use `tensor()` or an op to make tensors */
  constructor(handle: unknown, shape: Shape, dtype: DType, entry: BackendEntry) {
    this.id = nextTensorId++;
    this.handle = handle;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.entry = entry;
    this.live = { value: true };
    const bytes = sizeOf(shape) * bytesPerElement(dtype);
    entry.numTensors++;
    entry.numBytes += bytes;
    finalizer.register(this, { entry, handle, bytes, live: this.live }, this);
  }

  get rank(): number {
    return this.shape.length;
  }

  get size(): number {
    return sizeOf(this.shape);
  }

  get isDisposed(): boolean {
    return !this.live.value;
  }

  /** The backend name this tensor lives on. */
  get backendName(): string {
    return this.entry.name;
  }

  /** @internal throws a clear error when a freed tensor is used */
  assertLive(where: string): void {
    if (!this.live.value) {
      throw new Error(
        `${where}: this tensor of shape ${formatShape(this.shape)} was already disposed. ` +
          `Fix: keep the tensor alive (return it from tidy, or do not dispose it) until you are done with it.`,
      );
    }
  }

  /** The values, synchronously, as the dtype's typed array (a copy the caller may change). */
  dataSync(): TypedArray {
    this.assertLive('dataSync');
    return this.entry.backend.readSync(this).slice();
  }

  async data(): Promise<TypedArray> {
    this.assertLive('data');
    return (await this.entry.backend.read(this)).slice();
  }

  /** The values as nested arrays (booleans for bool). */
  arraySync(): NestedArray {
    return toNested(this.dataSync(), this.shape, this.dtype);
  }

  async array(): Promise<NestedArray> {
    return toNested(await this.data(), this.shape, this.dtype);
  }

  /** Frees the tensor's memory on its backend. Disposing twice is harmless. */
  dispose(): void {
    if (!this.live.value) return;
    this.live.value = false;
    finalizer.unregister(this);
    if (!this.entry.closed) this.entry.backend.dispose(this.handle);
    this.entry.numTensors--;
    this.entry.numBytes -= this.size * bytesPerElement(this.dtype);
  }

  toString(): string {
    if (this.isDisposed) return `Tensor(disposed, shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
    return `Tensor(shape=${formatShape(this.shape)}, dtype=${this.dtype}, backend=${this.entry.name})\n${JSON.stringify(this.arraySync())}`;
  }
}

function toNested(values: TypedArray, shape: Shape, dtype: DType): NestedArray {
  const convert = (v: number): number | boolean => (dtype === 'bool' ? v !== 0 : v);
  if (shape.length === 0) return convert(values[0]);
  const build = (axis: number, offset: number): NestedArray[] => {
    const n = shape[axis];
    const out: NestedArray[] = new Array<NestedArray>(n);
    if (axis === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = convert(values[offset + i]);
      return out;
    }
    let stride = 1;
    for (let j = axis + 1; j < shape.length; j++) stride *= shape[j];
    for (let i = 0; i < n; i++) out[i] = build(axis + 1, offset + i * stride);
    return out;
  };
  return build(0, 0);
}

export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}
