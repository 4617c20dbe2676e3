import { beforeAll, describe, expect, it } from '@jest/globals';
import { memory, ops, tensor, tidy, dispose, Variable, keep, scalar, type Tensor } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
});

describe('tensor()', () => {
  it('makes float32 tensors by default with the inferred shape', async () => {
    const t = tensor([[1, 2], [3, 4]]);
    expect(t.shape).toEqual([2, 2]);
    expect(t.dtype).toBe('float32');
    expect(t.dataSync()).toEqual(new Float32Array([1, 2, 3, 4]));
    expect(await t.data()).toEqual(new Float32Array([1, 2, 3, 4]));
    expect(await t.array()).toEqual([[1, 2], [3, 4]]);
    expect(t.arraySync()).toEqual([[1, 2], [3, 4]]);
    t.dispose();
  });

  it('takes a flat list with a shape and a dtype', () => {
    const t = tensor([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
    expect(t.dtype).toBe('int32');
    expect(t.dataSync()).toEqual(new Int32Array([1, 2, 3, 4, 5, 6]));
    expect(t.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    t.dispose();
  });

  it('makes bool tensors from booleans and reads them back as booleans', () => {
    const t = tensor([true, false, true]);
    expect(t.dtype).toBe('bool');
    expect(t.arraySync()).toEqual([true, false, true]);
    expect(t.dataSync()).toEqual(new Uint8Array([1, 0, 1]));
    t.dispose();
  });

  it('keeps typed arrays as their dtype and makes scalars', () => {
    const t = tensor(new Int32Array([7, 8]));
    expect(t.dtype).toBe('int32');
    const s = scalar(3.5);
    expect(s.shape).toEqual([]);
    expect(s.arraySync()).toBe(3.5);
    dispose([t, s]);
  });

  it('rounds float values toward zero for int32', () => {
    const t = tensor([1.7, -1.7], [2], 'int32');
    expect(Array.from(t.dataSync())).toEqual([1, -1]);
    t.dispose();
  });

  it('explains an unknown dtype', () => {
    expect(() => tensor([1, 2], [2], 'float64')).toThrow(
      /unknown dtype "float64". Expected one of 'float32', 'int32', 'bool'. Fix: .*cast your data to float32 or int32/,
    );
  });

  it('explains ragged nested arrays and a shape that does not fit', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged: element \[1\] has length 1, expected length 2/);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/3 values cannot have shape \(2, 2\) \(4 elements\)/);
    expect(() => tensor([1, 'a' as unknown as number])).toThrow(/element at \[1\] is string. Expected a number/);
  });

  it('says when a disposed tensor is used', () => {
    const t = tensor([1, 2]);
    t.dispose();
    expect(t.isDisposed).toBe(true);
    expect(() => t.dataSync()).toThrow(/already disposed/);
    expect(() => ops.add(t, 1)).toThrow(/add: this tensor of shape \(2,\) was already disposed/);
    t.dispose();
  });
});

describe('tidy() and memory()', () => {
  it('frees every intermediate and keeps what is returned', () => {
    const before = memory().numTensors;
    const a = tensor([1, 2, 3]);
    const result = tidy(() => {
      const b = ops.multiply(a, 2);
      const c = ops.add(b, 1);
      return { c, list: [ops.exp(c)] };
    });
    expect(memory().numTensors).toBe(before + 3);
    expect(Array.from(result.c.dataSync())).toEqual([3, 5, 7]);
    dispose([a, result]);
    expect(memory().numTensors).toBe(before);
  });

  it('counts bytes per backend', () => {
    const before = memory();
    const t = tensor(new Float32Array(10));
    const b = tensor([true, false]);
    expect(memory().numBytes - before.numBytes).toBe(42);
    expect(memory().backend).toBe(before.backend);
    dispose([t, b]);
    expect(memory().numBytes).toBe(before.numBytes);
  });

  it('frees inner scopes and moves results to the outer scope', () => {
    const before = memory().numTensors;
    const outer = tidy(() => {
      const inner = tidy(() => ops.add(tensor([1]), tensor([2])));
      return ops.multiply(inner, 3);
    });
    expect(outer.arraySync()).toEqual([9]);
    outer.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('keep() protects a tensor from its scope', () => {
    let kept: Tensor | undefined;
    tidy(() => {
      kept = keep(tensor([5]));
    });
    expect(kept?.isDisposed).toBe(false);
    kept?.dispose();
  });

  it('frees everything when fn throws, and rejects async functions', () => {
    const before = memory().numTensors;
    expect(() =>
      tidy(() => {
        tensor([1]);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(memory().numTensors).toBe(before);
    expect(() => tidy(async () => tensor([1]))).toThrow(/returned a Promise/);
    expect(memory().numTensors).toBe(before);
  });

  it('a Variable survives tidy and assign frees the old value', () => {
    const before = memory().numTensors;
    const v = tidy(() => new Variable(tensor([1, 2, 3]), { name: 'v' }));
    expect(memory().numTensors).toBe(before + 1);
    tidy(() => v.assign(ops.multiply(v, 2)));
    expect(Array.from(v.dataSync())).toEqual([2, 4, 6]);
    expect(memory().numTensors).toBe(before + 1);
    expect(() => tidy(() => v.assign(tensor([1, 2])))).toThrow(/cannot assign a value of shape \(2,\) float32; the variable is \(3,\) float32/);
    v.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('frees a dropped tensor when it is garbage collected (the safety net)', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) {
      // Without --expose-gc the collector cannot be forced; the registry is still attached.
      expect(typeof FinalizationRegistry).toBe('function');
      return;
    }
    const before = memory().numTensors;
    (() => {
      tensor(new Float32Array(1000));
    })();
    for (let i = 0; i < 10 && memory().numTensors !== before; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(memory().numTensors).toBe(before);
  });
});
