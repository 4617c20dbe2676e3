/**
 * The backend registry and the choice of backend at startup (API.md, "Choosing a backend"):
 * `setBackend` > `KERAS_BACKEND` > `"backend"` in keras.json > the fastest installed backend.
 */
import { BackendEntry } from '../tensor/tensor.js';
import type { Backend, BackendFactory } from './backend.js';
import { environmentVariable, moduleLoader, readKerasJson } from './node_environment.js';
import { logVerbose } from './logging.js';

export interface RegisterBackendOptions {
  /** Higher wins when no backend is chosen; the built-ins use onnx 30, tfjs-wasm 20, tfjs-cpu 10. */
  priority?: number;
  /** A synchronous way to start, so that an op before `ready()` can start this backend. */
  createSync?: () => Backend;
}

interface Registration {
  factory: BackendFactory;
  priority: number;
  createSync?: () => Backend;
}

/** The built-in names and the adapter package that provides each. */
export const BUILTIN_BACKENDS: Readonly<Record<string, { packageName: string; priority: number }>> = {
  onnx: { packageName: '@keras-ts/backend-onnx', priority: 30 },
  'tfjs-wasm': { packageName: '@keras-ts/backend-tfjs', priority: 20 },
  'tfjs-cpu': { packageName: '@keras-ts/backend-tfjs', priority: 10 },
};

/** Python Keras's backend names: keras.json and KERAS_BACKEND are shared with it, so these are ignored. */
export const PYTHON_KERAS_BACKENDS = ['tensorflow', 'jax', 'torch', 'numpy', 'openvino'];

/** What an adapter package exports so that core can start its backends by name. */
export interface AdapterModule {
  backendFactories?: Record<string, { create: BackendFactory; createSync?: () => Backend }>;
}

const registrations = new Map<string, Registration>();
const started = new Map<string, BackendEntry>();
const starting = new Map<string, Promise<BackendEntry>>();
let explicitChoice: string | undefined;
let current: BackendEntry | undefined;

export function registerBackend(name: string, factory: BackendFactory, options: RegisterBackendOptions = {}): void {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`registerBackend: the name must be a non-empty string, got ${JSON.stringify(name)}.`);
  }
  if (typeof factory !== 'function') {
    throw new TypeError(
      `registerBackend('${name}'): expected a factory function () => Backend | Promise<Backend>, got ${typeof factory}. ` +
        `Fix: registerBackend('${name}', async () => new MyBackend()).`,
    );
  }
  registrations.set(name, { factory, priority: options.priority ?? BUILTIN_BACKENDS[name]?.priority ?? 0, createSync: options.createSync });
}

/** Loads a built-in adapter package from the current working directory, if it is installed. */
function builtinRegistration(name: string, sync: boolean): Registration | Promise<Registration | undefined> | undefined {
  const builtin = BUILTIN_BACKENDS[name];
  const loader = moduleLoader();
  if (!builtin || !loader) return undefined;
  const file = loader.resolve(builtin.packageName);
  if (!file || !isInstalled(name)) return undefined;
  const fromModule = (mod: AdapterModule): Registration | undefined => {
    const entry = mod.backendFactories?.[name];
    return entry ? { factory: entry.create, createSync: entry.createSync, priority: builtin.priority } : undefined;
  };
  if (sync) return fromModule(loader.requireSync(file) as AdapterModule);
  return loader.importAsync(file).then((m) => fromModule(m as AdapterModule));
}

/**
 * Whether a built-in backend's adapter package is installed and provides it. Each adapter's
 * package.json lists its backends under "kerasBackends", so this check loads no engine.
 */
function isInstalled(name: string): boolean {
  if (registrations.has(name)) return true;
  const builtin = BUILTIN_BACKENDS[name];
  const loader = moduleLoader();
  if (!builtin || !loader) return false;
  const manifestFile = loader.resolve(`${builtin.packageName}/package.json`);
  if (!manifestFile) return false;
  const manifest = loader.requireSync(manifestFile) as { kerasBackends?: unknown };
  return Array.isArray(manifest.kerasBackends) && manifest.kerasBackends.includes(name);
}

