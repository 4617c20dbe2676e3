/**
 * model.json compatibility with the real tfjs-layers 4.22: a model keras-ts saves in the tfjs
 * format loads in tfjs-layers' loadLayersModel, and a model tfjs-layers saves loads in keras-ts,
 * each with the same predictions as the model that was saved. tfjs-layers runs in a plain Node
 * child process: under Jest its `instanceof Array` checks fail on arrays from the test's realm.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Input, Model, Sequential, layers, optimizers, tensor, type Tensor } from '@keras-ts/core';
import { loadTfjsModel, saveTfjsModel } from '../../core/src/saving/tfjs_format.js';
import { useNamedBackend } from '../../core/test/support/backend.js';

const BENCH_FOLDER = fileURLToPath(new URL('..', import.meta.url));

/**
 * The tfjs-layers side, as CommonJS for `node -e`. `load DIR - INPUTS` loads DIR/model.json through
 * an IOHandler that reads the files; `save DIR NAME INPUTS` builds model NAME with random weights
 * and saves it through an IOHandler that writes model.json + one shard. Both print the model's
 * predictions on INPUTS (a JSON list of { shape, values }) as the last line.
 */
const TFJS_SIDE = String.raw`
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfl = require('@tensorflow/tfjs-layers');
const [mode, dir, name, inputsJson] = process.argv.slice(1);

function build(name) {
  const l = tfl.layers;
  if (name === 'mlp') return tfl.sequential({ layers: [l.dense({ units: 7, activation: 'relu', inputShape: [5] }), l.batchNormalization(), l.dense({ units: 2, activation: 'sigmoid' })] });
  if (name === 'cnn') return tfl.sequential({ layers: [l.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 1] }), l.maxPooling2d({ poolSize: 2 }), l.flatten(), l.dense({ units: 3, activation: 'softmax' })] });
  const glorot = { recurrentInitializer: 'glorotUniform' };
  if (name === 'sequence') {
    return tfl.sequential({ layers: [l.conv1d({ filters: 3, kernelSize: 2, inputShape: [6, 2] }), l.bidirectional({ layer: l.lstm({ units: 2, returnSequences: true, ...glorot }) }),
      l.gru({ units: 3, returnSequences: true, ...glorot }), l.timeDistributed({ layer: l.dense({ units: 2 }) }), l.globalAveragePooling1d()] });
  }
  if (name === 'depthwise') {
    return tfl.sequential({ layers: [l.depthwiseConv2d({ kernelSize: 3, inputShape: [6, 6, 2] }), l.separableConv2d({ filters: 2, kernelSize: 2 }), l.layerNormalization(), l.flatten(), l.dense({ units: 2 })] });
  }
  if (name === 'lstm') return tfl.sequential({ layers: [l.lstm({ units: 3, inputShape: [4, 2], recurrentInitializer: 'glorotUniform' }), l.dense({ units: 1 })] });
  const input = tfl.input({ shape: [4] });
  const hidden = l.dense({ units: 6, activation: 'elu' }).apply(input);
  return tfl.model({ inputs: input, outputs: l.dense({ units: 2 }).apply(l.concatenate().apply([hidden, input])) });
}

const files = {
  load: async () => {
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const data = Buffer.concat(json.weightsManifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p)))));
    return { modelTopology: json.modelTopology, trainingConfig: json.trainingConfig, format: json.format, generatedBy: json.generatedBy,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) };
  },
  save: async (artifacts) => {
    fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), Buffer.from(artifacts.weightData));
    const json = { format: artifacts.format, generatedBy: artifacts.generatedBy, convertedBy: artifacts.convertedBy || null,
      modelTopology: artifacts.modelTopology, trainingConfig: artifacts.trainingConfig, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }] };
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  },
};

(async () => {
  await tf.setBackend('cpu');
  let model;
  if (mode === 'load') model = await tfl.loadLayersModel(files);
  else {
    model = build(name);
    if (name === 'mlp') model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError', metrics: ['accuracy'] });
    // Random weights, so that every weight (BatchNormalization's statistics too) shows in the predictions.
    for (const w of model.weights) w.write(/variance/.test(w.name) ? tf.randomUniform(w.shape, 0.5, 1.5) : tf.randomUniform(w.shape, -1, 1));
    await model.save(files, { includeOptimizer: true });
  }
  const inputs = JSON.parse(inputsJson).map((x) => tf.tensor(x.values, x.shape));
  // How tfjs-layers compiled the model it loaded (null when it did not), the line before the predictions.
  const optimizer = model.optimizer;
  console.log(JSON.stringify(optimizer ? { optimizer: optimizer.getClassName(), config: optimizer.getConfig(), loss: model.loss, metrics: model.metricsNames } : null));
  const out = model.predict(inputs.length === 1 ? inputs[0] : inputs);
  console.log(JSON.stringify(Array.from(out.dataSync())));
})().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
`;

