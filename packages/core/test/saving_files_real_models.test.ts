/**
 * Every real Keras file in fixtures/keras-models (see its README for sources and licenses) loads
 * with models.loadModel, and its predict matches the expected output within the stated tolerance,
 * on every backend.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { models, tensor, type Tensor } from '@keras-ts/core';
import { ALL_TEST_BACKENDS, useNamedBackend } from './support/backend.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, 'fixtures', 'keras-models');

interface Expected {
  input_shape: number[];
  input_dtype: string;
  output_shape: number[];
  suggested_tolerance: { abs: number; rel: number };
  input: unknown;
  output: unknown;
}

const files = fs.readdirSync(path.join(fixtures, 'models')).sort();

function flat(value: unknown): number[] {
  return Array.isArray(value) ? value.flatMap(flat) : [value as number];
}

function expectClose(actual: ArrayLike<number>, expected: number[], tolerance: { abs: number; rel: number }, what: string): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < expected.length; i++) {
    const excess = Math.abs(actual[i] - expected[i]) - (tolerance.abs + tolerance.rel * Math.abs(expected[i]));
    if (excess > worst) {
      worst = excess;
      worstAt = i;
    }
  }
  if (worstAt >= 0) throw new Error(`${what}: element ${worstAt} is ${actual[worstAt]}, expected ${expected[worstAt]} (tolerance abs ${tolerance.abs}, rel ${tolerance.rel})`);
}

describe.each(ALL_TEST_BACKENDS)('real Keras files on %s', (backend) => {
  beforeAll(async () => {
    await useNamedBackend(backend);
  });

  it.each(files)('%s loads and predicts the expected output', async (file) => {
    const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'expected', `${file}.json`), 'utf8')) as Expected;
    const model = await models.loadModel(path.join(fixtures, 'models', file));
    const x = tensor(flat(expected.input), expected.input_shape, expected.input_dtype === 'int32' ? 'int32' : 'float32');
    const y = (await model.predict(x)) as Tensor;
    expect(y.shape).toEqual(expected.output_shape);
    expectClose(y.dataSync() as Float32Array, flat(expected.output), expected.suggested_tolerance, `${file} on ${backend}`);
    x.dispose();
    y.dispose();
    model.dispose();
  });
});
