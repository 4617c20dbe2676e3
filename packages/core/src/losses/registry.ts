/**
 * Losses by identifier, as keras.losses.get / serialize / deserialize take them: Keras's snake_case
 * function names and aliases ('mse', 'bce', ...), class names, camelCase spellings, configs,
 * functions, classes and instances. `get` always gives a Loss, ready for `compile`.
 */
import type { SymbolicShape } from '../tensor/shape.js';
import {
  BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
  binaryCrossentropy, binaryFocalCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy,
} from './crossentropy.js';
import { CategoricalHinge, Hinge, SquaredHinge, categoricalHinge, hinge, squaredHinge } from './hinge.js';
import { Loss, LossFunctionWrapper, type LossFunction, type LossOptions } from './loss.js';
import { KLDivergence, Poisson, klDivergence, poisson } from './probabilistic.js';
import {
  CosineSimilarity, Huber, LogCosh, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError, MeanSquaredLogarithmicError,
  cosineSimilarity, huber, logCosh, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredError, meanSquaredLogarithmicError,
} from './regression.js';

type LossClass = (new (options?: LossOptions) => Loss) & { readonly className: string; fromConfig(config?: Record<string, unknown>): Loss };

/** Keras's function names, with the function and the class that wraps it. */
const FUNCTIONS: Record<string, [LossFunction<never>, LossClass]> = {
  binary_crossentropy: [binaryCrossentropy, BinaryCrossentropy],
  binary_focal_crossentropy: [binaryFocalCrossentropy, BinaryFocalCrossentropy],
  categorical_crossentropy: [categoricalCrossentropy, CategoricalCrossentropy],
  sparse_categorical_crossentropy: [sparseCategoricalCrossentropy, SparseCategoricalCrossentropy],
  mean_squared_error: [meanSquaredError, MeanSquaredError],
  mean_absolute_error: [meanAbsoluteError, MeanAbsoluteError],
  mean_absolute_percentage_error: [meanAbsolutePercentageError, MeanAbsolutePercentageError],
  mean_squared_logarithmic_error: [meanSquaredLogarithmicError, MeanSquaredLogarithmicError],
  huber: [huber, Huber],
  log_cosh: [logCosh, LogCosh],
  cosine_similarity: [cosineSimilarity, CosineSimilarity],
  hinge: [hinge, Hinge],
  squared_hinge: [squaredHinge, SquaredHinge],
  categorical_hinge: [categoricalHinge, CategoricalHinge],
  kl_divergence: [klDivergence, KLDivergence],
  poisson: [poisson, Poisson],
};

/** Keras's aliases (and its legacy ones). */
const ALIASES: Record<string, string> = {
  bce: 'binary_crossentropy', BCE: 'binary_crossentropy', kld: 'kl_divergence', KLD: 'kl_divergence', kullback_leibler_divergence: 'kl_divergence',
  mae: 'mean_absolute_error', MAE: 'mean_absolute_error', mse: 'mean_squared_error', MSE: 'mean_squared_error',
  mape: 'mean_absolute_percentage_error', MAPE: 'mean_absolute_percentage_error', msle: 'mean_squared_logarithmic_error', MSLE: 'mean_squared_logarithmic_error',
  logcosh: 'log_cosh',
};

const CLASSES: readonly LossClass[] = Object.values(FUNCTIONS).map(([, cls]) => cls);
const camel = (snake: string): string => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const FUNCTION_BY_NAME = new Map<string, string>();
for (const name of Object.keys(FUNCTIONS)) {
  FUNCTION_BY_NAME.set(name, name);
  FUNCTION_BY_NAME.set(camel(name), name);
}
for (const [alias, name] of Object.entries(ALIASES)) FUNCTION_BY_NAME.set(alias, name);
const CLASS_BY_NAME = new Map<string, LossClass>(CLASSES.map((cls) => [cls.className, cls]));

/** The snake_case names, which error messages list. */
export const LOSS_NAMES: readonly string[] = Object.keys(FUNCTIONS);

/** The Keras snake_case name a loss name or alias stands for ('mean_squared_error' for 'mse' or 'meanSquaredError'), or undefined. */
export function canonicalLossName(name: string): string | undefined {
  return FUNCTION_BY_NAME.get(name);
}

/** The Keras snake_case name of a built-in loss class ('categorical_crossentropy' for CategoricalCrossentropy), or undefined. */
export function lossClassName(loss: Loss): string | undefined {
  return Object.entries(FUNCTIONS).find(([, [, cls]]) => loss.constructor === cls)?.[0];
}

/** The Keras name of a built-in loss function ('mean_squared_error' for losses.meanSquaredError), or undefined. */
export function lossFunctionName(fn: unknown): string | undefined {
  return Object.entries(FUNCTIONS).find(([, [f]]) => f === fn)?.[0];
}

/** What `get` accepts. */
export type LossIdentifier =
  | string
  | Loss
  | LossFunction<never>
  | (abstract new (...args: never[]) => Loss)
  | { class_name: string; config?: Record<string, unknown> | string; module?: string | null; registered_name?: string | null }
  | { className: string; config?: Record<string, unknown> };

