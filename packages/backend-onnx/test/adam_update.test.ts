/**
 * Adam's fused update on onnx: the kernel runs on the host in WebAssembly SIMD and gives the
 * reference backend's numbers exactly (both do the composite's float32 operations in order), but
 * for moments so small that they or their next products would be subnormal, which it stores as zero; a
 * weight too large for the host's arenas runs in onnxruntime; compiled training runs the update after
 * the graph (the new weights then live in recycled host storage), or keeps it in the graph when a
 * node reads the new weights (a kernel constraint); and storage is reused only once no handle holds it.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  backendInstance, compiledStepReport, type Backend, type KernelTensor, layers, ops, optimizers, registerBackend, Sequential, setBackend, tensor, utils, type Tensor,
} from '@keras-ts/core';
import { createOnnxBackend, type OnnxBackend } from '../src/index.js';
import { adamOnHost } from '../src/host/adam.js';
import { HostMemory } from '../src/host/arena.js';
import { evaluate, expectSameAsReference, floats, input, onnx as twinOnnx, referenceBackend, spec, TIGHT, type Input } from './support/twins.js';
import { momentFloors } from '../src/host/adam_wasm.js';

const attrs = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/** Adam's inputs for a weight of `shape`: variable, m, v (non-negative), gradient, alpha. */
function adamInputs(shape: number[], seed: number): Input[] {
  return [floats(shape, seed), floats(shape, seed + 1, -0.1, 0.1), floats(shape, seed + 2, 0, 0.01), floats(shape, seed + 3), input([0.00123], [])];
}

describe('the adamUpdate kernel', () => {
  for (const shape of [[7], [3, 5], [64, 33]]) {
    it(`on the host equals the reference exactly for [${shape}] (a length not a multiple of four included)`, () => {
      const out = spec(shape);
      expectSameAsReference('adamUpdate', (b, [w, m, v, g, a]) => b.adamUpdate!(w, m, v, g, a, attrs, out), adamInputs(shape, 1), [out, out, out], { rtol: 0, atol: 0 });
    });
  }

  it('zero and tiny gradients, tiny moments, other betas and epsilon: the reference\'s numbers, a moment too small to matter stored as zero', () => {
    const shape = [12];
    const tiny = 2 ** -126;
    const g = input([0, 1e-20, -1e-20, 1e-3, -5, 5, 0, 1e30, -1e-38, 0, 0, 1e-3], shape);
    // Moments in the subnormal range, at the floors, and a first moment decaying under a zero gradient.
    const m = input([0, 0, 0, 0, 0, 0, 3e-39, 0, 0, 2e-36, 4 * tiny, 1e-40], shape);
    const v = input([0, 0, 0, 0, 0, 0, 1e-39, 0, 0, 1e-30, 1e-36, 1e-40], shape);
    const other = { beta1: 0.5, beta2: 0.75, epsilon: 1e-3 };
    const alpha = 0.01;
    const inputs = [floats(shape, 3), m, v, g, input([alpha], [])];
    const run = (b: Backend<unknown>, [wi, mi, vi, gi, a]: KernelTensor<unknown>[]) => b.adamUpdate!(wi, mi, vi, gi, a, other, spec(shape));
    const outs = [spec(shape), spec(shape), spec(shape)];
    const [w2, m2, v2] = evaluate(twinOnnx as Backend<unknown>, run, inputs, outs);
    const [rw, rm, rv] = evaluate(referenceBackend as Backend<unknown>, run, inputs, outs);
    const [mFloor, vFloor] = momentFloors(alpha, 1 - other.beta1, 1 - other.beta2);
    expect(mFloor).toBe(Math.fround(tiny / Math.fround(alpha)));
    expect(vFloor).toBe(Math.fround(tiny / 0.25));
    for (let i = 0; i < 12; i++) {
      // Below its floor a moment is zero; above, the reference's value exactly. No stored moment is subnormal.
      expect(m2[i]).toBe(Math.abs(rm[i]) < mFloor ? 0 : rm[i]);
      expect(v2[i]).toBe(Math.abs(rv[i]) < vFloor ? 0 : rv[i]);
      expect(m2[i] === 0 || Math.abs(m2[i]) >= tiny).toBe(true);
      // What a zeroed moment would have moved the weight by is lost in the weight's rounding.
      expect(w2[i]).toBe(rw[i]);
    }
    // The cases above do reach the floors: tiny gradients' squares, a subnormal decaying moment.
    expect(m2.filter((x, i) => x === 0 && rm[i] !== 0).length).toBeGreaterThan(0);
    expect(v2.filter((x, i) => x === 0 && rv[i] !== 0).length).toBeGreaterThan(0);
  });

  it('a weight larger than maxHostUpdateElements runs in onnxruntime with the same numbers', () => {
    const small = createOnnxBackend({ maxHostUpdateElements: 16 });
    const shape = [5, 7];
    const out = spec(shape);
    const before = small.sessionStats().runs;
    expectSameAsReference('adamUpdate', (b, [w, m, v, g, a]) => b.adamUpdate!(w, m, v, g, a, attrs, out), adamInputs(shape, 5), [out, out, out], TIGHT, small);
    expect(small.sessionStats().runs).toBe(before + 1);
    expect(small.hostBlockCount()).toBe(0);
    small.close();
  });
});

