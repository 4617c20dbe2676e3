/**
 * Matmul throughput: a 1024x1024 by 1024x1024 float32 product (2 * 1024^3 FLOPs), best of a few
 * runs, in GFLOP/s, for keras-ts on each backend and for tfjs-core's engine on tfjs-cpu and
 * tfjs-wasm. Each run reads its result back, so the time includes the work of a lazy backend.
 */
import * as keras from '@keras-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerKerasTsBackends, type KerasTsBackendName } from '../runners/keras_ts.js';
import { seededRandom } from '../workloads/data.js';

export const MATMUL_SIZE = 1024;
export const MATMUL_FLOPS = 2 * MATMUL_SIZE ** 3;

export interface MatmulResult {
  who: string;
  gflops?: number;
  /** Timed runs behind the best. */
  runs?: number;
  error?: string;
}

export interface MatmulOptions {
  /** Stop after this many timed runs... */
  maxRuns: number;
  /** ...or once this much time is spent, whichever comes first (at least one run). */
  budgetMs: number;
}

/** Best-of timing: one untimed run, then timed runs until maxRuns or budgetMs. */
export function bestGflops(run: () => void, options: MatmulOptions, clock: () => number = () => performance.now()): { gflops: number; runs: number } {
  run();
  let best = Number.POSITIVE_INFINITY;
  let runs = 0;
  const started = clock();
  while (runs < options.maxRuns && (runs === 0 || clock() - started < options.budgetMs)) {
    const t = clock();
    run();
    best = Math.min(best, clock() - t);
    runs++;
  }
  return { gflops: MATMUL_FLOPS / (best / 1000) / 1e9, runs };
}

function operand(seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: MATMUL_SIZE * MATMUL_SIZE }, () => random() - 0.5);
}

function failed(who: string, error: unknown): MatmulResult {
  return { who, error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
}

export async function kerasTsMatmul(backendName: KerasTsBackendName, options: MatmulOptions): Promise<MatmulResult> {
  const who = `keras-ts ${backendName}`;
  try {
    registerKerasTsBackends();
    await keras.setBackend(backendName);
    const a = keras.tensor(operand(1), [MATMUL_SIZE, MATMUL_SIZE]);
    const b = keras.tensor(operand(2), [MATMUL_SIZE, MATMUL_SIZE]);
    const timing = bestGflops(() => {
      const c = keras.ops.matmul(a, b);
      c.dataSync();
      c.dispose();
    }, options);
    keras.dispose([a, b]);
    return { who, ...timing };
  } catch (error) {
    return failed(who, error);
  }
}

export async function tfjsEngineMatmul(backendName: 'tfjs-cpu' | 'tfjs-wasm', options: MatmulOptions): Promise<MatmulResult> {
  const who = `tfjs-core engine ${backendName}`;
  try {
    if (!(await tf.setBackend(backendName === 'tfjs-cpu' ? 'cpu' : 'wasm'))) throw new Error(`tfjs could not start '${backendName}'`);
    const a = tf.tensor2d(operand(1), [MATMUL_SIZE, MATMUL_SIZE]);
    const b = tf.tensor2d(operand(2), [MATMUL_SIZE, MATMUL_SIZE]);
    const timing = bestGflops(() => {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    }, options);
    tf.dispose([a, b]);
    return { who, ...timing };
  } catch (error) {
    return failed(who, error);
  }
}
