/**
 * Sequential and functional models to and from Keras 3's config. A functional config lists every
 * layer with the calls (`inbound_nodes`) that connect it, each input a `__keras_tensor__` whose
 * `keras_history` is `[layer name, node index, tensor index]`; loading calls the layers again in an
 * order where every input exists, which also rebuilds shared layers and models used as layers.
 */
import { KerasTensor } from '../engine/keras_tensor.js';
import type { Layer } from '../engine/layer.js';
import type { Node } from '../engine/node.js';
import { InputLayer } from '../layers/core/input_layer.js';
import { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import type { Dim } from '../tensor/shape.js';
import { dtypePolicyConfig } from './dtype_policy.js';
import { SEPARATE_TENSOR_ARGUMENTS, deserializeLayer, serializeLayerEntry } from './layer_serialization.js';
import { convertInboundNode } from './legacy_config.js';
import type { DeserializeOptions, SerializedObject } from './serialization_lib.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const snakeCase = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camelCase = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A Keras 3 Functional keeps a node of its own first, so its calls inside another model count from 1. */
function builtInNodes(layer: Layer): number {
  return layer instanceof Model && !(layer instanceof Sequential) ? 1 : 0;
}

// --- Sequential ---------------------------------------------------------------------------------

export function sequentialToConfig(model: Sequential): SerializedObject {
  const layers: SerializedObject[] = [];
  let buildInputShape: Dim[] | undefined;
  if (model.isFunctional) {
    const input = model.inputs[0].kerasHistory?.layer;
    if (input instanceof InputLayer) {
      layers.push(serializeLayerEntry(input));
      buildInputShape = [...input.batchShape];
    }
  }
  for (const layer of model.layers) layers.push(serializeLayerEntry(layer));
  const config: Record<string, unknown> = { name: model.name, trainable: model.trainable, dtype: dtypePolicyConfig(model.dtype), layers };
  if (buildInputShape) config.build_input_shape = buildInputShape;
  const entry: SerializedObject = { module: 'keras', class_name: 'Sequential', config, registered_name: null };
  if (buildInputShape) entry.build_config = { input_shape: buildInputShape };
  return entry;
}

export function sequentialFromConfig(entry: Record<string, unknown>, options: DeserializeOptions): Sequential {
  const config = isRecord(entry.config) ? entry.config : {};
  const layerEntries = config.layers;
  if (!Array.isArray(layerEntries)) {
    throw new TypeError(`Sequential config: expected "layers" to be a list of layer configs, got ${JSON.stringify(layerEntries)?.slice(0, 200)}.`);
  }
  const model = new Sequential([], {
    name: typeof config.name === 'string' ? config.name : undefined,
    trainable: typeof config.trainable === 'boolean' ? config.trainable : undefined,
  });
  for (const layerEntry of layerEntries) {
    if (!isRecord(layerEntry)) throw new TypeError(`Sequential config "${model.name}": a layer entry is ${JSON.stringify(layerEntry)}, not a { class_name, config } object.`);
    model.add(deserializeLayer(layerEntry, options));
  }
  const buildShape = config.build_input_shape ?? (isRecord(entry.build_config) ? entry.build_config.input_shape : undefined);
  if (!model.isFunctional && Array.isArray(buildShape) && model.layers.length > 0) model.build(buildShape as Dim[]);
  return model;
}

// --- Functional: writing ------------------------------------------------------------------------

interface NodeIndexing {
  /** The index of each of the model's nodes among its layer's nodes that belong to the model. */
  kept: Map<Node, number>;
}

function indexNodes(model: Model, layers: readonly Layer[]): NodeIndexing {
  const own = new Set<Node>(model.inputs.map((t) => t.kerasHistory?.layer.inboundNodes[t.kerasHistory.nodeIndex] as Node));
  for (const node of (model as unknown as { graph: { nodes: Node[] } }).graph.nodes) own.add(node);
  const kept = new Map<Node, number>();
  for (const layer of layers) {
    let index = 0;
    for (const node of layer.inboundNodes) if (own.has(node)) kept.set(node, index++);
  }
  return { kept };
}

function tensorReference(t: KerasTensor, indexing: NodeIndexing): Record<string, unknown> {
  const history = t.kerasHistory;
  if (!history) throw new Error(`Cannot serialize the tensor '${t.name}': it was not made by a layer of the model.`);
  const node = history.layer.inboundNodes[history.nodeIndex];
  return {
    class_name: '__keras_tensor__',
    config: { shape: [...t.shape], dtype: t.dtype, keras_history: [history.layer.name, indexing.kept.get(node) ?? 0, history.tensorIndex] },
  };
}

function callValueToConfig(value: unknown, indexing: NodeIndexing): unknown {
  if (value instanceof KerasTensor) return tensorReference(value, indexing);
  if (Array.isArray(value)) return value.map((v) => callValueToConfig(v, indexing));
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[snakeCase(key)] = callValueToConfig(v, indexing);
  return out;
}

function nodeToConfig(node: Node, indexing: NodeIndexing): Record<string, unknown> {
  const mainCount = node.inputTensors.length - node.numStateInputs;
  const main = node.inputTensors.slice(0, mainCount).map((t) => tensorReference(t, indexing));
  const kwargs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node.callArguments)) {
    // A mask tensor rides with its input in Keras; only options that are plain values go in the file.
    if (value === undefined || key === 'mask') continue;
    kwargs[snakeCase(key)] = callValueToConfig(value, indexing);
  }
  if (node.numStateInputs > 0) kwargs.initial_state = node.inputTensors.slice(mainCount).map((t) => tensorReference(t, indexing));
  if (node.inputsAsList && SEPARATE_TENSOR_ARGUMENTS[node.outboundLayer.constructor.name]) return { args: main, kwargs };
  return { args: [node.inputsAsList ? main : main[0]], kwargs };
}

