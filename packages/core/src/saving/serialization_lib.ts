/**
 * Keras 3 config serialization: every keras-ts object to and from the JSON that Keras writes in a
 * `.keras` archive's config.json (`{ module, class_name, config, registered_name, build_config,
 * compile_config }`), snake_case keys in the JSON and camelCase in TypeScript. Models keep their
 * graph as `inbound_nodes` of `__keras_tensor__` references. Nothing read from a config is ever
 * evaluated: a class must be built in, registered, or given in `customObjects`.
 */
import { Layer, configToArgs } from '../engine/layer.js';
import { serialize as serializeLayer } from '../layers/serialization.js';
import { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import * as activations from '../activations/index.js';
import * as constraints from '../constraints/index.js';
import * as initializers from '../initializers/index.js';
import * as losses from '../losses/index.js';
import * as metrics from '../metrics/index.js';
import * as optimizers from '../optimizers/index.js';
import * as regularizers from '../regularizers/index.js';
import { deserializeLayer, serializeLayerEntry } from './layer_serialization.js';
import { functionalFromConfig, functionalToConfig, sequentialFromConfig, sequentialToConfig } from './model_config.js';
import { isLegacyModelConfig, convertLegacyModelConfig } from './legacy_config.js';
import { getRegisteredName, getRegisteredObject, isClass } from './object_registration.js';
import { compileConfigOf, compileFromConfig } from './compile_config.js';
import { setModelConfigWriter } from './config_writer.js';

export { compileConfigOf, compileFromConfig };
export { registerKerasSerializable, getRegisteredName, getRegisteredObject, type RegisterOptions } from './object_registration.js';

export type SerializedObject = {
  module: string | null;
  class_name: string;
  config: unknown;
  registered_name: string | null;
  /** `{ input_shape }`; a layer called with separate tensors (MultiHeadAttention) has `{ shapes_dict }`. */
  build_config?: { input_shape?: unknown; shapes_dict?: Record<string, unknown> } | null;
  compile_config?: Record<string, unknown> | null;
  [k: string]: unknown;
};

export interface DeserializeOptions {
  /** Classes (or functions) by class name or registered name, used before the registry. */
  customObjects?: Record<string, unknown>;
  /** True (the default): refuse `__lambda__` (Python code). keras-ts never evaluates code from a file either way. */
  safeMode?: boolean;
  /** The Keras version that wrote the config (a file's `keras_version`); below 3 the Keras 2 meanings apply. */
  kerasVersion?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Any keras-ts object, or plain JSON around such objects, as Keras 3's JSON. */
export function serializeKerasObject(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => serializeKerasObject(v));
  if (value instanceof Model) return modelToConfig(value);
  if (value instanceof Layer) return serializeLayerEntry(value);
  if (value instanceof optimizers.Optimizer) return withRegisteredName(optimizers.serialize(value), value);
  if (value instanceof losses.Loss) return withRegisteredName(losses.serialize(value), value);
  if (value instanceof metrics.Metric) return withRegisteredName(metrics.serialize(value), value);
  if (value instanceof initializers.Initializer) return withRegisteredName(initializers.serialize(value), value);
  if (value instanceof regularizers.Regularizer) return withRegisteredName(regularizers.serialize(value), value);
  if (value instanceof constraints.Constraint) return withRegisteredName(constraints.serialize(value), value);
  if (typeof value === 'function') {
    if ('activationName' in value) return activations.serialize(value as unknown as activations.Activation);
    const builtinLoss = losses.lossFunctionName(value);
    if (builtinLoss !== undefined) return { module: 'builtins', class_name: 'function', config: builtinLoss, registered_name: 'function' };
    throw new Error(
      `serializeKerasObject: cannot serialize the function ${(value as { name?: string }).name || '(anonymous)'}: a config can only name built-in or registered objects, never hold code. ` +
        `Fix: wrap it in a class with getConfig and register it with registerKerasSerializable(MyClass).`,
    );
  }
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = serializeKerasObject(v);
    return out;
  }
  throw new TypeError(`serializeKerasObject: cannot serialize a value of type ${typeof value}.`);
}

function withRegisteredName<T>(serialized: T, value: unknown): T {
  const registered = getRegisteredName(value);
  return registered && isRecord(serialized) ? ({ ...serialized, module: null, registered_name: registered } as T) : serialized;
}

const MODULE_KINDS: Record<string, (config: Record<string, unknown>) => unknown> = {
  'keras.optimizers': (c) => optimizers.deserialize(c as never),
  'keras.losses': (c) => losses.deserialize(c as never),
  'keras.metrics': (c) => metrics.deserialize(c as never),
  'keras.initializers': (c) => initializers.deserialize(c as never),
  'keras.regularizers': (c) => regularizers.get(c as never),
  'keras.constraints': (c) => constraints.get(c as never),
};

/** Keras 3's JSON (or a Keras 2 model config) back to keras-ts objects. Plain JSON stays as it is. */
export function deserializeKerasObject(config: unknown, options: DeserializeOptions = {}): unknown {
  if (config === null || config === undefined) return null;
  if (Array.isArray(config)) return config.map((v) => deserializeKerasObject(v, options));
  if (!isRecord(config)) return config;
  const className = config.class_name;
  if (typeof className !== 'string') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(config)) out[key] = deserializeKerasObject(v, options);
    return out;
  }
  const special = deserializeSpecialValue(className, config, options);
  if (special.found) return special.value;
  if (className === 'Sequential' || className === 'Functional' || className === 'Model') return modelFromConfig(config, { ...options, compile: false });
  const registeredName = typeof config.registered_name === 'string' ? config.registered_name : null;
  const custom = getRegisteredObject(className, registeredName, options.customObjects);
  if (custom !== undefined && !(typeof custom === 'function' && custom.prototype instanceof Layer)) return buildCustomObject(custom, config);
  const module = typeof config.module === 'string' ? config.module : '';
  const kind = Object.entries(MODULE_KINDS).find(([prefix]) => module.startsWith(prefix));
  if (kind) return kind[1](config);
  return deserializeLayer(config, options);
}

