/**
 * The executor: turns one kernel call into one run of one cached onnxruntime session.
 *
 * Handles are plain typed arrays on the JavaScript side (`OnnxHandle`); an ORT tensor is only
 * the four-field feed object the native binding reads, made per run around the handle's array
 * (no copy). Outputs come back as fresh typed arrays, which become the new handles.
 *
 * Sessions are cached by a key of the kernel's own part (op and the attributes its graph bakes
 * in) plus the element type and rank of every input. Inputs have symbolic dimensions, so one
 * session serves every shape of those ranks; the cache is bounded (least recently used first out).
 */
import type { DType, KernelTensor, Shape, TypedArray } from '@keras-ts/core';
import { GraphBuilder } from './onnx/graph.js';
import type { OnnxElemType } from './onnx/proto.js';
import { createSession, type Feed, type KernelSession, type OrtOut } from './onnx/runtime.js';
import { Recording } from './recording.js';

/** A tensor's values; shape and dtype travel with each KernelTensor. */
export class OnnxHandle {
  constructor(readonly data: TypedArray) {}
}

export type T = KernelTensor<OnnxHandle>;

/** Builds a kernel's graph from its input names; returns the values to output, in order. */
export type GraphBody = (g: GraphBuilder, inputs: string[]) => string[];

export interface ExecutorOptions {
  /** Intra-op threads of the sessions of ordinary kernels. */
  readonly intraOpThreads: number;
  /** Intra-op threads of the sessions that run heavy calls (of at least `heavyWork` floating-point operations). */
  readonly heavyOpThreads: number;
  /** Floating-point operations from which a call counts as heavy. */
  readonly heavyWork: number;
  /** Most sessions kept; the least recently used is disposed beyond it. */
  readonly maxSessions: number;
}

/** While a recording is open: which handle each tensor feed carries (feeds without one are host constants). */
let feedSources: WeakMap<Feed, OnnxHandle> | null = null;

export const feedOf = (x: T): Feed => {
  const feed: Feed = { type: x.dtype, dims: x.shape, data: x.handle.data, location: 'cpu' };
  feedSources?.set(feed, x.handle);
  return feed;
};

/** An int64 vector input (shapes, axes, pads, starts): values baked into no graph, so no cache key grows with them. */
export const int64Feed = (values: readonly (number | bigint)[]): Feed => ({
  type: 'int64', dims: [values.length], data: BigInt64Array.from(values, (v) => BigInt(v)), location: 'cpu',
});

/** A scalar input of an element type. */
export function scalarFeed(type: 'float32' | 'int32' | 'bool', value: number): Feed {
  const data = type === 'float32' ? Float32Array.of(value) : type === 'int32' ? Int32Array.of(value) : Uint8Array.of(value);
  return { type, dims: [], data, location: 'cpu' };
}

export class Executor {
  private readonly sessions = new Map<string, KernelSession>();
  private runs = 0;
  private compiles = 0;
  /** The open recording, if any: every run is also written into its graph. */
  private active: Recording | undefined;
  /** Sessions of compiled graphs (owned by core's compiled steps; closed with the backend). */
  private readonly graphs = new Set<KernelSession>();

  constructor(private readonly label: string, readonly options: ExecutorOptions) {}

  get cacheSize(): number {
    return this.sessions.size;
  }

  stats(): { sessions: number; runs: number; compiles: number } {
    return { sessions: this.sessions.size, runs: this.runs, compiles: this.compiles };
  }