function endpointConfig(tensors: readonly KerasTensor[], indexing: NodeIndexing): unknown {
  const refs = tensors.map((t) => {
    const history = t.kerasHistory as NonNullable<KerasTensor['kerasHistory']>;
    const node = history.layer.inboundNodes[history.nodeIndex];
    return [history.layer.name, (indexing.kept.get(node) ?? 0) + builtInNodes(history.layer), history.tensorIndex];
  });
  return refs.length === 1 ? refs[0] : refs;
}

export function functionalToConfig(model: Model): SerializedObject {
  const layers = model.layers;
  const indexing = indexNodes(model, layers);
  const layerConfigs = layers.map((layer) => {
    const entry = serializeLayerEntry(layer);
    const nodes = layer.inboundNodes.filter((n) => indexing.kept.has(n) && !n.isInput).map((n) => nodeToConfig(n, indexing));
    return { ...entry, name: layer.name, inbound_nodes: nodes };
  });
  const config = {
    name: model.name,
    trainable: model.trainable,
    layers: layerConfigs,
    input_layers: endpointConfig(model.inputs, indexing),
    output_layers: endpointConfig(model.outputs, indexing),
  };
  // What Keras 3 writes for every functional model (its build_config holds no shape: the graph has them).
  return { module: 'keras.src.models.functional', class_name: 'Functional', config, registered_name: 'Functional', build_config: { input_shape: null } };
}

// --- Functional: reading ------------------------------------------------------------------------

/** Raised while a node's inputs are not made yet; the node waits for a later pass. */
class NotYetMade extends Error {}

function isTensorTriple(value: unknown): value is [string, number, number] {
  return Array.isArray(value) && value.length === 3 && typeof value[0] === 'string' && typeof value[1] === 'number' && typeof value[2] === 'number';
}

