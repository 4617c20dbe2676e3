/**
 * Every optimizer, loss, metric, initializer, regularizer and constraint class through
 * serializeKerasObject, JSON text and deserializeKerasObject: same class, same config. Registered
 * custom ones inside a layer's config load back as the custom class.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Input, Sequential, constraints, initializers, layers, losses, metrics, ops, optimizers, regularizers, type Tensor } from '@keras-ts/core';
import { deserializeKerasObject, modelFromConfig, modelToConfig, registerKerasSerializable, serializeKerasObject, type SerializedObject } from '../src/saving/serialization_lib.js';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
});

type Configurable = { getConfig(): Record<string, unknown>; constructor: unknown };

/** The exported classes of a namespace that extend `base` (the base itself and abstract helpers left out). */
function classesOf(namespace: Record<string, unknown>, base: { prototype: object }, skip: readonly string[] = []): [string, new () => Configurable][] {
  return Object.entries(namespace)
    .filter(([name, value]) => typeof value === 'function' && Object.prototype.isPrototypeOf.call(base.prototype, (value as { prototype: object }).prototype) && !skip.includes(name))
    .map(([name, value]) => [name, value as new () => Configurable]);
}

function expectRoundTrip(object: Configurable): void {
  const serialized = serializeKerasObject(object) as SerializedObject;
  expect(typeof serialized.class_name).toBe('string');
  expect(serialized.module).toMatch(/^keras\./);
  const loaded = deserializeKerasObject(JSON.parse(JSON.stringify(serialized)) as unknown) as Configurable;
  expect(loaded.constructor).toBe(object.constructor);
  expect(loaded.getConfig()).toEqual(object.getConfig());
}

/** Constructor arguments for the classes that need some. */
const ARGUMENTS: Record<string, Record<string, unknown>> = {
  Constant: { value: 0.5 },
  FBetaScore: { beta: 2 },
  MeanMetricWrapper: { fn: 'mean_squared_error' },
  LossFunctionWrapper: { fn: 'mean_squared_error' },
};

describe('serializeKerasObject / deserializeKerasObject round trips', () => {
  it.each(classesOf(optimizers as unknown as Record<string, unknown>, optimizers.Optimizer))('optimizer %s', (_name, cls) => {
    expectRoundTrip(new cls());
  });

  it.each(classesOf(losses as unknown as Record<string, unknown>, losses.Loss, ['BuiltinLoss', 'LossFunctionWrapper']))('loss %s', (name, cls) => {
    expectRoundTrip(new (cls as new (args?: Record<string, unknown>) => Configurable)(ARGUMENTS[name]));
  });

  it.each(classesOf(metrics as unknown as Record<string, unknown>, metrics.Metric, ['MeanMetricWrapper']))('metric %s', (name, cls) => {
    expectRoundTrip(new (cls as new (args?: Record<string, unknown>) => Configurable)(ARGUMENTS[name]));
  });

  it.each(classesOf(initializers as unknown as Record<string, unknown>, initializers.Initializer, ['RandomInitializer']))('initializer %s', (name, cls) => {
    expectRoundTrip(new (cls as new (args?: Record<string, unknown>) => Configurable)(ARGUMENTS[name]));
  });

  it('an optimizer driven by a learning-rate schedule', () => {
    expectRoundTrip(new optimizers.Adam({ learningRate: new optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.5, decaySteps: 10, decayRate: 0.5 }) }));
  });

  it('regularizers and constraints', () => {
    for (const object of [new regularizers.L1({ l1: 0.5 }), new regularizers.L2({ l2: 0.25 }), new regularizers.L1L2({ l1: 0.5, l2: 0.25 })]) expectRoundTrip(object);
    for (const object of [new constraints.MaxNorm({ maxValue: 2, axis: 0 }), new constraints.NonNeg(), new constraints.UnitNorm({ axis: 1 }), new constraints.MinMaxNorm({ minValue: 0.5, maxValue: 2, rate: 0.5, axis: 0 })]) {
      expectRoundTrip(object);
    }
  });
});

describe('registered custom objects inside a layer config', () => {
  class HalfL1 extends regularizers.Regularizer {
    readonly className: string = 'HalfL1';
    readonly factor: number;
    constructor(args: { factor?: number } = {}) {
      super();
      this.factor = args.factor ?? 0.5;
    }
    call(x: Tensor): Tensor {
      return ops.multiply(ops.sum(ops.abs(x)), this.factor);
    }
    getConfig(): Record<string, unknown> {
      return { factor: this.factor };
    }
  }

  it('a registered regularizer is written under its registered name and loads as its class', () => {
    registerKerasSerializable(HalfL1, { package: 'Test' });
    const model = new Sequential([Input({ shape: [2] }), new layers.Dense({ units: 1, kernelRegularizer: new HalfL1({ factor: 0.25 }) })]);
    const config = JSON.parse(JSON.stringify(modelToConfig(model))) as SerializedObject;
    const dense = (config.config as { layers: SerializedObject[] }).layers[1].config as Record<string, unknown>;
    expect(dense.kernel_regularizer).toEqual({ module: null, class_name: 'HalfL1', config: { factor: 0.25 }, registered_name: 'Test>HalfL1' });
    const rebuilt = modelFromConfig(config);
    const regularizer = (rebuilt.layers[0] as unknown as { kernelRegularizer: unknown }).kernelRegularizer;
    expect(regularizer).toBeInstanceOf(HalfL1);
    expect((regularizer as HalfL1).factor).toBe(0.25);
  });
});
