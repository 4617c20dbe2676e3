/** The session cache, the pinned binding, and the errors the backend gives. */
import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import type { DType, KernelTensor, Shape } from '@keras-ts/core';
import { backendFactories, createOnnxBackend, PINNED_ORT_VERSION, type OnnxBackend, type OnnxHandle } from '../src/index.js';

type T = KernelTensor<OnnxHandle>;

const up = (b: OnnxBackend, shape: Shape, dtype: DType = 'float32', fill = 1): T => {
  const n = shape.reduce((p, d) => p * d, 1);
  const values = dtype === 'float32' ? new Float32Array(n).fill(fill) : dtype === 'int32' ? new Int32Array(n).fill(fill) : new Uint8Array(n).fill(fill);
  return { handle: b.upload(values, shape, dtype), shape, dtype };
};

describe('session cache', () => {
  it('one session serves every shape of an op, dtype and rank', () => {
    const b = createOnnxBackend();
    for (let n = 1; n <= 20; n++) {
      const x = up(b, [n, 21 - n]);
      const y = up(b, [1, 21 - n]);
      b.dispose(b.binary('add', x, y, { shape: x.shape, dtype: 'float32' }));
      b.dispose(x.handle);
      b.dispose(y.handle);
    }
    expect(b.sessionCacheSize()).toBe(1);
    const x3 = up(b, [2, 3, 4]);
    b.dispose(b.binary('add', x3, x3, { shape: x3.shape, dtype: 'float32' }));
    expect(b.sessionCacheSize()).toBe(2);
    expect(b.sessionStats()).toEqual({ sessions: 2, runs: 21, compiles: 2 });
    b.close();
  });

  it('per-call numbers (axes, slice starts, pads, image sizes) are inputs, not part of the key', () => {
    const b = createOnnxBackend();
    const x = up(b, [4, 5, 6]);
    for (const axes of [[0], [1], [2], [0, 2], [0, 1, 2]]) {
      const shape = x.shape.filter((_, i) => !axes.includes(i));
      b.dispose(b.reduce('sum', x, axes, { shape, dtype: 'float32' }));
    }
    for (const begin of [[0, 0, 0], [1, 2, 3], [3, 4, 5]]) b.dispose(b.slice(x, begin, [1, 1, 1], { shape: [1, 1, 1], dtype: 'float32' }));
    for (const p of [0, 1, 3]) b.dispose(b.pad(x, [[p, 0], [0, p], [p, p]], 0, { shape: [4 + p, 5 + p, 6 + 2 * p], dtype: 'float32' }));
    const f = up(b, [3, 3, 2, 4]);
    const attrs = { strides: [1, 1], pads: [[1, 1], [1, 1]], dilations: [1, 1] } as const;
    for (const size of [5, 8, 13]) {
      const img = up(b, [2, size, size + 1, 2]);
      b.dispose(b.conv2d(img, f, attrs, { shape: [2, size, size + 1, 4], dtype: 'float32' }));
      b.dispose(img.handle);
    }
    expect(b.sessionCacheSize()).toBe(4);
    b.close();
  });

  it('is bounded: the least recently used session is disposed, and rebuilt when needed again', () => {
    const b = createOnnxBackend({ maxSessions: 3 });
    const x = up(b, [2, 2]);
    const ops = ['exp', 'log', 'sin', 'cos', 'tanh'] as const;
    for (const op of ops) b.dispose(b.unary(op, x, { shape: [2, 2], dtype: 'float32' }));
    expect(b.sessionCacheSize()).toBe(3);
    const y = b.unary('exp', x, { shape: [2, 2], dtype: 'float32' });
    expect(b.readSync({ handle: y, shape: [2, 2], dtype: 'float32' })[0]).toBeCloseTo(Math.E, 5);
    expect(b.sessionStats().compiles).toBe(6);
    b.close();
  });
});

describe('handles', () => {
  it('every result is a fresh array: a later run never changes an earlier result', () => {
    const b = createOnnxBackend();
    const x = up(b, [3], 'float32', 2);
    const first = b.binary('mul', x, x, { shape: [3], dtype: 'float32' });
    const second = b.binary('add', x, x, { shape: [3], dtype: 'float32' });
    expect(Array.from(b.readSync({ handle: first, shape: [3], dtype: 'float32' }))).toEqual([4, 4, 4]);
    expect(Array.from(b.readSync({ handle: second, shape: [3], dtype: 'float32' }))).toEqual([4, 4, 4]);
    b.close();
  });

  it('upload copies, so the caller may reuse its array', () => {
    const b = createOnnxBackend();
    const values = new Float32Array([1, 2]);
    const handle = b.upload(values, [2], 'float32');
    values[0] = 99;
    expect(Array.from(b.readSync({ handle, shape: [2], dtype: 'float32' }))).toEqual([1, 2]);
    b.close();
  });
});

describe('errors', () => {
  it('name the backend and the kernel', () => {
    const b = createOnnxBackend();
    const x = up(b, [2, 2]);
    const bad = up(b, [2], 'int32', 7);
    expect(() => b.gather(x, bad, 0, { shape: [2, 2], dtype: 'float32' })).toThrow(/onnx: kernel 'gather' failed in onnxruntime/);
    b.dispose(x.handle);
    expect(() => b.unary('exp', x, { shape: [2, 2], dtype: 'float32' })).toThrow(/onnx: kernel unary 'exp' got a handle that is not live/);
    expect(() => b.dispose(x.handle)).toThrow(/onnx.dispose/);
    expect(() => b.upload(new Float32Array(3), [2], 'float32')).toThrow(/onnx.upload/);
    expect(() => b.upload(new Int32Array(2), [2], 'float32')).toThrow(/onnx.upload/);
    b.close();
  });
});

describe('binding', () => {
  it('is the pinned onnxruntime-node version', () => {
    const require = createRequire(import.meta.url);
    const pkg = require('onnxruntime-node/package.json') as { version: string };
    expect(pkg.version).toBe(PINNED_ORT_VERSION);
  });

  it('runs synchronously: the result is there before any await', () => {
    const b = backendFactories.onnx.createSync();
    const x = { handle: b.upload(new Float32Array([1, 2]), [2], 'float32'), shape: [2], dtype: 'float32' as const };
    const y = b.unary('neg', x, { shape: [2], dtype: 'float32' });
    expect(Array.from(b.readSync({ handle: y, shape: [2], dtype: 'float32' }))).toEqual([-1, -2]);
    expect(b.name).toBe('onnx');
    b.close?.();
  });

  it('reports every kernel as native', () => {
    const caps = createOnnxBackend().capabilities();
    expect(caps.composed).toEqual([]);
    expect(caps.native).toContain('lstmSequence');
  });
});
