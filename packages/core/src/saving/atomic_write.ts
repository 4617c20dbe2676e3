/**
 * Atomic file writes: the bytes go to a temporary file next to the target, are flushed to disk,
 * and only then renamed over the target. A crash or a full disk therefore leaves either the old
 * file or the new one, never half of one; a failed write removes its temporary file.
 */
// The default import is Node's fs object itself, so a test can stand in a failing write (a full disk).
import fs from 'node:fs';
import * as path from 'node:path';

let counter = 0;

function explainWriteFailure(error: NodeJS.ErrnoException, filepath: string, directory: string, what: string): Error {
  const intact = fs.existsSync(filepath) ? ` The previous '${path.basename(filepath)}' is intact.` : '';
  switch (error.code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new Error(`Cannot save ${what} to '${filepath}': the directory '${directory}' is not writable (${error.code}).${intact} Fix: choose a directory you can write to, or change its permissions.`);
    case 'ENOSPC':
    case 'EDQUOT':
      return new Error(`Cannot save ${what} to '${filepath}': the disk is full (${error.code}).${intact} Fix: free some space or save elsewhere.`);
    default:
      return new Error(`Cannot save ${what} to '${filepath}': ${error.message}.${intact}`);
  }
}

/** Writes `bytes` to `filepath` atomically; `what` names the thing saved, for errors ("the model"). */
export function writeFileAtomic(filepath: string, bytes: Uint8Array, what: string): void {
  const target = path.resolve(filepath);
  const directory = path.dirname(target);
  let directoryStat: fs.Stats;
  try {
    directoryStat = fs.statSync(directory);
  } catch {
    throw new Error(
      `Cannot save ${what} to '${filepath}': the directory '${directory}' does not exist. ` +
        `Fix: create it first (fs.mkdirSync('${directory}', { recursive: true })), or choose an existing directory.`,
    );
  }
  if (!directoryStat.isDirectory()) {
    throw new Error(`Cannot save ${what} to '${filepath}': '${directory}' is a file, not a directory. Fix: choose a path inside a directory.`);
  }
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    throw new Error(`Cannot save ${what} to '${filepath}': that path is a directory. Fix: give a file name, e.g. '${path.join(filepath, 'model.keras')}'.`);
  }
  counter += 1;
  const temporary = path.join(directory, `.${path.basename(target)}.${process.pid}.${counter}.tmp`);
  let descriptor: number | undefined;
  try {
    descriptor = fs.openSync(temporary, 'wx');
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(descriptor, bytes, written, bytes.length - written);
    // Flushed before the rename, so that the rename never exposes a file whose bytes are still in flight.
    fs.fsyncSync(descriptor);
    fs.closeSync(descriptor);
    descriptor = undefined;
    fs.renameSync(temporary, target);
  } catch (error) {
    if (descriptor !== undefined) fs.closeSync(descriptor);
    fs.rmSync(temporary, { force: true });
    throw explainWriteFailure(error as NodeJS.ErrnoException, target, directory, what);
  }
}
