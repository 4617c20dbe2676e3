import './quiet_tfjs.js';
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import type { Backend } from '@keras-ts/core';
import { REQUIRED_KERNELS } from '@keras-ts/core';
import { backendFactories, createTfjsCpuBackend, TfjsCpuBackend } from '../src/index.js';
import { Harness, spec } from './helpers.js';

const b = new TfjsCpuBackend();
const h = new Harness(b);
afterEach(() => h.freeAll());

describe('tfjs-cpu memory', () => {
  test('upload and readSync keep values and storage types', () => {
    expect(Array.from(b.readSync(h.up([1.5, -2, 3], [3])))).toEqual([1.5, -2, 3]);
    const i = b.readSync(h.up([7, -8], [2], 'int32'));
    expect(i).toBeInstanceOf(Int32Array);
    expect(Array.from(i)).toEqual([7, -8]);
    const bool = b.readSync(h.up([1, 0, 1], [3], 'bool'));
    expect(bool).toBeInstanceOf(Uint8Array);
    expect(Array.from(bool)).toEqual([1, 0, 1]);
    expect(Array.from(b.readSync(h.up([42], [])))).toEqual([42]);
  });

  test('upload copies: mutating the source afterwards changes nothing', () => {
    const src = new Float32Array([1, 2]);
    const handle = b.upload(src, [2], 'float32');
    src[0] = 99;
    expect(Array.from(b.readSync({ handle, shape: [2], dtype: 'float32' }))).toEqual([1, 2]);
    b.dispose(handle);
  });

  test('read resolves to the values', async () => {
    const values = await b.read(h.up([3, 4], [2, 1], 'int32'));
    expect(values).toBeInstanceOf(Int32Array);
    expect(Array.from(values)).toEqual([3, 4]);
  });

  test('a bool cast to float32 reads back as a Float32Array (tfjs keeps the Uint8Array)', () => {
    const x = h.up([1, 0], [2], 'bool');
    expect(h.read(b.cast(x, spec([2])), spec([2]))).toEqual([1, 0]);
  });

  test('reshape shares storage, and each handle is freed on its own', () => {
    const start = b.numDataIds();
    const x = b.upload(new Float32Array([1, 2, 3, 4]), [4], 'float32');
    const y = b.reshape({ handle: x, shape: [4], dtype: 'float32' }, spec([2, 2]));
    expect(b.numDataIds()).toBe(start + 1);
    b.dispose(x);
    expect(Array.from(b.readSync({ handle: y, shape: [2, 2], dtype: 'float32' }))).toEqual([1, 2, 3, 4]);
    b.dispose(y);
    expect(b.numDataIds()).toBe(start);
  });

  test('using a freed handle names the backend and the kernel', () => {
    const x = b.upload(new Float32Array([1]), [1], 'float32');
    b.dispose(x);
    expect(() => b.readSync({ handle: x, shape: [1], dtype: 'float32' })).toThrow(/tfjs-cpu: readSync .*freed/);
    expect(() => b.dispose(x)).toThrow(/tfjs-cpu: dispose/);
  });

  test('close frees everything and leaves a usable backend', () => {
    const own = new TfjsCpuBackend();
    const x = own.upload(new Float32Array([1, 2]), [2], 'float32');
    expect(own.numDataIds()).toBe(1);
    own.close();
    expect(own.numDataIds()).toBe(0);
    expect(() => own.readSync({ handle: x, shape: [2], dtype: 'float32' })).toThrow(/tfjs-cpu/);
    const y = own.upload(new Int32Array([5]), [1], 'int32');
    expect(Array.from(own.readSync({ handle: y, shape: [1], dtype: 'int32' }))).toEqual([5]);
  });
});

describe('tfjs-cpu registration', () => {
  test('backendFactories offers tfjs-cpu, sync and async', async () => {
    const entry = backendFactories['tfjs-cpu'];
    const fromAsync: Backend = await entry.create();
    expect(fromAsync.name).toBe('tfjs-cpu');
    expect(entry.createSync?.()?.name).toBe('tfjs-cpu');
    expect(createTfjsCpuBackend()).toBeInstanceOf(TfjsCpuBackend);
  });

  test('capabilities list every required kernel as native and lstmSequence as composed', () => {
    const caps = b.capabilities();
    for (const k of REQUIRED_KERNELS) expect(caps.native).toContain(k);
    expect(caps.native).toEqual(expect.arrayContaining(['softmax', 'logSoftmax', 'softmaxCrossEntropy', 'lstmCell']));
    expect(caps.composed).toEqual(['lstmSequence']);
    for (const k of caps.native) expect(typeof (b as unknown as Record<string, unknown>)[k]).toBe('function');
  });

  test('no tfjs banner is printed', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const own = new TfjsCpuBackend();
    const x = own.upload(new Float32Array([1]), [1], 'float32');
    own.dispose(own.unary('exp', { handle: x, shape: [1], dtype: 'float32' }, spec([1])));
    own.dispose(x);
    expect(warn).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
    warn.mockRestore();
    log.mockRestore();
  });
});