describe('host storage', () => {
  it('an update whose arena is full lands in a new one, inputs copied there, with the same numbers', () => {
    const memory = new HostMemory();
    const n = 2 ** 20;
    // The weight and its moments in one arena, then 4 MB blocks until that arena is full.
    const { arena, views: filler } = memory.allocate([n, n, n]);
    for (;;) {
      const more = memory.allocate([n], arena);
      if (more.arena !== arena) {
        memory.discard(more.views[0]);
        break;
      }
      filler.push(more.views[0]);
    }
    const [w, m, v] = filler;
    const g = new Float32Array(n);
    for (let i = 0; i < n; i++) [w[i], m[i], v[i], g[i]] = [Math.sin(i), Math.cos(i) / 10, (i % 7) / 700, Math.sin(i * 0.3)];
    const [next, mNext, vNext] = adamOnHost(memory, w, m, v, g, 0.01, attrs);
    expect(memory.arenaOf(next)).not.toBe(arena);
    const f = Math.fround;
    for (const i of [0, 1, 12345, n - 1]) {
      const mi = f(m[i] + f(f(g[i] - m[i]) * f(0.1)));
      const vi = f(v[i] + f(f(f(g[i] * g[i]) - v[i]) * f(1 - 0.999)));
      expect([mNext[i], vNext[i], next[i]]).toEqual([mi, vi, f(w[i] - f(f(mi * f(0.01)) / f(f(Math.sqrt(vi)) + f(1e-7))))]);
    }
    // The copies went back to the new arena's free blocks: only the filler and the three results are held.
    expect(memory.blockCount).toBe(filler.length + 3);
  });
});

const onnx = (): OnnxBackend => backendInstance() as OnnxBackend;

