/** Adam's update of one weight on the host, in WebAssembly SIMD (see adam_wasm.ts), over arena blocks. */
import type { AdamAttrs } from '@keras-ts/core';
import type { HostMemory } from './arena.js';

/**
 * [variable', m', v'] in new arena blocks. Inputs already in the arena are read in place; the others
 * (the first step's, a gradient from onnxruntime) are copied in first.
 */
export function adamOnHost(
  memory: HostMemory, variable: Float32Array, m: Float32Array, v: Float32Array, gradient: Float32Array, alpha: number, attrs: AdamAttrs,
): [Float32Array, Float32Array, Float32Array] {
  const n = variable.length;
  const inputs = [variable, m, v, gradient];
  const preferred = memory.arenaOf(variable) ?? memory.arenaOf(m);
  // Outputs first, then a scratch block for each input outside the arena the blocks land in.
  let { arena, views } = memory.allocate([n, n, n], preferred);
  const outside = inputs.filter((x) => memory.arenaOf(x) !== arena);
  const scratch = memory.allocate(outside.map(() => n), arena);
  if (scratch.arena !== arena) {
    // No room for the copies beside the outputs: everything goes to the new arena.
    for (const view of [...views, ...scratch.views]) memory.discard(view);
    ({ arena, views } = memory.allocate([n, n, n, n, n, n, n]));
    const [w2, m2, v2, ...copies] = views;
    inputs.forEach((x, i) => copies[i].set(x));
    run(memory, arena.kernel, copies, [w2, m2, v2], alpha, attrs);
    for (const c of copies) memory.discard(c);
    return [w2, m2, v2];
  }
  const placed = inputs.map((x) => {
    const i = outside.indexOf(x);
    if (i < 0) return x;
    scratch.views[i].set(x);
    return scratch.views[i];
  });
  run(memory, arena.kernel, placed, views, alpha, attrs);
  for (const c of scratch.views) memory.discard(c);
  return [views[0], views[1], views[2]];
}

function run(
  memory: HostMemory, kernel: (...args: number[]) => void, [w, m, v, g]: readonly Float32Array[], [w2, m2, v2]: readonly Float32Array[],
  alpha: number, attrs: AdamAttrs,
): void {
  const at = (x: Float32Array) => memory.offsetOf(x);
  kernel(at(w), at(m), at(v), at(g), at(w2), at(m2), at(v2), Math.ceil(w.length / 4), alpha, 1 - attrs.beta1, 1 - attrs.beta2, attrs.epsilon);
}
