/**
 * The Keras 3 `.keras` archive: a stored (uncompressed) zip of `metadata.json`, `config.json` and
 * `model.weights.h5`, in that order, as Keras's saving_lib writes it, so that Python Keras 3 loads
 * what keras-ts saves and keras-ts loads what Keras 3 saves.
 */
import { unzipSync, zipSync } from 'fflate';
import type { Model } from '../models/model.js';
import { readH5, writeH5, childGroup, type H5Group } from './h5_file.js';
import { modelSaveables, optimizerSaveable, type SaveableEntry } from './weights_walk.js';
import { mismatchError, readSaveables, writeSaveables } from './weights_store.js';
import { modelFromConfig, modelToConfig, type DeserializeOptions } from './serialization_lib.js';

/** The Keras release whose archive layout these files follow; Keras writes its own version here. */
export const KERAS_FORMAT_VERSION = '3.10.0';

const METADATA = 'metadata.json';
const CONFIG = 'config.json';
const WEIGHTS_H5 = 'model.weights.h5';
const WEIGHTS_NPZ = 'model.weights.npz';

function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

/** Keras's `date_saved` format, `%Y-%m-%d@%H:%M:%S`. */
function dateSaved(now: Date): string {
  return `${now.getFullYear()}-${twoDigits(now.getMonth() + 1)}-${twoDigits(now.getDate())}@${twoDigits(now.getHours())}:${twoDigits(now.getMinutes())}:${twoDigits(now.getSeconds())}`;
}

/** The saveables of a model, and of its optimizer when it has state (compiled and built). */
export function stateEntries(model: Model, includeOptimizer: boolean): SaveableEntry[] {
  const entries = modelSaveables(model);
  const optimizer = includeOptimizer ? optimizerSaveable(model.optimizer) : undefined;
  if (optimizer && model.optimizer?.built) entries.push(optimizer);
  return entries;
}

/** The bytes of a Keras 3 weights file (`model.weights.h5`, or a `.weights.h5`) for this model. */
export function weightsFileBytes(model: Model, includeOptimizer = true): Promise<Uint8Array> {
  const entries = stateEntries(model, includeOptimizer);
  return writeH5((writer) => writeSaveables(writer, entries));
}

/** The bytes of a `.keras` archive of this model. */
export async function kerasArchiveBytes(model: Model): Promise<Uint8Array> {
  const config = modelToConfig(model);
  const weights = await weightsFileBytes(model, true);
  const encoder = new TextEncoder();
  const metadata = { keras_version: KERAS_FORMAT_VERSION, date_saved: dateSaved(new Date()) };
  // Insertion order is member order: Keras writes metadata.json, config.json, then the weights.
  return zipSync(
    {
      [METADATA]: encoder.encode(JSON.stringify(metadata)),
      [CONFIG]: encoder.encode(JSON.stringify(config)),
      [WEIGHTS_H5]: weights,
    },
    { level: 0 },
  );
}

/**
 * Loads a Keras 3 weights file into `model` (the layers' variables, and the optimizer's when the
 * model is compiled and the file has them). Mismatched layers are an error naming each one, or
 * are skipped with a warning under `skipMismatch`.
 */
export function loadKerasWeights(model: Model, root: H5Group, what: string, skipMismatch: boolean): void {
  const entries = modelSaveables(model);
  const hasAny = childGroup(root, 'layers') ?? childGroup(root, '_layer_checkpoint_dependencies') ?? childGroup(root, 'vars');
  if (!hasAny) {
    throw new Error(
      `Cannot load the weights of ${what}: the HDF5 file has neither Keras 3 groups ('layers', 'vars') nor Keras 2 ones ('model_weights', 'layer_names'); ` +
        `its top-level keys are [${root.keys().join(', ')}]. Fix: pass a file written by model.saveWeights or Keras's save_weights.`,
    );
  }
  const mismatches = readSaveables(root, entries, what, true);
  if (mismatches.length > 0 && !skipMismatch) throw mismatchError(mismatches, what);
  if (mismatches.length > 0) {
    console.warn(`keras-ts: skipped ${mismatches.length} mismatched layer(s) while loading ${what}:\n${mismatches.map((m) => `  - ${m.label}: ${m.detail}`).join('\n')}`);
  }
  const skipped = new Set(mismatches.map((m) => m.path));
  readSaveables(root, entries.filter((e) => !skipped.has(e.path)), what);
  loadOptimizerState(model, root, what);
}

