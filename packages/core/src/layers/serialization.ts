/**
 * Layers by class name: `layers.serialize(layer)` gives Keras's `{ module, class_name, config }`
 * and `layers.deserialize(thatObject)` rebuilds the layer, for every built-in layer class and for
 * classes registered with `registerLayerClass` (Keras's register_keras_serializable). Wrappers
 * (TimeDistributed, Bidirectional, RNN) rebuild their inner layers through it.
 */
import { Layer } from '../engine/layer.js';
import * as catalogue from './index.js';

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

export function serialize(layer: Layer): Record<string, unknown> {
  return { module: 'keras.layers', class_name: layer.constructor.name, config: layer.getConfig(), registered_name: registered.has(layer.constructor.name) ? layer.constructor.name : null };
}

export function deserialize(value: { class_name?: string; className?: string; config?: Record<string, unknown> }): Layer {
  const name = value?.class_name ?? value?.className;
  if (typeof name !== 'string') {
    throw new TypeError(`layers.deserialize: expected { class_name, config }, got ${JSON.stringify(value)}.`);
  }
  const found = layerClass(name);
  if (!found) {
    throw new Error(
      `layers.deserialize: unknown layer class "${name}". Expected a keras-ts layer class or one given to registerLayerClass. ` +
        `Fix: registerLayerClass('${name}', ${name}) before loading, or check the class name.`,
    );
  }
  return found.fromConfig(value.config ?? {});
}