interface InputData {
  shape: number[];
  values: number[];
}

let folder: string;

beforeAll(async () => {
  await useNamedBackend('tfjs-cpu');
  folder = mkdtempSync(join(tmpdir(), 'keras-ts-tfjs-compat-'));
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

function inputData(shape: number[], phase = 0): InputData {
  return { shape, values: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.41 + phase)) };
}

/** tfjs-layers' predictions and how it compiled the model, from a plain Node process. */
function tfjsRun(mode: 'load' | 'save', dir: string, name: string, inputs: InputData[]): { predictions: number[]; compiled: Record<string, unknown> | null } {
  const output = execFileSync(process.execPath, ['-e', TFJS_SIDE, mode, dir, name, JSON.stringify(inputs)], { cwd: BENCH_FOLDER, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = output.trim().split('\n');
  return { predictions: JSON.parse(lines[lines.length - 1]) as number[], compiled: JSON.parse(lines[lines.length - 2]) as Record<string, unknown> | null };
}

function tfjsPredictions(mode: 'load' | 'save', dir: string, name: string, inputs: InputData[]): number[] {
  return tfjsRun(mode, dir, name, inputs).predictions;
}

function kerasTsPredictions(model: Model, inputs: InputData[]): number[] {
  const tensors = inputs.map((x) => tensor(x.values, x.shape));
  return Array.from((model.apply((tensors.length === 1 ? tensors[0] : tensors) as Tensor) as Tensor).dataSync());
}

function expectClose(actual: readonly number[], expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  // Two frameworks' float32 sums in different orders (onnxruntime's threads split them too): 5e-6 relative to values near 1 and above.
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(5e-6 * Math.max(1, Math.abs(expected[i])));
}

describe('tfjs-layers 4.22 reads what keras-ts writes', () => {
  function expectTfjsAgrees(model: Model, name: string, inputs: InputData[]): void {
    const dir = join(folder, `ours-${name}`);
    saveTfjsModel(model, dir);
    expectClose(tfjsPredictions('load', dir, '-', inputs), kerasTsPredictions(model, inputs));
  }

  it('a Sequential MLP with BatchNormalization and Dropout', () => {
    const model = new Sequential([
      Input({ shape: [6] }),
      new layers.Dense({ units: 8, activation: 'relu' }),
      new layers.BatchNormalization(),
      new layers.Dropout({ rate: 0.2 }),
      new layers.Dense({ units: 3, activation: 'softmax' }),
    ]);
    expectTfjsAgrees(model, 'mlp', [inputData([4, 6])]);
  });

  it('a compiled model: tfjs-layers loads it compiled, with the same optimizer, loss and metrics', () => {
    const model = new Sequential([Input({ shape: [4] }), new layers.Dense({ units: 3, activation: 'softmax' })]);
    model.compile({ optimizer: new optimizers.RMSprop({ learningRate: 0.005, rho: 0.8 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const dir = join(folder, 'ours-compiled');
    saveTfjsModel(model, dir);
    const inputs = [inputData([2, 4])];
    const { predictions, compiled } = tfjsRun('load', dir, '-', inputs);
    expectClose(predictions, kerasTsPredictions(model, inputs));
    expect(compiled).toMatchObject({ optimizer: 'RMSProp', loss: 'categoricalCrossentropy', metrics: ['loss', 'acc'] });
    expect((compiled?.config as { learningRate: number; decay: number }).learningRate).toBeCloseTo(0.005, 7);
    expect((compiled?.config as { learningRate: number; decay: number }).decay).toBeCloseTo(0.8, 7);
  });

  it('a small CNN', () => {
    const model = new Sequential([
      Input({ shape: [8, 8, 2] }),
      new layers.Conv2D({ filters: 3, kernelSize: 3, activation: 'relu', padding: 'same' }),
      new layers.MaxPooling2D({ poolSize: 2 }),
      new layers.Flatten(),
      new layers.Dense({ units: 2 }),
    ]);
    expectTfjsAgrees(model, 'cnn', [inputData([2, 8, 8, 2])]);
  });

  it('an LSTM', () => {
    const model = new Sequential([Input({ shape: [5, 3] }), new layers.LSTM({ units: 4 }), new layers.Dense({ units: 1 })]);
    expectTfjsAgrees(model, 'lstm', [inputData([2, 5, 3])]);
  });

  it('an Embedding and a GRU (resetAfter: false, the only GRU tfjs has)', () => {
    const model = new Sequential([Input({ shape: [6] }), new layers.Embedding({ inputDim: 10, outputDim: 4 }), new layers.GRU({ units: 3, resetAfter: false }), new layers.Dense({ units: 2 })]);
    const tokens = { shape: [2, 6], values: [1, 2, 3, 4, 5, 6, 9, 8, 7, 0, 0, 1] };
    expectTfjsAgrees(model, 'gru', [tokens]);
  });

  it('Conv1D, pooling, LayerNormalization, Bidirectional and TimeDistributed', () => {
    const model = new Sequential([
      Input({ shape: [8, 3] }),
      new layers.Conv1D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      new layers.MaxPooling1D({ poolSize: 2 }),
      new layers.LayerNormalization(),
      new layers.Bidirectional({ layer: new layers.LSTM({ units: 2, returnSequences: true }) }),
      new layers.SimpleRNN({ units: 3, returnSequences: true }),
      new layers.TimeDistributed({ layer: new layers.Dense({ units: 2 }) }),
      new layers.GlobalAveragePooling1D(),
    ]);
    expectTfjsAgrees(model, 'sequence', [inputData([2, 8, 3])]);
  });

  it('SeparableConv2D, DepthwiseConv2D, AveragePooling2D, Reshape and Activation', () => {
    const model = new Sequential([
      Input({ shape: [8, 8, 2] }),
      new layers.SeparableConv2D({ filters: 3, kernelSize: 3 }),
      new layers.DepthwiseConv2D({ kernelSize: 3, padding: 'same' }),
      new layers.AveragePooling2D({ poolSize: 2 }),
      new layers.Reshape({ targetShape: [27] }),
      new layers.Activation({ activation: 'tanh' }),
    ]);
    expectTfjsAgrees(model, 'convolutions', [inputData([2, 8, 8, 2])]);
  });

  it('a functional model with two inputs', () => {
    const a = Input({ shape: [4], name: 'left_in' });
    const b = Input({ shape: [3], name: 'right_in' });
    const joined = new layers.Concatenate().apply([new layers.Dense({ units: 5, activation: 'tanh' }).apply(a), b] as never);
    const model = new Model({ inputs: [a, b], outputs: new layers.Dense({ units: 2 }).apply(joined as never), name: 'two_inputs' });
    expectTfjsAgrees(model, 'functional', [inputData([3, 4]), inputData([3, 3], 1)]);
  });
});

describe('keras-ts reads what tfjs-layers 4.22 writes', () => {
  const cases: [string, number[]][] = [
    ['mlp', [3, 5]],
    ['cnn', [2, 6, 6, 1]],
    ['lstm', [2, 4, 2]],
    ['functional', [3, 4]],
    ['sequence', [2, 6, 2]],
    ['depthwise', [2, 6, 6, 2]],
  ];
  for (const [name, shape] of cases) {
    it(`a ${name} model`, () => {
      const dir = join(folder, `theirs-${name}`);
      const inputs = [inputData(shape)];
      mkdirSync(dir);
      const theirs = tfjsPredictions('save', dir, name, inputs);
      const warn = jest.spyOn(console, 'warn');
      const loaded = loadTfjsModel(join(dir, 'model.json'));
      expectClose(kerasTsPredictions(loaded, inputs), theirs);
      // The MLP was compiled in tfjs (adam 0.01, meanSquaredError, accuracy): keras-ts compiles it alike.
      expect(loaded.compiled).toBe(name === 'mlp');
      if (name === 'mlp') {
        expect(loaded.optimizer?.learningRate).toBeCloseTo(0.01, 6);
        expect(loaded.compileState?.args.metrics).toEqual(['accuracy']);
      }
      expect(warn).not.toHaveBeenCalled();
      warn.mockRestore();
    });
  }
});
