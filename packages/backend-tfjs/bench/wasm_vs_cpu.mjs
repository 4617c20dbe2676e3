// Times tfjs-wasm against tfjs-cpu on the same kernels, through the Backend interface (upload once,
// time the kernel and its dispose). Run after building: node packages/backend-tfjs/bench/wasm_vs_cpu.mjs
import { TfjsCpuBackend, TfjsWasmBackend } from '../dist/index.js';

const backends = [await TfjsWasmBackend.create(), new TfjsCpuBackend()];

function random(n, seed) {
  const v = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 2 ** 31 - 1;
  }
  return v;
}

/** Best of `reps` runs (after one warm-up), in milliseconds. */
function best(b, run, reps) {
  b.dispose(run());
  let min = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    const out = run();
    min = Math.min(min, performance.now() - t);
    b.dispose(out);
  }
  return min;
}

const up = (b, shape) => ({ handle: b.upload(random(shape.reduce((p, d) => p * d, 1), 7), shape, 'float32'), shape, dtype: 'float32' });
const spec = (shape) => ({ shape, dtype: 'float32' });

const n = 1024;
for (const b of backends) {
  const a = up(b, [1, n, n]);
  const c = up(b, [1, n, n]);
  const ms = best(b, () => b.matmul(a, c, false, false, spec([1, n, n])), b.name === 'tfjs-cpu' ? 2 : 5);
  console.log(`${b.name} matmul ${n}³: ${ms.toFixed(1)} ms, ${((2 * n ** 3) / ms / 1e6).toFixed(1)} GFLOP/s`);
  b.dispose(a.handle);
  b.dispose(c.handle);
}

const CONVS = [
  { x: [32, 28, 28, 1], f: [3, 3, 1, 32], strides: [1, 1], pads: [[0, 0], [0, 0]] },
  { x: [32, 26, 26, 32], f: [3, 3, 32, 64], strides: [1, 1], pads: [[0, 0], [0, 0]] },
  { x: [32, 12, 12, 64], f: [3, 3, 64, 64], strides: [2, 2], pads: [[0, 1], [0, 1]] },
];
for (const k of CONVS) {
  const attrs = { strides: k.strides, pads: k.pads, dilations: [1, 1] };
  const out = (axis) => Math.floor((k.x[axis + 1] + k.pads[axis][0] + k.pads[axis][1] - k.f[axis]) / k.strides[axis]) + 1;
  const y = [k.x[0], out(0), out(1), k.f[3]];
  const gflop = (2 * y.reduce((p, d) => p * d, 1) * k.f[0] * k.f[1] * k.f[2]) / 1e9;
  for (const b of backends) {
    const x = up(b, k.x);
    const w = up(b, k.f);
    const dy = up(b, y);
    const filter = best(b, () => b.conv2dBackpropFilter(x, dy, attrs, spec(k.f)), 3);
    const forward = best(b, () => b.conv2d(x, w, attrs, spec(y)), 3);
    const input = best(b, () => b.conv2dBackpropInput(dy, w, attrs, spec(k.x)), 3);
    console.log(
      `${b.name} x ${JSON.stringify(k.x)} filter ${JSON.stringify(k.f)} stride ${k.strides[0]} (${gflop.toFixed(3)} GFLOP): ` +
        `conv2dBackpropFilter ${filter.toFixed(1)} ms, conv2d ${forward.toFixed(1)} ms, conv2dBackpropInput ${input.toFixed(1)} ms`,
    );
    for (const t of [x, w, dy]) b.dispose(t.handle);
  }
}

// Pooling gradients (2x2 pool, stride 2, over [32,24,24,64]) and scatterAdd (an embedding's gradient).
const pool = { poolSize: [2, 2], strides: [2, 2], padding: 'valid', pads: [[0, 0], [0, 0]] };
for (const b of backends) {
  const x = up(b, [32, 24, 24, 64]);
  const dy = up(b, [32, 12, 12, 64]);
  const forward = best(b, () => b.maxPool2d(x, pool, spec([32, 12, 12, 64])), 3);
  const maxGrad = best(b, () => b.maxPool2dBackprop(dy, x, pool, spec(x.shape)), 3);
  const avgGrad = best(b, () => b.avgPool2dBackprop(dy, pool, spec(x.shape)), 3);
  console.log(`${b.name} pooling [32,24,24,64]: maxPool2d ${forward.toFixed(1)} ms, maxPool2dBackprop ${maxGrad.toFixed(1)} ms, avgPool2dBackprop ${avgGrad.toFixed(1)} ms`);
  const updates = up(b, [1600, 64]);
  const indices = { handle: b.upload(Int32Array.from({ length: 1600 }, (_, i) => (i * 7919) % 10000), [1600], 'int32'), shape: [1600], dtype: 'int32' };
  const scatter = best(b, () => b.scatterAdd(updates, indices, 0, spec([10000, 64])), 3);
  console.log(`${b.name} scatterAdd of [1600, 64] into [10000, 64]: ${scatter.toFixed(1)} ms`);
  for (const t of [x, dy, updates, indices]) b.dispose(t.handle);
}
