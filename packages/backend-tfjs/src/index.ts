/**
 * @keras-ts/backend-tfjs: keras-ts backends over TensorFlow.js kernels: 'tfjs-cpu' (tfjs-backend-cpu)
 * and 'tfjs-wasm' (tfjs-backend-wasm), both over src/common.
 */
import type { Backend } from '@keras-ts/core';
import { createTfjsCpuBackend } from './cpu/cpu_backend.js';
import { createTfjsWasmBackend } from './wasm/wasm_backend.js';

export { TfjsBackend } from './common/tfjs_backend.js';
export { TfjsCpuBackend, createTfjsCpuBackend } from './cpu/cpu_backend.js';
export { TfjsWasmBackend, createTfjsWasmBackend } from './wasm/wasm_backend.js';

/** What core's registry looks for when it loads this package for a built-in backend name. */
export const backendFactories: Record<string, { create: () => Promise<Backend>; createSync?: () => Backend }> = {
  'tfjs-cpu': { create: async () => createTfjsCpuBackend(), createSync: createTfjsCpuBackend },
  // The wasm module compiles asynchronously: no createSync, so core asks for `await keras.ready()`.
  'tfjs-wasm': { create: createTfjsWasmBackend },
};
