/**
 * The training config tfjs-layers writes (`model.save(..., { includeOptimizer: true })`) in the
 * Keras 2 form compile_config.ts reads, and a compiled keras-ts model's in tfjs-layers' form. tfjs spells its names its own way: losses and metrics in
 * camelCase ('meanSquaredError'), optimizers by tfjs class ('RMSProp', 'Momentum') with camelCase
 * settings ('learningRate', 'beta1'), and RMSProp's `decay` is Keras's `rho`.
 */
import type { Model } from '../models/model.js';
import * as losses from '../losses/index.js';
import * as optimizers from '../optimizers/index.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const snakeCase = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** tfjs optimizer class -> Keras class, and tfjs setting -> Keras argument. */
const OPTIMIZERS: Record<string, { className: string; settings: Record<string, string> }> = {
  SGD: { className: 'SGD', settings: { learningRate: 'learning_rate' } },
  Momentum: { className: 'SGD', settings: { learningRate: 'learning_rate', momentum: 'momentum', useNesterov: 'nesterov' } },
  Adam: { className: 'Adam', settings: { learningRate: 'learning_rate', beta1: 'beta_1', beta2: 'beta_2', epsilon: 'epsilon' } },
  Adamax: { className: 'Adamax', settings: { learningRate: 'learning_rate', beta1: 'beta_1', beta2: 'beta_2', epsilon: 'epsilon' } },
  RMSProp: { className: 'RMSprop', settings: { learningRate: 'learning_rate', decay: 'rho', momentum: 'momentum', epsilon: 'epsilon', centered: 'centered' } },
  Adagrad: { className: 'Adagrad', settings: { learningRate: 'learning_rate', initialAccumulatorValue: 'initial_accumulator_value' } },
  Adadelta: { className: 'Adadelta', settings: { learningRate: 'learning_rate', rho: 'rho', epsilon: 'epsilon' } },
};

function optimizerToKeras(value: unknown): unknown {
  if (!isRecord(value) || typeof value.class_name !== 'string') return value;
  const known = OPTIMIZERS[value.class_name];
  if (!known) return value;
  const config: Record<string, unknown> = {};
  const given = isRecord(value.config) ? value.config : {};
  for (const [key, setting] of Object.entries(given)) {
    const name = known.settings[key];
    // Settings Keras has no argument for (tfjs's Adamax decay) stay out rather than fail the compile.
    if (name !== undefined && setting !== null) config[name] = setting;
  }
  return { class_name: known.className, config };
}

/** A loss or metric name, or a list or record of them, in Keras's snake_case. */
function namesToKeras(value: unknown): unknown {
  if (typeof value === 'string') return snakeCase(value);
  if (Array.isArray(value)) return value.map(namesToKeras);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, namesToKeras(v)]));
  return value;
}

/** tfjs-layers' `trainingConfig` as the Keras 2 training_config it stands for. */
export function tfjsTrainingConfigToKeras(trainingConfig: Record<string, unknown>): Record<string, unknown> {
  return {
    ...trainingConfig,
    loss: namesToKeras(trainingConfig.loss),
    metrics: namesToKeras(trainingConfig.metrics),
    optimizer_config: optimizerToKeras(trainingConfig.optimizer_config),
  };
}

// --- writing ------------------------------------------------------------------------------------

/** Keras loss -> tfjs-layers loss name, for the losses tfjs-layers has. */
const TFJS_LOSSES: Readonly<Record<string, string>> = {
  mean_squared_error: 'meanSquaredError', mean_absolute_error: 'meanAbsoluteError', mean_absolute_percentage_error: 'meanAbsolutePercentageError',
  mean_squared_logarithmic_error: 'meanSquaredLogarithmicError', squared_hinge: 'squaredHinge', hinge: 'hinge', categorical_hinge: 'categoricalHinge',
  log_cosh: 'logcosh', categorical_crossentropy: 'categoricalCrossentropy', sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  binary_crossentropy: 'binaryCrossentropy', kl_divergence: 'kullbackLeiblerDivergence', poisson: 'poisson',
};

/** Keras metric names -> tfjs-layers metric names, for the metrics tfjs-layers has. */
const TFJS_METRICS: Readonly<Record<string, string>> = {
  accuracy: 'accuracy', acc: 'acc', binary_accuracy: 'binaryAccuracy', categorical_accuracy: 'categoricalAccuracy',
  precision: 'precision', recall: 'recall', mse: 'meanSquaredError', mean_squared_error: 'meanSquaredError',
  mae: 'meanAbsoluteError', mean_absolute_error: 'meanAbsoluteError', mape: 'MAPE', mean_absolute_percentage_error: 'meanAbsolutePercentageError',
  binary_crossentropy: 'binaryCrossentropy', categorical_crossentropy: 'categoricalCrossentropy', sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
};

/** Thrown inside the conversion to say what tfjs-layers cannot express. */
class Inexpressible extends Error {}

/** One value per output (a list, or a plain object by output name) or one for all: `one` applied to each. */
function perOutputValue(value: unknown, one: (v: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => perOutputValue(v, one));
  // A Loss or Metric object is one value, not a record of outputs.
  if (isRecord(value) && Object.getPrototypeOf(value) === Object.prototype) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, perOutputValue(v, one)]));
  return one(value);
}

