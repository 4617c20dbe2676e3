/**
 * @keras-ts/backend-onnx: the keras-ts backend 'onnx', every kernel an ONNX graph run by
 * onnxruntime-node on the CPU, synchronously.
 */
import { registerModelExporter, type Backend } from '@keras-ts/core';
import { createOnnxBackend } from './backend.js';
import { exportOnnx } from './export/onnx_export.js';

export { OnnxBackend, createOnnxBackend, type OnnxBackendOptions } from './backend.js';
export { OnnxHandle } from './executor.js';
export { PINNED_ORT_VERSION } from './onnx/runtime.js';
export { exportOnnx, BATCH_DIMENSION } from './export/onnx_export.js';

/** What core's registry loads from an adapter package: the backends it provides, by name. */
export const backendFactories: Record<string, { create: () => Promise<Backend>; createSync: () => Backend }> = {
  onnx: { create: async () => createOnnxBackend(), createSync: createOnnxBackend },
};

// Importing this package makes model.export(path, { format: 'onnx' }) available.
registerModelExporter('onnx', (model) => exportOnnx(model));
