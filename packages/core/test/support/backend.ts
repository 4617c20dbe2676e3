/**
 * Chooses the backend core's tests run on: tfjs-cpu by default (the foundation's backend), or the
 * one named by KERAS_TEST_BACKEND ('reference', 'tfjs-cpu', 'tfjs-wasm', 'onnx'). tfjs-wasm starts
 * asynchronously (it has no createSync): `setBackend` below awaits its factory.
 */
import { registerBackend, setBackend, type Backend } from '@keras-ts/core';

interface FactoryModule {
  backendFactories: Record<string, { create: () => Backend | Promise<Backend>; createSync?: () => Backend }>;
}

/** Every backend of the repository, for tests that run on each (the layer harness). */
export const ALL_TEST_BACKENDS = ['tfjs-cpu', 'tfjs-wasm', 'onnx', 'reference'] as const;

export async function useTestBackend(): Promise<string> {
  return useNamedBackend(process.env.KERAS_TEST_BACKEND ?? 'tfjs-cpu');
}

export async function useNamedBackend(name: string): Promise<string> {
  const mod: FactoryModule =
    name === 'reference'
      ? await import('@keras-ts/backend-reference')
      : name === 'onnx'
        ? await import('@keras-ts/backend-onnx')
        : await import('@keras-ts/backend-tfjs');
  const entry = mod.backendFactories[name];
  if (!entry) throw new Error(`KERAS_TEST_BACKEND='${name}' is not a backend these tests know.`);
  registerBackend(name, entry.create, { createSync: entry.createSync });
  await setBackend(name);
  return name;
}
