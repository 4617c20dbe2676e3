/**
 * `model.export(path, { format: 'onnx' })` through the batteries-included package: importing
 * keras-ts is enough (it registers the ONNX writer of @keras-ts/backend-onnx, loaded on first use).
 * The numbers of exported files are checked against onnxruntime in packages/backend-onnx/test/export_*.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as keras from 'keras-ts';

const folder = mkdtempSync(join(tmpdir(), 'keras-ts-export-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('model.export from keras-ts', () => {
  it('writes an ONNX file with no other import', async () => {
    await keras.setBackend('tfjs-cpu');
    expect(keras.registeredExportFormats()).toContain('onnx');
    const model = new keras.Sequential([keras.Input({ shape: [4] }), new keras.layers.Dense({ units: 3, activation: 'softmax' })]);
    const file = join(folder, 'model.onnx');
    await model.export(file, { format: 'onnx' });
    const bytes = readFileSync(file);
    // A ModelProto starts with field 1 (ir_version, varint): tag byte 0x08, then the version 8.
    expect([bytes[0], bytes[1]]).toEqual([0x08, 0x08]);
    expect(bytes.includes(Buffer.from('Softmax'))).toBe(true);
  });
});
