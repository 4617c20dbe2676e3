/**
 * Layers by class name: `layers.serialize(layer)` gives Keras's `{ module, class_name, config }`
 * and `layers.deserialize(thatObject)` rebuilds the layer, for every built-in layer class and for
 * classes registered with `registerLayerClass` (Keras's register_keras_serializable). Wrappers
 * (TimeDistributed, Bidirectional, RNN) rebuild their inner layers through it.
 */
import { Layer } from '../engine/layer.js';
import * as catalogue from './index.js';
import { dtypeFromConfig, dtypePolicyConfig } from '../saving/dtype_policy.js';
import { getRegisteredName, registeredNameForClassName } from '../saving/object_registration.js';

type LayerClass = (abstract new (...args: never[]) => Layer) & { fromConfig(config: Record<string, unknown>): Layer };

const registered = new Map<string, LayerClass>();

/** Makes a custom layer class known to deserialize (and to model loading) under `name`. */
export function registerLayerClass(name: string, layerClass: LayerClass): void {
  if (typeof layerClass !== 'function' || !(layerClass.prototype instanceof Layer)) {
    throw new TypeError(`registerLayerClass('${name}'): expected a class that extends Layer. Fix: registerLayerClass('${name}', MyLayer).`);
  }
  registered.set(name, layerClass);
}

/** The class a config names, or undefined. The catalogue is read when asked (it imports this module). */
export function layerClass(name: string): LayerClass | undefined {
  const own = registered.get(name);
  if (own) return own;
  const value = (catalogue as Record<string, unknown>)[name];
  return typeof value === 'function' && (value as { prototype: unknown }).prototype instanceof Layer ? (value as LayerClass) : undefined;
}

/** Keras 3's `{ module, class_name, config, registered_name }` for a layer (dtype as Keras 3.8+ writes it). */
export function serialize(layer: Layer): Record<string, unknown> {
  const config = { ...layer.getConfig() };
  if (typeof config.dtype === 'string' && layer.constructor.name !== 'InputLayer') config.dtype = dtypePolicyConfig(config.dtype);
  // A registered custom initializer, regularizer or constraint is written under its registered name.
  for (const [key, value] of Object.entries(config)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    const className = (value as { class_name?: unknown }).class_name;
    const registeredName = typeof className === 'string' ? registeredNameForClassName(className) : null;
    if (registeredName) config[key] = { ...value, module: null, registered_name: registeredName };
  }
  const registeredName = getRegisteredName(layer) ?? (registered.has(layer.constructor.name) ? layer.constructor.name : null);
  return { module: registeredName ? null : 'keras.layers', class_name: layer.constructor.name, config, registered_name: registeredName };
}

export function deserialize(value: { class_name?: string; className?: string; config?: Record<string, unknown> }): Layer {
  const name = value?.class_name ?? value?.className;
  if (typeof name !== 'string') {
    throw new TypeError(`layers.deserialize: expected { class_name, config }, got ${JSON.stringify(value)}.`);
  }
  const registeredName = (value as { registered_name?: unknown }).registered_name;
  const found = (typeof registeredName === 'string' ? layerClass(registeredName) : undefined) ?? layerClass(name);
  if (!found) {
    throw new Error(
      `layers.deserialize: unknown layer class "${name}". Expected a keras-ts layer class or one given to registerLayerClass. ` +
        `Fix: registerLayerClass('${name}', ${name}) before loading, or check the class name.`,
    );
  }
  const config = value.config ?? {};
  return found.fromConfig('dtype' in config ? { ...config, dtype: dtypeFromConfig(config.dtype, String(config.name ?? name)) } : config);
}