function unknownName(name: string): Error {
  const loose = (s: string): string => s.replace(/_/g, '').toLowerCase();
  const near = [...FUNCTION_BY_NAME.keys(), ...CLASS_BY_NAME.keys()].find((k) => loose(k) === loose(name));
  return new Error(
    `losses.get: unknown loss ${JSON.stringify(name)}${near ? ` (did you mean '${near}'?)` : ''}. ` +
      `Expected one of ${LOSS_NAMES.map((n) => `'${n}'`).join(', ')}, an alias (${Object.keys(ALIASES).filter((a) => a === a.toLowerCase()).map((a) => `'${a}'`).join(', ')}), ` +
      `a class name such as 'BinaryCrossentropy', or camelCase such as 'binaryCrossentropy'. Fix: use one of those names, or pass a Loss instance or a function (yTrue, yPred) => per-sample losses.`,
  );
}

function byName(name: string, config?: Record<string, unknown>): Loss {
  const cls = CLASS_BY_NAME.get(name);
  if (cls) return cls.fromConfig(config ?? {});
  const fnName = FUNCTION_BY_NAME.get(name);
  // A function name gives its class under that name, as Keras's compile wraps the function.
  if (fnName !== undefined) return new FUNCTIONS[fnName][1]({ name });
  throw unknownName(name);
}

/**
 * A Loss from an identifier. `null`/`undefined` give null, as Keras's get(None).
 *
 * ```ts
 * losses.get('binary_crossentropy');                       // a BinaryCrossentropy named 'binary_crossentropy'
 * losses.get({ class_name: 'CategoricalCrossentropy', config: { from_logits: true } });
 * losses.get((yTrue, yPred) => ops.mean(ops.abs(ops.subtract(yTrue, yPred)), { axis: -1 }));
 * ```
 */
export function get(identifier: LossIdentifier): Loss;
export function get(identifier: LossIdentifier | null | undefined): Loss | null;
export function get(identifier: LossIdentifier | null | undefined): Loss | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === 'string') return byName(identifier);
  if (typeof identifier === 'function') {
    if (identifier.prototype instanceof Loss) return new (identifier as unknown as new () => Loss)();
    const builtin = lossFunctionName(identifier);
    if (builtin !== undefined) return new FUNCTIONS[builtin][1]({ name: builtin });
    return new LossFunctionWrapper(identifier as LossFunction<never>, { name: identifier.name || 'loss' });
  }
  if (typeof identifier === 'object') {
    const name = 'class_name' in identifier ? identifier.class_name : 'className' in identifier ? identifier.className : undefined;
    const config = identifier.config;
    // Keras serializes a loss function as { class_name: 'function', config: 'binary_crossentropy' }.
    if (name === 'function' && typeof config === 'string') return byName(config);
    if (name === 'LossFunctionWrapper' && typeof config === 'object' && typeof config.fn === 'string') {
      const inner = byName(config.fn);
      return new LossFunctionWrapper((inner as LossFunctionWrapper).fn, { name: config.name as string | undefined, reduction: config.reduction as LossOptions['reduction'] });
    }
    if (typeof name === 'string' && (config === undefined || (typeof config === 'object' && config !== null && !Array.isArray(config)))) return byName(name, config ?? {});
  }
  const shown = typeof identifier === 'object' ? JSON.stringify(identifier) : String(identifier);
  throw new TypeError(
    `losses.get: could not interpret loss identifier ${shown}. Expected a name such as 'binary_crossentropy', { class_name, config }, ` +
      `a Loss subclass, an instance, or a function (yTrue, yPred) => per-sample losses. Fix: pass one of those.`,
  );
}

/** Keras 3's serialized form: `{ module, class_name, config, registered_name }`. */
export function serialize(loss: Loss): { module: string | null; class_name: string; config: Record<string, unknown>; registered_name: string | null } {
  if (!(loss instanceof Loss)) throw new TypeError(`losses.serialize: expected a Loss, got ${typeof loss}. Fix: pass e.g. losses.get('mse').`);
  const builtin = CLASS_BY_NAME.get(loss.className) === loss.constructor || loss.constructor === LossFunctionWrapper;
  return { module: builtin ? 'keras.losses' : null, class_name: loss.className, config: loss.getConfig(), registered_name: builtin ? null : loss.className };
}

/** The inverse of `serialize` (also accepts anything `get` does). */
export function deserialize(config: LossIdentifier): Loss {
  return get(config);
}

/**
 * Throws a Keras-style error when labels of shape `yTrueShape` cannot go with predictions of
 * `yPredShape` under `loss` (e.g. one-hot labels for sparse_categorical_crossentropy). `null`
 * sizes (a KerasTensor's batch axis) match anything. `fit` calls it before the first step.
 */
export function checkLossShapes(loss: LossIdentifier, yTrueShape: SymbolicShape, yPredShape: SymbolicShape): void {
  get(loss).checkShapes(yTrueShape, yPredShape);
}
