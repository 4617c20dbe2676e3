import './quiet_tfjs.js';
import { describe, expect, test } from '@jest/globals';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { KernelRunner } from '../src/common/runner.js';
import { transposeValues } from '../src/cpu/transpose.js';
import { CPU_CASES, rows, seeded } from './helpers.js';
import { layoutTests } from './families/layout.js';

describe('the tfjs-cpu Transpose replacement', () => {
  test.each([
    [[2, 3, 4, 5], [3, 1, 0, 2]],
    [[4, 1, 6], [2, 0, 1]],
    [[7, 9], [1, 0]],
    [[3, 4, 5], [0, 1, 2]],
    [[2, 2, 2, 2, 3], [4, 2, 0, 3, 1]],
  ])('shape %j perm %j agrees with tfjs-cpu Transpose', (shape, perm) => {
    const runner = new KernelRunner(new MathBackendCPU(), 'cpu', 'tfjs-cpu');
    const n = shape.reduce((p, d) => p * d, 1);
    const values = Float32Array.from(seeded(n, 5));
    const x = runner.upload(values, shape, 'float32');
    const expected = runner.run('Transpose', { x }, { perm });
    expect(Array.from(transposeValues(values, shape, perm))).toEqual(Array.from(runner.values(expected)));
    runner.dispose(x);
    runner.dispose(expected);
  });

  test('keeps int32 and bool storage, handles scalars and empty tensors', () => {
    expect(transposeValues(Int32Array.from([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0])).toEqual(Int32Array.from([1, 4, 2, 5, 3, 6]));
    expect(transposeValues(Uint8Array.from([1, 0, 0, 1]), [2, 2], [1, 0])).toEqual(Uint8Array.from([1, 0, 0, 1]));
    expect(transposeValues(Float32Array.from([7]), [], [])).toEqual(Float32Array.from([7]));
    expect(transposeValues(new Float32Array(0), [0, 3], [1, 0])).toEqual(new Float32Array(0));
  });
});

describe.each(rows(CPU_CASES))('layout on %s', (_name, c) => layoutTests(c));
