/**
 * Every layer class of the catalogue through a model config: build a model with it, write the
 * config (modelToConfig), go through JSON text, load it (modelFromConfig), copy the weights, and
 * expect the same outputs and the same config.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { layers } from '@keras-ts/core';
import { modelFromConfig, modelToConfig } from '../src/saving/serialization_lib.js';
import { useTestBackend } from './support/backend.js';
import { buildModel, CASES, expectSameOutputs, NOT_IN_TABLE } from './support/layer_cases.js';

beforeAll(async () => {
  await useTestBackend();
});

describe('every layer class round trips through a model config', () => {
  it('the table covers every layer class of the catalogue', () => {
    const classes = Object.entries(layers)
      .filter(([, value]) => typeof value === 'function' && (value === layers.Layer || (value as { prototype: unknown }).prototype instanceof layers.Layer))
      .map(([name]) => name)
      .filter((name) => !NOT_IN_TABLE.has(name));
    expect(classes.filter((name) => !(name in CASES))).toEqual([]);
  });

  it.each(Object.keys(CASES))('%s', (name) => {
    const spec = CASES[name];
    const model = buildModel(spec);
    const text = JSON.stringify(modelToConfig(model));
    const rebuilt = modelFromConfig(JSON.parse(text) as unknown);
    expect(JSON.stringify(modelToConfig(rebuilt))).toBe(text);
    const original = model.layers[model.layers.length - 1];
    const copy = rebuilt.layers[rebuilt.layers.length - 1];
    expect(copy.constructor).toBe(original.constructor);
    expect(copy.getConfig()).toEqual(original.getConfig());
    rebuilt.setWeights(model.getWeights());
    expectSameOutputs(model, rebuilt, spec);
  });
});
