/**
 * Adam's update of one weight as one WebAssembly SIMD loop (four float32 lanes at a time): one pass
 * that reads g, m, v, w and writes m', v', w', where the update written as ONNX elementwise nodes
 * takes twelve passes and as many node dispatches. Each lane does the same float32 operations in
 * the same order as core's composite (`m + (g - m)·c1`, `v + (g·g - v)·c2`,
 * `w - (m'·alpha) / (sqrt(v') + epsilon)`), each correctly rounded, so the values equal the
 * composite's.
 *
 * The module is a few hundred bytes, written here opcode by opcode rather than shipped as a binary
 * built elsewhere (no WebAssembly toolchain is needed to build keras-ts). It imports its memory, so
 * one compiled module serves every arena (host/arena.ts).
 */

/** The exported function: `adam(w, m, v, g, wOut, mOut, vOut, groups, alpha, c1, c2, epsilon)`, pointers in bytes, `groups` of four lanes. */
export type AdamKernel = (
  w: number, m: number, v: number, g: number, wOut: number, mOut: number, vOut: number,
  groups: number, alpha: number, c1: number, c2: number, epsilon: number,
) => void;

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

// Parameters 0..11, then locals.
const [W, M, V, G, W_OUT, M_OUT, V_OUT, GROUPS, ALPHA, C1, C2, EPSILON] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const [OFFSET, END_OFFSET] = [12, 13]; // i32 locals
const [ALPHA4, C14, C24, EPSILON4, GV, MV, VV] = [14, 15, 16, 17, 18, 19, 20]; // v128 locals

const get = (local: number) => [LOCAL_GET, local];
const set = (local: number) => [LOCAL_SET, local];
/** Pushes `pointer + offset`, the address of the current group in one array. */
const at = (pointer: number) => [...get(pointer), ...get(OFFSET), I32_ADD];

function body(): number[] {
  const code = [
    ...get(GROUPS), I32_CONST, 4, I32_SHL, ...set(END_OFFSET),
    ...get(ALPHA), ...F32X4_SPLAT, ...set(ALPHA4),
    ...get(C1), ...F32X4_SPLAT, ...set(C14),
    ...get(C2), ...F32X4_SPLAT, ...set(C24),
    ...get(EPSILON), ...F32X4_SPLAT, ...set(EPSILON4),
    BLOCK, VOID, LOOP, VOID,
    ...get(OFFSET), ...get(END_OFFSET), I32_GE_U, BR_IF, 1,
    ...at(G), ...V128_LOAD, ...set(GV),
    // m' = m + (g - m) * c1
    ...at(M), ...V128_LOAD, ...set(MV),
    ...get(MV), ...get(GV), ...get(MV), ...F32X4_SUB, ...get(C14), ...F32X4_MUL, ...F32X4_ADD, ...set(MV),
    ...at(M_OUT), ...get(MV), ...V128_STORE,
    // v' = v + (g * g - v) * c2
    ...at(V), ...V128_LOAD, ...set(VV),
    ...get(VV), ...get(GV), ...get(GV), ...F32X4_MUL, ...get(VV), ...F32X4_SUB, ...get(C24), ...F32X4_MUL, ...F32X4_ADD, ...set(VV),
    ...at(V_OUT), ...get(VV), ...V128_STORE,
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
  const locals = vector([[2, I32], [7, V128]]);
  const fn = [...locals, ...code];
  return [...leb(fn.length), ...fn];
}

/** The module's bytes. */
export function adamModuleBytes(): Uint8Array {
  const params = [I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32];
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