/** Names registered or installed, fastest first. */
export function listBackends(): string[] {
  const names = new Set<string>([...registrations.keys()]);
  for (const name of Object.keys(BUILTIN_BACKENDS)) if (isInstalled(name)) names.add(name);
  const priority = (n: string) => registrations.get(n)?.priority ?? BUILTIN_BACKENDS[n]?.priority ?? 0;
  return [...names].sort((a, b) => priority(b) - priority(a));
}

function availableText(): string {
  const names = listBackends();
  return names.length > 0 ? names.map((n) => `'${n}'`).join(', ') : 'none (install keras-ts or @keras-ts/backend-tfjs)';
}

/** The name the startup rules choose, or undefined when nothing is installed. */
export function chosenBackendName(): string | undefined {
  if (explicitChoice) return explicitChoice;
  const fromEnv = environmentVariable('KERAS_BACKEND');
  if (fromEnv !== undefined) {
    if (PYTHON_KERAS_BACKENDS.includes(fromEnv)) logVerbose(`KERAS_BACKEND='${fromEnv}' names a Python Keras backend; keras-ts ignores it.`);
    else return fromEnv;
  }
  const fromFile = readKerasJson()?.backend;
  if (typeof fromFile === 'string' && fromFile !== '') {
    if (PYTHON_KERAS_BACKENDS.includes(fromFile)) logVerbose(`keras.json names the Python Keras backend '${fromFile}'; keras-ts ignores it.`);
    else return fromFile;
  }
  return listBackends()[0];
}

function notInstalledError(name: string): Error {
  const builtin = BUILTIN_BACKENDS[name];
  if (builtin) {
    return new Error(
      `Backend '${name}' is not installed: it comes with the package ${builtin.packageName}, which could not be found from ${moduleLoader() ? 'the current working directory' : 'this environment'}. ` +
        `Available backends: ${availableText()}. Fix: npm install ${builtin.packageName} (or keras-ts, which has every backend), or choose an available backend.`,
    );
  }
  return new Error(
    `Unknown backend '${name}'. Expected a built-in name ('tfjs-cpu', 'tfjs-wasm', 'onnx'), a name given to registerBackend, or a module specifier whose default export is a backend factory. ` +
      `Available backends: ${availableText()}. Fix: call setBackend with one of those, or install the module that provides '${name}'.`,
  );
}

function checkBackend(name: string, value: unknown): Backend {
  if (value === null || typeof value !== 'object' || typeof (value as Backend).upload !== 'function') {
    throw new Error(
      `Backend '${name}': its factory returned ${value === null ? 'null' : typeof value}, not a Backend. ` +
        `Expected an object implementing the Backend interface of @keras-ts/core (upload, readSync, matmul, ...). Fix: return new MyBackend() from the factory.`,
    );
  }
  return value as Backend;
}

/** A module specifier whose default export is a factory (third-party backends). */
function moduleRegistration(name: string, sync: boolean): Registration | Promise<Registration> | undefined {
  const loader = moduleLoader();
  const file = loader?.resolve(name);
  if (!loader || !file) return undefined;
  const fromModule = (mod: unknown): Registration => {
    const factory = (mod as { default?: unknown }).default;
    if (typeof factory !== 'function') {
      throw new Error(
        `Backend module '${name}' (${file}) has no default export that is a backend factory; its default export is ${typeof factory}. ` +
          `Expected: export default () => new MyBackend(). Fix: add that default export, or register the backend with registerBackend.`,
      );
    }
    return { factory: factory as BackendFactory, priority: 0 };
  };
  if (sync) return fromModule(loader.requireSync(file));
  return loader.importAsync(file).then(fromModule);
}