describe('Adam in training', () => {
  beforeAll(async () => {
    registerBackend('onnx', () => createOnnxBackend());
    await setBackend('onnx');
  });

  const x = () => tensor(Array.from({ length: 32 * 6 }, (_, i) => Math.sin(i * 1.37)), [32, 6]);
  const y = () => tensor(Array.from({ length: 32 * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)), [32, 3]);

  /** Trains a small MLP with Adam: compiled or eager, with the fused kernel or core's composite. */
  async function train(options: { jitCompile: boolean; fused: boolean; constraint?: boolean }) {
    utils.setRandomSeed(11);
    const model = new Sequential([
      layers.Input({ shape: [6] }),
      new layers.Dense({ units: 8, activation: 'relu', ...(options.constraint ? { kernelConstraint: 'nonNeg' } : {}) }),
      new layers.Dense({ units: 3, activation: 'softmax' }),
    ]);
    const optimizer = new optimizers.Adam({ learningRate: 0.01 });
    model.compile({ optimizer, loss: 'categorical_crossentropy', jitCompile: options.jitCompile });
    const backend = onnx();
    const kernel = backend.adamUpdate;
    // Without the kernel, core's Adam takes its composite (the twelve elementwise ops).
    if (!options.fused) Object.defineProperty(backend, 'adamUpdate', { value: undefined, configurable: true });
    const [xs, ys] = [x(), y()];
    try {
      const history = await model.fit(xs, ys, { epochs: 6, batchSize: 8, shuffle: false, verbose: 0 });
      const weights = model.getWeights();
      const values = weights.map((w: Tensor) => w.dataSync());
      for (const w of weights) w.dispose();
      return { model, optimizer, losses: history.history.loss as number[], weights: values };
    } finally {
      if (!options.fused) Object.defineProperty(backend, 'adamUpdate', { value: kernel, configurable: true });
      xs.dispose();
      ys.dispose();
    }
  }

  it('compiled: the update runs on the host after the graph, with the composite\'s numbers', async () => {
    const composite = await train({ jitCompile: false, fused: false });
    const blocksBefore = onnx().hostBlockCount();
    const compiled = await train({ jitCompile: true, fused: true });
    expect(compiledStepReport(compiled.model).train?.[0]).toMatchObject({ status: 'compiled' });
    // The weights and both moments of each of the four weights live in host storage: the graph did not compute them.
    expect(onnx().hostBlockCount() - blocksBefore).toBe(3 * 4);
    expect(compiled.losses).toEqual(composite.losses.map((l) => expect.closeTo(l, 6)));
    compiled.weights.forEach((w, i) => w.forEach((value, k) => expect(Math.abs(value - composite.weights[i][k])).toBeLessThanOrEqual(1e-6)));
    for (const run of [compiled, composite]) {
      run.model.dispose();
      run.optimizer.dispose();
    }
    expect(onnx().hostBlockCount()).toBe(blocksBefore);
  });

  it('eager with the kernel equals the composite exactly', async () => {
    const composite = await train({ jitCompile: false, fused: false });
    const fused = await train({ jitCompile: false, fused: true });
    expect(fused.losses).toEqual(composite.losses);
    fused.weights.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(composite.weights[i])));
    for (const run of [fused, composite]) {
      run.model.dispose();
      run.optimizer.dispose();
    }
  });

  it('a kernel constraint reads the new weights inside the step: that update stays in the graph, with eager\'s numbers', async () => {
    const eager = await train({ jitCompile: false, fused: true, constraint: true });
    const compiled = await train({ jitCompile: true, fused: true, constraint: true });
    expect(compiledStepReport(compiled.model).train?.[0]).toMatchObject({ status: 'compiled' });
    compiled.weights.forEach((w, i) => w.forEach((value, k) => expect(Math.abs(value - eager.weights[i][k])).toBeLessThanOrEqual(1e-6)));
    expect(Math.min(...compiled.weights[0])).toBeGreaterThanOrEqual(0);
    for (const run of [compiled, eager]) {
      run.model.dispose();
      run.optimizer.dispose();
    }
  });

  it('host storage is reused only once no handle holds it: a reshape of an old weight keeps its values', async () => {
    const { model, optimizer } = await train({ jitCompile: true, fused: true });
    const kernel = model.layers[0].weights[0];
    const kept = ops.reshape(kernel.value, [-1]);
    const snapshot = Array.from(kept.dataSync());
    const blocks = onnx().hostBlockCount();
    const [xs, ys] = [x(), y()];
    await model.fit(xs, ys, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    expect(Array.from(kernel.value.dataSync())).not.toEqual(snapshot);
    expect(Array.from(kept.dataSync())).toEqual(snapshot);
    // The kept block is the only one more than a step holds; every other block was recycled.
    expect(onnx().hostBlockCount()).toBe(blocks + 1);
    kept.dispose();
    expect(onnx().hostBlockCount()).toBe(blocks);
    xs.dispose();
    ys.dispose();
    model.dispose();
    optimizer.dispose();
    expect(onnx().hostBlockCount()).toBe(blocks - 12);
  });
});