/** Keras's markers for values JSON has no type for. */
function deserializeSpecialValue(className: string, config: Record<string, unknown>, options: DeserializeOptions): { found: boolean; value?: unknown } {
  const inner = isRecord(config.config) ? config.config : {};
  switch (className) {
    case '__tuple__':
      return { found: true, value: deserializeKerasObject(inner.value, options) };
    case '__numpy__':
    case '__tensor__':
      return { found: true, value: inner.value };
    case '__bytes__':
      return { found: true, value: inner.value };
    case '__ellipsis__':
      return { found: true, value: '...' };
    case '__slice__':
      return { found: true, value: { start: inner.start ?? null, stop: inner.stop ?? null, step: inner.step ?? null } };
    case '__lambda__':
      throw new Error(
        `This config holds a Python lambda (class_name '__lambda__'), which is Python bytecode. keras-ts never runs code from a file. ` +
          `Fix: replace the lambda with a registered class: registerKerasSerializable(MyFunctionClass), or pass it as customObjects on load.`,
      );
    default:
      return { found: false };
  }
}

function buildCustomObject(custom: unknown, config: Record<string, unknown>): unknown {
  const inner = isRecord(config.config) ? config.config : {};
  if (typeof custom !== 'function') return custom;
  const fromConfig = (custom as { fromConfig?: (c: Record<string, unknown>) => unknown }).fromConfig;
  if (typeof fromConfig === 'function') return fromConfig.call(custom, inner);
  // A class without fromConfig takes the config's arguments, camelCase as TypeScript writes them.
  if (isClass(custom)) return new (custom as new (args: Record<string, unknown>) => unknown)(configToArgs(inner));
  // A plain function given as a custom object (a custom loss or activation) is itself the object.
  return custom;
}

/** The serialized model, as config.json holds it: build_config, and compile_config when compiled. */
export function modelToConfig(model: Model): SerializedObject {
  if (!(model instanceof Model)) throw new TypeError(`modelToConfig: expected a Model, got ${model === null ? 'null' : typeof model}.`);
  let serialized: SerializedObject;
  if (model instanceof Sequential) serialized = sequentialToConfig(model);
  else if (model.isFunctional) serialized = functionalToConfig(model);
  else serialized = subclassedToConfig(model);
  const compileConfig = compileConfigOf(model);
  if (compileConfig) serialized.compile_config = compileConfig;
  return serialized;
}

function subclassedToConfig(model: Model): SerializedObject {
  const registered = getRegisteredName(model);
  if (!registered) {
    throw new Error(
      `modelToConfig: model "${model.name}" is a subclassed model (${model.constructor.name}), whose architecture is its code, and the class is not registered. ` +
        `Fix: registerKerasSerializable(${model.constructor.name}) and give it getConfig/fromConfig, or build the model with the functional API or Sequential.`,
    );
  }
  return serializeLayer(model) as SerializedObject;
}

/**
 * A Model from a config: Keras 3's `{ module, class_name, config, ... }`, or a Keras 2 / tf.keras
 * `model_config` (`{ class_name: 'Sequential' | 'Model' | 'Functional', config }`, a bare-list
 * Sequential too). With `compile` (the default) and a compile_config, the model is compiled alike.
 */
export function modelFromConfig(config: unknown, options: DeserializeOptions & { compile?: boolean } = {}): Model {
  let parsed: unknown = config;
  if (typeof parsed === 'string') parsed = JSON.parse(parsed) as unknown;
  if (!isRecord(parsed) || typeof parsed.class_name !== 'string') {
    throw new TypeError(
      `modelFromConfig: expected a model config { class_name, config }, got ${JSON.stringify(parsed)?.slice(0, 200)}. ` +
        `Fix: pass the parsed config.json of a .keras file, or the model_config of an .h5 file.`,
    );
  }
  const legacy = isLegacyModelConfig(parsed, options.kerasVersion);
  const entry = legacy ? convertLegacyModelConfig(parsed) : parsed;
  const deserializeOptions: DeserializeOptions = { ...options, kerasVersion: legacy ? (options.kerasVersion ?? '2') : options.kerasVersion };
  const className = entry.class_name as string;
  let model: Model;
  if (className === 'Sequential') model = sequentialFromConfig(entry, deserializeOptions);
  else if (className === 'Functional' || className === 'Model') model = functionalFromConfig(entry, deserializeOptions);
  else {
    const layer = deserializeLayer(entry, deserializeOptions);
    if (!(layer instanceof Model)) {
      throw new Error(`modelFromConfig: the config describes a ${className}, which is a layer, not a model. Fix: use deserializeKerasObject for a single layer.`);
    }
    model = layer;
  }
  const compileConfig = isRecord(entry.compile_config) ? entry.compile_config : null;
  if (options.compile !== false && compileConfig) compileFromConfig(model, compileConfig, deserializeOptions);
  return model;
}

setModelConfigWriter(modelToConfig);
