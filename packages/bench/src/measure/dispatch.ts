/**
 * Per-op dispatch cost: the time of one tiny op, a [1] + [1] add and the free of its result, which
 * is all overhead (argument checks, the backend's call, allocation), in microseconds. Measured for
 * keras-ts on each backend and for tfjs-core's own engine (tf.add, as tfjs-layers calls it) on
 * tfjs-cpu and tfjs-wasm.
 */
import * as keras from '@keras-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerKerasTsBackends, type KerasTsBackendName } from '../runners/keras_ts.js';

export interface DispatchResult {
  /** e.g. 'keras-ts onnx' or 'tfjs-core engine tfjs-cpu'. */
  who: string;
  microsPerOp?: number;
  error?: string;
}

/** Times `count` calls of `op` after a tenth as many untimed ones, in microseconds a call. */
export function microsPerCall(op: () => void, count: number, clock: () => number = () => performance.now()): number {
  for (let i = 0; i < Math.max(10, count / 10); i++) op();
  const started = clock();
  for (let i = 0; i < count; i++) op();
  return ((clock() - started) * 1000) / count;
}

function failed(who: string, error: unknown): DispatchResult {
  return { who, error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
}

export async function kerasTsDispatch(backendName: KerasTsBackendName, count: number): Promise<DispatchResult> {
  const who = `keras-ts ${backendName}`;
  try {
    registerKerasTsBackends();
    await keras.setBackend(backendName);
    const a = keras.tensor([1]);
    const b = keras.tensor([2]);
    const microsPerOp = microsPerCall(() => keras.ops.add(a, b).dispose(), count);
    // Reading one result proves the adds ran (no backend here defers work, but the check is cheap).
    const check = keras.ops.add(a, b);
    const value = check.dataSync()[0];
    keras.dispose([a, b, check]);
    if (value !== 3) throw new Error(`[1] + [2] gave ${value}, expected 3`);
    return { who, microsPerOp };
  } catch (error) {
    return failed(who, error);
  }
}

export async function tfjsEngineDispatch(backendName: 'tfjs-cpu' | 'tfjs-wasm', count: number): Promise<DispatchResult> {
  const who = `tfjs-core engine ${backendName}`;
  try {
    if (!(await tf.setBackend(backendName === 'tfjs-cpu' ? 'cpu' : 'wasm'))) throw new Error(`tfjs could not start '${backendName}'`);
    const a = tf.tensor1d([1]);
    const b = tf.tensor1d([2]);
    const microsPerOp = microsPerCall(() => tf.add(a, b).dispose(), count);
    tf.dispose([a, b]);
    return { who, microsPerOp };
  } catch (error) {
    return failed(who, error);
  }
}
