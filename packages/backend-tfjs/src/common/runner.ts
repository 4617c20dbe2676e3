/**
 * Calls tfjs kernels straight from tfjs's kernel registry on one `KernelBackend` instance, without
 * tfjs's global engine: no tape, no engine bookkeeping, no `tf.tidy`. The handles are tfjs's own
 * `TensorInfo`s, freed with `backend.disposeData` (which honours tfjs's reference counts, so a
 * handle that shares storage with another, as Reshape's output does, stays valid).
 */
import { getKernel } from '@tensorflow/tfjs-core';
import type { BackendValues, DataType, KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { DType, Shape, TypedArray } from '@keras-ts/core';

/**
 * What this package needs of a tfjs backend: its kernel-facing API plus a way to make a handle from
 * values, which tfjs-cpu calls `makeTensorInfo` (keeping the array it is given) and tfjs-wasm
 * `makeOutput` (copying the values into its heap).
 */
export type TfjsKernelBackend = KernelBackend & (
  | { makeTensorInfo(shape: number[], dtype: DataType, values?: BackendValues): TensorInfo }
  | { makeOutput(shape: number[], dtype: DataType, memoryOffset?: number, values?: BackendValues): TensorInfo }
);

/** Named inputs, or a list for the kernels that take one (Concat, AddN). */
export type KernelInputs = Readonly<Record<string, TensorInfo>> | readonly TensorInfo[];

export class KernelRunner {
  private readonly kernels = new Map<string, KernelConfig>();
  /** The storages this runner made that are still alive, when it tracks them (see `freeAll`). */
  private readonly owned: Set<object> | undefined;

  /**
   * @param backend the tfjs backend instance whose memory holds every handle
   * @param registryName the name its kernels are registered under in tfjs ('cpu', 'wasm')
   * @param label the keras-ts backend name, used in error messages ('tfjs-cpu')
   * @param overrides kernels that replace tfjs's registered ones for this runner only (tfjs's global
   *   registry is left alone), with tfjs's kernel contract: a backend swaps in a faster kernel where
   *   its tfjs one is slow, and every composite that calls the kernel gains.
   * @param tracksStorages whether the runner remembers every storage it makes, so that `freeAll`
   *   can free them: needed where the tfjs backend instance is shared and cannot simply be replaced
   *   (tfjs-wasm's module), and left off where it can (tfjs-cpu).
   */
  constructor(
    readonly backend: TfjsKernelBackend,
    readonly registryName: string,
    readonly label: string,
    readonly overrides: Readonly<Record<string, KernelFunc>> = {},
    readonly tracksStorages = false,
  ) {
    this.owned = tracksStorages ? new Set() : undefined;
  }

  /** Runs one tfjs kernel; the caller owns the returned handle. */
  run(kernelName: string, inputs: KernelInputs, attrs: object = {}): TensorInfo {
    const out = this.runMulti(kernelName, inputs, attrs);
    if (out.length !== 1) {
      for (const t of out) this.dispose(t);
      throw new Error(`${this.label}: tfjs kernel '${kernelName}' returned ${out.length} outputs where one was expected.`);
    }
    return out[0];
  }

  private runMulti(kernelName: string, inputs: KernelInputs, attrs: object): TensorInfo[] {
    const kernel = this.lookup(kernelName);
    if (kernel === undefined) {
      throw new Error(
        `${this.label}: tfjs registers no kernel '${kernelName}' for its '${this.registryName}' backend, so this backend cannot run it. ` +
          `Fix: choose another keras-ts backend for this model.`,
      );
    }
    let out: TensorInfo | TensorInfo[];
    try {
      // tfjs's registry types inputs as a named map; the list form is what Concat and AddN read.
      out = kernel.kernelFunc({
        inputs: inputs as unknown as NamedTensorInfoMap,
        backend: this.backend,
        attrs: attrs as NamedAttrMap,
      });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new Error(`${this.label}: tfjs kernel '${kernelName}' failed: ${reason}`, { cause: e });
    }
    const outputs = Array.isArray(out) ? out : [out];
    for (const t of outputs) this.owned?.add(t.dataId);
    return outputs;
  }

  /** A new handle from `values` (kept by tfjs-cpu, copied into the heap by tfjs-wasm), or without storage. */
  private make(shape: Shape, dtype: DType, values?: TypedArray): TensorInfo {
    const b = this.backend;
    const t = 'makeTensorInfo' in b ? b.makeTensorInfo([...shape], dtype, values) : b.makeOutput([...shape], dtype, undefined, values);
    this.owned?.add(t.dataId);
    return t;
  }

  /** A new handle holding a copy of `values`. */
  upload(values: TypedArray, shape: Shape, dtype: DType): TensorInfo {
    // tfjs-wasm copies into its heap anyway; tfjs-cpu would keep the caller's array.
    return this.make(shape, dtype, 'makeTensorInfo' in this.backend ? values.slice() : values);
  }

  /** A new handle that takes ownership of `values` (no copy on tfjs-cpu). */
  adopt(values: TypedArray, shape: Shape, dtype: DType): TensorInfo {
    return this.make(shape, dtype, values);
  }

  /** A handle for kernels that read only their input's shape: no storage on tfjs-cpu, uninitialized heap on tfjs-wasm. */
  placeholder(shape: Shape, dtype: DType): TensorInfo {
    return this.make(shape, dtype);
  }

  /**
   * The values of a handle in the storage type of its dtype. tfjs-cpu hands back its own array
   * (no copy) where the storage type already matches: the caller must not mutate it.
   */
  values(t: TensorInfo): TypedArray {
    return toStorage(this.backend.readSync(t.dataId), t.dtype, this.label);
  }

  /**
   * The values of a handle without a copy where the backend allows it: a view of tfjs-wasm's heap
   * (whose `readSync` copies). The view is only valid until the backend next allocates (a growing
   * heap detaches it), so read it at once, make no handle meanwhile, and never write to it.
   */
  peek(t: TensorInfo): TypedArray {
    const b = this.backend;
    if ('typedArrayFromHeap' in b && typeof b.typedArrayFromHeap === 'function') {
      return (b.typedArrayFromHeap as (t: TensorInfo) => TypedArray)(t);
    }
    return this.values(t);
  }

  /**
   * A new handle whose values `write` fills, given zeros in the storage of `dtype`: written in place
   * in tfjs-wasm's heap, or adopted by tfjs-cpu; no copy either way. `write` may `peek` at other
   * handles (the allocation is already done) but must make none.
   */
  produce(shape: Shape, dtype: DType, write: (values: TypedArray) => void): TensorInfo {
    const b = this.backend;
    if ('makeTensorInfo' in b) {
      const values = dtype === 'float32' ? new Float32Array(sizeOf(shape)) : dtype === 'int32' ? new Int32Array(sizeOf(shape)) : new Uint8Array(sizeOf(shape));
      write(values);
      return this.adopt(values, shape, dtype);
    }
    const t = this.make(shape, dtype);
    try {
      const values = this.peek(t);
      values.fill(0); // tfjs-wasm's heap is not zeroed
      write(values);
    } catch (e) {
      this.dispose(t);
      throw e;
    }
    return t;
  }

  async valuesAsync(t: TensorInfo): Promise<TypedArray> {
    return toStorage(await this.backend.read(t.dataId), t.dtype, this.label);
  }

  /** Whether the handle's storage is still alive. */
  isAlive(t: TensorInfo): boolean {
    return this.backend.refCount(t.dataId) > 0;
  }

  dispose(t: TensorInfo): void {
    this.backend.disposeData(t.dataId);
    if (this.owned !== undefined && this.backend.refCount(t.dataId) === 0) this.owned.delete(t.dataId);
  }

  /** Frees every storage this runner made that is still alive (only when it tracks storages); their handles become invalid. */
  freeAll(): void {
    if (this.owned === undefined) throw new Error(`${this.label}: internal: freeAll needs a runner that tracks its storages.`);
    // `force` frees a storage whatever its reference count (Reshape and Identity share one).
    for (const dataId of this.owned) this.backend.disposeData(dataId, true);
    this.owned.clear();
  }

  numDataIds(): number {
    return this.backend.numDataIds();
  }

  private lookup(kernelName: string): KernelConfig | undefined {
    let kernel = this.kernels.get(kernelName);
    if (kernel === undefined) {
      const override = this.overrides[kernelName];
      // getKernel returns undefined (despite its declared type) for an unregistered kernel.
      kernel = override !== undefined
        ? { kernelName, backendName: this.registryName, kernelFunc: override }
        : (getKernel(kernelName, this.registryName) as KernelConfig | undefined);
      if (kernel !== undefined) this.kernels.set(kernelName, kernel);
    }
    return kernel;
  }
}

const sizeOf = (shape: Shape): number => shape.reduce((p, d) => p * d, 1);

/**
 * tfjs sometimes keeps a tensor in another array type than its dtype's (Cast from bool to float32
 * keeps the Uint8Array), and reads bool back through Int32Array; keras-ts wants exactly
 * Float32Array, Int32Array or Uint8Array 0/1.
 */
function toStorage(values: unknown, dtype: DataType, label: string): TypedArray {
  if (dtype === 'float32') return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
  if (dtype === 'int32') return values instanceof Int32Array ? values : Int32Array.from(values as ArrayLike<number>);
  if (dtype === 'bool') {
    if (values instanceof Uint8Array) return values;
    const src = values as ArrayLike<number>;
    const out = new Uint8Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = src[i] !== 0 ? 1 : 0;
    return out;
  }
  throw new Error(`${label}: tfjs returned a tensor of dtype '${dtype}', which keras-ts does not store (float32, int32, bool).`);
}

/**
 * Tracks the intermediate handles of one kernel so that they are all freed when it returns (or
 * throws), leaving alive only the handle(s) it returns.
 */
export class Scope {
  private readonly temps: TensorInfo[] = [];

  constructor(readonly runner: KernelRunner) {}

  run(kernelName: string, inputs: KernelInputs, attrs: object = {}): TensorInfo {
    return this.track(this.runner.run(kernelName, inputs, attrs));
  }

  track(t: TensorInfo): TensorInfo {
    this.temps.push(t);
    return t;
  }

  /** Casts `t` to `dtype` unless it already has it. */
  cast(t: TensorInfo, dtype: DType): TensorInfo {
    return t.dtype === dtype ? t : this.run('Cast', { x: t }, { dtype });
  }

  /**
   * The kernel's result: `t` cast to `dtype` where tfjs gave another dtype, and never one of the
   * kernel's inputs (core frees each returned handle once, so an input passed through gets an
   * Identity, which shares its storage under tfjs's reference count).
   */
  output(t: TensorInfo, dtype: DType): TensorInfo {
    const c = this.cast(t, dtype);
    return this.temps.includes(c) ? c : this.run('Identity', { x: c });
  }

  reshape(t: TensorInfo, shape: Shape): TensorInfo {
    return this.run('Reshape', { x: t }, { shape: [...shape] });
  }

  /** Frees every tracked handle except those in `keep`. */
  release(keep: readonly TensorInfo[]): void {
    for (const t of this.temps) if (!keep.includes(t)) this.runner.dispose(t);
    this.temps.length = 0;
  }
}

/** Runs `body` for its effect in a fresh scope that frees every handle it tracked. */
export function tidy(runner: KernelRunner, body: (s: Scope) => void): void {
  const scope = new Scope(runner);
  try {
    body(scope);
  } finally {
    scope.release([]);
  }
}

/** Runs `body` in a fresh scope; every handle it tracked is freed except what it returns. */
export function scoped<T extends TensorInfo | TensorInfo[]>(runner: KernelRunner, body: (s: Scope) => T): T {
  const scope = new Scope(runner);
  let result: T;
  try {
    result = body(scope);
  } catch (e) {
    scope.release([]);
    throw e;
  }
  scope.release(Array.isArray(result) ? result : [result]);
  return result;
}
