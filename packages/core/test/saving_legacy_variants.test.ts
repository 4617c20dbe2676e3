/**
 * Keras 2 weight-file variants that the real files in fixtures/keras-models do not show: list
 * attributes split into `layer_names0`, `layer_names1`, ... (h5py's 64 KB attribute limit; Keras
 * joins them when reading), and the `top_level_model_weights` group Keras 2.5+ writes (weights
 * owned by the model itself, usually none). The file is written here with h5wasm, laid out as
 * tf.keras's save_weights lays it out: one group per layer, datasets at `<layer>/<weight name>`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import type { Group } from 'h5wasm/node';
import { Input, Sequential, layers } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';

const folder = mkdtempSync(join(tmpdir(), 'keras-ts-legacy-variants-'));

beforeAll(async () => {
  await useTestBackend();
  await h5wasm.ready;
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const KERNEL_A = Float32Array.from({ length: 3 * 2 }, (_, i) => i / 10);
const BIAS_A = Float32Array.of(0.5, -0.5);
const KERNEL_B = Float32Array.of(1, -1);
const BIAS_B = Float32Array.of(0.25);

/** A weights-only Keras 2 file whose layer_names attribute is split in two chunks. */
function writeSplitFile(file: string): void {
  const h5 = new h5wasm.File(file, 'w');
  h5.create_attribute('layer_names0', ['dense_a']);
  h5.create_attribute('layer_names1', ['dense_b', 'top_level_model_weights']);
  h5.create_attribute('backend', 'tensorflow');
  h5.create_attribute('keras_version', '2.11.0');
  const layer = (name: string, weights: [string, Float32Array, number[]][]) => {
    const group = h5.create_group(name);
    // The weight names hold a slash, so each dataset sits one group deeper: dense_a/dense_a/kernel:0.
    group.create_attribute('weight_names', weights.map(([weightName]) => weightName));
    for (const [weightName, data, shape] of weights) {
      const [inner, leaf] = weightName.split('/');
      const innerGroup = (group.get(inner) as Group | null) ?? group.create_group(inner);
      innerGroup.create_dataset({ name: leaf, data, shape, dtype: '<f' });
    }
  };
  layer('dense_a', [['dense_a/kernel:0', KERNEL_A, [3, 2]], ['dense_a/bias:0', BIAS_A, [2]]]);
  layer('dense_b', [['dense_b/kernel:0', KERNEL_B, [2, 1]], ['dense_b/bias:0', BIAS_B, [1]]]);
  // Keras writes this group even when the model owns no weights itself; its weight_names is empty.
  const top = h5.create_group('top_level_model_weights');
  top.create_attribute('weight_names', [], [0], 'S1');
  h5.close();
}

describe('Keras 2 weights with split attributes and top_level_model_weights', () => {
  it('joins layer_names0, layer_names1 and loads every layer, ignoring the empty top-level group', async () => {
    const file = join(folder, 'split.h5');
    writeSplitFile(file);
    const model = new Sequential([
      Input({ shape: [3] }),
      new layers.Dense({ units: 2, name: 'dense_a' }),
      new layers.Dense({ units: 1, name: 'dense_b' }),
    ]);
    await model.loadWeights(file);
    const [kernelA, biasA, kernelB, biasB] = model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(kernelA).toEqual(Array.from(KERNEL_A));
    expect(biasA).toEqual(Array.from(BIAS_A));
    expect(kernelB).toEqual(Array.from(KERNEL_B));
    expect(biasB).toEqual(Array.from(BIAS_B));
  });
});
