/**
 * Keras 2 / tf.keras HDF5 files (`.h5`, whole model or weights only), as tf_keras's hdf5_format.py
 * writes them: the root attribute `model_config` (JSON), and a `model_weights` group (the file root
 * for weights-only files) with `layer_names` and, per layer, `weight_names`. Names come as bytes or
 * strings, with or without `:0`, and attributes over 64 KB are split into `layer_names0`,
 * `layer_names1`, ...; datasets are always found through `weight_names`, never by a built path.
 */
import type { Layer } from '../engine/layer.js';
import type { Model } from '../models/model.js';
import type { Variable } from '../runtime/variable.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { childDataset, childGroup, datasetValues, readH5, stringAttribute, type H5Group } from './h5_file.js';
import { assignSaved, mismatchError, type WeightMismatch } from './weights_store.js';
import { compileFromConfig, modelFromConfig } from './serialization_lib.js';
import type { LoadOptions } from './keras_archive.js';

/** An attribute holding a list of names, joined from its `<name>0`, `<name>1`, ... chunks when split. */
export function listAttribute(node: H5Group, name: string): string[] | undefined {
  const whole = stringAttribute(node, name);
  if (whole !== undefined) return Array.isArray(whole) ? whole : [whole];
  const chunks: string[] = [];
  for (let i = 0; ; i++) {
    const chunk = stringAttribute(node, `${name}${i}`);
    if (chunk === undefined) break;
    chunks.push(...(Array.isArray(chunk) ? chunk : [chunk]));
  }
  return chunks.length > 0 || stringAttribute(node, `${name}0`) !== undefined ? chunks : undefined;
}

/** Whether an HDF5 root looks like a Keras 2 file (whole model, or weights only). */
export function isLegacyWeightsRoot(root: H5Group): boolean {
  return childGroup(root, 'model_weights') !== undefined || listAttribute(root, 'layer_names') !== undefined;
}

/** Keras 2's order of a layer's weights: trainable, then non-trainable (`_legacy_weights`). */
function legacyWeights(layer: Layer): Variable[] {
  return [...layer.trainableWeights, ...layer.nonTrainableWeights];
}

/**
 * Loads Keras 2 weights (the `model_weights` group, or a weights-only file's root) into `model`.
 * Layers are matched by name when every saved layer name is in the model (files whose config built
 * the model), else by order, as Keras's load_weights does.
 */
export function loadLegacyWeights(model: Model, group: H5Group, what: string, skipMismatch: boolean): void {
  const layerNames = listAttribute(group, 'layer_names') ?? [];
  const saved = layerNames
    .map((name) => {
      const layerGroup = childGroup(group, name);
      const weightNames = layerGroup ? (listAttribute(layerGroup, 'weight_names') ?? []) : [];
      return { name, group: layerGroup, weightNames };
    })
    .filter((s) => s.group !== undefined && s.weightNames.length > 0);
  const modelLayers = model.layers.filter((layer) => legacyWeights(layer).length > 0);
  const byName = new Map(modelLayers.map((layer) => [layer.name, layer]));
  const matchByName = saved.every((s) => byName.has(s.name));
  if (!matchByName && saved.length !== modelLayers.length) {
    throw new Error(
      `Cannot load the weights of ${what}: the file has ${saved.length} layer(s) with weights ([${saved.map((s) => s.name).join(', ')}]) ` +
        `but the model has ${modelLayers.length} ([${modelLayers.map((l) => l.name).join(', ')}]). Fix: build the model with the same architecture as the one saved.`,
    );
  }
  const mismatches: WeightMismatch[] = [];
  const plans: { variable: Variable; values: ArrayLike<number | bigint>; shape: number[] }[] = [];
  saved.forEach((s, k) => {
    const layer = matchByName ? (byName.get(s.name) as Layer) : modelLayers[k];
    const variables = legacyWeights(layer);
    if (variables.length !== s.weightNames.length) {
      mismatches.push({
        label: layer.name,
        path: `model_weights/${s.name}`,
        detail: `the file has ${s.weightNames.length} weight(s) (${s.weightNames.join(', ')}) but the layer has ${variables.length} (${variables.map((v) => `${v.path} ${formatShape(v.shape)}`).join(', ')})`,
      });
      return;
    }
    const layerPlan: typeof plans = [];
    for (let i = 0; i < variables.length; i++) {
      const dataset = childDataset(s.group as H5Group, s.weightNames[i]);
      if (!dataset) {
        mismatches.push({ label: layer.name, path: `model_weights/${s.name}`, detail: `the weight '${s.weightNames[i]}' listed in weight_names is missing from the file` });
        return;
      }
      const shape = dataset.shape ?? [];
      if (!shapesEqual(shape, variables[i].shape)) {
        mismatches.push({
          label: layer.name,
          path: `model_weights/${s.name}`,
          detail: `${variables[i].path} has shape ${formatShape(variables[i].shape)} in the model but '${s.weightNames[i]}' has ${formatShape(shape)} in the file`,
        });
        return;
      }
      layerPlan.push({ variable: variables[i], values: datasetValues(dataset, what).values, shape });
    }
    plans.push(...layerPlan);
  });
  if (mismatches.length > 0 && !skipMismatch) throw mismatchError(mismatches, what);
  if (mismatches.length > 0) console.warn(`keras-ts: skipped ${mismatches.length} mismatched layer(s) while loading ${what}.`);
  for (const { variable, values, shape } of plans) assignSaved(variable, values, shape);
}

/** A whole model from a Keras 2 HDF5 file's bytes: its model_config, weights and (when asked) training config. */
export function loadLegacyH5Model(bytes: Uint8Array, what: string, options: LoadOptions = {}): Promise<Model> {
  return readH5(bytes, what, (root) => {
    const modelConfig = stringAttribute(root, 'model_config');
    if (typeof modelConfig !== 'string') {
      throw new Error(
        `Cannot load ${what} as a model: it is an HDF5 file without a 'model_config' attribute, so it holds weights only (Keras's save_weights). ` +
          `Fix: build the model (from its JSON with models.modelFromJSON, or in code), then call model.loadWeights('${what.replace(/^'|'$/g, '')}').`,
      );
    }
    const kerasVersion = stringAttribute(root, 'keras_version');
    let config: unknown;
    try {
      config = JSON.parse(modelConfig) as unknown;
    } catch (error) {
      throw new Error(`Cannot load ${what}: its 'model_config' attribute is not valid JSON (${(error as Error).message}). The file is corrupt. Fix: save or download it again.`, { cause: error });
    }
    const version = typeof kerasVersion === 'string' ? kerasVersion : '2';
    const model = modelFromConfig(config, { ...options, compile: false, kerasVersion: options.kerasVersion ?? version });
    const weightsGroup = childGroup(root, 'model_weights') ?? root;
    loadLegacyWeights(model, weightsGroup, what, false);
    const trainingConfig = stringAttribute(root, 'training_config');
    if (options.compile !== false && typeof trainingConfig === 'string') {
      try {
        compileFromConfig(model, JSON.parse(trainingConfig) as Record<string, unknown>, { ...options, kerasVersion: version });
      } catch (error) {
        // As Keras does for a training config it cannot restore: the model loads uncompiled, and the user is told.
        console.warn(`keras-ts: ${what} was loaded without compiling it: its training configuration could not be restored (${(error as Error).message}). Call model.compile(...) before training.`);
      }
    }
    return model;
  });
}
