/**
 * Tells a model file's format by its first bytes, never by its name: some files named `.keras`
 * are Keras 2 HDF5 files, and a renamed or truncated file must get an error that says what it is.
 */
import * as fs from 'node:fs';

export type FileFormat = 'zip' | 'hdf5' | 'json' | 'empty' | 'unknown';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** HDF5 allows a user block before the superblock; the signature then sits at 512, 1024, 2048, ... */
const HDF5_OFFSETS = [0, 512, 1024, 2048, 4096];

function startsWith(bytes: Uint8Array, magic: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + magic.length) return false;
  return magic.every((b, i) => bytes[offset + i] === b);
}

/** The container format of these bytes. */
export function sniffFormat(bytes: Uint8Array): FileFormat {
  if (bytes.length === 0) return 'empty';
  if (startsWith(bytes, ZIP_MAGIC)) return 'zip';
  if (HDF5_OFFSETS.some((offset) => startsWith(bytes, HDF5_MAGIC, offset))) return 'hdf5';
  let i = 0;
  while (i < bytes.length && i < 64 && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (bytes[i] === 0x7b || bytes[i] === 0x5b) return 'json';
  return 'unknown';
}

/** The first bytes of a file, written so that a user can recognize them (for error messages). */
export function describeFirstBytes(bytes: Uint8Array): string {
  const head = Array.from(bytes.subarray(0, 8));
  const printable = head.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
  return `"${printable}" (${bytes.length} bytes in all)`;
}

/** Reads a whole file for loading, with errors that name the path and the fix. */
export function readModelFile(filepath: string, what: string): Uint8Array {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(filepath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new Error(`Cannot load ${what}: the file '${filepath}' does not exist. Fix: check the path (relative paths start at ${process.cwd()}).`, { cause: error });
    }
    throw new Error(`Cannot load ${what} from '${filepath}': ${(error as Error).message}.`, { cause: error });
  }
  if (stat.isDirectory()) {
    throw new Error(
      `Cannot load ${what}: '${filepath}' is a directory, not a file. keras-ts reads a .keras archive, a legacy .h5 file or a .weights.h5 file. ` +
        `Fix: pass the path of the file itself.`,
    );
  }
  return new Uint8Array(fs.readFileSync(filepath));
}
