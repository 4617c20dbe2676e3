/**
 * keras.initializers: the classes, and `get` / `serialize` / `deserialize` that turn names and
 * Keras configs into initializers and back.
 *
 * ```ts
 * initializers.get('glorot_uniform').call([784, 128]);
 * initializers.get({ class_name: 'RandomNormal', config: { stddev: 0.02, seed: 1 } });
 * initializers.serialize(new initializers.HeNormal({ seed: 7 }));
 * // { module: 'keras.initializers', class_name: 'HeNormal', config: { seed: 7 }, registered_name: null }
 * ```
 */
import { Constant, Identity, Ones, Zeros } from './constant_initializers.js';
import { Initializer, type InitializerConfig } from './initializer.js';
import {
  GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform, Orthogonal, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling,
} from './random_initializers.js';

export { Initializer, computeFans, type InitializerConfig, type SeedConfig } from './initializer.js';
export { Constant, Identity, Ones, Zeros } from './constant_initializers.js';
export {
  GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform, Orthogonal, RandomInitializer, RandomNormal, RandomUniform, TruncatedNormal,
  VarianceScaling, type FanMode, type ScalingDistribution, type SeedOption, type VarianceScalingOptions,
} from './random_initializers.js';

type InitializerClass = (new (options?: never) => Initializer) & { className: string; fromConfig(config?: InitializerConfig): Initializer };

const CLASSES: readonly InitializerClass[] = [
  Zeros, Ones, Constant, Identity, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling,
  GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform, Orthogonal,
];

const snake = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const camel = (name: string): string => name[0].toLowerCase() + name.slice(1);

/**
 * Every name Keras accepts (the class name, its snake_case, Keras's aliases and legacy class
 * names) plus the camelCase that TypeScript code writes.
 */
const BY_NAME = new Map<string, InitializerClass>();
for (const cls of CLASSES) {
  BY_NAME.set(cls.className, cls);
  BY_NAME.set(snake(cls.className), cls);
  BY_NAME.set(camel(cls.className), cls);
}
const ALIASES: Record<string, InitializerClass> = {
  uniform: RandomUniform,
  normal: RandomNormal,
  one: Ones,
  zero: Zeros,
  Orthogonal: Orthogonal,
  orthogonal: Orthogonal,
  IdentityInitializer: Identity,
  identity_initializer: Identity,
};
for (const [name, cls] of Object.entries(ALIASES)) BY_NAME.set(name, cls);

/** The snake_case names, which is what error messages list. */
// Orthogonal's class is OrthogonalInitializer, but users write Keras's short name 'orthogonal'.
export const INITIALIZER_NAMES: readonly string[] = CLASSES.map((c) => (c === Orthogonal ? 'orthogonal' : snake(c.className)));

/** What `get` accepts. */
export type InitializerIdentifier =
  | string
  | Initializer
  | (abstract new (...args: never[]) => Initializer)
  | { className: string; config?: InitializerConfig }
  | { class_name: string; config?: InitializerConfig; module?: string; registered_name?: string | null };

function byName(name: string): InitializerClass {
  const cls = BY_NAME.get(name);
  if (cls) return cls;
  const loose = (s: string): string => s.replace(/_/g, '').toLowerCase();
  const near = [...BY_NAME.keys()].find((k) => loose(k) === loose(name));
  throw new Error(
    `initializers.get: unknown initializer ${JSON.stringify(name)}${near ? ` (did you mean '${near}'?)` : ''}. ` +
      `Expected one of ${INITIALIZER_NAMES.map((n) => `'${n}'`).join(', ')} (or the class name, e.g. 'GlorotUniform', or camelCase, e.g. 'glorotUniform'). ` +
      `Fix: use one of those names, or pass an Initializer instance for a custom one.`,
  );
}

/**
 * An initializer from a name, a `{ class_name, config }` (or `{ className, config }`) object, a
 * class, or an instance (returned as is). `null`/`undefined` give null, as Keras's get(None).
 */
export function get(identifier: InitializerIdentifier): Initializer;
export function get(identifier: InitializerIdentifier | null | undefined): Initializer | null;
export function get(identifier: InitializerIdentifier | null | undefined): Initializer | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === 'string') return byName(identifier).fromConfig({});
  if (typeof identifier === 'function') {
    if (identifier.prototype instanceof Initializer) return new (identifier as unknown as new () => Initializer)();
  } else if (typeof identifier === 'object') {
    const name = 'class_name' in identifier ? identifier.class_name : 'className' in identifier ? identifier.className : undefined;
    if (typeof name === 'string') {
      const config = identifier.config ?? {};
      if (typeof config !== 'object' || config === null || Array.isArray(config)) {
        throw new TypeError(`initializers.get: the config of '${name}' must be an object, got ${JSON.stringify(config)}. Fix: pass { class_name: '${name}', config: {} }.`);
      }
      return byName(name).fromConfig(config);
    }
  }
  const shown =
    typeof identifier === 'function' ? `the function ${identifier.name || '(anonymous)'}` : typeof identifier === 'object' ? JSON.stringify(identifier) : String(identifier);
  throw new TypeError(
    `initializers.get: cannot interpret ${shown} as an initializer. ` +
      `Expected a name such as 'glorot_uniform', { class_name, config }, an Initializer subclass or an instance. ` +
      `Fix: pass one of those; for a custom initializer, subclass initializers.Initializer and implement call(shape, dtype).`,
  );
}

/** The Keras 3 serialized form: `{ module, class_name, config, registered_name }`, as in a saved model's config.json. */
export function serialize(initializer: Initializer): { module: string | null; class_name: string; config: InitializerConfig; registered_name: string | null } {
  if (!(initializer instanceof Initializer)) {
    throw new TypeError(`initializers.serialize: expected an Initializer, got ${typeof initializer}. Fix: pass e.g. initializers.get('zeros').`);
  }
  const builtin = BY_NAME.get(initializer.className) === initializer.constructor;
  return {
    module: builtin ? 'keras.initializers' : null,
    class_name: initializer.className,
    config: initializer.getConfig(),
    registered_name: builtin ? null : initializer.className,
  };
}

/** The inverse of `serialize` (also accepts a name). */
export function deserialize(config: InitializerIdentifier): Initializer {
  return get(config);
}
