/**
 * The file side of saving: `model.save`, `models.loadModel`, `model.saveWeights` and
 * `model.loadWeights`. Formats are told by the file's first bytes on load and by the extension
 * on save; every save is atomic (see atomic_write.ts).
 */
import * as path from 'node:path';
import type { Model } from '../models/model.js';
import { writeFileAtomic } from './atomic_write.js';
import { describeFirstBytes, readModelFile, sniffFormat } from './file_format.js';
import { childGroup, readH5 } from './h5_file.js';
import { kerasArchiveBytes, loadKerasArchive, loadKerasWeights, unzipArchive, weightsFileBytes, weightsMember, type LoadOptions } from './keras_archive.js';
import { isLegacyWeightsRoot, loadLegacyH5Model, loadLegacyWeights } from './legacy_h5.js';
import { loadTfjsModel, saveTfjsModel, tfjsModelJsonPath } from './tfjs_format.js';

export type { LoadOptions } from './keras_archive.js';

export interface SaveOptions {
  /** Whether an existing file may be replaced (default true, as in Keras). */
  overwrite?: boolean;
  /** 'tfjs' writes a TensorFlow.js layers model (model.json + weight shards) into the directory `filepath`. */
  format?: 'keras' | 'tfjs';
}

export interface LoadWeightsOptions {
  /** Skip layers whose weights do not match in number or shape (with a warning) instead of failing. */
  skipMismatch?: boolean;
}

function quoted(filepath: string): string {
  return `'${filepath}'`;
}

function checkOverwrite(filepath: string, options: SaveOptions): void {
  if (options.overwrite === false && readableExists(filepath)) {
    throw new Error(`Cannot save to ${quoted(filepath)}: the file exists and overwrite is false. Fix: pass { overwrite: true }, or choose another path.`);
  }
}

function readableExists(filepath: string): boolean {
  try {
    readModelFile(filepath, 'the file');
    return true;
  } catch {
    return false;
  }
}

/** Saves a model as a Keras 3 `.keras` archive (config, weights and optimizer state). */
export async function saveModel(model: Model, filepath: string, options: SaveOptions = {}): Promise<void> {
  if (typeof filepath !== 'string' || filepath.length === 0) {
    throw new TypeError(`model.save: expected a file path such as 'model.keras', got ${JSON.stringify(filepath)}.`);
  }
  if (options.format === 'tfjs') {
    checkOverwrite(tfjsModelJsonPath(filepath), options);
    saveTfjsModel(model, filepath);
    return;
  }
  const lower = filepath.toLowerCase();
  if (lower.endsWith('.weights.h5')) {
    throw new Error(`model.save(${quoted(filepath)}): a '.weights.h5' path holds weights only. Fix: call model.saveWeights(${quoted(filepath)}), or save the whole model to a '.keras' path.`);
  }
  if (lower.endsWith('.h5') || lower.endsWith('.hdf5')) {
    throw new Error(
      `model.save(${quoted(filepath)}): keras-ts does not write the legacy HDF5 (.h5) model format, which Keras 3 also calls legacy. ` +
        `Fix: save to '${filepath.replace(/\.(h5|hdf5)$/i, '.keras')}' (Keras 3's format, which Python Keras 3 loads), or use model.saveWeights('${filepath.replace(/\.(h5|hdf5)$/i, '.weights.h5')}') for weights only.`,
    );
  }
  if (!lower.endsWith('.keras')) {
    throw new Error(
      `model.save(${quoted(filepath)}): invalid file extension '${path.extname(filepath) || '(none)'}'. Expected a '.keras' path (Keras 3's format). ` +
        `Fix: model.save('${filepath}.keras').`,
    );
  }
  checkOverwrite(filepath, options);
  const bytes = await kerasArchiveBytes(model);
  writeFileAtomic(filepath, bytes, `model "${model.name}"`);
}

