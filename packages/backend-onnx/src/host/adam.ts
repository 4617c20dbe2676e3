/** Adam's update of one weight on the host, in WebAssembly SIMD (see adam_wasm.ts), over arena blocks. */
import type { AdamAttrs } from '@keras-ts/core';
import { momentFloors } from './adam_wasm.js';
import type { Arena, HostMemory } from './arena.js';

/**
 * [variable', m', v'] in new arena blocks. Inputs already in the arena are read in place; the others
 * (the first step's, a gradient from onnxruntime) are copied in first.
 */
export function adamOnHost(
  memory: HostMemory, variable: Float32Array, m: Float32Array, v: Float32Array, gradient: Float32Array, alpha: number, attrs: AdamAttrs,
): [Float32Array, Float32Array, Float32Array] {
  const n = variable.length;
  const inputs = [variable, m, v, gradient];
  // Three output blocks, and a scratch block for each input outside the arena they land in.
  const blocksIn = (arena: Arena | undefined) => new Array<number>(3 + inputs.filter((x) => arena === undefined || memory.arenaOf(x) !== arena).length).fill(n);
  const preferred = memory.arenaOf(variable) ?? memory.arenaOf(m);
  let { arena, views } = memory.allocate(blocksIn(preferred), preferred);
  if (arena !== preferred && blocksIn(arena).length > views.length) {
    // The blocks landed elsewhere, where more inputs need copies than were counted: take enough for all.
    for (const view of views) memory.discard(view);
    ({ arena, views } = memory.allocate(blocksIn(undefined)));
  }
  const [next, mNext, vNext, ...scratch] = views;
  let copies = 0;
  const placed = inputs.map((x) => {
    if (memory.arenaOf(x) === arena) return x;
    const copy = scratch[copies++];
    copy.set(x);
    return copy;
  });
  run(memory, arena.kernel, placed, [next, mNext, vNext], alpha, attrs);
  for (const block of scratch) memory.discard(block);
  return [next, mNext, vNext];
}

function run(
  memory: HostMemory, kernel: (...args: number[]) => void, [w, m, v, g]: readonly Float32Array[], [w2, m2, v2]: readonly Float32Array[],
  alpha: number, attrs: AdamAttrs,
): void {
  const at = (x: Float32Array) => memory.offsetOf(x);
  const [c1, c2] = [1 - attrs.beta1, 1 - attrs.beta2];
  kernel(at(w), at(m), at(v), at(g), at(w2), at(m2), at(v2), Math.ceil(w.length / 4), alpha, c1, c2, attrs.epsilon, ...momentFloors(alpha, c1, c2));
}
