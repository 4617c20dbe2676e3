/** tfjs-wasm's own behaviour: how it starts, what it shares, memory, close, and what it reports. */
import './quiet_tfjs.js';
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { engine, getKernel } from '@tensorflow/tfjs-core';
import type { Backend } from '@keras-ts/core';
import { REQUIRED_KERNELS } from '@keras-ts/core';
import { backendFactories, createTfjsWasmBackend, TfjsWasmBackend } from '../src/index.js';
import { Harness, spec } from './helpers.js';

const b = await TfjsWasmBackend.create();
const h = new Harness(b);
afterEach(() => h.freeAll());

describe('tfjs-wasm start', () => {
  test('backendFactories offers tfjs-wasm asynchronously only, so core asks for `await keras.ready()`', async () => {
    const entry = backendFactories['tfjs-wasm'];
    expect(entry.createSync).toBeUndefined();
    const made: Backend = await entry.create();
    expect(made).toBeInstanceOf(TfjsWasmBackend);
    expect(made.name).toBe('tfjs-wasm');
    expect((await createTfjsWasmBackend()).name).toBe('tfjs-wasm');
  });

  test('runs the SIMD binary on one thread, and says so', () => {
    expect(b.moduleInfo.binary).toBe('tfjs-backend-wasm-simd.wasm');
    expect(b.moduleInfo.threads).toBe(1);
    expect(b.capabilities().notes?.[0]).toMatch(/tfjs-backend-wasm-simd\.wasm, 1 thread/);
  });

  test("one module per process, shared with tfjs's engine, which stays on the backend the program chose", async () => {
    const other = await TfjsWasmBackend.create();
    expect(other.moduleInfo.instance).toBe(b.moduleInfo.instance);
    // tfjs's engine holds the same instance, and its 'wasm' factory returns it rather than a second module.
    expect(engine().registry.wasm).toBe(b.moduleInfo.instance);
    expect(await engine().registryFactory.wasm.factory()).toBe(b.moduleInfo.instance);
    // No tfjs backend was made active, and tfjs's engine counted no tensor of ours.
    expect(engine().backendName).not.toBe('wasm');
    const before = engine().state.numTensors;
    const x = h.up([1, 2, 3], [3]);
    h.read(b.reduce('sum', h.keep(b.unary('exp', x, spec([3])), spec([3])), [0], spec([])), spec([]));
    expect(engine().state.numTensors).toBe(before);
  });

  test('tfjs-backend-wasm registers no Conv2DBackpropFilter nor UnsortedSegmentSum; the backend needs neither', () => {
    expect(getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(getKernel('UnsortedSegmentSum', 'wasm')).toBeUndefined();
    const x = h.up([1, 2, 3, 4], [1, 2, 2, 1]);
    const dy = h.up([1], [1, 1, 1, 1]);
    const attrs = { strides: [1, 1], pads: [[0, 0], [0, 0]], dilations: [1, 1] } as const;
    expect(h.read(b.conv2dBackpropFilter(x, dy, attrs, spec([2, 2, 1, 1])), spec([2, 2, 1, 1]))).toEqual([1, 2, 3, 4]);
    const idx = h.up([1, 1], [2], 'int32');
    expect(h.read(b.scatterAdd(h.up([5, 6], [2]), idx, 0, spec([2])), spec([2]))).toEqual([0, 11]);
  });

  test('capabilities list every required kernel as native and lstmSequence as composed', () => {
    const caps = b.capabilities();
    for (const k of REQUIRED_KERNELS) expect(caps.native).toContain(k);
    expect(caps.native).toEqual(expect.arrayContaining(['softmax', 'logSoftmax', 'softmaxCrossEntropy', 'lstmCell']));
    expect(caps.composed).toEqual(['lstmSequence']);
  });

  test('prints nothing (no XNNPACK status line for an empty product)', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const out = h.read(b.matmul(h.up([], [1, 2, 0]), h.up([], [1, 0, 3]), false, false, spec([1, 2, 3])), spec([1, 2, 3]));
      expect(out).toEqual([0, 0, 0, 0, 0, 0]);
      h.read(b.softmax(h.up([1, 2, 3, 4], [2, 2]), spec([2, 2])), spec([2, 2]));
      expect(warn).not.toHaveBeenCalled();
      expect(log).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });
});

describe('tfjs-wasm memory', () => {
  test('upload and readSync keep values and storage types; upload copies', async () => {
    expect(Array.from(b.readSync(h.up([1.5, -2, 3], [3])))).toEqual([1.5, -2, 3]);
    const i = b.readSync(h.up([7, -8], [2], 'int32'));
    expect(i).toBeInstanceOf(Int32Array);
    const bool = b.readSync(h.up([1, 0, 1], [3], 'bool'));
    expect(bool).toBeInstanceOf(Uint8Array);
    expect(Array.from(bool)).toEqual([1, 0, 1]);
    const src = new Float32Array([1, 2]);
    const handle = b.upload(src, [2], 'float32');
    src[0] = 99;
    expect(Array.from(await b.read({ handle, shape: [2], dtype: 'float32' }))).toEqual([1, 2]);
    b.dispose(handle);
  });

  test('readSync returns a copy, not a view of the heap (which a growing heap would detach)', () => {
    const x = h.up([4, 5, 6], [3]);
    const values = b.readSync(x);
    expect(values.buffer).not.toBe(b.moduleInfo.instance.typedArrayFromHeap(x.handle).buffer);
    expect(Array.from(values)).toEqual([4, 5, 6]);
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
    expect(() => b.readSync({ handle: x, shape: [1], dtype: 'float32' })).toThrow(/tfjs-wasm: readSync .*freed/);
    expect(() => b.dispose(x)).toThrow(/tfjs-wasm: dispose/);
  });

  test("close frees this backend's storages only, and leaves it usable", async () => {
    const own = await TfjsWasmBackend.create();
    const kept = h.up([9], [1]); // another backend's tensor on the same module
    const start = own.numDataIds();
    const x = own.upload(new Float32Array([1, 2]), [2], 'float32');
    const y = own.reshape({ handle: x, shape: [2], dtype: 'float32' }, spec([1, 2]));
    own.dispose(own.unary('exp', { handle: x, shape: [2], dtype: 'float32' }, spec([2])));
    expect(own.numDataIds()).toBe(start + 1);
    own.close();
    expect(own.numDataIds()).toBe(start);
    expect(() => own.readSync({ handle: x, shape: [2], dtype: 'float32' })).toThrow(/tfjs-wasm/);
    expect(() => own.readSync({ handle: y, shape: [1, 2], dtype: 'float32' })).toThrow(/tfjs-wasm/);
    expect(Array.from(b.readSync(kept))).toEqual([9]);
    const z = own.upload(new Int32Array([5]), [1], 'int32');
    expect(Array.from(own.readSync({ handle: z, shape: [1], dtype: 'int32' }))).toEqual([5]);
    own.close();
  });
});
