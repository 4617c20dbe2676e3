/**
 * One layer to and from its config.json entry: `{ module, class_name, config, registered_name,
 * build_config }`. Models inside models go through the model config functions; a Lambda, a
 * `__lambda__` or a class nobody registered is an error that says how to register it.
 */
import { Layer } from '../engine/layer.js';
import { Model } from '../models/model.js';
import { layerClass, serialize } from '../layers/serialization.js';
import { getRegisteredObject } from './object_registration.js';
import { deserializeKerasObject, modelFromConfig, modelToConfig, type DeserializeOptions, type SerializedObject } from './serialization_lib.js';
import { dtypeFromConfig } from './dtype_policy.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Layers whose Keras call takes its tensors as separate arguments (`mha(query, value, key)`), where
 * keras-ts takes one list: their calls and build shapes are written Keras's way.
 */
export const SEPARATE_TENSOR_ARGUMENTS: Readonly<Record<string, readonly string[]>> = { MultiHeadAttention: ['query', 'value', 'key'] };

/** The shape the layer was built for, when it has been called once (Keras's build_config). */
function buildConfigOf(layer: Layer): SerializedObject['build_config'] | undefined {
  if (!layer.built || layer.inboundNodes.length === 0 || layer.inboundNodes[0].isInput) return undefined;
  const node = layer.inboundNodes[0];
  const shapes = node.inputShapes.slice(0, node.inputShapes.length - node.numStateInputs);
  const separate = SEPARATE_TENSOR_ARGUMENTS[layer.constructor.name];
  if (separate && node.inputsAsList) {
    return { shapes_dict: Object.fromEntries(shapes.map((shape, i) => [`${separate[i]}_shape`, shape])) };
  }
  return { input_shape: node.inputsAsList ? shapes : shapes[0] };
}

/** A layer's entry: its class, its config (dtype as Keras 3.8+ writes it) and its build shape. */
export function serializeLayerEntry(layer: Layer): SerializedObject {
  if (layer instanceof Model) return modelToConfig(layer);
  if (layer.constructor.name === 'Lambda') {
    throw new Error(
      `Layer "${layer.name}" is a Lambda: its function is code, which a config cannot hold (keras-ts neither writes nor runs code from a file). ` +
        `Fix: write the function as a custom layer class with getConfig, register it with registerKerasSerializable(MyLayer), and use it in place of the Lambda.`,
    );
  }
  const entry = serialize(layer) as SerializedObject;
  const buildConfig = buildConfigOf(layer);
  if (buildConfig) entry.build_config = buildConfig;
  return entry;
}

/** Keras's bookkeeping keys that carry nothing a layer needs. */
function withoutSharedObjectIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSharedObjectIds);
  if (!isRecord(value)) return value;
  if (value.class_name === '__tuple__' && isRecord(value.config) && Array.isArray(value.config.value)) return withoutSharedObjectIds(value.config.value);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (key !== 'shared_object_id') out[key] = withoutSharedObjectIds(v);
  return out;
}

const ACTIVATION_KEYS = ['activation', 'recurrent_activation'];

/**
 * An activation as a config names it: a built-in name stays a name; Keras's
 * `{ class_name: 'function', config: 'name', registered_name }` and names given in customObjects
 * become the registered or given function.
 */
function activationFromConfig(value: unknown, options: DeserializeOptions): unknown {
  let name: unknown = value;
  let registeredName: string | null = null;
  if (isRecord(value) && value.class_name === 'function') {
    name = value.config;
    registeredName = typeof value.registered_name === 'string' && value.registered_name !== 'function' ? value.registered_name : null;
  }
  if (typeof name !== 'string') return value;
  const custom = getRegisteredObject(name, registeredName, options.customObjects);
  if (typeof custom === 'function') return custom;
  return registeredName ?? name;
}

function howToRegister(className: string): string {
  return `Fix: registerKerasSerializable(${className}) before loading (with a class that extends Layer and has fromConfig), or pass { customObjects: { ${className} } } to the loader.`;
}

/** A Layer (or Model) from its entry. */
export function deserializeLayer(entry: Record<string, unknown>, options: DeserializeOptions = {}): Layer {
  const className = entry.class_name;
  if (typeof className !== 'string') {
    throw new TypeError(`Expected a layer config { class_name, config }, got ${JSON.stringify(entry)?.slice(0, 200)}. Fix: pass an entry of a model config's "layers" list.`);
  }
  const rawConfig = isRecord(entry.config) ? entry.config : {};
  const layerName = typeof rawConfig.name === 'string' ? rawConfig.name : typeof entry.name === 'string' ? entry.name : '(unnamed)';
  const registeredName = typeof entry.registered_name === 'string' ? entry.registered_name : null;
  const custom = getRegisteredObject(className, registeredName, options.customObjects);
  if (custom === undefined && (className === 'Sequential' || className === 'Functional' || className === 'Model')) {
    return modelFromConfig(entry, { ...options, compile: false });
  }
  if (custom === undefined && (className === 'Lambda' || className === 'TFOpLambda' || className === 'SlicingOpLambda')) {
    throw new Error(
      `Layer "${layerName}" is a ${className}, whose function is Python code saved in the file; keras-ts never evaluates code from a file. ` +
        `Fix: write the function as a custom layer class, register it with registerKerasSerializable(MyLayer), and rebuild the model with it (or pass { customObjects: { ${className}: MyLayer } } to use your class for this entry).`,
    );
  }
  const found = custom ?? layerClass(className);
  if (typeof found !== 'function' || !(found.prototype instanceof Layer)) {
    throw new Error(
      `Unknown layer class "${className}"${registeredName ? ` (registered name '${registeredName}')` : ''} for layer "${layerName}": it is not a keras-ts layer nor a registered one. ` +
        howToRegister(className.split('>').pop() ?? className),
    );
  }
  const config = withoutSharedObjectIds(rawConfig) as Record<string, unknown>;
  if ('dtype' in config) config.dtype = dtypeFromConfig(config.dtype, layerName);
  for (const key of ACTIVATION_KEYS) if (key in config) config[key] = activationFromConfig(config[key], options);
  // Custom initializers, regularizers and constraints come as objects, which every layer takes in place of a config.
  for (const [key, value] of Object.entries(config)) {
    if (!isRecord(value) || typeof value.class_name !== 'string' || ACTIVATION_KEYS.includes(key)) continue;
    const registered = typeof value.registered_name === 'string' ? value.registered_name : null;
    const custom = getRegisteredObject(value.class_name, registered, options.customObjects);
    if (custom !== undefined && !(typeof custom === 'function' && custom.prototype instanceof Layer)) config[key] = deserializeKerasObject(value, options);
  }
  const cls = found as unknown as { fromConfig(config: Record<string, unknown>): Layer };
  return cls.fromConfig(config);
}
