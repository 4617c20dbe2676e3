/**
 * `keras-ts conformance`: runs the conformance kit on installed backends, on adapter packages by
 * name, or on modules whose default export is a backend factory, and prints the matrix. Whatever
 * goes wrong with one backend (it does not load, its factory throws, a kernel throws) is a failed
 * case in its column, never a crash of the command.
 */
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseTiers, runConformance, type ConformanceReport, type RunOptions } from '@keras-ts/conformance';
import * as keras from './index.js';
import { formatReports } from './conformance_matrix.js';

export const CONFORMANCE_USAGE = `Usage: keras-ts conformance [--backend NAME]... [--module SPECIFIER]... [--tier TIER]... [--only TEXT]...

Runs the conformance kit and prints a matrix of case groups by backend (passed, failed, skipped),
the failures, the skip reasons and each backend's capabilities. Exits 1 when any case fails.

  --backend NAME       an installed backend (${Object.keys(keras.BUILTIN_BACKENDS).join(', ')}), an adapter package
                       @keras-ts/backend-NAME (e.g. reference), or a module specifier; repeatable.
                       Default: every installed backend.
  --module SPECIFIER   a module (resolved from the current directory) whose default export is a
                       backend factory: export default () => new MyBackend(); repeatable.
  --tier TIER          only these tiers (ops, gradients, layers, training, agreement); repeatable or comma-separated.
  --only TEXT          only cases whose id contains TEXT; repeatable.`;

interface Arguments {
  /** --backend and --module values in the order given: the matrix's columns. */
  targets: { kind: 'backend' | 'module'; value: string }[];
  tiers: string[];
  only: string[];
}

function parseArguments(argv: readonly string[]): Arguments {
  const args: Arguments = { targets: [], tiers: [], only: [] };
  const add: Record<string, (value: string) => void> = {
    '--backend': (value) => args.targets.push({ kind: 'backend', value }),
    '--module': (value) => args.targets.push({ kind: 'module', value }),
    '--tier': (value) => args.tiers.push(...value.split(',').map((t) => t.trim())),
    '--only': (value) => args.only.push(value),
  };
  for (let i = 0; i < argv.length; i++) {
    const equals = argv[i].startsWith('--') ? argv[i].indexOf('=') : -1;
    const flag = equals > 0 ? argv[i].slice(0, equals) : argv[i];
    if (!Object.hasOwn(add, flag)) throw new Error(`unknown argument '${argv[i]}'`);
    const value = equals > 0 ? argv[i].slice(equals + 1) : argv[++i];
    if (value === undefined || value === '') throw new Error(`${flag} needs a value`);
    add[flag](value);
  }
  return args;
}

/** A factory that throws `message`: the kit then reports it as the failed case setup/start. */
const failing = (message: string) => (): never => {
  throw new Error(message);
};

/** Loads a module from the current directory: a path, or a package name resolved as `require` would from here. */
async function importFromCwd(specifier: string): Promise<unknown> {
  const cwd = process.cwd();
  const file = specifier.startsWith('.') || isAbsolute(specifier) ? resolve(cwd, specifier) : createRequire(join(cwd, 'package.json')).resolve(specifier);
  return import(pathToFileURL(file).href);
}

/** The first line of an error's message (Node appends the require stack on the next lines). */
const firstLine = (error: unknown): string => String((error as Error).message ?? error).split('\n')[0];

/**
 * A module whose default export is a backend factory. `asBackend` is set when the specifier came
 * as `--backend NAME`: then a module that cannot be found means an unknown backend name.
 */
async function moduleFactory(specifier: string, asBackend = false): Promise<keras.BackendFactory> {
  let mod: unknown;
  try {
    mod = await importFromCwd(specifier);
  } catch (error) {
    if (asBackend && notInstalled(error, specifier)) {
      return failing(
        `unknown backend '${specifier}': it is not a built-in (${Object.keys(keras.BUILTIN_BACKENDS).join(', ')}), no adapter package @keras-ts/backend-${specifier} ` +
          `is installed, and no module '${specifier}' can be found from ${process.cwd()}.`,
      );
    }
    return failing(`module ${specifier} could not be loaded from ${process.cwd()}: ${firstLine(error)}`);
  }
  const factory = (mod as { default?: unknown }).default;
  if (typeof factory !== 'function') {
    return failing(
      `module ${specifier} has no default export that is a backend factory (its default export is ${factory === null ? 'null' : typeof factory}). ` +
        'Expected: export default () => new MyBackend().',
    );
  }
  return factory as keras.BackendFactory;
}

/** Whether `error` says that `packageName` itself is not installed (rather than that it failed to load). */
function notInstalled(error: unknown, packageName: string): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && (message ?? '').includes(`'${packageName}'`);
}

/** An adapter package's factory for `name` (its `backendFactories`), looked up from keras-ts and then from the current directory; undefined when the package is not installed. */
async function adapterFactory(packageName: string, name: string): Promise<keras.BackendFactory | undefined> {
  let mod: keras.AdapterModule | undefined;
  for (const load of [() => import(packageName), () => importFromCwd(packageName)]) {
    try {
      mod = (await load()) as keras.AdapterModule;
      break;
    } catch (error) {
      if (!notInstalled(error, packageName)) return failing(`${packageName} is installed but could not be loaded: ${firstLine(error)}`);
    }
  }
  if (!mod) return undefined;
  const entry = mod.backendFactories?.[name];
  return entry ? entry.create : failing(`${packageName} does not provide the backend '${name}' (its backendFactories lack it).`);
}

/** What `--backend NAME` names: a built-in, an adapter package @keras-ts/backend-NAME, or a module. */
async function backendFactory(name: string): Promise<keras.BackendFactory> {
  const builtin = keras.BUILTIN_BACKENDS[name];
  if (builtin) {
    // Named explicitly, a backend runs whenever its adapter provides it, listed in its package.json or not yet.
    const factory = await adapterFactory(builtin.packageName, name);
    return factory ?? failing(`backend '${name}' is not installed (it comes with ${builtin.packageName}). Installed: ${keras.listBackends().join(', ') || 'none'}.`);
  }
  return (await adapterFactory(`@keras-ts/backend-${name}`, name)) ?? moduleFactory(name, true);
}

export async function conformance(argv: readonly string[]): Promise<number> {
  let args: Arguments;
  let options: RunOptions;
  try {
    args = parseArguments(argv);
    options = { ...(args.tiers.length > 0 ? { tiers: parseTiers(args.tiers) } : {}), ...(args.only.length > 0 ? { only: args.only } : {}) };
  } catch (error) {
    console.error(`keras-ts conformance: ${(error as Error).message.replace(/\.$/, '')}.\n\n${CONFORMANCE_USAGE}`);
    return 2;
  }
  const targets = args.targets.map(({ kind, value }) => ({ name: value, factory: () => (kind === 'module' ? moduleFactory(value) : backendFactory(value)) }));
  if (targets.length === 0) for (const name of keras.listBackends()) targets.push({ name, factory: () => backendFactory(name) });
  if (targets.length === 0) {
    console.error('keras-ts conformance: no backend is installed. Fix: npm install keras-ts, or pass --module with your backend.');
    return 1;
  }
  const reports: ConformanceReport[] = [];
  const seconds: number[] = [];
  for (const { name, factory } of targets) {
    const start = performance.now();
    reports.push(await runConformance(name, await factory(), options));
    seconds.push((performance.now() - start) / 1000);
  }
  console.log(formatReports(reports, seconds, options.tiers));
  return reports.every((r) => r.ok) ? 0 : 1;
}
