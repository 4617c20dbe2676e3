/**
 * A cell in a process of its own (the bench's default): the real child process, built from the
 * package's dist (the README's test command builds first). It times its own runs, reports its own
 * memory, exits on dispose, and a cell it cannot build fails setup with the child's message.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { cellId, cellSpecs, localCells } from '../src/isolation/cell_spec.js';
import { cellProcessEntry, processCell } from '../src/isolation/process_cell.js';
import { runInterleaved } from '../src/measure/interleave.js';
import { MLP_PREDICTION } from '../src/workloads/predict.js';
import { MLP_TRAINING } from '../src/workloads/mlp.js';

describe('cells in processes of their own', () => {
  it('the built entry exists', () => {
    expect(existsSync(cellProcessEntry())).toBe(true);
  });

  it('runs interleaved like a local cell: timed in the child, its own peak memory, gone after dispose', async () => {
    const cell = processCell({ workload: 'mlp-predict', framework: 'keras-ts', backend: 'onnx' }, 32);
    expect(cell.id).toBe('keras-ts onnx');
    const [result] = await runInterleaved([cell], { rounds: 2, cellBudgetMs: 1, maxScaledSteps: 1 });
    expect(result.error).toBeUndefined();
    expect(result.plan).toEqual({ steps: 1, scaled: true, repeats: 1 });
    expect(result.epochMs).toHaveLength(2);
    for (const ms of result.epochMs) expect(ms).toBeGreaterThan(0);
    // The child's process holds the model and the 8,192 x 784 inputs (25 MB): its RSS, not this one's sampler's.
    expect(result.memory.rssMB).toBeGreaterThan(25);
    // After dispose the process has exited: another request says so.
    await expect(cell.run(1)).rejects.toThrow("The process of the keras-ts onnx cell exited with code 0; 'run' cannot run.");
  });

  it('a process that dies during a run fails that run, saying how it ended', async () => {
    const cell = processCell({ workload: 'mlp-predict', framework: 'keras-ts', backend: 'tfjs-cpu' }, 32);
    await cell.setup();
    expect(cell.pid).toBeGreaterThan(0);
    // Killed as soon as the run is asked for: whether or not it has started, the run is what fails.
    const running = cell.run(1);
    process.kill(cell.pid as number, 'SIGKILL');
    await expect(running).rejects.toThrow("The process of the keras-ts tfjs-cpu cell was killed by SIGKILL during its 'run'");
    expect(cell.pid).toBeUndefined();
    await cell.dispose();
  });

  it('a cell the child cannot build fails its setup with the child\'s reason', async () => {
    const cell = processCell({ workload: 'mlp', framework: 'tfjs-layers', backend: 'onnx' }, 64);
    await expect(cell.setup()).rejects.toThrow("The bench has no cell for tfjs-layers on 'onnx'");
    await cell.dispose();
  });
});

describe('cell specs', () => {
  it('list each keras-ts cell next to its peers, raw onnxruntime only for prediction, with the ids the local cells have', () => {
    expect(cellSpecs(MLP_TRAINING).map(cellId)).toEqual(['keras-ts onnx', 'keras-ts tfjs-wasm', 'tfjs-layers tfjs-wasm', 'keras-ts tfjs-cpu', 'tfjs-layers tfjs-cpu']);
    const predict = cellSpecs(MLP_PREDICTION);
    expect(predict.map(cellId)).toEqual(['keras-ts onnx', 'onnxruntime (raw)', 'keras-ts tfjs-wasm', 'tfjs-layers tfjs-wasm', 'keras-ts tfjs-cpu', 'tfjs-layers tfjs-cpu']);
    expect(localCells(MLP_PREDICTION, predict).map((c) => c.id)).toEqual(predict.map(cellId));
  });
});
