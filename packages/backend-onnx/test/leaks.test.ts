/** No kernel leaves a handle alive besides its outputs, and repeated runs do not grow native memory. */
import { describe, expect, it } from '@jest/globals';
import type { DType, KernelTensor, Shape } from '@keras-ts/core';
import { OnnxBackend, type OnnxHandle } from '../src/index.js';

type T = KernelTensor<OnnxHandle>;

describe('leaks', () => {
  it('every kernel leaves exactly its outputs alive, and disposing them returns to the start', () => {
    const b = new OnnxBackend();
    const up = (shape: Shape, dtype: DType = 'float32'): T => {
      const n = shape.reduce((p, d) => p * d, 1);
      const values = dtype === 'float32' ? Float32Array.from({ length: n }, (_, i) => Math.sin(i)) : dtype === 'int32' ? Int32Array.from({ length: n }, (_, i) => i % 2) : Uint8Array.from({ length: n }, (_, i) => i % 2);
      return { handle: b.upload(values, shape, dtype), shape, dtype };
    };
    const s = (shape: Shape, dtype: DType = 'float32') => ({ shape, dtype });
    const x = up([2, 3, 4]);
    const m = up([2, 3]);
    const i32 = up([2, 3], 'int32');
    const bool = up([3], 'bool');
    const idx = up([3], 'int32');
    const img = up([2, 5, 5, 2]);
    const f = up([3, 3, 2, 3]);
    const dy = up([2, 5, 5, 3]);
    const a3 = up([1, 2, 3]);
    const b3 = up([2, 3, 2]);
    const pdy = up([2, 3, 3, 2]);
    const h = up([2, 3]);
    const k = up([3, 12]);
    const r = up([3, 12]);
    const bias = up([12]);
    const seq = up([2, 4, 3]);
    const conv = { strides: [1, 1], pads: [[1, 1], [1, 1]], dilations: [1, 1] } as const;
    const pool = { poolSize: [2, 2], strides: [2, 2], padding: 'same', pads: [[0, 1], [0, 1]] } as const;
    const start = b.numHandles();

    const calls: [string, () => OnnxHandle | OnnxHandle[]][] = [
      ['matmul', () => b.matmul(a3, b3, false, false, s([2, 2, 2]))],
      ['conv2d', () => b.conv2d(img, f, conv, s([2, 5, 5, 3]))],
      ['conv2dBackpropInput', () => b.conv2dBackpropInput(dy, f, conv, s([2, 5, 5, 2]))],
      ['conv2dBackpropFilter', () => b.conv2dBackpropFilter(img, dy, conv, s([3, 3, 2, 3]))],
      ['maxPool2d', () => b.maxPool2d(img, pool, s([2, 3, 3, 2]))],
      ['avgPool2d', () => b.avgPool2d(img, pool, s([2, 3, 3, 2]))],
      ['maxPool2dBackprop', () => b.maxPool2dBackprop(pdy, img, pool, s([2, 5, 5, 2]))],
      ['avgPool2dBackprop', () => b.avgPool2dBackprop(pdy, pool, s([2, 5, 5, 2]))],
      ['moments', () => b.moments(x, [0, 2], s([3]))],
      ['unary', () => b.unary('expm1', m, s([2, 3]))],
      ['binary', () => b.binary('floorDiv', i32, i32, s([2, 3], 'int32'))],
      ['where', () => b.where(bool, m, m, s([2, 3]))],
      ['cast', () => b.cast(m, s([2, 3], 'int32'))],
      ['cast (same dtype)', () => b.cast(m, s([2, 3]))],
      ['reduce', () => b.reduce('max', x, [0, 2], s([3]))],
      ['argReduce', () => b.argReduce('argmax', x, 1, s([2, 4], 'int32'))],
      ['reshape', () => b.reshape(x, s([6, 4]))],
      ['transpose', () => b.transpose(x, [2, 0, 1], s([4, 2, 3]))],
      ['slice', () => b.slice(x, [0, 1, 0], [2, 2, 4], s([2, 2, 4]))],
      ['concat', () => b.concat([m, m], 1, s([2, 6]))],
      ['pad', () => b.pad(m, [[1, 0], [0, 1]], 0, s([3, 4]))],
      ['gather', () => b.gather(x, idx, 1, s([2, 3, 4]))],
      ['scatterAdd', () => b.scatterAdd(x, idx, 1, s([2, 2, 4]))],
      ['tile', () => b.tile(m, [1, 2], s([2, 6]))],
      ['reverse', () => b.reverse(x, [0, 2], s([2, 3, 4]))],
      ['softmax', () => b.softmax(m, s([2, 3]))],
      ['logSoftmax', () => b.logSoftmax(m, s([2, 3]))],
      ['softmaxCrossEntropy', () => b.softmaxCrossEntropy(m, m, s([2]))],
      ['lstmCell', () => b.lstmCell(h, h, h, k, r, bias, s([2, 3]))],
      ['lstmSequence', () => b.lstmSequence(seq, h, h, k, r, bias, s([2, 4, 3]))],
    ];
    for (const [name, call] of calls) {
      const result = call();
      const outs = Array.isArray(result) ? result : [result];
      expect({ name, alive: b.numHandles() - start }).toEqual({ name, alive: outs.length });
      for (const o of outs) b.dispose(o);
      expect({ name, alive: b.numHandles() - start }).toEqual({ name, alive: 0 });
    }
    b.close();
    expect(b.numHandles()).toBe(0);
  });

  it('thousands of runs do not grow native memory', () => {
    const b = new OnnxBackend();
    const shape = [64, 64];
    const x = { handle: b.upload(new Float32Array(4096).fill(0.5), shape, 'float32'), shape, dtype: 'float32' as const };
    const w = { handle: b.upload(new Float32Array(4096).fill(0.25), [1, ...shape], 'float32'), shape: [1, ...shape], dtype: 'float32' as const };
    const x3 = { ...x, shape: [1, ...shape] };
    const step = () => {
      b.dispose(b.matmul(x3, w, false, true, { shape: [1, 64, 64], dtype: 'float32' }));
      b.dispose(b.unary('tanh', x, { shape, dtype: 'float32' }));
      b.dispose(b.reduce('sum', x, [1], { shape: [64], dtype: 'float32' }));
    };
    for (let i = 0; i < 500; i++) step();
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 5000; i++) step();
    const grown = process.memoryUsage().rss - before;
    // 15,000 runs producing ~16 KB each: a per-run native leak would show up as hundreds of MB.
    expect(grown).toBeLessThan(64 * 1024 * 1024);
    expect(b.numHandles()).toBe(2);
    b.close();
  });
});
