/**
 * HDF5 through h5wasm. h5wasm opens files by name, and its Node build maps names straight onto the
 * real disk (Emscripten's NODERAWFS), so bytes go to a uniquely named file in the system's
 * temporary directory, are opened there, and the file is removed when done; the saved file itself
 * is written by atomic_write.ts. HDF5 errors are made to throw, with HDF5's own text, instead of
 * being printed, so a corrupt file becomes one clear error.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import h5wasm from 'h5wasm/node';
import type { Dataset, Group } from 'h5wasm/node';

export type H5Group = Group;
export type H5Dataset = Dataset;

type H5Module = Awaited<typeof h5wasm.ready> & { activate_throwing_error_handler(): number };

let modulePromise: Promise<H5Module> | undefined;
let fileCounter = 0;

async function h5Module(): Promise<H5Module> {
  modulePromise ??= h5wasm.ready.then((module) => {
    const withHandler = module as H5Module;
    withHandler.activate_throwing_error_handler();
    return withHandler;
  });
  return modulePromise;
}

function virtualName(): string {
  fileCounter += 1;
  return path.join(os.tmpdir(), `keras-ts-${process.pid}-${fileCounter}-${Math.random().toString(36).slice(2, 10)}.h5`);
}

/** The first line of an HDF5 error stack, the part a user can act on. */
function hdf5Reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const minor = /minor: ([^\n]+)/.exec(text);
  const major = /major: ([^\n]+)/.exec(text);
  return [major?.[1], minor?.[1]].filter(Boolean).join(', ') || text.split('\n')[0];
}

/**
 * Opens HDF5 bytes read-only, runs `read` on the root group, and always closes and frees the file.
 * `what` names the file for errors ("'m.h5'").
 */
export async function readH5<T>(bytes: Uint8Array, what: string, read: (root: H5Group) => T): Promise<T> {
  const module = await h5Module();
  const name = virtualName();
  module.FS.writeFile(name, bytes);
  let file: InstanceType<typeof h5wasm.File> | undefined;
  try {
    try {
      file = new h5wasm.File(name, 'r');
    } catch (error) {
      throw new Error(
        `Cannot read ${what}: it starts like an HDF5 file but HDF5 cannot open it (${hdf5Reason(error)}). ` +
          `The file is probably truncated or corrupt (${bytes.length} bytes). Fix: save or download it again.`,
        { cause: error },
      );
    }
    return read(file);
  } finally {
    try {
      file?.close();
    } catch {
      // A file that failed mid-read may refuse to close cleanly; its bytes are freed below either way.
    }
    module.FS.unlink(name);
  }
}

/** Reads a dataset's values, turning HDF5 failures (a corrupt chunk) into an error that names it. */
export function datasetValues(dataset: H5Dataset, what: string): { values: ArrayLike<number | bigint>; shape: number[] } {
  try {
    const value = dataset.value;
    const shape = dataset.shape ?? [];
    if (typeof value === 'number' || typeof value === 'bigint') return { values: [value], shape };
    if (value === null || typeof value !== 'object' || !('length' in value)) {
      throw new Error(`it holds ${dataset.dtype} data, not numbers`);
    }
    return { values: value as ArrayLike<number | bigint>, shape };
  } catch (error) {
    throw new Error(`Cannot read the dataset '${dataset.path}' of ${what}: ${hdf5Reason(error)}. The file is probably corrupt. Fix: save or download it again.`, { cause: error });
  }
}

/** A string or list-of-strings attribute (bytes or str, fixed or variable length), or undefined. */
export function stringAttribute(node: H5Group | H5Dataset, name: string): string | string[] | undefined {
  const attribute = node.attrs[name];
  if (!attribute) return undefined;
  const value = attribute.value as unknown;
  const decode = (v: unknown): string => (v instanceof Uint8Array ? new TextDecoder().decode(v).replace(/\0+$/, '') : String(v));
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return decode(value);
  if (Array.isArray(value)) return value.map(decode);
  // An empty list attribute (a layer without weights) comes back as an empty numeric array.
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>).map(decode);
  return String(value);
}

/** A child group, or undefined when the path is missing or is not a group. */
export function childGroup(group: H5Group, path: string): H5Group | undefined {
  const child = group.get(path);
  return child instanceof h5wasm.Group ? child : undefined;
}

/** A child dataset, or undefined. */
export function childDataset(group: H5Group, path: string): H5Dataset | undefined {
  const child = group.get(path);
  return child instanceof h5wasm.Dataset ? child : undefined;
}

/** What an H5 writer gets: make groups, write datasets. Paths are '/'-separated, relative to the root. */
export interface H5Writer {
  /** Creates the group and any missing parents; returns it. */
  group(path: string): H5Group;
  /** Writes a dataset `name` under the group at `path`. */
  dataset(path: string, name: string, data: Float32Array | Int32Array | BigInt64Array | Float64Array, shape: readonly number[]): void;
}

function dtypeOf(data: Float32Array | Int32Array | BigInt64Array | Float64Array): string {
  if (data instanceof Float32Array) return '<f';
  if (data instanceof Float64Array) return '<d';
  if (data instanceof Int32Array) return '<i';
  return '<q';
}

/** Builds a new HDF5 file with `write` and returns its bytes. */
export async function writeH5(write: (writer: H5Writer) => void): Promise<Uint8Array> {
  const module = await h5Module();
  const name = virtualName();
  const file = new h5wasm.File(name, 'w');
  let closed = false;
  try {
    const ensure = (path: string): H5Group => {
      let current: H5Group = file;
      for (const part of path.split('/').filter((p) => p.length > 0)) {
        current = childGroup(current, part) ?? current.create_group(part);
      }
      return current;
    };
    write({
      group: ensure,
      dataset: (path, datasetName, data, shape) => {
        ensure(path).create_dataset({ name: datasetName, data, shape: [...shape], dtype: dtypeOf(data) });
      },
    });
    file.close();
    closed = true;
    return new Uint8Array(module.FS.readFile(name));
  } finally {
    if (!closed) {
      try {
        file.close();
      } catch {
        // The write already failed; that error is the one to report.
      }
    }
    module.FS.unlink(name);
  }
}
