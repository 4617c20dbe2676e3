/**
 * Keras 3's model config rewritten in the Keras 2 schema that TensorFlow.js layers-model files
 * carry in `modelTopology` (the schema tfjs-layers itself writes and its loadLayersModel reads):
 * nested objects are `{ class_name, config }` without `module`/`registered_name`, dtypes are plain
 * strings, the InputLayer's shape is `batch_input_shape`, a Sequential has no InputLayer entry (its
 * first layer carries the shape), and a functional call is `[[layer, node, tensor, kwargs], ...]`.
 */
import type { SerializedObject } from './serialization_lib.js';

export interface TfjsTopology {
  class_name: string;
  config: Record<string, unknown>;
  keras_version: string;
  backend: string;
}

/** The version string written as keras_version: Keras 2's schema, which tfjs-layers reads. */
export const TFJS_KERAS_VERSION = 'tfjs-layers 4.22.0';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isKerasTensor(value: unknown): value is { class_name: '__keras_tensor__'; config: { keras_history: [string, number, number] } } {
  return isRecord(value) && value.class_name === '__keras_tensor__';
}

/** The activation names tfjs-layers 4.22 knows (its `activationOptions`). */
const TFJS_ACTIVATIONS = ['linear', 'relu', 'elu', 'relu6', 'sigmoid', 'hard_sigmoid', 'selu', 'softmax', 'softplus', 'softsign', 'tanh', 'swish', 'mish', 'gelu', 'gelu_new'];

/** keras-ts names tfjs spells differently: silu is tfjs's swish, and Keras 2's hard_sigmoid is tfjs's. */
const TFJS_ACTIVATION_NAMES: Record<string, string> = { silu: 'swish', hard_sigmoid_keras2: 'hard_sigmoid' };

/** Activations whose Keras 3 meaning differs from the one tfjs gives the same name. */
const KERAS3_ONLY_ACTIVATIONS: Record<string, string> = {
  hard_sigmoid: "Keras 3's hard_sigmoid is relu6(x + 3) / 6, while tfjs-layers' is clip(0.2x + 0.5, 0, 1)",
};

function tfjsActivation(name: string, key: string, where: string): string {
  if (KERAS3_ONLY_ACTIVATIONS[name]) {
    throw new Error(
      `Cannot write ${where} in the tfjs format: its ${key} '${name}' would change meaning (${KERAS3_ONLY_ACTIVATIONS[name]}). ` +
        `Fix: save it as .keras, or use another activation.`,
    );
  }
  const renamed = TFJS_ACTIVATION_NAMES[name] ?? name;
  if (!TFJS_ACTIVATIONS.includes(renamed)) {
    throw new Error(
      `Cannot write ${where} in the tfjs format: its ${key} '${name}' is not one tfjs-layers has (${TFJS_ACTIVATIONS.join(', ')}). ` +
        `Fix: save it as .keras, or use one of those activations.`,
    );
  }
  return renamed;
}

/** Any nested value: serialized objects lose Keras 3's bookkeeping keys, DTypePolicies become strings. */
function toKeras2Value(value: unknown, where: string): unknown {
  if (Array.isArray(value)) return value.map((v) => toKeras2Value(v, where));
  if (!isRecord(value)) return value;
  if (value.class_name === '__tuple__' && isRecord(value.config)) return toKeras2Value(value.config.value, where);
  if (value.class_name === 'DTypePolicy' && isRecord(value.config)) return value.config.name;
  // Keras 3 writes the orthogonal initializer's class as OrthogonalInitializer; tfjs-layers knows only 'Orthogonal'.
  if (value.class_name === 'OrthogonalInitializer') return toKeras2Value({ ...value, class_name: 'Orthogonal' }, where);
  if (value.class_name === '__lambda__') {
    throw new Error(`Cannot write ${where} in the tfjs format: it holds a Python lambda, which TensorFlow.js cannot run. Fix: replace it with a registered custom object.`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'module' || key === 'registered_name' || key === 'build_config' || key === 'shared_object_id') continue;
    out[key] = toKeras2Value(v, where);
  }
  return out;
}

