/**
 * Starts tfjs-backend-wasm's module once per process, without making it tfjs's active backend.
 *
 * @tensorflow/tfjs-backend-wasm is imported only here, when a 'tfjs-wasm' backend is first made:
 * importing it registers its kernels under 'wasm' and a 'wasm' factory with tfjs's engine at
 * priority 2, above tfjs-cpu's, which would change the default backend of a program that also uses
 * tfjs directly even if it never asked for tfjs-wasm.
 *
 * The factory compiles the module (in Node, from the .wasm file next to the package's own bundle,
 * read with `fs`: no network) and returns a `BackendWasm` holding its heap. tfjs normally runs each
 * kernel's `setupFunc` when its engine switches to that backend; this module runs them itself, so
 * tfjs's active backend stays whatever the program chose.
 *
 * One module per process: each wasm kernel keeps the functions `setupFunc` bound in a module-level
 * variable, so a second module would leave every kernel bound to whichever was set up last, reading
 * the other's heap offsets. The instance is therefore shared by every keras-ts 'tfjs-wasm' backend
 * and by tfjs's engine: it is stored in the engine's registry, and the engine's 'wasm' factory is
 * replaced by one that returns it, so a program that also starts tfjs's own wasm backend (`await
 * tf.setBackend('wasm')`, or `tf.ready()` choosing it by priority) gets this same module.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { engine, env, getKernelsForBackend } from '@tensorflow/tfjs-core';
import { useWasmNaNScan } from '../common/nan.js';

/** The name tfjs-backend-wasm registers its kernels and its factory under. */
export const WASM_REGISTRY_NAME = 'wasm';

/** What was started, for capability notes and the README. */
export interface WasmModuleInfo {
  readonly instance: BackendWasm;
  /** The binary tfjs chose: 'tfjs-backend-wasm-simd.wasm' under Node. */
  readonly binary: string;
  readonly threads: number;
  readonly version: string;
}

/** Marks the engine factory this module installed, so that it is never wrapped twice. */
const SHARED = Symbol.for('keras-ts.tfjs-wasm.shared-factory');
type Factory = (() => unknown) & { [SHARED]?: true };

let started: Promise<WasmModuleInfo> | undefined;

/** The process's tfjs-wasm module, started on the first call (a few milliseconds). */
export function wasmModule(): Promise<WasmModuleInfo> {
  started ??= start().catch((e: unknown) => {
    started = undefined; // a later call may try again
    const reason = e instanceof Error ? e.message : ((e as { message?: string } | null)?.message ?? String(e));
    throw new Error(`tfjs-wasm: tfjs-backend-wasm failed to start its WebAssembly module: ${reason}`, { cause: e });
  });
  return started;
}

async function start(): Promise<WasmModuleInfo> {
  const { version_wasm } = await import('@tensorflow/tfjs-backend-wasm');
  const tfEngine = engine();
  const entry = tfEngine.registryFactory[WASM_REGISTRY_NAME];
  if (entry === undefined) throw new Error(`tfjs has no '${WASM_REGISTRY_NAME}' backend registered (was it removed with tf.removeBackend?)`);
  let instance = usable(tfEngine.registry[WASM_REGISTRY_NAME]);
  if (instance === undefined) {
    instance = usable(await entry.factory());
    if (instance === undefined) throw new Error(`tfjs's '${WASM_REGISTRY_NAME}' factory returned something other than a started BackendWasm`);
    // tfjs's engine may have started its own meanwhile (tf.setBackend('wasm') during the await): keep the first.
    const theirs = usable(tfEngine.registry[WASM_REGISTRY_NAME]);
    if (theirs !== undefined && theirs !== instance) {
      instance.dispose();
      instance = theirs;
    }
    tfEngine.registry[WASM_REGISTRY_NAME] = instance;
  }
  const shared = instance;
  if ((entry.factory as Factory)[SHARED] !== true) {
    const factory: Factory = () => Promise.resolve(shared);
    factory[SHARED] = true;
    entry.factory = factory as () => Promise<BackendWasm>;
  }
  // What tfjs's engine does when it switches to a backend; harmless if it already did, since
  // every setupFunc only binds the module's functions.
  for (const kernel of getKernelsForBackend(WASM_REGISTRY_NAME)) kernel.setupFunc?.(instance);
  // NaN checks over the heap (before MaxPool, ArgMax, ArgMin) in WebAssembly SIMD: see common/nan.ts.
  useWasmNaNScan((instance.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory);
  return { instance, binary: await binaryName(), threads: instance.wasm.tfjs.getThreadsCount(), version: version_wasm };
}

/**
 * A BackendWasm whose module is alive (tfjs's `removeBackend` disposes it and clears `wasm`).
 * Checked by shape, not `instanceof`: where tfjs-backend-wasm is evaluated twice in one process (a
 * test runner that reloads modules per file, two copies in node_modules), tfjs's engine and its
 * registry are global and may hold an instance of the other copy's class.
 */
function usable(candidate: unknown): BackendWasm | undefined {
  const c = candidate as Partial<BackendWasm> | null | undefined;
  return c != null && typeof c.makeOutput === 'function' && c.wasm != null && typeof c.wasm.tfjs === 'object' ? (c as BackendWasm) : undefined;
}

/**
 * tfjs-backend-wasm's own choice, from the flags it reads: SIMD where WebAssembly validates a SIMD
 * instruction (Node 20 does); threads never under Node (its flag says false there, since the
 * threaded build starts its workers from a blob: URL, which Node's Worker refuses).
 */
async function binaryName(): Promise<string> {
  const [simd, threads] = await Promise.all([env().getAsync('WASM_HAS_SIMD_SUPPORT'), env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')]);
  if (simd && threads) return 'tfjs-backend-wasm-threaded-simd.wasm';
  return simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm';
}