  /**
   * Runs kernel `kernel` as the session for `key` and these inputs' types and ranks, building
   * its graph with `body` on a cache miss. `work` (floating-point operations, for matmul- and
   * convolution-like kernels) picks the session's thread count: a second thread pays off only
   * for large products. Returns the outputs' arrays and dims.
   */
  run(kernel: string, key: string, feeds: readonly Feed[], outTypes: readonly OnnxElemType[], body: GraphBody, work = 0): OrtOut[] {
    const threads = work >= this.options.heavyWork ? this.options.heavyOpThreads : this.options.intraOpThreads;
    let fullKey = `${key}#${threads}`;
    for (const f of feeds) fullKey += `|${f.type}${f.dims.length}`;
    let session = this.sessions.get(fullKey);
    if (session === undefined) {
      if (this.sessions.size >= this.options.maxSessions) this.evictLeastRecentlyUsed();
      session = this.compile(kernel, feeds, outTypes, body, threads);
      this.sessions.set(fullKey, session);
    }
    session.lastUsed = ++this.runs;
    try {
      const outs = session.run(feeds);
      this.active?.run(kernel, feeds, outs, body);
      return outs;
    } catch (e) {
      const message = (e as Error).message;
      // onnxruntime builds its output tensors with a constructor that rejects typed arrays of another realm (Jest's sandbox).
      const hint = /tensor's data must be type of/.test(message)
        ? ' This happens in a sandboxed realm such as Jest\'s default test environment; under Jest use testEnvironment \'jest-environment-node-single-context\'.'
        : '';
      throw new Error(`${this.label}: kernel '${kernel}' failed in onnxruntime: ${message}${hint}`, { cause: e });
    }
  }

  close(): void {
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
    for (const s of this.graphs) s.dispose();
    this.graphs.clear();
    this.stopRecording();
  }

  /** The open recording, if any. */
  get recording(): Recording | undefined {
    return this.active;
  }

  /** Opens a recording; the caller ends it with stopRecording. */
  startRecording(): Recording {
    if (this.active) throw new Error(`${this.label}: a graph recording is already open (internal error: compiled steps do not nest).`);
    this.active = new Recording();
    feedSources = this.active.feedSources;
    return this.active;
  }

  stopRecording(): void {
    this.active = undefined;
    feedSources = null;
  }

  /** A session of a whole compiled graph (not cached: its owner disposes it), with the heavy thread count. */
  compileGraph(model: Uint8Array, outputs: readonly string[]): KernelSession {
    this.compiles++;
    const session = createSession(model, outputs, { intraOpThreads: this.options.heavyOpThreads, spinning: true });
    this.graphs.add(session);
    return session;
  }

  /** Frees a compiled graph's session (once; a backend already closed has freed it). */
  releaseGraph(session: KernelSession): void {
    if (this.graphs.delete(session)) session.dispose();
  }

  /** How many compiled graphs are alive. */
  get graphCount(): number {
    return this.graphs.size;
  }

  private compile(kernel: string, feeds: readonly Feed[], outTypes: readonly OnnxElemType[], body: GraphBody, threads: number): KernelSession {
    const g = new GraphBuilder();
    const names = feeds.map((f) => g.input(f.type, f.dims.length));
    const outs = body(g, names);
    if (outs.length !== outTypes.length) throw new Error(`${this.label}: kernel '${kernel}' built ${outs.length} outputs, expected ${outTypes.length} (internal error).`);
    outs.forEach((o, i) => g.output(o, outTypes[i]));
    this.compiles++;
    try {
      return createSession(g.encode(), g.outputNames(), { intraOpThreads: threads });
    } catch (e) {
      throw new Error(`${this.label}: onnxruntime rejected the graph of kernel '${kernel}': ${(e as Error).message}`, { cause: e });
    }
  }

  /** A scan, but only on a miss with a full cache: a hit just stamps its session. */
  private evictLeastRecentlyUsed(): void {
    let oldestKey = '';
    let oldest = Infinity;
    for (const [key, s] of this.sessions) {
      if (s.lastUsed < oldest) {
        oldest = s.lastUsed;
        oldestKey = key;
      }
    }
    this.sessions.get(oldestKey)?.dispose();
    this.sessions.delete(oldestKey);
  }
}

/** The storage typed array of a dtype, checked by tag so arrays from another realm are recognized. */
const STORAGE_TAG: Record<DType, string> = { float32: '[object Float32Array]', int32: '[object Int32Array]', bool: '[object Uint8Array]' };

export function storageMatches(values: unknown, dtype: DType): boolean {
  return Object.prototype.toString.call(values) === STORAGE_TAG[dtype];
}

/** A copy of `values` in this realm's typed array for `dtype` (onnxruntime rejects arrays from another realm). */
export function copyStorage(values: TypedArray, dtype: DType): TypedArray {
  if (dtype === 'float32') return new Float32Array(values);
  if (dtype === 'int32') return new Int32Array(values);
  return new Uint8Array(values);
}

export const sizeOf = (shape: Shape): number => {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
};
