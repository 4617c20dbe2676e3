/**
 * Node-only access to the environment: `KERAS_BACKEND`, `$KERAS_HOME/keras.json`, and loading a
 * backend module resolved from the current working directory. Kept in one module so that the rest
 * of core never touches `fs` or `path` and a browser build stays possible: in a browser every
 * function here reports that there is no such environment.
 */

import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import type * as NodeOs from 'node:os';
import type * as NodeModule from 'node:module';
import type * as NodeUrl from 'node:url';

// Type-only imports: erased at build time, so nothing here loads fs or path in a browser.
type FsModule = typeof NodeFs;
type PathModule = typeof NodePath;
type OsModule = typeof NodeOs;
type ModuleModule = typeof NodeModule;
type UrlModule = typeof NodeUrl;

interface NodeProcess {
  env: Record<string, string | undefined>;
  cwd(): string;
  getBuiltinModule?(id: string): unknown;
}

function nodeProcess(): NodeProcess | undefined {
  const p = (globalThis as { process?: NodeProcess }).process;
  return p && typeof p.cwd === 'function' ? p : undefined;
}

/** Node's built-in modules without a static import (process.getBuiltinModule exists since Node 20.16). */
function builtin<T>(id: string): T | undefined {
  const p = nodeProcess();
  return p?.getBuiltinModule ? (p.getBuiltinModule(id) as T) : undefined;
}

export function environmentVariable(name: string): string | undefined {
  const value = nodeProcess()?.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Where keras.json lives: `$KERAS_HOME/keras.json`, else `~/.keras/keras.json`. */
export function kerasJsonPath(): string | undefined {
  const path = builtin<PathModule>('node:path');
  const os = builtin<OsModule>('node:os');
  if (!path || !os) return undefined;
  const home = environmentVariable('KERAS_HOME') ?? path.join(os.homedir(), '.keras');
  return path.join(home, 'keras.json');
}

/** The settings keras-ts reads from keras.json. It never writes the file: Python Keras shares it. */
export interface KerasJson {
  backend?: string;
  image_data_format?: string;
  epsilon?: number;
  floatx?: string;
}

/** Reads keras.json, or undefined when there is none. A file that is not JSON is a clear error. */
export function readKerasJson(): KerasJson | undefined {
  const fs = builtin<FsModule>('node:fs');
  const file = kerasJsonPath();
  if (!fs || !file || !fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `keras.json at ${file} is not valid JSON (${(error as Error).message}). ` +
        `Expected an object such as {"backend": "tfjs-cpu", "image_data_format": "channels_last", "epsilon": 1e-07, "floatx": "float32"}. ` +
        `Fix: correct or delete the file, or point KERAS_HOME at a folder with a valid keras.json.`,
      { cause: error },
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(
      `keras.json at ${file} holds ${Array.isArray(parsed) ? 'an array' : typeof parsed}, not an object. ` +
        `Expected an object such as {"backend": "tfjs-cpu"}. Fix: correct or delete the file.`,
    );
  }
  return parsed as KerasJson;
}

interface ModuleLoader {
  /** The resolved file of `specifier`, searched from the current working directory. */
  resolve(specifier: string): string | undefined;
  /** require() of an ES module works on Node >= 20.19 (no top-level await in the module). */
  requireSync(file: string): unknown;
  importAsync(file: string): Promise<unknown>;
}

export function moduleLoader(): ModuleLoader | undefined {
  const moduleApi = builtin<ModuleModule>('node:module');
  const path = builtin<PathModule>('node:path');
  const url = builtin<UrlModule>('node:url');
  const p = nodeProcess();
  if (!moduleApi || !path || !url || !p) return undefined;
  const requireFromCwd = moduleApi.createRequire(path.join(p.cwd(), 'noop.js'));
  return {
    resolve(specifier) {
      try {
        return requireFromCwd.resolve(specifier);
      } catch {
        return undefined;
      }
    },
    requireSync(file) {
      return requireFromCwd(file);
    },
    importAsync(file) {
      return import(url.pathToFileURL(file).href);
    },
  };
}
