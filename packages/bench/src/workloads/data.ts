/**
 * Seeded synthetic data, generated once in JavaScript and handed to every framework, so that all
 * cells of a workload see the same numbers.
 */
import { outputUnits, sampleSize, type Workload } from './workload.js';

/** Mulberry32: a small, fast 32-bit PRNG; the same seed gives the same stream on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface WorkloadData {
  /** Inputs, samples x inputShape, row-major, uniform in [0, 1). */
  readonly x: Float32Array;
  /** Labels, samples x units: one-hot for crossentropy, a target in [0, 1) for mean squared error. */
  readonly y: Float32Array;
  readonly xShape: readonly number[];
  readonly yShape: readonly number[];
}

export function syntheticData(workload: Workload, seed = 1234): WorkloadData {
  const random = seededRandom(seed);
  const size = sampleSize(workload);
  const units = outputUnits(workload);
  const x = new Float32Array(workload.samples * size);
  for (let i = 0; i < x.length; i++) x[i] = random();
  const y = new Float32Array(workload.samples * units);
  for (let s = 0; s < workload.samples; s++) {
    if (workload.loss === 'categorical_crossentropy') y[s * units + Math.floor(random() * units)] = 1;
    else for (let u = 0; u < units; u++) y[s * units + u] = random();
  }
  return { x, y, xShape: [workload.samples, ...workload.inputShape], yShape: [workload.samples, units] };
}

/** The first `count` samples of the data, as views (no copy). */
export function firstSamples(data: WorkloadData, count: number): WorkloadData {
  const total = data.xShape[0];
  const n = Math.min(count, total);
  const xRow = data.x.length / total;
  const yRow = data.y.length / total;
  return {
    x: data.x.subarray(0, n * xRow),
    y: data.y.subarray(0, n * yRow),
    xShape: [n, ...data.xShape.slice(1)],
    yShape: [n, ...data.yShape.slice(1)],
  };
}
