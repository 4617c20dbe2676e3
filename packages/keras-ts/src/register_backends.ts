/**
 * keras-ts depends on every adapter package, so it registers the built-in backends itself,
 * resolving the adapters from its own location (core alone resolves them from the working
 * directory, which misses them under pnpm's strict layout).
 */
import { createRequire } from 'node:module';
import { BUILTIN_BACKENDS, registerBackend, registerModelExporter, type AdapterModule, type Backend } from '@keras-ts/core';

const requireHere = createRequire(import.meta.url);

function factoryOf(mod: AdapterModule, name: string, packageName: string) {
  const entry = mod.backendFactories?.[name];
  if (!entry) throw new Error(`${packageName} does not provide the backend '${name}' (its backendFactories lack it).`);
  return entry;
}

for (const [name, { packageName, priority }] of Object.entries(BUILTIN_BACKENDS)) {
  const manifest = requireHere(`${packageName}/package.json`) as { kerasBackends?: string[] };
  // An adapter lists the backends it provides in its package.json; only those are registered.
  if (!manifest.kerasBackends?.includes(name)) continue;
  registerBackend(
    name,
    async () => factoryOf((await import(packageName)) as AdapterModule, name, packageName).create(),
    {
      priority,
      createSync: (): Backend => {
        const entry = factoryOf(requireHere(packageName) as AdapterModule, name, packageName);
        if (!entry.createSync) throw new Error(`Backend '${name}' cannot start synchronously. Fix: await keras.ready() first.`);
        return entry.createSync();
      },
    },
  );
}

// model.export(path, { format: 'onnx' }) needs the ONNX writer of @keras-ts/backend-onnx; it is loaded
// on the first export only, so importing keras-ts does not start onnxruntime.
registerModelExporter('onnx', async (model) => ((await import('@keras-ts/backend-onnx')) as { exportOnnx(m: typeof model): Uint8Array }).exportOnnx(model));
