/**
 * Adam's update of one weight as one WebAssembly SIMD loop (four float32 lanes at a time): one pass
 * that reads g, m, v, w and writes m', v', w', where the update written as ONNX elementwise nodes
 * takes twelve passes and as many node dispatches. Each lane does the same float32 operations in
 * the same order as core's composite (`m + (g - m)·c1`, `v + (g·g - v)·c2`,
 * `w - (m'·alpha) / (sqrt(v') + epsilon)`), each correctly rounded, so the values equal the
 * composite's wherever they stay normal floats.
 *
 * One liberty, for speed: a moment too small to matter is stored as zero (m' and v' below their
 * floors, momentFloors: where the moment, or its next product m'·alpha, (g - m')·c1 or
 * (g·g - v')·c2, would be subnormal, below 2^-126), much as a processor in flush-to-zero mode does
 * (TensorFlow's CPU kernels run in it; WebAssembly cannot switch it on). A weight whose gradient
 * stays zero (a dead ReLU unit) has its first moment shrink by beta1 every step; without the floor
 * it spends some 150 steps in the subnormal range, where every x86 SIMD operation that makes a
 * subnormal takes a slow microcode path (the bench's MLP update ran 4x slower once most of its
 * moments got there, after about 700 steps). With it the moment goes to zero in one step; the update
 * it would have given is below 2^-126 / (sqrt(v') + epsilon), lost in the weight's rounding. (A
 * gradient below 2^-63 still makes a subnormal square, on its lane only.)
 *
 * The module is a few hundred bytes, written here opcode by opcode rather than shipped as a binary
 * built elsewhere (no WebAssembly toolchain is needed to build keras-ts). It imports its memory, so
 * one compiled module serves every arena (host/arena.ts).
 */

/**
 * The exported function: `adam(w, m, v, g, wOut, mOut, vOut, groups, alpha, c1, c2, epsilon,
 * mFloor, vFloor)`, pointers in bytes, `groups` of four lanes; m' and v' lanes below their floors
 * (momentFloors) are stored as zero.
 */
export type AdamKernel = (
  w: number, m: number, v: number, g: number, wOut: number, mOut: number, vOut: number,
  groups: number, alpha: number, c1: number, c2: number, epsilon: number, mFloor: number, vFloor: number,
) => void;

/** The smallest normal float32, 2^-126. */
export const SMALLEST_NORMAL = 2 ** -126;

/**
 * The floors of m' and v': below them a moment is subnormal, or its next product (m'·alpha and
 * (g - m')·c1 for m', (g·g - v')·c2 for v') would be, so it is stored as zero. Taken of the float32
 * constants the kernel multiplies by.
 */
export function momentFloors(alpha: number, c1: number, c2: number): [number, number] {
  const floor = (c: number) => {
    const c32 = Math.abs(Math.fround(c));
    return c32 > 0 ? Math.fround(SMALLEST_NORMAL / c32) : 0;
  };
  return [Math.max(SMALLEST_NORMAL, floor(alpha), floor(c1)), Math.max(SMALLEST_NORMAL, floor(c2))];
}

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

// Instructions (core and SIMD opcodes from the WebAssembly 2.0 specification).
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_SHL = 0x74;
const I32_GE_U = 0x4f;
const BLOCK = 0x02;
const LOOP = 0x03;
const BR = 0x0c;
const BR_IF = 0x0d;
const END = 0x0b;
const VOID = 0x40;
const SIMD = 0xfd;
/** SIMD sub-opcodes, LEB128-encoded after the 0xfd prefix. */
const simd = (op: number): number[] => (op < 0x80 ? [SIMD, op] : [SIMD, (op & 0x7f) | 0x80, op >> 7]);
const V128_LOAD = [...simd(0x00), 4, 0]; // align 2^4, offset 0
const V128_STORE = [...simd(0x0b), 4, 0];
const F32X4_SPLAT = simd(0x13);
const F32X4_LT = simd(0x43);
const V128_ANDNOT = simd(0x4f);
const F32X4_ABS = simd(0xe0);
const F32X4_SQRT = simd(0xe3);
const F32X4_ADD = simd(0xe4);
const F32X4_SUB = simd(0xe5);
const F32X4_MUL = simd(0xe6);
const F32X4_DIV = simd(0xe7);