export function functionalFromConfig(entry: Record<string, unknown>, options: DeserializeOptions): Model {
  const config = isRecord(entry.config) ? entry.config : {};
  const modelName = typeof config.name === 'string' ? config.name : '(unnamed)';
  const layerEntries = config.layers;
  if (!Array.isArray(layerEntries)) throw new TypeError(`Functional config "${modelName}": expected "layers" to be a list, got ${JSON.stringify(layerEntries)?.slice(0, 200)}.`);

  const created = new Map<string, Layer>();
  /** The outputs of each call made so far, per layer name, in call order. */
  const made = new Map<string, KerasTensor[][]>();
  const pending = new Map<string, unknown[]>();
  const order: string[] = [];
  for (const layerEntry of layerEntries) {
    if (!isRecord(layerEntry)) throw new TypeError(`Functional config "${modelName}": a layer entry is ${JSON.stringify(layerEntry)}, not an object.`);
    const layer = deserializeLayer(layerEntry, options);
    const name = typeof layerEntry.name === 'string' ? layerEntry.name : layer.name;
    if (created.has(name)) throw new Error(`Functional config "${modelName}": two layers are named "${name}". Layer names must be unique in a model.`);
    created.set(name, layer);
    order.push(name);
    made.set(name, layer instanceof InputLayer ? [[layer.outputTensor]] : []);
    const nodes = Array.isArray(layerEntry.inbound_nodes) ? layerEntry.inbound_nodes : [];
    pending.set(name, layer instanceof InputLayer ? [] : [...nodes]);
  }

  const tensorFor = (layerName: string, nodeIndex: number, tensorIndex: number): KerasTensor => {
    const outputs = made.get(layerName);
    if (!outputs) {
      throw new Error(`Functional config "${modelName}": a call refers to layer "${layerName}", which is not in the model's layers [${order.join(', ')}].`);
    }
    const node = outputs[nodeIndex];
    if (!node) throw new NotYetMade();
    const t = node[tensorIndex];
    if (!t) throw new Error(`Functional config "${modelName}": layer "${layerName}" call ${nodeIndex} has ${node.length} output(s); the config asks for output ${tensorIndex}.`);
    return t;
  };

  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (!isRecord(value)) return value;
    if (value.class_name === '__keras_tensor__') {
      const history = isRecord(value.config) ? value.config.keras_history : undefined;
      if (!isTensorTriple(history)) throw new Error(`Functional config "${modelName}": a __keras_tensor__ has no valid keras_history: ${JSON.stringify(value)}.`);
      return tensorFor(history[0], history[1], history[2]);
    }
    if (value.class_name === '__tuple__' && isRecord(value.config)) return resolve(value.config.value);
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = resolve(v);
    return out;
  };

  const callLayer = (layer: Layer, given: unknown): KerasTensor[] => {
    // Keras 3 writing an .h5 file may still leave a node in Keras 2's list form.
    const node = Array.isArray(given) ? convertInboundNode(given) : given;
    if (!isRecord(node)) throw new Error(`Functional config "${modelName}": layer "${layer.name}" has a call that is not { args, kwargs }: ${JSON.stringify(node)?.slice(0, 200)}.`);
    const args = resolve(Array.isArray(node.args) ? node.args : []) as unknown[];
    const kwargs = resolve(isRecord(node.kwargs) ? node.kwargs : {}) as Record<string, unknown>;
    const separate = SEPARATE_TENSOR_ARGUMENTS[layer.constructor.name];
    if (separate) {
      // Keras may pass these tensors by keyword (mha(q, value=v, key=k)); keras-ts takes them in one list, in order.
      for (const name of separate.slice(args.length)) {
        if (kwargs[name] === undefined || kwargs[name] === null) break;
        args.push(kwargs[name]);
      }
      for (const name of separate) delete kwargs[name];
    }
    const options: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(kwargs)) if (value !== null && key !== 'mask') options[camelCase(key)] = value;
    // A layer called with several positional tensors (e.g. Attention in Keras 2 style) takes them as one list.
    const inputs = args.length === 1 ? args[0] : args;
    const out = layer.apply(inputs as KerasTensor | KerasTensor[], options);
    return Array.isArray(out) ? (out as KerasTensor[]) : [out as KerasTensor];
  };

  let remaining = [...pending.values()].reduce((n, list) => n + list.length, 0);
  while (remaining > 0) {
    let progressed = false;
    for (const name of order) {
      const queue = pending.get(name) as unknown[];
      const layer = created.get(name) as Layer;
      while (queue.length > 0) {
        let outputs: KerasTensor[];
        try {
          outputs = callLayer(layer, queue[0]);
        } catch (error) {
          if (error instanceof NotYetMade) break;
          throw error;
        }
        queue.shift();
        (made.get(name) as KerasTensor[][]).push(outputs);
        remaining--;
        progressed = true;
      }
    }
    if (!progressed) {
      const stuck = order.filter((n) => (pending.get(n) as unknown[]).length > 0);
      throw new Error(`Functional config "${modelName}": the calls of layers [${stuck.join(', ')}] refer to calls that never happen (a cycle or a missing layer). The config is damaged.`);
    }
  }

  const endpoint = (value: unknown, what: string): KerasTensor[] => {
    const triples = isTensorTriple(value) ? [value] : Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : [];
    if (triples.length === 0) throw new Error(`Functional config "${modelName}": "${what}" is ${JSON.stringify(value)}; expected ["layer_name", node_index, tensor_index] or a list of them.`);
    return triples.map((triple) => {
      if (!isTensorTriple(triple)) throw new Error(`Functional config "${modelName}": an entry of "${what}" is ${JSON.stringify(triple)}; expected ["layer_name", node_index, tensor_index].`);
      const layer = created.get(triple[0]);
      const offset = layer ? builtInNodes(layer) : 0;
      try {
        return tensorFor(triple[0], Math.max(0, triple[1] - offset), triple[2]);
      } catch (error) {
        if (!(error instanceof NotYetMade)) throw error;
        throw new Error(`Functional config "${modelName}": "${what}" names call ${triple[1]} of layer "${triple[0]}", which the config never makes. The config is damaged.`, { cause: error });
      }
    });
  };
  const inputs = endpoint(config.input_layers, 'input_layers');
  const outputs = endpoint(config.output_layers, 'output_layers');
  return new Model({
    inputs: inputs.length === 1 ? inputs[0] : inputs,
    outputs: outputs.length === 1 ? outputs[0] : outputs,
    name: typeof config.name === 'string' ? config.name : undefined,
    trainable: typeof config.trainable === 'boolean' ? config.trainable : undefined,
  });
}