/** Restores the optimizer's iterations, learning rate and slots, building its slots first if needed. */
function loadOptimizerState(model: Model, root: H5Group, what: string): void {
  const optimizer = model.optimizer as (Model['optimizer'] & { build?: (variables: unknown[]) => void }) | undefined;
  const saved = childGroup(root, 'optimizer/vars');
  if (!optimizer || !saved) return;
  if (!optimizer.built && optimizer.build) optimizer.build(model.trainableWeights);
  const entry = optimizerSaveable(optimizer);
  if (!entry) return;
  const savedCount = saved.keys().length;
  if (savedCount !== entry.variables.length) {
    // As Keras does: the weights are loaded, the optimizer starts afresh, and the user is told why.
    console.warn(
      `keras-ts: skipping variable loading for the optimizer of ${what}: it has ${entry.variables.length} variables whereas the saved optimizer has ${savedCount}. ` +
        `Training resumes with a fresh optimizer state.`,
    );
    return;
  }
  const mismatches = readSaveables(root, [entry], what, true);
  if (mismatches.length > 0) {
    console.warn(`keras-ts: skipping the optimizer state of ${what}: ${mismatches.map((m) => m.detail).join('; ')}.`);
    return;
  }
  readSaveables(root, [entry], what);
}

function parseJsonMember(bytes: Uint8Array, member: string, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch (error) {
    throw new Error(`Cannot load ${what}: its '${member}' is not valid JSON (${(error as Error).message}). The archive is corrupt. Fix: save or download it again.`, { cause: error });
  }
}

/** The members of a `.keras` zip, with errors for a corrupt or truncated zip. */
export function unzipArchive(bytes: Uint8Array, what: string): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes);
  } catch (error) {
    throw new Error(
      `Cannot load ${what}: it starts like a zip (.keras) archive but cannot be unzipped (${(error as Error).message}). ` +
        `The file is probably truncated or corrupt (${bytes.length} bytes). Fix: save or download it again.`,
      { cause: error },
    );
  }
}

/** The weights member of an unzipped archive: model.weights.h5 (npz is named as unsupported). */
export function weightsMember(members: Record<string, Uint8Array>, what: string): Uint8Array {
  const weights = members[WEIGHTS_H5];
  if (weights) return weights;
  if (members[WEIGHTS_NPZ]) {
    throw new Error(`Cannot load ${what}: its weights are in '${WEIGHTS_NPZ}' (Keras's weights_format="npz"), which keras-ts does not read. Fix: save it from Keras with the default weights_format ("h5").`);
  }
  throw new Error(
    `Cannot load ${what}: the archive has no '${WEIGHTS_H5}'. It holds [${Object.keys(members).join(', ')}]; a .keras archive holds ${METADATA}, ${CONFIG} and ${WEIGHTS_H5}. ` +
      `Fix: pass a file written by model.save('m.keras') or Keras 3's model.save.`,
  );
}

export interface LoadOptions extends DeserializeOptions {
  /** Compile the model from its compile_config (default true), restoring the optimizer state. */
  compile?: boolean;
}

/** A model from the bytes of a `.keras` archive. */
export async function loadKerasArchive(bytes: Uint8Array, what: string, options: LoadOptions = {}): Promise<Model> {
  const members = unzipArchive(bytes, what);
  const configBytes = members[CONFIG];
  if (!configBytes) {
    throw new Error(
      `Cannot load ${what}: the zip has no '${CONFIG}' (it holds [${Object.keys(members).join(', ')}]), so it is not a Keras .keras archive. ` +
        `Fix: pass a file written by model.save('m.keras') or Keras 3's model.save.`,
    );
  }
  const config = parseJsonMember(configBytes, CONFIG, what);
  const metadata = members[METADATA] ? (parseJsonMember(members[METADATA], METADATA, what) as { keras_version?: string }) : {};
  const weights = weightsMember(members, what);
  const model = modelFromConfig(config, { ...options, kerasVersion: options.kerasVersion ?? metadata.keras_version });
  await readH5(weights, `the '${WEIGHTS_H5}' of ${what}`, (root) => loadKerasWeights(model, root, what, false));
  return model;
}