/** Unsigned LEB128. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

const vector = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
const name = (s: string): number[] => [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

// Parameters 0..13, then locals.
const [W, M, V, G, W_OUT, M_OUT, V_OUT, GROUPS, ALPHA, C1, C2, EPSILON, M_FLOOR, V_FLOOR] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
const [OFFSET, END_OFFSET] = [14, 15]; // i32 locals
// v128 locals: the splatted constants, then the current group's values.
const [ALPHA4, C14, C24, EPSILON4, M_FLOOR4, V_FLOOR4, GV, MV, VV, X] = [16, 17, 18, 19, 20, 21, 22, 23, 24, 25];

const get = (local: number) => [LOCAL_GET, local];
const set = (local: number) => [LOCAL_SET, local];
/** Pushes `pointer + offset`, the address of the current group in one array. */
const at = (pointer: number) => [...get(pointer), ...get(OFFSET), I32_ADD];
/** Replaces the vector on the stack by itself with the lanes whose magnitude is below `floor4` zeroed. */
const zeroBelow = (floor4: number) => [...set(X), ...get(X), ...get(X), ...F32X4_ABS, ...get(floor4), ...F32X4_LT, ...V128_ANDNOT];
/** Sets local `local` to the splat of f32 parameter `param`. */
const splat = (param: number, local: number) => [...get(param), ...F32X4_SPLAT, ...set(local)];

function body(): number[] {
  const code = [
    ...get(GROUPS), I32_CONST, 4, I32_SHL, ...set(END_OFFSET),
    ...splat(ALPHA, ALPHA4), ...splat(C1, C14), ...splat(C2, C24), ...splat(EPSILON, EPSILON4),
    ...splat(M_FLOOR, M_FLOOR4), ...splat(V_FLOOR, V_FLOOR4),
    BLOCK, VOID, LOOP, VOID,
    ...get(OFFSET), ...get(END_OFFSET), I32_GE_U, BR_IF, 1,
    ...at(G), ...V128_LOAD, ...set(GV),
    // m' = m + (g - m) * c1, zero below the floor
    ...at(M), ...V128_LOAD, ...set(MV),
    ...at(M_OUT),
    ...get(MV), ...get(GV), ...get(MV), ...F32X4_SUB, ...get(C14), ...F32X4_MUL, ...F32X4_ADD, ...zeroBelow(M_FLOOR4), ...set(MV),
    ...get(MV), ...V128_STORE,
    // v' = v + (g * g - v) * c2, zero below the floor
    ...at(V), ...V128_LOAD, ...set(VV),
    ...at(V_OUT),
    ...get(VV), ...get(GV), ...get(GV), ...F32X4_MUL, ...get(VV), ...F32X4_SUB, ...get(C24), ...F32X4_MUL, ...F32X4_ADD, ...zeroBelow(V_FLOOR4), ...set(VV),
    ...get(VV), ...V128_STORE,
    // w' = w - (m' * alpha) / (sqrt(v') + epsilon)
    ...at(W_OUT),
    ...at(W), ...V128_LOAD,
    ...get(MV), ...get(ALPHA4), ...F32X4_MUL,
    ...get(VV), ...F32X4_SQRT, ...get(EPSILON4), ...F32X4_ADD,
    ...F32X4_DIV, ...F32X4_SUB,
    ...V128_STORE,
    ...get(OFFSET), I32_CONST, 16, I32_ADD, ...set(OFFSET),
    BR, 0, END, END, END,
  ];
  const locals = vector([[2, I32], [10, V128]]);
  const fn = [...locals, ...code];
  return [...leb(fn.length), ...fn];
}

/** The module's bytes. */
export function adamModuleBytes(): Uint8Array {
  const params = [I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
    ...section(1, vector([[0x60, ...leb(params.length), ...params, 0]])), // type 0: (params) -> ()
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])), // import memory, min 1 page
    ...section(3, vector([[0]])), // function 0 has type 0
    ...section(7, vector([[...name('adam'), 0x00, 0]])), // export function 0 as "adam"
    ...section(10, vector([body()])),
  ];
  return Uint8Array.from(bytes);
}

/** The part of the WebAssembly JavaScript API used here (TypeScript's lib for Node declares no WebAssembly values). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
}
export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | undefined;

/** The kernel over `memory`; the module is compiled once per process. */
export function adamKernel(memory: WasmMemory): AdamKernel {
  compiled ??= new wasm.Module(adamModuleBytes());
  const instance = new wasm.Instance(compiled, { env: { memory } });
  return instance.exports.adam as AdamKernel;
}
