/** Runs every kernel on a fresh backend and checks that only the outputs stay alive, then none. */
import { describe, expect, test } from '@jest/globals';
import { engine, type TensorInfo } from '@tensorflow/tfjs-core';
import { type BackendCase, seeded, spec, storage, type T } from '../helpers.js';

export function leakTests(c: BackendCase): void {
  describe('no leaks', () => {
    test('every kernel leaves only its outputs, and disposing them returns to where it started', () => {
      const b = c.backend();
      // Counted from here: tfjs-wasm's module is shared by every backend of the process.
      const initial = b.numDataIds();
      const inputs: TensorInfo[] = [];
      const up = (values: number[], shape: number[], dtype: 'float32' | 'int32' | 'bool' = 'float32'): T => {
        const handle = b.upload(storage(values, dtype), shape, dtype);
        inputs.push(handle);
        return { handle, shape, dtype };
      };
      const x = up(seeded(24), [2, 3, 4]);
      const m = up(seeded(6), [2, 3]);
      const i32 = up([1, -2, 3, 4, 5, -6], [2, 3], 'int32');
      const bool = up([1, 0, 1], [3], 'bool');
      const idx = up([1, 0, 1], [3], 'int32');
      const img = up(seeded(2 * 5 * 5 * 2), [2, 5, 5, 2]);
      const f = up(seeded(3 * 3 * 2 * 3), [3, 3, 2, 3]);
      const dy = up(seeded(2 * 5 * 5 * 3), [2, 5, 5, 3]);
      const conv = { strides: [1, 1], pads: [[1, 1], [1, 1]], dilations: [1, 1] } as const;
      const dilated = { strides: [1, 1], pads: [[2, 2], [2, 2]], dilations: [2, 2] } as const;
      const pool = { poolSize: [2, 2], strides: [2, 2], padding: 'same', pads: [[0, 1], [0, 1]] } as const;
      const pdy = up(seeded(2 * 3 * 3 * 2), [2, 3, 3, 2]);
      const a3 = up(seeded(6), [1, 2, 3]);
      const b3 = up(seeded(12), [2, 3, 2]);
      const zero = up([0], []);
      const start = b.numDataIds();

      const single: (() => TensorInfo)[] = [
        () => b.matmul(a3, b3, false, false, spec([2, 2, 2])),
        () => b.conv2d(img, f, conv, spec([2, 5, 5, 3])),
        () => b.conv2dBackpropInput(dy, f, conv, spec([2, 5, 5, 2])),
        () => b.conv2dBackpropInput(dy, f, dilated, spec([2, 5, 5, 2])),
        () => b.conv2dBackpropFilter(img, dy, conv, spec([3, 3, 2, 3])),
        () => b.maxPool2d(img, pool, spec([2, 3, 3, 2])),
        () => b.avgPool2d(img, pool, spec([2, 3, 3, 2])),
        () => b.maxPool2dBackprop(pdy, img, pool, spec([2, 5, 5, 2])),
        () => b.avgPool2dBackprop(pdy, pool, spec([2, 5, 5, 2])),
        () => b.unary('sign', m, spec([2, 3])),
      () => b.unary('abs', i32, spec([2, 3], 'int32')),
        () => b.unary('exp', m, spec([2, 3])),
        () => b.binary('floorDiv', m, m, spec([2, 3])),
        () => b.binary('div', i32, i32, spec([2, 3], 'int32')),
        () => b.binary('less', m, zero, spec([2, 3], 'bool')),
        () => b.where(bool, m, zero, spec([2, 3])),
        () => b.cast(m, spec([2, 3])),
        () => b.cast(m, spec([2, 3], 'int32')),
        () => b.reduce('mean', i32, [0, 1], spec([], 'int32')),
        () => b.reduce('max', x, [0, 2], spec([3])),
        () => b.argReduce('argmax', x, 1, spec([2, 4], 'int32')),
        () => b.reshape(x, spec([6, 4])),
        () => b.transpose(x, [2, 0, 1], spec([4, 2, 3])),
        () => b.slice(x, [0, 1, 0], [2, 2, 4], spec([2, 2, 4])),
        () => b.concat([m, m], 1, spec([2, 6])),
        () => b.pad(m, [[1, 0], [0, 1]], 0, spec([3, 4])),
        () => b.gather(x, idx, 1, spec([2, 3, 4])),
        () => b.scatterAdd(x, idx, 1, spec([2, 2, 4])),
        () => b.scatterAdd(m, idx, 1, spec([2, 2])),
        () => b.tile(m, [1, 2], spec([2, 6])),
        () => b.reverse(x, [0, 2], spec([2, 3, 4])),
        () => b.reverse(x, [], spec([2, 3, 4])),
        () => b.softmax(m, spec([2, 3])),
        () => b.logSoftmax(m, spec([2, 3])),
        () => b.softmaxCrossEntropy(m, m, spec([2])),
      ];
      for (const [n, run] of single.entries()) {
        const engineTensors = engine().state.numTensors;
        const out = run();
        // tfjs's global engine is never used: it counts no tensor made by a kernel.
        const engineGrew = c.engineFree ? engine().state.numTensors - engineTensors : 0;
        expect({ kernel: n, engineGrew }).toEqual({ kernel: n, engineGrew: 0 });
        // One new storage, or none where the output shares its input's (Reshape, Identity).
        expect({ kernel: n, alive: b.numDataIds() - start <= 1 }).toEqual({ kernel: n, alive: true });
        b.dispose(out);
        expect({ kernel: n, leaked: b.numDataIds() - start }).toEqual({ kernel: n, leaked: 0 });
      }
      const [mean, variance] = b.moments(x, [0, 2], spec([3]));
      expect(b.numDataIds()).toBe(start + 2);
      b.dispose(mean);
      b.dispose(variance);
      expect(b.numDataIds()).toBe(start);
      for (const handle of inputs) b.dispose(handle);
      expect(b.numDataIds()).toBe(initial);
    });

    test('a kernel that throws frees what it made and names the backend and the tfjs kernel', () => {
      const b = c.backend();
      const initial = b.numDataIds();
      const x = b.upload(new Float32Array([1, 2, 3, 4]), [2, 2], 'float32');
      const bad = b.upload(new Int32Array([0, 5]), [2], 'int32');
      const xs: T = { handle: x, shape: [2, 2], dtype: 'float32' };
      expect(() => b.gather(xs, { handle: bad, shape: [2], dtype: 'int32' }, 0, spec([2, 2]))).toThrow(`${b.name}: tfjs kernel 'GatherV2' failed`);
      expect(b.numDataIds()).toBe(initial + 2);
      b.dispose(x);
      b.dispose(bad);
    });

    test('a kernel tfjs does not register names the backend and the kernel', () => {
      const runner = c.runner();
      expect(() => runner.run('NoSuchKernel', {})).toThrow(`${runner.label}: tfjs registers no kernel 'NoSuchKernel' for its '${runner.registryName}' backend`);
    });
  });
}