async function startAsync(name: string): Promise<BackendEntry> {
  const done = started.get(name);
  if (done) return done;
  const pending = starting.get(name);
  if (pending) return pending;
  const promise = (async () => {
    const registration =
      registrations.get(name) ?? (await builtinRegistration(name, false)) ?? (BUILTIN_BACKENDS[name] ? undefined : await moduleRegistration(name, false));
    if (!registration) throw notInstalledError(name);
    const entry = new BackendEntry(name, checkBackend(name, await registration.factory()));
    started.set(name, entry);
    return entry;
  })();
  starting.set(name, promise);
  try {
    return await promise;
  } finally {
    starting.delete(name);
  }
}

function startSync(name: string): BackendEntry {
  const done = started.get(name);
  if (done) return done;
  let registration = registrations.get(name);
  if (!registration) {
    const found = BUILTIN_BACKENDS[name] ? builtinRegistration(name, true) : moduleRegistration(name, true);
    if (isThenable(found)) throw new Error('internal: a synchronous load returned a promise');
    registration = found;
  }
  if (!registration) throw notInstalledError(name);
  const notSync = () =>
    new Error(
      `Backend '${name}' starts asynchronously and has not been started yet. ` +
        `Expected 'await keras.ready()' (or 'await keras.setBackend("${name}")') before the first tensor or op. Fix: add that line at startup.`,
    );
  let backend: Backend | Promise<Backend>;
  if (registration.createSync) backend = registration.createSync();
  else if (starting.has(name)) throw notSync();
  else backend = registration.factory();
  if (isThenable(backend)) {
    backend.then(undefined, () => undefined);
    throw notSync();
  }
  const entry = new BackendEntry(name, checkBackend(name, backend));
  started.set(name, entry);
  return entry;
}

/** A promise from any realm (test runners and bundlers may bring their own Promise). */
function isThenable(value: unknown): value is Promise<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

function noBackendError(): Error {
  return new Error(
    `No backend is installed. Expected at least one of 'tfjs-cpu', 'tfjs-wasm', 'onnx', or a backend given to registerBackend. ` +
      `Fix: npm install keras-ts (it brings every backend) or @keras-ts/backend-tfjs.`,
  );
}

/** Chooses and starts a backend by name (a built-in, a registered name, or a module specifier). */
export async function setBackend(name: string): Promise<void> {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`setBackend: expected a backend name such as 'tfjs-cpu', got ${JSON.stringify(name)}. Available backends: ${availableText()}.`);
  }
  current = await startAsync(name);
  explicitChoice = name;
}

/** Starts the chosen backend (needed before the first op for backends that start asynchronously). */
export async function ready(): Promise<void> {
  if (current) return;
  const name = chosenBackendName();
  if (!name) throw noBackendError();
  current = await startAsync(name);
}

/** The name of the current backend (choosing it by the startup rules if none is current yet). */
export function backend(): string {
  if (current) return current.name;
  const name = chosenBackendName();
  if (!name) throw noBackendError();
  return name;
}

/** @internal the current backend, started synchronously when it can be */
export function currentEntry(): BackendEntry {
  if (current) return current;
  const name = chosenBackendName();
  if (!name) throw noBackendError();
  current = startSync(name);
  return current;
}

/** @internal the started entry of a backend by name, if any */
export function startedEntry(name: string): BackendEntry | undefined {
  return started.get(name);
}

/** The Backend object in use, for capability reports and the conformance kit. */
export function backendInstance(): Backend {
  return currentEntry().backend;
}

/** @internal for tests: forget every choice and started backend (backends are closed). */
export function resetBackendsForTests(): void {
  for (const entry of started.values()) {
    entry.closed = true;
    entry.backend.close?.();
  }
  started.clear();
  starting.clear();
  explicitChoice = undefined;
  current = undefined;
}

/** @internal for tests: forget a registration */
export function unregisterBackend(name: string): void {
  registrations.delete(name);
}
