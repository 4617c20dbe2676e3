/**
 * @keras-ts/backend-reference: the reference backend of keras-ts. Every kernel of the Backend
 * interface in plain TypeScript over typed arrays, the executable definition of what each kernel
 * must compute. Register it with `registerBackend('reference', () => new ReferenceBackend())`.
 */
import type { Backend } from '@keras-ts/core';
import { createReferenceBackend } from './backend.js';

export { ReferenceBackend, createReferenceBackend } from './backend.js';
export type { RefHandle, TensorData } from './tensor_data.js';

/** What core's registry loads from an adapter package: the backends it provides, by name. */
export const backendFactories: Record<string, { create: () => Promise<Backend>; createSync: () => Backend }> = {
  reference: { create: async () => createReferenceBackend(), createSync: createReferenceBackend },
};