function tfjsLoss(loss: unknown): string {
  let name: string | undefined;
  if (typeof loss === 'string') name = losses.canonicalLossName(loss);
  else if (typeof loss === 'function') name = losses.lossFunctionName(loss);
  else if (loss instanceof losses.Loss) {
    name = losses.lossClassName(loss);
    // Only a loss built with its defaults (no from_logits, no label smoothing, ...) is tfjs's function.
    const defaults = name === undefined ? undefined : new (loss.constructor as new () => losses.Loss)().getConfig();
    const given = loss.getConfig();
    if (defaults !== undefined && Object.keys(given).some((k) => k !== 'name' && JSON.stringify(given[k]) !== JSON.stringify(defaults[k]))) {
      throw new Inexpressible(`the loss ${loss.constructor.name} has settings tfjs-layers' ${TFJS_LOSSES[name as string] ?? name} lacks (${JSON.stringify(given)})`);
    }
  }
  const tfjsName = name === undefined ? undefined : TFJS_LOSSES[name];
  if (tfjsName === undefined) throw new Inexpressible(`tfjs-layers has no loss ${typeof loss === 'string' ? `'${loss}'` : name ?? String((loss as { constructor?: { name?: string } })?.constructor?.name)}`);
  return tfjsName;
}

function tfjsMetric(metric: unknown): string {
  const tfjsName = typeof metric === 'string' ? TFJS_METRICS[metric] : undefined;
  if (tfjsName === undefined) throw new Inexpressible(`tfjs-layers' training config holds metrics by name only, and has no '${typeof metric === 'string' ? metric : String((metric as { constructor?: { name?: string } })?.constructor?.name)}'`);
  return tfjsName;
}

function tfjsOptimizer(optimizer: unknown): Record<string, unknown> {
  if (!(optimizer instanceof optimizers.Optimizer)) throw new Inexpressible('the optimizer is not a keras-ts Optimizer');
  const { class_name: className, config } = optimizers.serialize(optimizer);
  if (typeof config.learning_rate !== 'number') throw new Inexpressible('tfjs-layers optimizers take a fixed learning rate, not a schedule');
  for (const key of ['weight_decay', 'clipnorm', 'global_clipnorm', 'clipvalue', 'loss_scale_factor'] as const) {
    if (config[key] !== null && config[key] !== undefined && config[key] !== 0) throw new Inexpressible(`tfjs-layers optimizers have no ${key}`);
  }
  if (config.use_ema === true) throw new Inexpressible('tfjs-layers optimizers have no use_ema');
  const learningRate = config.learning_rate;
  switch (className) {
    case 'SGD':
      return config.momentum === 0 && config.nesterov !== true
        ? { class_name: 'SGD', config: { learningRate } }
        : { class_name: 'Momentum', config: { learningRate, momentum: config.momentum, useNesterov: config.nesterov === true } };
    case 'Adam':
      if (config.amsgrad === true) throw new Inexpressible("tfjs-layers' Adam has no amsgrad");
      return { class_name: 'Adam', config: { learningRate, beta1: config.beta_1, beta2: config.beta_2, epsilon: config.epsilon } };
    case 'Adamax':
      return { class_name: 'Adamax', config: { learningRate, beta1: config.beta_1, beta2: config.beta_2, epsilon: config.epsilon, decay: 0 } };
    case 'RMSprop':
      return { class_name: 'RMSProp', config: { learningRate, decay: config.rho, momentum: config.momentum, epsilon: config.epsilon, centered: config.centered } };
    case 'Adagrad':
      return { class_name: 'Adagrad', config: { learningRate, initialAccumulatorValue: config.initial_accumulator_value } };
    case 'Adadelta':
      return { class_name: 'Adadelta', config: { learningRate, rho: config.rho, epsilon: config.epsilon } };
    default:
      throw new Inexpressible(`tfjs-layers has no optimizer ${className}`);
  }
}

/**
 * The compiled model's training config in tfjs-layers' form (what its `model.save` writes with
 * includeOptimizer), or why it has none: tfjs-layers knows fewer losses, metrics and optimizer
 * settings than Keras, and a config it would read differently is better left out.
 */
export function kerasToTfjsTrainingConfig(model: Model): { config: Record<string, unknown> } | { reason: string } {
  const state = model.compileState;
  if (state === undefined) return { reason: 'the model is not compiled' };
  const args = state.args;
  try {
    if (args.weightedMetrics !== undefined && args.weightedMetrics !== null) throw new Inexpressible('tfjs-layers has no weighted metrics');
    const config: Record<string, unknown> = { loss: perOutputValue(args.loss, tfjsLoss), optimizer_config: tfjsOptimizer(state.optimizer) };
    if (args.metrics !== undefined && args.metrics !== null) config.metrics = perOutputValue(args.metrics, tfjsMetric);
    if (args.lossWeights !== undefined && args.lossWeights !== null) config.loss_weights = args.lossWeights;
    return { config };
  } catch (error) {
    if (error instanceof Inexpressible) return { reason: error.message };
    throw error;
  }
}