function layerConfigToKeras2(entry: Record<string, unknown>): Record<string, unknown> {
  const config = isRecord(entry.config) ? entry.config : {};
  const name = typeof config.name === 'string' ? config.name : String(entry.class_name);
  const where = `layer "${name}" (${String(entry.class_name)})`;
  const converted = toKeras2Value(config, where) as Record<string, unknown>;
  for (const key of ['activation', 'recurrent_activation']) {
    const activation = converted[key];
    if (typeof activation === 'string') converted[key] = tfjsActivation(activation, key, where);
  }
  checkRecurrentCells(converted, where);
  // tfjs-layers has no LoRA: a LoRA Dense is written as a plain Dense with the merged kernel (tfjs_format.ts).
  delete converted.lora_rank;
  delete converted.lora_alpha;
  if (entry.class_name === 'Bidirectional') bidirectionalToKeras2(converted, where);
  if (entry.class_name === 'InputLayer' && 'batch_shape' in converted) {
    converted.batch_input_shape = converted.batch_shape;
    delete converted.batch_shape;
  }
  return converted;
}

/** tfjs-layers' GRU has only the original formulation (reset gate before the matrix product). */
function checkRecurrentCells(value: unknown, where: string): void {
  if (Array.isArray(value)) return value.forEach((v) => checkRecurrentCells(v, where));
  if (!isRecord(value)) return;
  // Only GRU layers and cells have this key, inside wrappers too (Bidirectional, RNN).
  if (value.reset_after === true) {
    throw new Error(
      `Cannot write ${where} in the tfjs format: tfjs-layers' GRU supports only resetAfter: false, and this GRU has resetAfter: true (Keras 3's default). ` +
        `Fix: build the GRU with resetAfter: false, or save the model as .keras.`,
    );
  }
  for (const v of Object.values(value)) checkRecurrentCells(v, where);
}

/**
 * Keras 3 writes the forward layer (named 'forward_lstm') as Bidirectional's `layer`; Keras 2 and
 * tfjs write the wrapped layer itself ('lstm') and name both directions from it.
 */
function bidirectionalToKeras2(config: Record<string, unknown>, where: string): void {
  if (config.backward_layer !== undefined && config.backward_layer !== null) {
    throw new Error(`Cannot write ${where} in the tfjs format: tfjs-layers' Bidirectional has no custom backward layer. Fix: let Bidirectional make the backward layer, or save the model as .keras.`);
  }
  delete config.backward_layer;
  const inner = isRecord(config.layer) && isRecord(config.layer.config) ? config.layer.config : undefined;
  if (inner && typeof inner.name === 'string' && inner.name.startsWith('forward_')) inner.name = inner.name.slice('forward_'.length);
}

/** `{ args: [tensor or list], kwargs }` as Keras 2's `[[layer, node, tensor, kwargs], ...]`. */
function nodeToKeras2(node: unknown, layerName: string): unknown[] {
  if (!isRecord(node)) throw new Error(`Cannot write layer "${layerName}" in the tfjs format: a call is ${JSON.stringify(node)?.slice(0, 120)}, not { args, kwargs }.`);
  const args = Array.isArray(node.args) ? node.args : [];
  const first = args[0];
  const tensors = Array.isArray(first) ? first : [first];
  const kwargs = isRecord(node.kwargs) ? { ...node.kwargs } : {};
  for (const [key, value] of Object.entries(kwargs)) {
    const holdsTensor = isKerasTensor(value) || (Array.isArray(value) && value.some(isKerasTensor));
    if (holdsTensor) {
      throw new Error(
        `Cannot write layer "${layerName}" in the tfjs format: its call passes the tensor argument '${key}', which the Keras 2 schema of model.json cannot express. ` +
          `Fix: save the model as .keras.`,
      );
    }
  }
  const options = toKeras2Value(kwargs, `layer "${layerName}"`);
  return tensors.map((t) => {
    if (!isKerasTensor(t)) throw new Error(`Cannot write layer "${layerName}" in the tfjs format: its call input ${JSON.stringify(t)?.slice(0, 120)} is not a tensor of the model.`);
    const [source, nodeIndex, tensorIndex] = t.config.keras_history;
    return [source, nodeIndex, tensorIndex, options];
  });
}

