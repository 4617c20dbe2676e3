/**
 * Every layer class of the catalogue through files: a model around the layer is saved as a `.keras`
 * archive and loaded back (architecture and weights from the file), and its weights go through a
 * `.weights.h5` file into a fresh copy of the model; both give the original's outputs.
 */
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { models } from '@keras-ts/core';
import { modelFromConfig, modelToConfig } from '../src/saving/serialization_lib.js';
import { useTestBackend } from './support/backend.js';
import { buildModel, CASES, expectSameOutputs } from './support/layer_cases.js';

const folder = mkdtempSync(join(tmpdir(), 'keras-ts-catalogue-'));

beforeAll(async () => {
  await useTestBackend();
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('every layer class round trips through a .keras file and a .weights.h5 file', () => {
  it.each(Object.keys(CASES))('%s', async (name) => {
    const spec = CASES[name];
    const model = buildModel(spec);

    const archive = join(folder, `${name}.keras`);
    await model.save(archive);
    expectSameOutputs(model, await models.loadModel(archive), spec);

    const weights = join(folder, `${name}.weights.h5`);
    await model.saveWeights(weights);
    const fresh = modelFromConfig(modelToConfig(model));
    await fresh.loadWeights(weights);
    expectSameOutputs(model, fresh, spec);
  });
});
