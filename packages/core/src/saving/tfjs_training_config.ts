/**
 * The training config tfjs-layers writes (`model.save(..., { includeOptimizer: true })`) in the
 * Keras 2 form compile_config.ts reads. tfjs spells its names its own way: losses and metrics in
 * camelCase ('meanSquaredError'), optimizers by tfjs class ('RMSProp', 'Momentum') with camelCase
 * settings ('learningRate', 'beta1'), and RMSProp's `decay` is Keras's `rho`.
 */

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
