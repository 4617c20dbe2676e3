/**
 * Checks for the ONNX export: run the exported file with onnxruntime-node's public async API and
 * compare with model.predict, element by element.
 */
import { expect } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { tensor, type Model, type Tensor } from '@keras-ts/core';

/** Deterministic inputs spread over about [-scale, scale]. */
export function sampleInput(shape: number[], seed = 1, scale = 1): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: size }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * scale), shape);
}

/** A folder for exported files, removed by the returned function. */
export function temporaryFolder(): { folder: string; remove: () => void } {
  const folder = mkdtempSync(join(tmpdir(), 'keras-ts-export-'));
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

function ortTensor(x: Tensor): ort.Tensor {
  const data = x.dataSync();
  if (x.dtype === 'int32') return new ort.Tensor('int32', Int32Array.from(data as ArrayLike<number>), [...x.shape]);
  return new ort.Tensor('float32', Float32Array.from(data as ArrayLike<number>), [...x.shape]);
}

/** Exports `model` to a file, runs it on `inputs` with onnxruntime, and expects predict's values. */
export async function expectOnnxMatchesPredict(model: Model, inputs: Tensor | Tensor[], tolerance = 1e-5): Promise<void> {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  const predicted = await model.predict(list.length === 1 ? list[0] : list);
  const expected = Array.isArray(predicted) ? predicted : [predicted];
  const { folder, remove } = temporaryFolder();
  try {
    const path = join(folder, 'model.onnx');
    await model.export(path, { format: 'onnx' });
    const session = await ort.InferenceSession.create(path);
    const feeds: Record<string, ort.Tensor> = {};
    model.inputs.forEach((t, i) => {
      feeds[t.kerasHistory?.layer.name ?? ''] = ortTensor(list[i]);
    });
    expect(session.inputNames).toEqual(Object.keys(feeds));
    const results = await session.run(feeds);
    expect(session.outputNames).toHaveLength(expected.length);
    session.outputNames.forEach((name, i) => {
      const got = results[name];
      expect(got.dims).toEqual(expected[i].shape);
      const want = expected[i].dataSync();
      const values = got.data as Float32Array;
      let worst = 0;
      for (let j = 0; j < want.length; j++) worst = Math.max(worst, Math.abs(values[j] - want[j]) / Math.max(1, Math.abs(want[j])));
      expect(worst).toBeLessThanOrEqual(tolerance);
    });
    await session.release();
  } finally {
    remove();
    for (const t of expected) t.dispose();
  }
}

/** Gives every weight of the model varied values (biases and statistics too, which start as 0 or 1). */
export function randomizeWeights(model: Model, scale = 0.5): void {
  model.weights.forEach((variable, index) => {
    const shape = [...variable.shape];
    const size = shape.reduce((a, b) => a * b, 1);
    const positive = variable.path.includes('variance');
    const values = Array.from({ length: size }, (_, i) => {
      const v = Math.sin(i * 7.31 + index * 3.7 + 0.5) * scale;
      return positive ? Math.abs(v) + 0.5 : v;
    });
    variable.assign(tensor(values, shape));
  });
}
