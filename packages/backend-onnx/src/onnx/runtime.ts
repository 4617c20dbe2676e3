/**
 * onnxruntime-node's native binding, used synchronously: loading and checking it, and one
 * kernel session over it.
 *
 * The public `InferenceSession.run` is async (a Promise around setImmediate) while keras-ts's
 * Backend interface is synchronous; the native binding under it (`onnxruntime-node/dist/binding`)
 * runs synchronously and is what the public API calls. It is not public API, so the exact
 * version is pinned and the binding's shape is checked once at load, with an error that says so.
 */
import { createRequire } from 'node:module';
import type { OnnxElemType } from './proto.js';

/** The onnxruntime-node version this backend was written and measured against. */
export const PINNED_ORT_VERSION = '1.30.0';

/** An element array as onnxruntime-node takes and returns it. */
export type OrtData = Float32Array | Int32Array | Uint8Array | BigInt64Array;

/** A feed in the form the native binding reads: a plain object with these four fields. */
export interface Feed {
  readonly type: OnnxElemType;
  readonly dims: readonly number[];
  readonly data: OrtData;
  readonly location: 'cpu';
}

/** An output as the native binding returns it (an onnxruntime-common Tensor; only these fields are read). */
export interface OrtOut {
  readonly data: OrtData;
  readonly dims: readonly number[];
}

interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: Record<string, Feed>, fetches: Record<string, null>, options: object): Record<string, OrtOut>;
  dispose(): void;
}

interface NativeBinding {
  binding: { InferenceSession: new () => NativeSession };
  initOrt: () => void;
}

let loaded: NativeBinding | undefined;

/** Loads and checks the binding now (once); throws a clear error if the installed onnxruntime-node differs. */
export function checkBinding(): void {
  nativeBinding();
}

/** Loads and checks the binding once; throws a clear error if the installed onnxruntime-node differs. */
function nativeBinding(): NativeBinding {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const version = (require('onnxruntime-node/package.json') as { version?: string }).version;
  if (version !== PINNED_ORT_VERSION) {
    throw new Error(
      `onnx backend: onnxruntime-node ${String(version)} is installed, but this backend uses its synchronous native binding ` +
        `(not public API), verified with ${PINNED_ORT_VERSION} only. Fix: install onnxruntime-node@${PINNED_ORT_VERSION}.`,
    );
  }
  const mod = require('onnxruntime-node/dist/binding') as Partial<NativeBinding>;
  const ctor = mod.binding?.InferenceSession;
  const proto = ctor?.prototype as Partial<NativeSession> | undefined;
  if (typeof mod.initOrt !== 'function' || typeof ctor !== 'function' || typeof proto?.loadModel !== 'function' ||
    typeof proto.run !== 'function' || typeof proto.dispose !== 'function') {
    throw new Error(
      `onnx backend: onnxruntime-node's native binding (onnxruntime-node/dist/binding) no longer has the shape this backend ` +
        `expects (binding.InferenceSession with loadModel/run/dispose, and initOrt). Fix: install onnxruntime-node@${PINNED_ORT_VERSION}.`,
    );
  }
  mod.initOrt();
  loaded = mod as NativeBinding;
  return loaded;
}

export interface SessionConfig {
  /** Threads of each session's intra-op pool (1: the calling thread does all the work). */
  readonly intraOpThreads: number;
  /**
   * Whether pool threads spin between the nodes of a run, rather than sleep until the next node
   * wakes them, and stop spinning as soon as the run returns (default false). A compiled step's graph
   * is hundreds of nodes, where waking a sleeping thread for each costs more than the work of many
   * (LSTM epoch 305 to 210 ms, MLP 180 to 162, CNN 730 to 650). Spinning must stop when the run
   * returns: a thread still spinning takes the core that the JavaScript between steps needs (the
   * same MLP epoch took 200 ms with spinning left on). An eager kernel is a node or a few, where
   * spinning has nothing to wait for.
   */
  readonly spinning?: boolean;
}

/** One compiled kernel graph: its native session and output names. */
export class KernelSession {
  /** The executor's run counter at this session's last run, for least-recently-used eviction. */
  lastUsed = 0;
  private readonly fetches: Record<string, null>;

  constructor(private readonly native: NativeSession, readonly outputs: readonly string[]) {
    this.fetches = Object.fromEntries(outputs.map((o) => [o, null]));
  }

  /** Runs synchronously; inputs are fed as i0, i1, ... in order. */
  run(feeds: readonly Feed[]): OrtOut[] {
    const named: Record<string, Feed> = {};
    for (let i = 0; i < feeds.length; i++) named[INPUT_NAMES[i] ?? `i${i}`] = feeds[i];
    const result = this.native.run(named, this.fetches, RUN_OPTIONS);
    return this.outputs.map((o) => result[o]);
  }

  dispose(): void {
    this.native.dispose();
  }
}

const RUN_OPTIONS = {};
const INPUT_NAMES = Array.from({ length: 16 }, (_, i) => `i${i}`);

/** Creates a native session from model bytes. */
export function createSession(model: Uint8Array, outputs: readonly string[], config: SessionConfig): KernelSession {
  const { binding } = nativeBinding();
  const native = new binding.InferenceSession();
  native.loadModel(model.buffer, model.byteOffset, model.byteLength, {
    intraOpNumThreads: config.intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Failures surface as exceptions carrying ORT's message; its own log would print them a second time.
    logSeverityLevel: 4,
    extra: {
      session: config.spinning === true ? { intra_op: { allow_spinning: '1' }, force_spinning_stop: '1' } : { intra_op: { allow_spinning: '0' } },
    },
  });
  return new KernelSession(native, outputs);
}
