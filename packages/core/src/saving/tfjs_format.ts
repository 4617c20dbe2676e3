/**
 * TensorFlow.js layers-model files both ways: `model.json` (the Keras 2 topology and the weights
 * manifest) next to `groupN-shardKofM.bin` shard files. keras-ts writes what tfjs-layers'
 * `loadLayersModel` reads, and reads what tfjs-layers' `model.save` and the tensorflowjs converter
 * write, so a tfjs model can move to keras-ts and back. The in-memory forms (`toTfjsArtifacts`,
 * `fromTfjsArtifacts`) need no file system.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Layer } from '../engine/layer.js';
import { Model } from '../models/model.js';
import { tensor } from '../tensor/create.js';
import { formatShape } from '../tensor/shape.js';
import type { TypedArray } from '../tensor/dtype.js';
import { compileFromConfig, modelFromConfig, modelToConfig, type DeserializeOptions } from './serialization_lib.js';
import { toTfjsTopology, type TfjsTopology } from './tfjs_topology.js';
import type { CustomSaveable } from './weights_walk.js';
import { kerasToTfjsTrainingConfig, tfjsTrainingConfigToKeras } from './tfjs_training_config.js';
import { decodeWeights, encodeWeights, shardFileNames, splitShards, TFJS_SHARD_BYTES, type DecodedWeight, type TfjsWeightSpec, type TfjsWeightsGroup } from './tfjs_weights.js';
import { writeFileAtomic } from './atomic_write.js';

/** The parsed model.json of a layers model (tfjs-core's ModelJSON). */
export interface TfjsModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: unknown;
  trainingConfig?: unknown;
  weightsManifest: TfjsWeightsGroup[];
  [key: string]: unknown;
}

