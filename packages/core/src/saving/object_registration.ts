/**
 * registerKerasSerializable: makes a custom class (layer, loss, metric, optimizer, initializer,
 * regularizer, constraint, model) known to config loading under Keras's registered name
 * `package>Name`, so that a saved config that names it can be rebuilt without evaluating anything.
 */
import * as activations from '../activations/index.js';
import { Layer } from '../engine/layer.js';
import { registerLayerClass } from '../layers/serialization.js';

export interface RegisterOptions {
  /** The package part of the registered name (Keras's default is 'Custom'). */
  package?: string;
  /** The class part of the registered name; the class's own name when left out. */
  name?: string;
}

/** A class that config loading can rebuild: it has a static fromConfig, or a constructor taking the config's arguments. */
export type SerializableClass = (abstract new (...args: never[]) => unknown) & { fromConfig?: (config: Record<string, unknown>) => unknown; name: string };

/** A function saved by name: a custom activation (or a loss or metric function). */
export type SerializableFunction = ((...args: never[]) => unknown) & { name: string };

const byRegisteredName = new Map<string, SerializableClass | SerializableFunction>();
const registeredNameOf = new Map<unknown, string>();

/**
 * Registers `cls` under `package>name` (e.g. 'Custom>MyLayer'), the name written in configs as
 * `registered_name`. Returns the class, so it can wrap a class expression.
 *
 * ```ts
 * registerKerasSerializable(MyLayer);                          // 'Custom>MyLayer'
 * registerKerasSerializable(MyLoss, { package: 'my_project' }); // 'my_project>MyLoss'
 * ```
 */
export function registerKerasSerializable<T extends SerializableClass | SerializableFunction>(cls: T, options: RegisterOptions = {}): T {
  if (typeof cls !== 'function') {
    throw new TypeError(`registerKerasSerializable: expected a class, got ${cls === null ? 'null' : typeof cls}. Fix: registerKerasSerializable(MyLayer).`);
  }
  const pkg = options.package ?? 'Custom';
  const name = options.name ?? cls.name;
  if (pkg.includes('>') || name.includes('>')) {
    throw new Error(`registerKerasSerializable: the package '${pkg}' and name '${name}' must not contain '>', which separates them in the registered name.`);
  }
  const registeredName = `${pkg}>${name}`;
  byRegisteredName.set(registeredName, cls);
  registeredNameOf.set(cls, registeredName);
  // A plain function (not a class) is an activation, a loss or a metric function: layers look activations up by name.
  if (!isClass(cls)) activations.registerActivation(registeredName, cls as unknown as activations.Activation);
  if (cls.prototype instanceof Layer) {
    const layerClass = cls as unknown as Parameters<typeof registerLayerClass>[1];
    registerLayerClass(name, layerClass);
    registerLayerClass(registeredName, layerClass);
  }
  return cls;
}

/** Whether a function is a class (written with `class`), not a plain function. */
export function isClass(value: unknown): boolean {
  return typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

/** The registered name (`package>Name`) of an object's class, or null for built-in classes. */
export function getRegisteredName(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const cls = typeof value === 'function' ? value : (value as object).constructor;
  return registeredNameOf.get(cls) ?? null;
}

/**
 * The class for a config entry: from `customObjects` (by registered name, then class name), then
 * from the registry (by registered name, then by a unique class name).
 */
export function getRegisteredObject(className: string, registeredName: string | null | undefined, customObjects: Record<string, unknown> = {}): unknown {
  if (registeredName && registeredName in customObjects) return customObjects[registeredName];
  if (className in customObjects) return customObjects[className];
  if (registeredName && byRegisteredName.has(registeredName)) return byRegisteredName.get(registeredName);
  const matches = [...byRegisteredName.entries()].filter(([key]) => key.endsWith(`>${className}`));
  return matches.length === 1 ? matches[0][1] : undefined;
}

/** The registered name of the one registered class with this class name, or null. */
export function registeredNameForClassName(className: string): string | null {
  const matches = [...byRegisteredName.keys()].filter((key) => key.endsWith(`>${className}`));
  return matches.length === 1 ? matches[0] : null;
}
