/**
 * keras.models: making models from what was saved. `modelFromJSON` takes the text of
 * `model.toJSON()` (Keras's `to_json`), a Keras 3 config.json, or a Keras 2 model JSON.
 */
import type { Model } from '../models/model.js';
import { modelFromConfig, type DeserializeOptions } from './serialization_lib.js';
import type { LoadOptions } from './saving_api.js';

export interface ModelFromJSONOptions extends DeserializeOptions {
  /** Compile the model when the JSON has a compile_config (default true, as Keras does). */
  compile?: boolean;
}

/** The model a JSON text describes (with fresh weights: load them with loadWeights). */
export function modelFromJSON(json: string, options: ModelFromJSONOptions = {}): Model {
  if (typeof json !== 'string') {
    throw new TypeError(`models.modelFromJSON: expected the JSON text of a model (from model.toJSON()), got ${json === null ? 'null' : typeof json}. Fix: pass a string; for an object use modelFromConfig.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new SyntaxError(`models.modelFromJSON: the text is not valid JSON (${(error as Error).message}). Expected the output of model.toJSON().`, { cause: error });
  }
  return modelFromConfig(parsed, options);
}

export { modelFromConfig, modelToConfig } from './serialization_lib.js';
export type { LoadOptions } from './saving_api.js';

/**
 * Loads a model saved as `.keras`, a Keras 2 `.h5`, or a tfjs `model.json` (told by its bytes).
 * The file formats' code (HDF5 as WebAssembly, zip) loads on the first call, not when keras-ts is imported.
 */
export async function loadModel(filepath: string, options: LoadOptions = {}): Promise<Model> {
  const saving = await import('./saving_api.js');
  return saving.loadModel(filepath, options);
}
