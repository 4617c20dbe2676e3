/**
 * A model's compile arguments as Keras 3's `compile_config` (and back): optimizer, loss, metrics,
 * loss weights. Keras 2's `training_config` (`optimizer_config`, `lr`) is read too.
 */
import type { Model } from '../models/model.js';
import type { CompileArgs } from '../trainers/compile_utils.js';
import * as losses from '../losses/index.js';
import * as metrics from '../metrics/index.js';
import * as optimizers from '../optimizers/index.js';
import { getRegisteredObject } from './object_registration.js';
import { deserializeKerasObject, serializeKerasObject, type DeserializeOptions } from './serialization_lib.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A loss or metric argument as JSON: names stay names, objects become `{ module, class_name, config }`. */
function serializeCompileValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map(serializeCompileValue);
  if (value instanceof losses.Loss || value instanceof metrics.Metric || typeof value === 'function') return serializeKerasObject(value);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = serializeCompileValue(v);
    return out;
  }
  return value;
}

/** Keras's compile_config of a compiled model, or null. */
export function compileConfigOf(model: Model): Record<string, unknown> | null {
  const state = model.compileState;
  if (!state) return null;
  const args = state.args;
  return {
    // Keras keeps the compile arguments as given: a name stays a name.
    optimizer: typeof args.optimizer === 'string' ? args.optimizer : serializeKerasObject(state.optimizer),
    loss: serializeCompileValue(args.loss),
    loss_weights: args.lossWeights === undefined ? null : serializeCompileValue(args.lossWeights),
    metrics: serializeCompileValue(args.metrics),
    weighted_metrics: serializeCompileValue(args.weightedMetrics),
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}

type Kind = 'loss' | 'metric';

function deserializeCompileValue(value: unknown, kind: Kind, options: DeserializeOptions): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((v) => deserializeCompileValue(v, kind, options));
  if (!isRecord(value)) return value;
  const className = value.class_name;
  if (typeof className !== 'string') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = deserializeCompileValue(v, kind, options);
    return out;
  }
  // Keras writes a loss function as { class_name: 'function', config: 'binary_crossentropy' }.
  if (className === 'function' && typeof value.config === 'string') {
    const custom = getRegisteredObject(value.config, null, options.customObjects);
    return custom ?? value.config;
  }
  const registered = typeof value.registered_name === 'string' ? value.registered_name : null;
  const custom = getRegisteredObject(className, registered, options.customObjects);
  if (custom !== undefined || registered !== null) return deserializeKerasObject(value, options);
  return kind === 'loss' ? losses.deserialize(value as never) : metrics.deserialize(value as never);
}

/** Keras 2 optimizer configs hold keys Keras 3 renamed (`lr`) or dropped (`decay`); keep what the class takes. */
function optimizerFromLegacyConfig(entry: Record<string, unknown>): optimizers.Optimizer {
  // Keras 2.11 to 2.15 named its own optimizers 'Custom>Adam' in training configs.
  const className = (entry.class_name as string).replace(/^Custom>/, '');
  const given = isRecord(entry.config) ? { ...entry.config } : {};
  if ('lr' in given && !('learning_rate' in given)) given.learning_rate = given.lr;
  const known = new Set(Object.keys(optimizers.get(className).getConfig()));
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) if (known.has(key)) config[key] = value;
  return optimizers.deserialize({ class_name: className, config } as never);
}

const OPTIMIZER_NAMES = new Set(optimizers.OPTIMIZER_NAMES.map((n) => n.toLowerCase()));

function optimizerFromConfig(value: unknown, options: DeserializeOptions): CompileArgs['optimizer'] {
  if (typeof value === 'string') return value;
  if (!isRecord(value) || typeof value.class_name !== 'string') {
    throw new TypeError(`compile_config: the optimizer is ${JSON.stringify(value)?.slice(0, 200)}; expected a name such as "adam" or { class_name, config }.`);
  }
  const registered = typeof value.registered_name === 'string' ? value.registered_name : null;
  const builtin = OPTIMIZER_NAMES.has(value.class_name.replace(/^Custom>/, '').toLowerCase());
  if (!builtin && (getRegisteredObject(value.class_name, registered, options.customObjects) !== undefined || registered !== null)) {
    return deserializeKerasObject(value, options) as optimizers.Optimizer;
  }
  return optimizerFromLegacyConfig(value);
}

/** Compiles `model` as a compile_config (or a Keras 2 training_config) says. */
export function compileFromConfig(model: Model, compileConfig: Record<string, unknown>, options: DeserializeOptions = {}): void {
  const optimizerEntry = compileConfig.optimizer ?? compileConfig.optimizer_config;
  const args: CompileArgs = {};
  if (optimizerEntry !== undefined && optimizerEntry !== null) args.optimizer = optimizerFromConfig(optimizerEntry, options);
  const loss = deserializeCompileValue(compileConfig.loss, 'loss', options);
  if (loss !== undefined) args.loss = loss as CompileArgs['loss'];
  const metricList = deserializeCompileValue(compileConfig.metrics, 'metric', options);
  if (metricList !== undefined) args.metrics = metricList as CompileArgs['metrics'];
  const weighted = deserializeCompileValue(compileConfig.weighted_metrics, 'metric', options);
  if (weighted !== undefined) args.weightedMetrics = weighted as CompileArgs['weightedMetrics'];
  if (compileConfig.loss_weights !== null && compileConfig.loss_weights !== undefined) args.lossWeights = compileConfig.loss_weights as CompileArgs['lossWeights'];
  model.compile(args);
}
