import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  describeCapabilities, ops, OPTIONAL_KERNELS, registerBackend, REQUIRED_KERNELS, setBackend, tensor, tidy, valueAndGrad, Variable,
} from '@keras-ts/core';
import { backendFactories, createReferenceBackend, ReferenceBackend } from '@keras-ts/backend-reference';

describe('memory kernels', () => {
  it('uploads a copy, reads a copy, and counts live handles', async () => {
    const b = new ReferenceBackend();
    const values = new Float32Array([1, 2, 3]);
    const handle = b.upload(values, [3], 'float32');
    values[0] = 99;
    const x = { handle, shape: [3], dtype: 'float32' as const };
    const read = b.readSync(x);
    expect(Array.from(read)).toEqual([1, 2, 3]);
    read[1] = 99;
    expect(Array.from(await b.read(x))).toEqual([1, 2, 3]);
    expect(b.numHandles()).toBe(1);
    b.dispose(handle);
    expect(b.numHandles()).toBe(0);
  });

  it('rejects double disposal, dead handles and mismatched storage', () => {
    const b = new ReferenceBackend();
    const handle = b.upload(new Int32Array([1]), [1], 'int32');
    b.dispose(handle);
    expect(() => b.dispose(handle)).toThrow(/not live/);
    expect(() => b.readSync({ handle, shape: [1], dtype: 'int32' })).toThrow(/not live/);
    expect(() => b.upload(new Float32Array(2), [3], 'float32')).toThrow(/2 values for shape \[3\]/);
    expect(() => b.upload(new Float32Array(1), [1], 'int32')).toThrow(/not the storage of int32/);
  });

  it('frees everything on close', () => {
    const b = createReferenceBackend();
    const handle = b.upload(new Uint8Array([1, 0]), [2], 'bool');
    b.close();
    expect(b.numHandles()).toBe(0);
    expect(() => b.dispose(handle)).not.toThrow();
  });

  it('reports every kernel as native', () => {
    const report = describeCapabilities(new ReferenceBackend());
    expect(report.backend).toBe('reference');
    expect(report.missing).toEqual([]);
    expect(report.composed).toEqual([]);
    for (const k of [...REQUIRED_KERNELS, ...OPTIONAL_KERNELS]) expect(report.native).toContain(k);
    expect(report.notes.join(' ')).toMatch(/reference/);
  });

  it('exports factories for core’s registry', async () => {
    expect(await backendFactories.reference.create()).toBeInstanceOf(ReferenceBackend);
    expect(backendFactories.reference.createSync().name).toBe('reference');
  });
});

describe('through core', () => {
  let backend: ReferenceBackend;
  beforeAll(async () => {
    backend = new ReferenceBackend();
    registerBackend('reference', () => backend);
    await setBackend('reference');
  });
  afterAll(() => backend.close());

  it('runs ops and gradients, and core frees every handle it makes', () => {
    const before = backend.numHandles();
    const init = tensor([[1, 2], [3, 4]]);
    const w = new Variable(init); // keeps a copy
    init.dispose();
    const { value, grads } = valueAndGrad(() => ops.sum(ops.square(ops.matmul(tensor([[1, 1]]), w))), [w]);
    // y = [4, 6]; loss = 16 + 36; d loss / d w = [1, 1]ᵀ · 2y = [[8, 12], [8, 12]].
    expect(value.dataSync()[0]).toBe(52);
    expect(Array.from(grads[0].dataSync())).toEqual([8, 12, 8, 12]);
    const probs = tidy(() => ops.softmax(tensor([[0, 0]])));
    expect(Array.from(probs.dataSync())).toEqual([0.5, 0.5]);
    for (const t of [value, ...grads, probs]) t.dispose();
    w.dispose();
    expect(backend.numHandles()).toBe(before);
  });
});
