/** TensorFlow.js layers-model files (model.json + shards) written and read by keras-ts. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Input, Model, Sequential, layers, losses, models, optimizers, tensor, type Tensor } from '@keras-ts/core';
import { loadTfjsModel, saveTfjsModel, fromTfjsArtifacts, toTfjsArtifacts } from '../src/saving/tfjs_format.js';
import { decodeWeights, encodeWeights } from '../src/saving/tfjs_weights.js';
import { resetNames } from '../src/engine/naming.js';
import { useTestBackend } from './support/backend.js';

let folder: string;

beforeAll(async () => {
  await useTestBackend();
  folder = mkdtempSync(join(tmpdir(), 'keras-ts-tfjs-'));
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

function input(rows: number, columns: number, phase = 0): Tensor {
  return tensor(Array.from({ length: rows * columns }, (_, i) => Math.sin(i * 0.37 + phase)), [rows, columns]);
}

function expectSamePredictions(a: Model, b: Model, x: Tensor | Tensor[]): void {
  const left = a.apply(x as Tensor) as Tensor;
  const right = b.apply(x as Tensor) as Tensor;
  expect(right.shape).toEqual(left.shape);
  const l = left.dataSync();
  const r = right.dataSync();
  for (let i = 0; i < l.length; i++) expect(r[i]).toBeCloseTo(l[i], 6);
}

describe('tfjs layers-model format', () => {
  it('writes model.json in the Keras 2 schema tfjs-layers reads, and loads it back with the same predictions', () => {
    resetNames();
    const model = new Sequential([Input({ shape: [6] }), new layers.Dense({ units: 8, activation: 'relu' }), new layers.BatchNormalization(), new layers.Dense({ units: 3, activation: 'softmax' })]);
    const dir = join(folder, 'sequential');
    saveTfjsModel(model, dir);
    expect(readdirSync(dir).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology.class_name).toBe('Sequential');
    const first = json.modelTopology.config.layers[0];
    expect(first.class_name).toBe('Dense');
    expect(first.config.batch_input_shape).toEqual([null, 6]);
    expect(first.config.dtype).toBe('float32');
    expect(first.config.kernel_initializer).toEqual({ class_name: 'GlorotUniform', config: { seed: null } });
    expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual([
      'dense/kernel', 'dense/bias',
      'batch_normalization/gamma', 'batch_normalization/beta', 'batch_normalization/moving_mean', 'batch_normalization/moving_variance',
      'dense_1/kernel', 'dense_1/bias',
    ]);
    const loaded = loadTfjsModel(join(dir, 'model.json'));
    expect(loaded.layers.map((l) => l.constructor.name)).toEqual(['Dense', 'BatchNormalization', 'Dense']);
    expectSamePredictions(model, loaded, input(4, 6));
  });

  it('round-trips a functional model with two inputs and a shared layer', () => {
    resetNames();
    const a = Input({ shape: [5], name: 'a' });
    const b = Input({ shape: [5], name: 'b' });
    const shared = new layers.Dense({ units: 4, activation: 'tanh', name: 'shared' });
    const joined = new layers.Add().apply([shared.apply(a), shared.apply(b)] as never);
    const model = new Model({ inputs: [a, b], outputs: new layers.Dense({ units: 2, name: 'head' }).apply(joined as never), name: 'two_inputs' });
    const dir = join(folder, 'functional');
    saveTfjsModel(model, dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.modelTopology.class_name).toBe('Model');
    expect(json.modelTopology.config.input_layers).toEqual([['a', 0, 0], ['b', 0, 0]]);
    const add = json.modelTopology.config.layers.find((l: { name: string }) => l.name === 'add');
    expect(add.inbound_nodes).toEqual([[['shared', 0, 0, {}], ['shared', 1, 0, {}]]]);
    const loaded = loadTfjsModel(dir);
    const x = [input(3, 5), input(3, 5, 1)] as unknown as Tensor;
    expectSamePredictions(model, loaded, x);
  });

  it('splits the weights into shards of at most the given size, named groupN-shardKofM.bin', () => {
    resetNames();
    const model = new Sequential([Input({ shape: [30] }), new layers.Dense({ units: 40 })]);
    const dir = join(folder, 'sharded');
    saveTfjsModel(model, dir, { shardBytes: 1000 });
    const bytes = (30 * 40 + 40) * 4;
    const count = Math.ceil(bytes / 1000);
    const shards = readdirSync(dir).filter((f) => f.endsWith('.bin')).sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));
    expect(shards).toEqual(Array.from({ length: count }, (_, k) => `group1-shard${k + 1}of${count}.bin`));
    expect(shards.map((s) => readFileSync(join(dir, s)).length)).toEqual(Array.from({ length: count }, (_, k) => (k < count - 1 ? 1000 : bytes - 1000 * (count - 1))));
    expectSamePredictions(model, loadTfjsModel(join(dir, 'model.json')), input(2, 30));
  });

  it('reads int32 entries and uint8, uint16 and float16 quantized entries', () => {
    const data = new Uint8Array(4 + 2 + 4 + 4 + 8);
    const view = new DataView(data.buffer);
    view.setInt32(0, -7, true);
    data.set([0, 255], 4);
    view.setUint16(6, 0, true);
    view.setUint16(8, 1000, true);
    // float16: 1.0 = 0x3c00, -2.5 = 0xc100.
    view.setUint16(10, 0x3c00, true);
    view.setUint16(12, 0xc100, true);
    view.setFloat32(14, 1.5, true);
    view.setFloat32(18, -3, true);
    const decoded = decodeWeights(
      [
        { name: 'x/count', shape: [1], dtype: 'int32' },
        { name: 'x/u8', shape: [2], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
        { name: 'x/u16', shape: [2], dtype: 'float32', quantization: { dtype: 'uint16', scale: 0.01, min: 2 } },
        { name: 'x/f16', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } },
        { name: 'x/f32', shape: [2], dtype: 'float32' },
      ],
      data,
      'test',
    );
    expect(Array.from(decoded[0].values)).toEqual([-7]);
    expect(decoded[0].dtype).toBe('int32');
    expect(Array.from(decoded[1].values)).toEqual([-1, 126.5]);
    expect(decoded[2].values[0]).toBeCloseTo(2, 6);
    expect(decoded[2].values[1]).toBeCloseTo(12, 4);
    expect(Array.from(decoded[3].values)).toEqual([1, -2.5]);
    expect(Array.from(decoded[4].values)).toEqual([1.5, -3]);
    const { data: again } = encodeWeights([{ name: 'x/f32', shape: [2], dtype: 'float32', values: new Float32Array([1.5, -3]) }]);
    expect(Array.from(again)).toEqual(Array.from(data.subarray(14)));
  });

  it('loads a model whose weights were quantized to uint8 through the in-memory artifacts', () => {
    resetNames();
    const model = new Sequential([Input({ shape: [2] }), new layers.Dense({ units: 1, useBias: false })]);
    const artifacts = toTfjsArtifacts(model);
    // Kernel [[0.5], [-1]] quantized with scale 0.5 and min -1: codes 3 and 0.
    artifacts.weightSpecs = [{ name: 'dense/kernel', shape: [2, 1], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } }];
    artifacts.weightData = new Uint8Array([3, 0]);
    const loaded = fromTfjsArtifacts(artifacts);
    expect(Array.from((loaded.apply(tensor([[2, 1]])) as Tensor).dataSync())).toEqual([0]);
    expect(Array.from(loaded.layers[0].weights[0].value.dataSync())).toEqual([0.5, -1]);
  });

  it('says what is wrong with a missing shard, a truncated shard and mismatched weights', () => {
    resetNames();
    const model = new Sequential([Input({ shape: [3] }), new layers.Dense({ units: 2 })]);
    const dir = join(folder, 'broken');
    saveTfjsModel(model, dir);
    const shard = join(dir, 'group1-shard1of1.bin');
    const bytes = readFileSync(shard);
    writeFileSync(shard, bytes.subarray(0, 10));
    expect(() => loadTfjsModel(dir)).toThrow(/hold 10 bytes, but the manifest's 2 entries need 32.*copy model.json together with all of its \.bin files/);
    rmSync(shard);
    expect(() => loadTfjsModel(dir)).toThrow(/weight file 'group1-shard1of1.bin' is missing/);
    const artifacts = toTfjsArtifacts(model);
    artifacts.weightSpecs[0].name = 'other/kernel';
    expect(() => fromTfjsArtifacts(artifacts)).toThrow(/layer "dense" has 2 weight\(s\) but the file has 1.*"other".*not a layer of the model.*strict: false/);
    expect(() => loadTfjsModel(join(folder, 'nowhere', 'model.json'))).toThrow(/does not exist/);
  });
});

describe("model.save(dir, { format: 'tfjs' }) and models.loadModel", () => {
  it('saves through model.save and loads through models.loadModel, from model.json or its folder', async () => {
    resetNames();
    const model = new Sequential([Input({ shape: [4] }), new layers.Dense({ units: 3, activation: 'tanh' })]);
    const dir = join(folder, 'through-api');
    await model.save(dir, { format: 'tfjs' });
    expect(readdirSync(dir).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    expectSamePredictions(model, await models.loadModel(join(dir, 'model.json')), input(2, 4));
    expectSamePredictions(model, await models.loadModel(dir), input(2, 4));
    await expect(model.save(dir, { format: 'tfjs', overwrite: false })).rejects.toThrow(/exists and overwrite is false/);
  });
});

describe('activations in the tfjs topology', () => {
  it("writes tfjs's names, keeps Keras 2's hard_sigmoid, and refuses what would change meaning", () => {
    resetNames();
    const model = new Sequential([Input({ shape: [2] }), new layers.Dense({ units: 2, activation: 'silu' }), new layers.Dense({ units: 1, activation: 'hard_sigmoid_keras2' })]);
    const names = (toTfjsArtifacts(model).modelTopology as { config: { layers: { config: { activation: string } }[] } }).config.layers.map((l) => l.config.activation);
    expect(names).toEqual(['swish', 'hard_sigmoid']);
    const loaded = fromTfjsArtifacts(toTfjsArtifacts(model));
    expectSamePredictions(model, loaded, input(3, 2));
    resetNames();
    const keras3 = new Sequential([Input({ shape: [2] }), new layers.Dense({ units: 1, activation: 'hard_sigmoid' })]);
    expect(() => toTfjsArtifacts(keras3)).toThrow(/activation 'hard_sigmoid' would change meaning.*relu6\(x \+ 3\) \/ 6.*save it as \.keras/);
    resetNames();
    const unknown = new Sequential([Input({ shape: [2] }), new layers.Dense({ units: 1, activation: 'log_softmax' })]);
    expect(() => toTfjsArtifacts(unknown)).toThrow(/activation 'log_softmax' is not one tfjs-layers has/);
  });
});

describe('layers whose Keras 3 form differs from the tfjs one', () => {
  it('round-trips Bidirectional, GRU, TimeDistributed and DepthwiseConv2D with the names tfjs expects', () => {
    resetNames();
    const sequence = new Sequential([
      Input({ shape: [5, 3] }),
      new layers.Bidirectional({ layer: new layers.LSTM({ units: 2, returnSequences: true }) }),
      new layers.GRU({ units: 2, resetAfter: false, returnSequences: true }),
      new layers.TimeDistributed({ layer: new layers.Dense({ units: 2 }) }),
    ]);
    const artifacts = toTfjsArtifacts(sequence);
    const bidirectional = (artifacts.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0].config;
    expect((bidirectional.layer as { config: { name: string } }).config.name).toBe('lstm');
    expect(bidirectional).not.toHaveProperty('backward_layer');
    expect(artifacts.weightSpecs[0].name).toBe('bidirectional/forward_lstm/lstm_cell/kernel');
    const x = tensor(Array.from({ length: 30 }, (_, i) => Math.cos(i)), [2, 5, 3]);
    expectSamePredictions(sequence, fromTfjsArtifacts(artifacts), x);

    resetNames();
    const depthwise = new Sequential([Input({ shape: [5, 5, 2] }), new layers.DepthwiseConv2D({ kernelSize: 3 })]);
    const depthwiseArtifacts = toTfjsArtifacts(depthwise);
    expect(depthwiseArtifacts.weightSpecs.map((w) => w.name)).toEqual(['depthwise_conv2d/depthwise_kernel', 'depthwise_conv2d/bias']);
    expectSamePredictions(depthwise, fromTfjsArtifacts(depthwiseArtifacts), tensor(Array.from({ length: 50 }, (_, i) => Math.sin(i)), [1, 5, 5, 2]));
  });

  it("refuses a GRU with resetAfter: true, which tfjs-layers' GRU cannot run", () => {
    resetNames();
    const model = new Sequential([Input({ shape: [4, 2] }), new layers.Bidirectional({ layer: new layers.GRU({ units: 2 }) })]);
    expect(() => toTfjsArtifacts(model)).toThrow(/supports only resetAfter: false.*Fix: build the GRU with resetAfter: false/);
  });
});

describe('the training config of a compiled model', () => {
  const small = () => new Sequential([Input({ shape: [3] }), new layers.Dense({ units: 2, activation: 'softmax' })]);

  it("is written as tfjs-layers' save writes it, and read back into the same compile", () => {
    const cases: [unknown, Record<string, unknown>, (m: Model) => void][] = [
      [new optimizers.Adam({ learningRate: 0.01 }), { class_name: 'Adam', config: { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } }, (m) => expect(m.optimizer).toBeInstanceOf(optimizers.Adam)],
      [new optimizers.SGD({ learningRate: 0.1, momentum: 0.5, nesterov: true }), { class_name: 'Momentum', config: { learningRate: 0.1, momentum: 0.5, useNesterov: true } }, (m) => expect(m.optimizer?.getConfig()).toMatchObject({ momentum: 0.5, nesterov: true })],
      [new optimizers.RMSprop({ learningRate: 0.002, rho: 0.8 }), { class_name: 'RMSProp', config: { learningRate: 0.002, decay: 0.8, momentum: 0, epsilon: 1e-7, centered: false } }, (m) => expect(m.optimizer?.getConfig()).toMatchObject({ rho: 0.8 })],
      ['sgd', { class_name: 'SGD', config: { learningRate: 0.01 } }, (m) => expect(m.optimizer).toBeInstanceOf(optimizers.SGD)],
    ];
    for (const [optimizer, written, check] of cases) {
      const model = small();
      model.compile({ optimizer: optimizer as never, loss: 'categorical_crossentropy', metrics: ['accuracy'] });
      const artifacts = toTfjsArtifacts(model);
      // The learning rate is a float32 variable's value, as in Keras's own get_config.
      const { learningRate, ...rest } = written.config as { learningRate: number };
      expect(artifacts.trainingConfig).toEqual({ loss: 'categoricalCrossentropy', metrics: ['accuracy'], optimizer_config: { class_name: written.class_name, config: { ...rest, learningRate: Math.fround(learningRate) } } });
      const loaded = fromTfjsArtifacts(artifacts);
      expect(loaded.compiled).toBe(true);
      expect(loaded.optimizer?.learningRate).toBeCloseTo((written.config as { learningRate: number }).learningRate, 7);
      check(loaded);
    }
  });

  it('is left out, with a warning that says why, where tfjs-layers has no equivalent', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const withLogits = small();
      withLogits.compile({ optimizer: 'adam', loss: new losses.CategoricalCrossentropy({ fromLogits: true }) });
      expect(toTfjsArtifacts(withLogits).trainingConfig).toBeUndefined();
      expect(warn).toHaveBeenLastCalledWith(expect.stringMatching(/saved in the tfjs format without its training config: the loss CategoricalCrossentropy has settings tfjs-layers' categoricalCrossentropy lacks .*"from_logits":true.*tfjs-layers will load it uncompiled/));
      const nadam = small();
      nadam.compile({ optimizer: 'nadam', loss: 'mse' });
      expect(toTfjsArtifacts(nadam).trainingConfig).toBeUndefined();
      expect(warn).toHaveBeenLastCalledWith(expect.stringContaining('tfjs-layers has no optimizer Nadam'));
      const uncompiled = small();
      warn.mockClear();
      expect(toTfjsArtifacts(uncompiled).trainingConfig).toBeUndefined();
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

describe('model.json as the tensorflowjs converter writes it', () => {
  it('loads a Keras 2 model_config wrapped with a training_config, quantized weights and an optimizer group', async () => {
    const dir = join(folder, 'converter');
    const kernel = [0.5, -1, 2, 0.25, 1, -0.5]; // (3, 2)
    const bias = [0.1, -0.2];
    // The kernel as uint16 codes with scale 0.25 and min -1 (all values are exact), the bias as float32.
    const codes = kernel.map((v) => (v + 1) / 0.25);
    const bytes = new Uint8Array(codes.length * 2 + bias.length * 4 + 4);
    const view = new DataView(bytes.buffer);
    codes.forEach((c, i) => view.setUint16(i * 2, c, true));
    bias.forEach((b, i) => view.setFloat32(12 + i * 4, b, true));
    view.setInt32(20, 7, true);
    const modelJson = {
      format: 'layers-model',
      generatedBy: 'keras v2.15.0',
      convertedBy: 'TensorFlow.js Converter v4.22.0',
      modelTopology: {
        keras_version: '2.15.0',
        backend: 'tensorflow',
        model_config: {
          class_name: 'Sequential',
          config: {
            name: 'sequential',
            layers: [
              { class_name: 'InputLayer', config: { batch_input_shape: [null, 3], dtype: 'float32', sparse: false, ragged: false, name: 'dense_input' } },
              {
                class_name: 'Dense',
                config: {
                  name: 'dense', trainable: true, dtype: 'float32', units: 2, activation: 'relu', use_bias: true,
                  kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} },
                  kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
                },
              },
            ],
          },
        },
        training_config: { loss: 'mse', metrics: null, optimizer_config: { class_name: 'Adam', config: { learning_rate: 0.001 } } },
      },
      weightsManifest: [
        {
          paths: ['group1-shard1of1.bin'],
          weights: [
            { name: 'dense/kernel', shape: [3, 2], dtype: 'float32', quantization: { dtype: 'uint16', scale: 0.25, min: -1 } },
            { name: 'dense/bias', shape: [2], dtype: 'float32' },
            { name: 'Adam/iter', shape: [], dtype: 'int32', group: 'optimizer' },
          ],
        },
      ],
    };
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
    writeFileSync(join(dir, 'group1-shard1of1.bin'), bytes);
    const model = await models.loadModel(join(dir, 'model.json'));
    expect(model.compiled).toBe(true);
    expect(model.optimizer?.learningRate).toBeCloseTo(0.001, 8);
    expect((await models.loadModel(join(dir, 'model.json'), { compile: false })).compiled).toBe(false);
    expect(Array.from(model.layers[0].weights[0].value.dataSync())).toEqual(kernel);
    // relu([1, 2, 3] @ kernel + bias) = relu([0.5 + 4 + 3 + 0.1, -1 + 0.5 - 1.5 - 0.2]).
    const out = (model.apply(tensor([[1, 2, 3]])) as Tensor).dataSync();
    expect(out[0]).toBeCloseTo(7.6, 5);
    expect(out[1]).toBe(0);
  });

  it('explains that a graph model is not a Keras model', async () => {
    const dir = join(folder, 'graph');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] }));
    await expect(models.loadModel(dir)).rejects.toThrow(/graph model.*not a Keras layers model.*--input_format keras/);
  });
});
