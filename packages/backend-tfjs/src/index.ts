/**
 * @keras-ts/backend-tfjs: keras-ts backends over TensorFlow.js kernels. 'tfjs-cpu' now; 'tfjs-wasm'
 * will reuse src/common over tfjs-backend-wasm's kernel registry.
 */
import type { Backend } from '@keras-ts/core';
import { createTfjsCpuBackend } from './cpu/cpu_backend.js';

export { TfjsBackend } from './common/tfjs_backend.js';
export { TfjsCpuBackend, createTfjsCpuBackend } from './cpu/cpu_backend.js';

/** What core's registry looks for when it loads this package for a built-in backend name. */
export const backendFactories: Record<string, { create: () => Promise<Backend>; createSync: () => Backend }> = {
  'tfjs-cpu': { create: async () => createTfjsCpuBackend(), createSync: createTfjsCpuBackend },
};