/** A model in memory as tfjs's ModelArtifacts hold it: topology, weight entries, one buffer of values. */
export interface TfjsArtifacts {
  modelTopology: TfjsTopology | Record<string, unknown>;
  /** tfjs-layers' training config (loss, metrics, optimizer_config), when the model was compiled. */
  trainingConfig?: unknown;
  weightSpecs: TfjsWeightSpec[];
  weightData: Uint8Array;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

export interface TfjsLoadOptions extends DeserializeOptions {
  /** Extra or missing weights are an error (true), as in tfjs's LoadOptions.strict. */
  strict?: boolean;
  /** Compile the model from the file's training config, when it has one (true). */
  compile?: boolean;
}

export interface TfjsSaveOptions {
  /** The largest shard file, in bytes (4 MiB, tfjs's default). */
  shardBytes?: number;
}

const GENERATED_BY = 'keras-ts v0.1.0';

/** The layers that own weights, nested models opened up: tfjs names weights after these. */
function weightOwners(model: Model): Layer[] {
  const out: Layer[] = [];
  for (const layer of model.layers) {
    if (layer instanceof Model && layer.isFunctional) out.push(...weightOwners(layer));
    else out.push(layer);
  }
  return out;
}

/**
 * tfjs matches weights by `layer/weight` (and drops a middle part, so `lstm/lstm_cell/kernel`
 * finds the LSTM's kernel): a variable of a sub-layer (an RNN cell) gets its owner's name in front.
 */
function tfjsWeightName(layer: Layer, variablePath: string): string {
  const name = variablePath.startsWith(`${layer.name}/`) ? variablePath : `${layer.name}/${variablePath}`;
  const renamed = TFJS_WEIGHT_NAMES[layer.constructor.name]?.[name.slice(name.lastIndexOf('/') + 1)];
  return renamed ? `${name.slice(0, name.lastIndexOf('/') + 1)}${renamed}` : name;
}

/** Weights Keras 3 renamed: tfjs keeps Keras 2's names, and matches weights by name. */
const TFJS_WEIGHT_NAMES: Record<string, Record<string, string>> = { DepthwiseConv2D: { kernel: 'depthwise_kernel' } };

/** The model's topology and weights as tfjs ModelArtifacts. */
export function toTfjsArtifacts(model: Model): TfjsArtifacts {
  if (!(model instanceof Model)) throw new TypeError(`saveTfjsModel: expected a Model, got ${model === null ? 'null' : typeof model}.`);
  if (!model.isFunctional) {
    throw new Error(
      `Cannot save model "${model.name}" in the tfjs format: it is not built${model.constructor !== Model && !('stackLayers' in model) ? ', and a subclassed model has no layer graph to write' : ''}. ` +
        'Fix: build it first (give the first layer an inputShape, or call the model on data), or use the functional API.',
    );
  }
  const topology = toTfjsTopology(modelToConfig(model));
  const entries: { name: string; shape: number[]; dtype: string; values: TypedArray }[] = [];
  const seen = new Set<string>();
  for (const layer of weightOwners(model)) {
    // A layer that saves other values than its variables (a LoRA Dense: the merged kernel) writes those.
    const saved = (layer as Partial<CustomSaveable>).saveableVariables?.() ?? layer.weights;
    for (const variable of saved) {
      const name = tfjsWeightName(layer, variable.path);
      if (seen.has(name)) throw new Error(`Cannot save model "${model.name}" in the tfjs format: two weights are named '${name}'. Fix: give the layers unique names.`);
      seen.add(name);
      entries.push({ name, shape: [...variable.shape], dtype: variable.dtype, values: variable.dataSync() as TypedArray });
    }
  }
  const { specs, data } = encodeWeights(entries);
  const artifacts: TfjsArtifacts = { modelTopology: topology, weightSpecs: specs, weightData: data, format: 'layers-model', generatedBy: GENERATED_BY, convertedBy: null };
  // A compiled model carries its training config, as tfjs-layers' save with includeOptimizer does (not the optimizer's state).
  const training = kerasToTfjsTrainingConfig(model);
  if ('config' in training) artifacts.trainingConfig = training.config;
  else if (model.compileState !== undefined) {
    console.warn(`keras-ts: model "${model.name}" is saved in the tfjs format without its training config: ${training.reason}. tfjs-layers will load it uncompiled; the .keras format keeps it.`);
  }
  return artifacts;
}

/** The Keras model config inside a topology: the converter may wrap it with a training config. */
function modelConfigOf(topology: unknown): Record<string, unknown> {
  if (topology === null || typeof topology !== 'object' || Array.isArray(topology)) {
    throw new Error(`tfjs model: modelTopology is ${JSON.stringify(topology)?.slice(0, 120)}, not a Keras model config. Expected { class_name, config }.`);
  }
  const record = topology as Record<string, unknown>;
  const inner = record.model_config;
  return inner !== null && typeof inner === 'object' ? (inner as Record<string, unknown>) : record;
}

function kerasVersionOf(config: Record<string, unknown>): string {
  const version = config.keras_version;
  // tfjs-layers writes 'tfjs-layers 4.x'; its schema is Keras 2's.
  return typeof version === 'string' && /^\d/.test(version) ? version : '2';
}

/** Puts the decoded values into the model's variables, layer by layer in manifest order. */
function assignWeights(model: Model, weights: readonly DecodedWeight[], strict: boolean): void {
  const owners = weightOwners(model);
  const byLayer = new Map<string, DecodedWeight[]>();
  for (const weight of weights) {
    const layerName = weight.name.split('/')[0];
    const list = byLayer.get(layerName) ?? [];
    list.push(weight);
    byLayer.set(layerName, list);
  }
  const problems: string[] = [];
  const assignments: [Layer['weights'][number], DecodedWeight][] = [];
  for (const layer of owners) {
    const variables = layer.weights;
    const saved = byLayer.get(layer.name) ?? [];
    byLayer.delete(layer.name);
    if (variables.length === 0 && saved.length === 0) continue;
    if (saved.length !== variables.length) {
      problems.push(`layer "${layer.name}" has ${variables.length} weight(s) but the file has ${saved.length} (${saved.map((w) => w.name).join(', ') || 'none'})`);
      continue;
    }
    variables.forEach((variable, i) => {
      const value = saved[i];
      const same = value.shape.length === variable.shape.length && value.shape.every((d, j) => d === variable.shape[j]);
      if (!same) problems.push(`layer "${layer.name}" weight '${value.name}' has shape ${formatShape(value.shape)} in the file, but the layer expects ${formatShape(variable.shape)}`);
      else assignments.push([variable, value]);
    });
  }
  if (strict) for (const [layerName, list] of byLayer) problems.push(`the file has weights for "${layerName}" (${list.map((w) => w.name).join(', ')}), which is not a layer of the model`);
  if (problems.length > 0 && strict) {
    throw new Error(
      `Cannot load the tfjs weights into model "${model.name}": ${problems.join('; ')}. ` +
        'Fix: load the model.json with the weight files it was saved with, or pass { strict: false } to skip what does not match.',
    );
  }
  for (const [variable, value] of assignments) {
    variable.assign(tensor(value.values, value.shape, variable.dtype === 'int32' || variable.dtype === 'bool' ? variable.dtype : 'float32'));
  }
}

/** A keras-ts model from tfjs ModelArtifacts (or a model.json's parts already in memory). */
export function fromTfjsArtifacts(artifacts: TfjsArtifacts, options: TfjsLoadOptions = {}): Model {
  const config = modelConfigOf(artifacts.modelTopology);
  const model = modelFromConfig(config, { ...options, compile: false, kerasVersion: options.kerasVersion ?? kerasVersionOf(config) });
  // Optimizer state that tfjs can save alongside has no place in a keras-ts model loaded this way.
  const specs = artifacts.weightSpecs;
  const weights = decodeWeights(specs, artifacts.weightData, `tfjs model "${model.name}"`).filter((w) => w.group !== 'optimizer');
  assignWeights(model, weights, options.strict ?? true);
  // tfjs-layers keeps it beside the topology; the converter inside it, as Keras 2's .h5 does.
  const topology = artifacts.modelTopology as Record<string, unknown>;
  const fromTfjs = artifacts.trainingConfig !== null && typeof artifacts.trainingConfig === 'object';
  const trainingConfig = fromTfjs ? tfjsTrainingConfigToKeras(artifacts.trainingConfig as Record<string, unknown>) : topology.training_config;
  if (options.compile !== false && trainingConfig !== null && typeof trainingConfig === 'object') {
    try {
      compileFromConfig(model, trainingConfig as Record<string, unknown>, { ...options, kerasVersion: options.kerasVersion ?? kerasVersionOf(config) });
    } catch (error) {
      // As for a legacy .h5 file: the model is still usable for inference, and the user is told.
      console.warn(`keras-ts: the tfjs model "${model.name}" was loaded without compiling it: its training configuration could not be restored (${(error as Error).message}). Call model.compile(...) before training.`);
    }
  }
  return model;
}

/** The model.json for the artifacts, with the shard file names of one group. */
function modelJsonFor(artifacts: TfjsArtifacts, paths: string[]): TfjsModelJson {
  return {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? GENERATED_BY,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    ...(artifacts.trainingConfig === undefined ? {} : { trainingConfig: artifacts.trainingConfig }),
    weightsManifest: [{ paths, weights: artifacts.weightSpecs }],
  };
}

/**
 * Writes `model.json` and its weight shards into `directory` (created when missing), as
 * `model.save(directory, { format: 'tfjs' })`. Each file is written atomically; model.json goes
 * last, so a crash never leaves a model.json that points at shards not written yet.
 */
export function saveTfjsModel(model: Model, directory: string, options: TfjsSaveOptions = {}): void {
  const artifacts = toTfjsArtifacts(model);
  const target = directory.endsWith('model.json') ? path.dirname(directory) : directory;
  try {
    fs.mkdirSync(target, { recursive: true });
  } catch (error) {
    throw new Error(`Cannot save model "${model.name}" in the tfjs format: the directory '${target}' cannot be created (${(error as Error).message}). Fix: choose a directory you can write to.`, { cause: error });
  }
  const shards = splitShards(artifacts.weightData, options.shardBytes ?? TFJS_SHARD_BYTES);
  const names = shardFileNames(1, shards.length);
  shards.forEach((shard, i) => writeFileAtomic(path.join(target, names[i]), shard, `the weights of model "${model.name}"`));
  const json = JSON.stringify(modelJsonFor(artifacts, names));
  writeFileAtomic(path.join(target, 'model.json'), new TextEncoder().encode(json), `model "${model.name}"`);
}

function readJson(file: string): TfjsModelJson {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`Cannot load the tfjs model: '${file}' does not exist. Fix: pass the path of the model.json file (or of the folder that holds it).`, { cause: error });
    throw new Error(`Cannot load the tfjs model '${file}': ${(error as Error).message}.`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`Cannot load the tfjs model '${file}': it is not valid JSON (${(error as Error).message}). The file is truncated or is not a model.json.`, { cause: error });
  }
  if (parsed === null || typeof parsed !== 'object' || !('modelTopology' in parsed)) {
    throw new Error(
      `Cannot load '${file}': it has no "modelTopology", so it is not a TensorFlow.js layers-model model.json. ` +
        'Fix: for the JSON of model.toJSON() use models.modelFromJSON(text) and then loadWeights.',
    );
  }
  return parsed as TfjsModelJson;
}

