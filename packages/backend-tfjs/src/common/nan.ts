/**
 * NaN in max-like kernels. keras-ts follows numpy (and Keras's numpy backend): NaN wins a maximum or
 * a minimum, and among several NaNs the first wins. tfjs's ArgMax, ArgMin, MaxPool and MaxPoolGrad
 * compare with `value > best`, which is false for NaN, so they skip it (and tfjs-wasm's AvgPool, an
 * XNNPACK kernel, turns a NaN average into −Infinity); where they do, this package either runs its
 * own loop or first looks for NaN and keeps tfjs's kernel when there is none, the common case.
 *
 * The checks are JavaScript passes (about 0.45 ns an element here), except over tfjs-wasm's heap,
 * where a 16-byte WebAssembly SIMD loop does them (about 0.09 ns an element: 0.10 ms over a
 * [32,24,24,64] tensor, against 0.46 ms in JavaScript and 0.31 ms for wasm's whole MaxPool of it).
 */

/** Whether `values` holds a NaN. */
export function hasNaN(values: Float32Array): boolean {
  return scan(values, 'nan');
}

/** Whether `values` holds a NaN, +Infinity or −Infinity. */
export function hasNonFinite(values: Float32Array): boolean {
  return scan(values, 'nonFinite');
}

/** Whether the checks scan `values` with WebAssembly SIMD: a view of tfjs-wasm's heap, once `useWasmNaNScan` has run. */
export function scansWithSimd(values: Float32Array): boolean {
  return simd !== undefined && values.buffer === simd.memory.buffer;
}

type Check = 'nan' | 'nonFinite';

function scan(values: Float32Array, check: Check): boolean {
  const exact = check === 'nan' ? anyNaN : anyNonFinite;
  if (simd !== undefined && values.buffer === simd.memory.buffer) {
    const whole = values.length - (values.length % 4);
    return simd[check](values.byteOffset, whole) !== 0 || exact(values, whole, values.length);
  }
  // A sum of 16 values is NaN where one of them is NaN, and s − s is NaN where one is NaN or
  // infinite (false alarms, +Infinity meeting −Infinity or an overflow, are ruled out by the exact
  // check). Summed as a tree, the additions are independent: 0.45 ns an element here, against
  // 1.1 ns for `values[i] !== values[i]` one element after another.
  const n = values.length;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const s =
      values[i] + values[i + 1] + (values[i + 2] + values[i + 3]) + (values[i + 4] + values[i + 5] + (values[i + 6] + values[i + 7])) +
      (values[i + 8] + values[i + 9] + (values[i + 10] + values[i + 11]) + (values[i + 12] + values[i + 13] + (values[i + 14] + values[i + 15])));
    const alarm = check === 'nan' ? s !== s : s - s !== 0;
    if (alarm && exact(values, i, i + 16)) return true;
  }
  return exact(values, i, n);
}

function anyNaN(values: Float32Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (values[i] !== values[i]) return true;
  return false;
}

function anyNonFinite(values: Float32Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (values[i] - values[i] !== 0) return true;
  return false;
}

/** What this file needs of the WebAssembly global (TypeScript's ES2022 library does not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: abstract new (...args: never[]) => object;
}

interface Memory {
  readonly buffer: ArrayBuffer;
}

/** The SIMD scans over one WebAssembly memory (tfjs-wasm's): each returns 1 where it finds what it looks for. */
type SimdScans = { readonly memory: Memory } & { readonly [C in Check]: (byteOffset: number, count: number) => number };

let simd: SimdScans | undefined;

/**
 * The scans' module, in the text format (`hasNonFinite` is the same with $v = $v − $v first, which
 * is NaN in the lanes that were NaN or infinite, and 0 in the others):
 *
 *     (module
 *       (import "m" "memory" (memory 0))
 *       (func (export "hasNaN") (param $p i32) (param $n i32) (result i32)   ;; $n: a multiple of 4
 *         (local $end i32) (local $acc v128) (local $v v128)
 *         (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
 *         (block $done
 *           (loop $next
 *             (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
 *             (local.set $v (v128.load align=4 (local.get $p)))
 *             ;; a NaN lane is the only one unequal to itself
 *             (local.set $acc (v128.or (local.get $acc) (f32x4.ne (local.get $v) (local.get $v))))
 *             (local.set $p (i32.add (local.get $p) (i32.const 16)))
 *             (br $next)))
 *         (v128.any_true (local.get $acc))))
 */
function body(minusItself: boolean): number[] {
  return [
    0x02, 0x01, 0x7f, 0x02, 0x7b, // locals: 1 i32, 2 v128
    0x20, 0x00, 0x20, 0x01, 0x41, 0x02, 0x74, 0x6a, 0x21, 0x02, // $end = $p + ($n << 2)
    0x02, 0x40, 0x03, 0x40, // block, loop
    0x20, 0x00, 0x20, 0x02, 0x4f, 0x0d, 0x01, // br_if $done ($p >= $end)
    0x20, 0x00, 0xfd, 0x00, 0x02, 0x00, 0x22, 0x04, // $v = v128.load $p (local.tee)
    ...(minusItself ? [0x20, 0x04, 0xfd, 0xe5, 0x01, 0x22, 0x04] : []), // $v = f32x4.sub($v, $v) (local.tee)
    0x20, 0x04, 0xfd, 0x42, 0x20, 0x03, 0xfd, 0x50, 0x21, 0x03, // $acc |= f32x4.ne($v, $v)
    0x20, 0x00, 0x41, 0x10, 0x6a, 0x21, 0x00, // $p += 16
    0x0c, 0x00, 0x0b, 0x0b, // br $next, end loop, end block
    0x20, 0x03, 0xfd, 0x53, 0x0b, // v128.any_true $acc, end
  ];
}

/** An unsigned LEB128 number, as the binary format writes lengths. */
function leb(n: number): number[] {
  const bytes: number[] = [];
  do {
    const low = n & 0x7f;
    n >>>= 7;
    bytes.push(n === 0 ? low : low | 0x80);
  } while (n !== 0);
  return bytes;
}

/** A module section: its id, its contents' length and its contents. */
const section = (id: number, contents: number[]): number[] => [id, ...leb(contents.length), ...contents];
const name = (text: string): number[] => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];
const [NAN_BODY, NON_FINITE_BODY] = [body(false), body(true)];

const MODULE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  ...section(1, [0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f]), // type 0: (i32, i32) -> i32
  ...section(2, [0x01, ...name('m'), ...name('memory'), 0x02, 0x00, 0x00]), // import memory, at least 0 pages
  ...section(3, [0x02, 0x00, 0x00]), // two functions of type 0
  ...section(7, [0x02, ...name('hasNaN'), 0x00, 0x00, ...name('hasNonFinite'), 0x00, 0x01]), // export them
  ...section(10, [0x02, ...leb(NAN_BODY.length), ...NAN_BODY, ...leb(NON_FINITE_BODY.length), ...NON_FINITE_BODY]), // their code
]);

/**
 * Makes the checks scan views of `memory` (tfjs-wasm's heap) with WebAssembly SIMD. Without it, or
 * where the module cannot be made (no SIMD, a shared memory), they stay in JavaScript.
 */
export function useWasmNaNScan(memory: unknown): void {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (api === undefined || !(memory instanceof api.Memory)) return;
  try {
    const { exports } = new api.Instance(new api.Module(MODULE), { m: { memory } });
    type Scan = (byteOffset: number, count: number) => number;
    simd = { memory: memory as Memory, nan: exports.hasNaN as Scan, nonFinite: exports.hasNonFinite as Scan };
  } catch {
    simd = undefined;
  }
}
