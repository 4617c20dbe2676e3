/**
 * The export as a file: exportOnnx's bytes load in plain onnxruntime with a symbolic 'batch'
 * dimension and the model's layer names; layers with no conversion are all named in one error and
 * no file is written (an existing file stays as it was); a format with no exporter says which
 * package provides it.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Input, Model, Sequential, layers, ops, type Tensor } from '@keras-ts/core';
import { BATCH_DIMENSION, exportOnnx } from '../src/index.js';
import { useTestBackend } from '../../core/test/support/backend.js';
import { temporaryFolder } from './support/export_harness.js';

beforeAll(async () => {
  await useTestBackend();
});

let folder = '';
let remove: () => void = () => undefined;
beforeEach(() => {
  ({ folder, remove } = temporaryFolder());
});
afterEach(() => remove());

function modelWithUnsupportedLayers(): Model {
  const x = Input({ shape: [4], name: 'numbers' });
  const h = new layers.Dense({ units: 4, name: 'first' }).apply(x);
  const squared = new layers.Lambda({ function: (t: Tensor | Tensor[]) => ops.square(t as Tensor), name: 'square_it' }).apply(h);
  const masked = new layers.Masking({ name: 'mask_zeros' }).apply(squared);
  return new Model({ inputs: x, outputs: new layers.Dense({ units: 2, name: 'last' }).apply(masked) });
}

describe('exportOnnx and model.export', () => {
  it('writes opset-18 bytes with a symbolic batch dimension and layer-named inputs and outputs', async () => {
    const model = new Sequential([Input({ shape: [3], name: 'pixels' }), new layers.Dense({ units: 2, name: 'logits' })]);
    const bytes = exportOnnx(model);
    // ModelProto starts with ir_version (field 1) = 8 and ends with opset_import (field 8) { domain '', version 18 }.
    expect([...bytes.subarray(0, 2)]).toEqual([0x08, 8]);
    expect([...bytes.subarray(-6)]).toEqual([0x42, 4, 0x0a, 0, 0x10, 18]);
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(['pixels']);
    expect(session.outputNames).toEqual(['logits']);
    const input = session.inputMetadata[0];
    expect(input.isTensor && input.shape).toEqual([BATCH_DIMENSION, 3]);
    // Any batch size runs.
    for (const batch of [1, 6]) {
      const out = await session.run({ pixels: new ort.Tensor('float32', new Float32Array(batch * 3).fill(1), [batch, 3]) });
      expect(out.logits.dims).toEqual([batch, 2]);
    }
    await session.release();
  });

  it('names every unconvertible layer in one error and writes no file', async () => {
    const path = join(folder, 'model.onnx');
    const model = modelWithUnsupportedLayers();
    await expect(model.export(path, { format: 'onnx' })).rejects.toThrow(
      /layers with no ONNX conversion: 'square_it' \(Lambda\), 'mask_zeros' \(Masking\)\. Supported: Dense, .*Conv2D/,
    );
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('leaves an existing file intact when the export fails', async () => {
    const path = join(folder, 'model.onnx');
    writeFileSync(path, 'previous contents');
    await expect(modelWithUnsupportedLayers().export(path, { format: 'onnx' })).rejects.toThrow(/no ONNX conversion/);
    expect(readFileSync(path, 'utf8')).toBe('previous contents');
    expect(readdirSync(folder)).toEqual(['model.onnx']);
  });

  it('replaces an existing file when the export succeeds', async () => {
    const path = join(folder, 'model.onnx');
    writeFileSync(path, 'previous contents');
    const model = new Sequential([Input({ shape: [3] }), new layers.Dense({ units: 2 })]);
    await model.export(path);
    const session = await ort.InferenceSession.create(path);
    expect(session.outputNames).toHaveLength(1);
    await session.release();
    expect(readdirSync(folder)).toEqual(['model.onnx']);
  });

  it('a format with no exporter says how to get one', async () => {
    const model = new Sequential([Input({ shape: [3] }), new layers.Dense({ units: 2 })]);
    await expect(model.export(join(folder, 'model.tflite'), { format: 'tflite' })).rejects.toThrow(/no exporter is registered for format 'tflite' \(registered: 'onnx'\)/);
  });

  it('a config the export cannot express names the layer and the setting', () => {
    const x = Input({ shape: [5, 3] });
    const model = new Model({ inputs: x, outputs: new layers.LSTM({ units: 2, recurrentActivation: 'softplus', name: 'odd_lstm' }).apply(x) });
    expect(() => exportOnnx(model)).toThrow(/layer 'odd_lstm' \(LSTM\) uses recurrent_activation='softplus'/);
  });

  it('a shared layer writes its weights once', async () => {
    const shared = new layers.Dense({ units: 64, name: 'shared' });
    const a = Input({ shape: [256] });
    const b = Input({ shape: [256] });
    const once = exportOnnx(new Model({ inputs: a, outputs: shared.apply(a) }));
    const twice = new Model({ inputs: [a, b], outputs: new layers.Subtract().apply([shared.apply(a), shared.apply(b)]) });
    const bytes = exportOnnx(twice);
    // The kernel alone is 64 KB; a second copy would double the file.
    expect(bytes.length).toBeLessThan(once.length + 2000);
    const session = await ort.InferenceSession.create(bytes);
    const ones = new ort.Tensor('float32', new Float32Array(2 * 256).fill(1), [2, 256]);
    const out = await session.run({ [session.inputNames[0]]: ones, [session.inputNames[1]]: ones });
    expect(Array.from(out[session.outputNames[0]].data as Float32Array)).toEqual(new Array(128).fill(0));
    await session.release();
  });

  it('a model with no graph of layers is an error that says how to build one', () => {
    const model = new Sequential([new layers.Dense({ units: 2 })]);
    expect(() => exportOnnx(model)).toThrow(/has no graph of layers/);
  });
});
