/**
 * keras.activations: activation functions by name (Keras's snake_case names, camelCase accepted),
 * as Keras layers take them (`activation: 'relu'`). Definitions follow Keras 3's activations
 * (which differ from keras.ops defaults in places: `gelu` is the exact erf form, `leaky_relu` 0.2).
 */
import type { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';

export type Activation = (x: Tensor) => Tensor;

/** A function with the Keras name it serializes under. */
export interface NamedActivation extends Activation {
  readonly activationName: string;
}

function named(name: string, fn: Activation): NamedActivation {
  return Object.assign((x: Tensor) => fn(x), { activationName: name });
}

const REGISTRY: Record<string, NamedActivation> = {
  linear: named('linear', (x) => x),
  relu: named('relu', (x) => ops.relu(x)),
  relu6: named('relu6', (x) => ops.relu6(x)),
  sigmoid: named('sigmoid', (x) => ops.sigmoid(x)),
  tanh: named('tanh', (x) => ops.tanh(x)),
  softmax: named('softmax', (x) => ops.softmax(x, { axis: -1 })),
  log_softmax: named('log_softmax', (x) => ops.logSoftmax(x, { axis: -1 })),
  elu: named('elu', (x) => ops.elu(x)),
  selu: named('selu', (x) => ops.selu(x)),
  gelu: named('gelu', (x) => ops.gelu(x, { approximate: false })),
  softplus: named('softplus', (x) => ops.softplus(x)),
  softsign: named('softsign', (x) => ops.softsign(x)),
  leaky_relu: named('leaky_relu', (x) => ops.leakyRelu(x, { negativeSlope: 0.2 })),
  hard_sigmoid: named('hard_sigmoid', (x) => ops.hardSigmoid(x)),
  // Keras 2 (and tfjs-layers) defined hard_sigmoid as clip(0.2x + 0.5, 0, 1); Keras 2 configs load with this one.
  hard_sigmoid_keras2: named('hard_sigmoid_keras2', (x) => ops.clip(ops.add(ops.multiply(x, 0.2), 0.5), 0, 1)),
  hard_silu: named('hard_silu', (x) => ops.hardSilu(x)),
  silu: named('silu', (x) => ops.silu(x)),
  mish: named('mish', (x) => ops.mish(x)),
  exponential: named('exponential', (x) => ops.exp(x)),
};

const ALIASES: Record<string, string> = { swish: 'silu', hard_swish: 'hard_silu', logSoftmax: 'log_softmax', leakyRelu: 'leaky_relu', hardSigmoid: 'hard_sigmoid', hardSilu: 'hard_silu', hardSwish: 'hard_silu' };

export const ACTIVATION_NAMES: readonly string[] = Object.keys(REGISTRY);

/**
 * An activation by name, config (`{ class_name, config }` as Keras writes a custom one is not
 * supported), function, or null/undefined for linear.
 *
 * ```ts
 * activations.get('relu')(x);
 * ```
 */
export function get(identifier: string | Activation | null | undefined): NamedActivation {
  if (identifier === null || identifier === undefined) return REGISTRY.linear;
  if (typeof identifier === 'function') {
    if ('activationName' in identifier) return identifier as NamedActivation;
    return CUSTOM_BY_FUNCTION.get(identifier) ?? named(identifier.name || 'custom_activation', identifier);
  }
  if (typeof identifier === 'string') {
    const key = ALIASES[identifier] ?? identifier;
    const found = REGISTRY[key] ?? CUSTOM[identifier];
    if (found) return found;
  }
  throw new Error(
    `Could not interpret activation function identifier: ${JSON.stringify(identifier)}. Expected one of ${ACTIVATION_NAMES.map((n) => `'${n}'`).join(', ')}, or a function. ` +
      `Fix: use one of those names (camelCase spellings such as 'leakyRelu' work too).`,
  );
}

/** The name an activation serializes under. */
export function serialize(activation: Activation): string {
  if ('activationName' in activation) return (activation as NamedActivation).activationName;
  return CUSTOM_BY_FUNCTION.get(activation)?.activationName ?? activation.name;
}

/** Custom activations by registered name (registerKerasSerializable of a function puts them here). */
const CUSTOM: Record<string, NamedActivation> = {};
const CUSTOM_BY_FUNCTION = new Map<Activation, NamedActivation>();

/**
 * Makes a custom activation function known by `name` ('Custom>my_activation' from
 * registerKerasSerializable), so layers that use it serialize that name and configs load it.
 */
export function registerActivation(name: string, activation: Activation): NamedActivation {
  if (typeof activation !== 'function') {
    throw new TypeError(`registerActivation('${name}'): expected a function (x: Tensor) => Tensor, got ${activation === null ? 'null' : typeof activation}.`);
  }
  const entry = named(name, activation);
  CUSTOM[name] = entry;
  CUSTOM_BY_FUNCTION.set(activation, entry);
  return entry;
}

export const { linear, relu, relu6, sigmoid, tanh, softmax, elu, selu, gelu, softplus, softsign, silu, mish } = REGISTRY;