/** The model.json a path names: the path itself, or `model.json` inside it when it is a directory. */
export function tfjsModelJsonPath(file: string): string {
  return fs.existsSync(file) && fs.statSync(file).isDirectory() ? path.join(file, 'model.json') : file;
}

/** A keras-ts model from a tfjs layers-model: the path of its model.json, or of the folder holding it. */
export function loadTfjsModel(file: string, options: TfjsLoadOptions = {}): Model {
  const jsonPath = tfjsModelJsonPath(file);
  const json = readJson(jsonPath);
  if (json.format === 'graph-model') {
    throw new Error(
      `Cannot load '${jsonPath}': it is a TensorFlow.js graph model (a frozen TensorFlow graph), not a Keras layers model. ` +
        'Fix: convert the original Keras model with `tensorflowjs_converter --input_format keras` (or save it with tfjs-layers), which writes a layers-model.',
    );
  }
  const folder = path.dirname(jsonPath);
  const groups = Array.isArray(json.weightsManifest) ? json.weightsManifest : [];
  const specs: TfjsWeightSpec[] = [];
  const parts: Uint8Array[] = [];
  for (const group of groups) {
    for (const shard of group.paths) {
      const shardPath = path.join(folder, shard);
      if (!fs.existsSync(shardPath)) {
        throw new Error(`Cannot load '${jsonPath}': its weight file '${shard}' is missing from '${folder}'. Fix: copy model.json together with all of its .bin files.`);
      }
      parts.push(new Uint8Array(fs.readFileSync(shardPath)));
    }
    specs.push(...group.weights);
  }
  const weightData = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    weightData.set(part, offset);
    offset += part.length;
  }
  return fromTfjsArtifacts({ modelTopology: json.modelTopology as Record<string, unknown>, trainingConfig: json.trainingConfig, weightSpecs: specs, weightData }, options);
}