function sequentialToKeras2(config: Record<string, unknown>): Record<string, unknown> {
  const entries = Array.isArray(config.layers) ? (config.layers as Record<string, unknown>[]) : [];
  const layers: Record<string, unknown>[] = [];
  let batchInputShape: unknown;
  let inputDtype: unknown;
  for (const entry of entries) {
    if (entry.class_name === 'InputLayer') {
      const input = layerConfigToKeras2(entry);
      batchInputShape = input.batch_input_shape;
      inputDtype = input.dtype;
      continue;
    }
    const nested = entry.class_name === 'Sequential' || entry.class_name === 'Functional';
    layers.push(nested ? modelConfigToKeras2(entry as SerializedObject) : { class_name: entry.class_name, config: layerConfigToKeras2(entry) });
  }
  // tfjs-layers (like Keras 2) takes the input shape from the first layer's batch_input_shape.
  if (layers.length > 0 && batchInputShape !== undefined) {
    const first = layers[0].config as Record<string, unknown>;
    first.batch_input_shape = batchInputShape;
    if (inputDtype !== undefined && first.dtype === undefined) first.dtype = inputDtype;
  }
  return { name: config.name, layers };
}

function functionalToKeras2(config: Record<string, unknown>): Record<string, unknown> {
  const entries = Array.isArray(config.layers) ? (config.layers as Record<string, unknown>[]) : [];
  const layers = entries.map((entry) => {
    const name = typeof entry.name === 'string' ? entry.name : String((entry.config as Record<string, unknown>)?.name);
    const nodes = Array.isArray(entry.inbound_nodes) ? entry.inbound_nodes : [];
    const nested = entry.class_name === 'Sequential' || entry.class_name === 'Functional';
    return {
      name,
      class_name: entry.class_name === 'Functional' ? 'Model' : entry.class_name,
      config: nested ? modelConfigToKeras2(entry as SerializedObject).config : layerConfigToKeras2(entry),
      inbound_nodes: nodes.map((node) => nodeToKeras2(node, name)),
    };
  });
  // Keras 2 always lists the endpoints, one triple each, even for a single input.
  const endpoints = (value: unknown): unknown => (Array.isArray(value) && typeof value[0] === 'string' ? [value] : value);
  return { name: config.name, layers, input_layers: endpoints(config.input_layers), output_layers: endpoints(config.output_layers) };
}

function modelConfigToKeras2(model: SerializedObject): { class_name: string; config: Record<string, unknown> } {
  const config = isRecord(model.config) ? model.config : {};
  if (model.class_name === 'Sequential') return { class_name: 'Sequential', config: sequentialToKeras2(config) };
  if (model.class_name === 'Functional' || model.class_name === 'Model') return { class_name: 'Model', config: functionalToKeras2(config) };
  throw new Error(
    `Cannot write model "${String(config.name)}" in the tfjs format: it is a ${model.class_name}, and the tfjs format holds only Sequential and functional models. ` +
      `Fix: build it with Sequential or the functional API, or save it as .keras.`,
  );
}

/** A Keras 3 model config (modelToConfig's result) as a model.json `modelTopology`. */
export function toTfjsTopology(model: SerializedObject): TfjsTopology {
  return { ...modelConfigToKeras2(model), keras_version: TFJS_KERAS_VERSION, backend: 'tensor_flow.js' };
}
