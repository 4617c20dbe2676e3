/** The checks that decide where tfjs's max-like kernels may run: in JavaScript, and in WebAssembly SIMD over tfjs-wasm's heap. */
import './quiet_tfjs.js';
import { describe, expect, test } from '@jest/globals';
import { hasNaN, hasNonFinite, scansWithSimd } from '../src/common/nan.js';
import { KernelRunner } from '../src/common/runner.js';
import { TfjsWasmBackend } from '../src/index.js';

const wasm = await TfjsWasmBackend.create();
const runner = new KernelRunner(wasm.moduleInfo.instance, 'wasm', 'tfjs-wasm', {}, true);

/** Finite values, large enough that a sum of 16 of them overflows float32 (a false alarm the exact check must clear). */
const finite = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => (i % 5 === 2 ? 3e38 : i - n / 2));
/** Values without NaN, with +Infinity and −Infinity side by side (their sum is NaN, which must not count as one). */
const infinite = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => (i % 7 === 3 ? Infinity : i % 7 === 4 ? -Infinity : i - n / 2));

/** Runs `check` on `values` as given (JavaScript) and as a view of tfjs-wasm's heap (SIMD), then frees the copy. */
function onBoth(values: Float32Array, check: (view: Float32Array, simd: boolean) => void): void {
  check(values, false);
  const t = runner.upload(values, [values.length], 'float32');
  try {
    check(runner.peek(t) as Float32Array, true);
  } finally {
    runner.dispose(t);
  }
}

describe('hasNaN and hasNonFinite, in JavaScript and over the wasm heap in SIMD', () => {
  test('find nothing where there is nothing: overflowing sums and ±Infinity are no NaN', () => {
    for (let n = 0; n <= 40; n++) {
      onBoth(finite(n), (v, simd) => {
        expect(scansWithSimd(v)).toBe(simd);
        expect({ n, simd, nan: hasNaN(v), nonFinite: hasNonFinite(v) }).toEqual({ n, simd, nan: false, nonFinite: false });
      });
      onBoth(infinite(n), (v, simd) => expect({ n, simd, nan: hasNaN(v), nonFinite: hasNonFinite(v) }).toEqual({ n, simd, nan: false, nonFinite: n > 3 }));
    }
  });

  test('find a NaN or an infinity at every position of every length up to 40 (tails of 1 to 3 values included)', () => {
    for (let n = 1; n <= 40; n++) {
      for (let at = 0; at < n; at++) {
        for (const special of [NaN, Infinity, -Infinity]) {
          const values = finite(n);
          values[at] = special;
          onBoth(values, (v, simd) => {
            expect({ n, at, special, simd, nan: hasNaN(v), nonFinite: hasNonFinite(v) }).toEqual({ n, at, special, simd, nan: Number.isNaN(special), nonFinite: true });
          });
        }
      }
    }
  });

  test('a subarray of the heap is scanned from its own offset (not aligned to 16 bytes)', () => {
    const values = finite(64);
    values[2] = NaN;
    onBoth(values, (v, simd) => {
      expect(scansWithSimd(v.subarray(1))).toBe(simd);
      expect(hasNaN(v.subarray(3))).toBe(false);
      expect(hasNaN(v.subarray(1))).toBe(true);
      expect(hasNaN(v.subarray(2, 3))).toBe(true);
      expect(hasNonFinite(v.subarray(3, 40))).toBe(false);
    });
  });
});