/** Loads a model from a `.keras` archive or a Keras 2 `.h5` file, told apart by their first bytes. */
export async function loadModel(filepath: string, options: LoadOptions = {}): Promise<Model> {
  if (typeof filepath !== 'string' || filepath.length === 0) {
    throw new TypeError(`models.loadModel: expected a file path such as 'model.keras', got ${JSON.stringify(filepath)}.`);
  }
  // A TensorFlow.js layers model: its model.json, or the directory that holds one.
  const tfjsJson = tfjsModelJsonPath(filepath);
  if (tfjsJson !== filepath || filepath.toLowerCase().endsWith('.json')) return loadTfjsModel(filepath, options);
  const bytes = readModelFile(filepath, 'a model');
  const what = quoted(filepath);
  const format = sniffFormat(bytes);
  switch (format) {
    case 'zip':
      return loadKerasArchive(bytes, what, options);
    case 'hdf5':
      return loadLegacyH5Model(bytes, what, options);
    case 'empty':
      throw new Error(`Cannot load ${what}: the file is empty (0 bytes), probably from an interrupted copy or download. Fix: save or download it again.`);
    case 'json':
      throw new Error(
        `Cannot load ${what} with models.loadModel: it is a JSON file, not a .keras archive or an HDF5 file. ` +
          `Fix: for a model's JSON (model.toJSON()) use models.modelFromJSON(text); loadModel reads .keras and .h5 files.`,
      );
    default:
      throw new Error(
        `Cannot load ${what}: it is neither a .keras archive (a zip, starting with "PK\\x03\\x04") nor an HDF5 file (starting with "\\x89HDF\\r\\n\\x1a\\n"); ` +
          `it starts with ${describeFirstBytes(bytes)}. Fix: pass a file written by model.save or by Python Keras.`,
      );
  }
}

/** Saves the weights (and the optimizer state when compiled) to a Keras 3 `.weights.h5` file. */
export async function saveWeights(model: Model, filepath: string, options: SaveOptions = {}): Promise<void> {
  if (typeof filepath !== 'string' || !filepath.toLowerCase().endsWith('.weights.h5')) {
    throw new Error(
      `model.saveWeights(${JSON.stringify(filepath)}): the file name must end in '.weights.h5', as Keras 3 requires. ` +
        `Fix: model.saveWeights('${typeof filepath === 'string' ? filepath.replace(/(\.weights)?\.(h5|hdf5|keras)$/i, '') : 'model'}.weights.h5').`,
    );
  }
  checkOverwrite(filepath, options);
  const bytes = await weightsFileBytes(model, true);
  writeFileAtomic(filepath, bytes, `the weights of model "${model.name}"`);
}

/**
 * Loads weights into a built model from a `.weights.h5` (Keras 3), a Keras 2 `.h5` (whole model or
 * weights only) or the weights inside a `.keras` archive.
 */
export async function loadWeights(model: Model, filepath: string, options: LoadWeightsOptions = {}): Promise<void> {
  const bytes = readModelFile(filepath, `weights into model "${model.name}"`);
  const what = quoted(filepath);
  const skipMismatch = options.skipMismatch ?? false;
  const format = sniffFormat(bytes);
  let h5Bytes: Uint8Array;
  if (format === 'zip') h5Bytes = weightsMember(unzipArchive(bytes, what), what);
  else if (format === 'hdf5') h5Bytes = bytes;
  else if (format === 'empty') throw new Error(`Cannot load weights from ${what}: the file is empty (0 bytes). Fix: save or download it again.`);
  else {
    throw new Error(
      `Cannot load weights from ${what}: it is not an HDF5 file (expected "\\x89HDF\\r\\n\\x1a\\n" at its start) nor a .keras archive; it starts with ${describeFirstBytes(bytes)}. ` +
        `Fix: pass a file written by model.saveWeights or Keras's save_weights.`,
    );
  }
  if (!model.built) {
    throw new Error(`model.loadWeights(${what}): model "${model.name}" is not built, so it has no weights to load into. Fix: build it first (give it an input shape, or call it on data once).`);
  }
  await readH5(h5Bytes, what, (root) => {
    if (isLegacyWeightsRoot(root)) loadLegacyWeights(model, childGroup(root, 'model_weights') ?? root, what, skipMismatch);
    else loadKerasWeights(model, root, what, skipMismatch);
  });
}
