/**
 * keras.optimizers: the optimizers, learning-rate schedules, and `get` / `serialize` /
 * `deserialize` that turn Keras's names and configs into optimizers and back.
 *
 * ```ts
 * optimizers.get('adam');                                               // Adam with Keras's defaults
 * optimizers.get({ class_name: 'SGD', config: { learning_rate: 0.1, momentum: 0.9 } });
 * new optimizers.AdamW({ learningRate: new optimizers.schedules.CosineDecay({ initialLearningRate: 1e-3, decaySteps: 1000 }) });
 * ```
 */
import { Adadelta } from './adadelta.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Adamax } from './adamax.js';
import { AdamW } from './adamw.js';
import { Lion } from './lion.js';
import { Nadam } from './nadam.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

export { Optimizer, type OptimizerConfig, type OptimizerOptions, type OptimizerDefaults, type GradientAndVariable } from './optimizer.js';
export type { TrainingOptimizer } from './optimizer_interface.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, type AdamOptions } from './adam.js';
export { AdamW } from './adamw.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { Adadelta, type AdadeltaOptions } from './adadelta.js';
export { Adamax, type AdamaxOptions } from './adamax.js';
export { Nadam, type NadamOptions } from './nadam.js';
export { Lion, type LionOptions } from './lion.js';
export * as schedules from './schedules/learning_rate_schedule.js';

type OptimizerClass = (new () => Optimizer) & { className: string; fromConfig(config: OptimizerConfig): Optimizer };

const CLASSES: readonly OptimizerClass[] = [SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, Nadam, Lion];

/** Keras's names for the optimizers (its class names in lower case), which error messages list. */
export const OPTIMIZER_NAMES: readonly string[] = CLASSES.map((c) => c.className.toLowerCase());

/** What `get` accepts. */
export type OptimizerIdentifier =
  | string
  | Optimizer
  | (abstract new (...args: never[]) => Optimizer)
  | { class_name: string; config?: OptimizerConfig; module?: string | null; registered_name?: string | null }
  | { className: string; config?: OptimizerConfig };

/** Names match case-insensitively, as Keras deserializes built-in optimizers: 'adam', 'Adam', 'rmsprop', 'RMSprop', 'adamW'. */
function byName(name: string): OptimizerClass {
  const cls = CLASSES.find((c) => c.className.toLowerCase() === name.toLowerCase());
  if (cls) return cls;
  throw new Error(
    `optimizers.get: unknown optimizer ${JSON.stringify(name)}. Expected one of ${OPTIMIZER_NAMES.map((n) => `'${n}'`).join(', ')} ` +
      `(in any letter case, e.g. 'Adam' or 'RMSprop'). Fix: use one of those names, or pass an Optimizer instance for a custom one.`,
  );
}

/**
 * An optimizer from a name ('adam'), a `{ class_name, config }` (or `{ className, config }`)
 * object with Keras's snake_case config, an Optimizer subclass (made with its defaults), or an
 * instance (returned as is).
 */
export function get(identifier: OptimizerIdentifier): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') return new (byName(identifier))();
  if (typeof identifier === 'function') {
    if (identifier.prototype instanceof Optimizer) return new (identifier as unknown as new () => Optimizer)();
  } else if (identifier !== null && typeof identifier === 'object') {
    const name = 'class_name' in identifier ? identifier.class_name : 'className' in identifier ? identifier.className : undefined;
    if (typeof name === 'string') {
      const config = identifier.config ?? {};
      if (typeof config !== 'object' || config === null || Array.isArray(config)) {
        throw new TypeError(`optimizers.get: the config of '${name}' must be an object, got ${JSON.stringify(config)}. Fix: pass { class_name: '${name}', config: {} }.`);
      }
      return byName(name).fromConfig(config);
    }
  }
  const shown = typeof identifier === 'function' ? `the function ${(identifier as { name?: string }).name || '(anonymous)'}` : JSON.stringify(identifier) ?? String(identifier);
  throw new TypeError(
    `optimizers.get: could not interpret optimizer identifier ${shown}. ` +
      `Expected a name such as 'adam', { class_name, config }, an Optimizer subclass or an instance. Fix: pass one of those.`,
  );
}

/** The Keras 3 serialized form: `{ module, class_name, config, registered_name }`. */
export function serialize(optimizer: Optimizer): { module: string | null; class_name: string; config: OptimizerConfig; registered_name: string | null } {
  if (!(optimizer instanceof Optimizer)) {
    throw new TypeError(`optimizers.serialize: expected an Optimizer, got ${typeof optimizer}. Fix: pass e.g. optimizers.get('adam').`);
  }
  const builtin = CLASSES.some((c) => c === optimizer.constructor);
  return {
    module: builtin ? 'keras.optimizers' : null,
    class_name: optimizer.className,
    config: optimizer.getConfig(),
    registered_name: builtin ? null : optimizer.className,
  };
}

/** The inverse of `serialize` (also accepts a name or an instance). */
export function deserialize(config: OptimizerIdentifier): Optimizer {
  return get(config);
}
