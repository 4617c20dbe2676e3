/**
 * `borrow`: a batch's rows reach onnxruntime as a view of the caller's array, with no copy; an
 * array of another realm (which onnxruntime rejects) is still copied. And the rows core feeds
 * through it come out of predict and fit with eager's numbers, without touching the caller's data.
 */
import { describe, expect, it } from '@jest/globals';
import { runInNewContext } from 'node:vm';
import { Input, Sequential, layers, type Tensor } from '@keras-ts/core';
import { OnnxBackend } from '../src/index.js';
import { takeRows } from '../../core/src/trainers/data_adapter.js';
import { useNamedBackend } from '../../core/test/support/backend.js';

describe('onnx borrow', () => {
  it('keeps a view of the array, and copies an array of another realm', () => {
    const backend = new OnnxBackend();
    const whole = Float32Array.from({ length: 12 }, (_, i) => i);
    const rows = whole.subarray(4, 8);
    const handle = backend.borrow(rows, [2, 2], 'float32');
    expect(backend.readSync({ handle, shape: [2, 2], dtype: 'float32' })).toBe(rows);
    const foreign = runInNewContext('new Float32Array([1, 2, 3])') as Float32Array;
    const copied = backend.borrow(foreign, [3], 'float32');
    const values = backend.readSync({ handle: copied, shape: [3], dtype: 'float32' });
    expect(values).not.toBe(foreign);
    expect(Array.from(values)).toEqual([1, 2, 3]);
    backend.close();
  });

  it('takeRows feeds a view of the rows on onnx; predict leaves the data as it was', async () => {
    await useNamedBackend('onnx');
    const data = Float32Array.from({ length: 6 * 4 }, (_, i) => Math.sin(i));
    const before = data.slice();
    const batch = takeRows({ values: data, shape: [6, 4], dtype: 'float32' }, { start: 2, end: 4 });
    expect(Array.from(batch.dataSync())).toEqual(Array.from(data.subarray(8, 16)));
    batch.dispose();
    const model = new Sequential([Input({ shape: [4] }), new layers.Reshape({ targetShape: [2, 2] })]);
    const out = (await model.predict({ data, shape: [6, 4] }, { batchSize: 2, verbose: 0 })) as Tensor;
    const values = out.dataSync();
    // The output is the model's own array (gathered on the host), never a view of the caller's.
    expect(values.buffer).not.toBe(data.buffer);
    expect(Array.from(values)).toEqual(Array.from(before));
    out.dispose();
    expect(Array.from(data)).toEqual(Array.from(before));
  });
});
