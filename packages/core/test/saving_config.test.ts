/**
 * Model configs in Keras 3's schema: Sequential and functional models (shared layers, nested
 * models, several inputs and outputs) through modelToConfig / JSON / modelFromConfig, compile
 * configs, registered custom classes, the errors for Lambda and unknown classes, and the real
 * Keras 2 / Keras 3 configs in fixtures/keras-configs.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Input, Model, Sequential, activations, layers, losses, models, ops, optimizers, tensor, type KerasTensor, type Tensor } from '@keras-ts/core';
import {
  compileConfigOf, compileFromConfig, deserializeKerasObject, modelFromConfig, modelToConfig, registerKerasSerializable, serializeKerasObject, type SerializedObject,
} from '../src/saving/serialization_lib.js';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
});

const FIXTURES = resolve(process.cwd(), 'packages/core/test/fixtures/keras-configs');
const readFixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(resolve(FIXTURES, `${name}.json`), 'utf8')) as Record<string, unknown>;

const values = (t: Tensor | Tensor[]): number[] => Array.from((Array.isArray(t) ? t[0] : t).dataSync());

function expectSameOutputs(a: Model, b: Model, inputs: Tensor | Tensor[]): void {
  b.setWeights(a.getWeights());
  const expected = a.apply(inputs, { training: false }) as Tensor | Tensor[];
  const actual = b.apply(inputs, { training: false }) as Tensor | Tensor[];
  const list = (x: Tensor | Tensor[]): Tensor[] => (Array.isArray(x) ? x : [x]);
  list(expected).forEach((t, i) => {
    const got = values(list(actual)[i]);
    values(t).forEach((v, j) => expect(got[j]).toBeCloseTo(v, 5));
  });
}

/** Serializes, goes through JSON text, loads, and checks the config comes back the same. */
function expectRoundTrip(model: Model): Model {
  const config = modelToConfig(model);
  const text = JSON.stringify(config);
  const rebuilt = modelFromConfig(JSON.parse(text) as unknown);
  expect(JSON.stringify(modelToConfig(rebuilt))).toBe(text);
  return rebuilt;
}

describe('Sequential configs', () => {
  it('writes Keras 3.8+ fields and round trips', () => {
    const model = new Sequential([Input({ shape: [4] }), new layers.Dense({ units: 3, activation: 'relu' }), new layers.Dropout({ rate: 0.5 }), new layers.Dense({ units: 2 })], { name: 'seq_a' });
    const config = modelToConfig(model);
    expect(config.module).toBe('keras');
    expect(config.class_name).toBe('Sequential');
    const inner = config.config as Record<string, unknown>;
    expect(Object.keys(inner)).toEqual(['name', 'trainable', 'dtype', 'layers', 'build_input_shape']);
    expect(inner.dtype).toEqual({ module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null });
    const entries = inner.layers as SerializedObject[];
    expect(entries[0]).toMatchObject({ module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 4] }, registered_name: null });
    expect(entries[1]).toMatchObject({ class_name: 'Dense', build_config: { input_shape: [null, 4] } });
    expect(config.build_config).toEqual({ input_shape: [null, 4] });
    const rebuilt = expectRoundTrip(model);
    expectSameOutputs(model, rebuilt, tensor([[1, 2, 3, 4]]));
  });

  it('builds from build_input_shape when there is no InputLayer entry', () => {
    const model = modelFromConfig({
      module: 'keras', class_name: 'Sequential', registered_name: null,
      config: { name: 's', trainable: true, dtype: 'float32', build_input_shape: [null, 3], layers: [{ module: 'keras.layers', class_name: 'Dense', config: { units: 2, name: 'd' }, registered_name: null }] },
    });
    expect(model.outputs[0].shape).toEqual([null, 2]);
  });

  it('model.toJSON is the JSON of modelToConfig, and models.modelFromJSON reads it back', () => {
    const model = new Sequential([Input({ shape: [2] }), new layers.Dense({ units: 1 })]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const json = model.toJSON();
    expect(JSON.parse(json)).toEqual(modelToConfig(model));
    const rebuilt = models.modelFromJSON(json);
    expect(rebuilt.compiled).toBe(true);
    expect(rebuilt.toJSON()).toBe(json);
    expect(models.modelFromJSON(json, { compile: false }).compiled).toBe(false);
    expect(() => models.modelFromJSON('{"class_name": ')).toThrow(/not valid JSON.*model.toJSON\(\)/);
  });
});

describe('functional configs', () => {
  it('writes inbound_nodes with __keras_tensor__ history and input/output layers', () => {
    const x = Input({ shape: [3], name: 'in_a' });
    const y = new layers.Dense({ units: 2, name: 'dense_a' }).apply(x) as KerasTensor;
    const model = new Model({ inputs: x, outputs: y, name: 'f1' });
    const config = modelToConfig(model);
    expect(config).toMatchObject({ module: 'keras.src.models.functional', class_name: 'Functional', registered_name: 'Functional', build_config: { input_shape: null } });
    const inner = config.config as Record<string, unknown>;
    expect(inner.input_layers).toEqual(['in_a', 0, 0]);
    expect(inner.output_layers).toEqual(['dense_a', 0, 0]);
    const dense = (inner.layers as Record<string, unknown>[])[1];
    expect(dense.name).toBe('dense_a');
    expect(dense.inbound_nodes).toEqual([{ args: [{ class_name: '__keras_tensor__', config: { shape: [null, 3], dtype: 'float32', keras_history: ['in_a', 0, 0] } }], kwargs: {} }]);
    expect((inner.layers as Record<string, unknown>[])[0].inbound_nodes).toEqual([]);
    expectRoundTrip(model);
  });

  it('rebuilds shared layers, several inputs and outputs, and merges', () => {
    const a = Input({ shape: [4], name: 'a' });
    const b = Input({ shape: [4], name: 'b' });
    const shared = new layers.Dense({ units: 3, name: 'shared' });
    const ya = shared.apply(a) as KerasTensor;
    const yb = shared.apply(b) as KerasTensor;
    const sum = new layers.Add({ name: 'sum' }).apply([ya, yb]) as KerasTensor;
    const cat = new layers.Concatenate({ name: 'cat' }).apply([ya, sum]) as KerasTensor;
    const model = new Model({ inputs: [a, b], outputs: [sum, cat], name: 'f2' });
    const inner = modelToConfig(model).config as Record<string, unknown>;
    expect(inner.input_layers).toEqual([['a', 0, 0], ['b', 0, 0]]);
    const sharedEntry = (inner.layers as Record<string, unknown>[]).find((l) => l.name === 'shared') as Record<string, unknown>;
    expect((sharedEntry.inbound_nodes as unknown[]).length).toBe(2);
    const rebuilt = expectRoundTrip(model);
    expect(rebuilt.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expectSameOutputs(model, rebuilt, [tensor([[1, 2, 3, 4]]), tensor([[0, -1, 2, 0.5]])]);
  });

  it('rebuilds a model used as a layer inside another', () => {
    const innerInput = Input({ shape: [3] });
    const inner = new Model({ inputs: innerInput, outputs: new layers.Dense({ units: 2 }).apply(innerInput) as KerasTensor, name: 'inner_model' });
    const x = Input({ shape: [3] });
    const h = inner.apply(x) as KerasTensor;
    const out = new layers.Dense({ units: 1 }).apply(h) as KerasTensor;
    const outer = new Model({ inputs: x, outputs: out, name: 'outer_model' });
    const rebuilt = expectRoundTrip(outer);
    expect(rebuilt.layers[1]).toBeInstanceOf(Model);
    expectSameOutputs(outer, rebuilt, tensor([[0.5, -1, 2]]));
  });

  it('a nested model as the output counts its Keras built-in node', () => {
    const innerInput = Input({ shape: [2] });
    const inner = new Model({ inputs: innerInput, outputs: new layers.Dense({ units: 2 }).apply(innerInput) as KerasTensor });
    const x = Input({ shape: [2] });
    const outer = new Model({ inputs: x, outputs: inner.apply(x) as KerasTensor });
    const config = modelToConfig(outer).config as Record<string, unknown>;
    expect((config.output_layers as unknown[])[1]).toBe(1);
    expectRoundTrip(outer);
  });
});

describe('configs in the shape Keras 3 writes them', () => {
  const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
  const kt = (shape: (number | null)[], history: [string, number, number]) => ({ class_name: '__keras_tensor__', config: { shape, dtype: 'float32', keras_history: history } });

  it('loads a functional config with DTypePolicy dtypes, a MultiHeadAttention called with (query, value) and a Bidirectional with its backward layer', () => {
    const rnn = (name: string, goBackwards: boolean) => ({
      module: 'keras.layers', class_name: 'LSTM', registered_name: null,
      config: { name, trainable: true, dtype: policy, units: 2, return_sequences: false, go_backwards: goBackwards, kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null, shared_object_id: 1 } },
    });
    const config = {
      module: 'keras.src.models.functional', class_name: 'Functional', registered_name: 'Functional', build_config: { input_shape: null },
      config: {
        name: 'k3', trainable: true,
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', registered_name: null, name: 'q', config: { batch_shape: [null, 3, 4], dtype: 'float32', sparse: false, ragged: false, name: 'q', optional: false }, inbound_nodes: [] },
          {
            module: 'keras.layers', class_name: 'MultiHeadAttention', registered_name: null, name: 'mha', build_config: { shapes_dict: { query_shape: [null, 3, 4], value_shape: [null, 3, 4] } },
            config: { name: 'mha', trainable: true, dtype: policy, num_heads: 2, key_dim: 2, value_dim: 2, dropout: 0.0, use_bias: true, output_shape: null, attention_axes: [1] },
            inbound_nodes: [{ args: [kt([null, 3, 4], ['q', 0, 0])], kwargs: { value: kt([null, 3, 4], ['q', 0, 0]), query_mask: null, value_mask: null, key_mask: null, training: false } }],
          },
          {
            module: 'keras.layers', class_name: 'Bidirectional', registered_name: null, name: 'bi', build_config: { input_shape: [null, 3, 4] },
            config: { name: 'bi', trainable: true, dtype: policy, merge_mode: 'concat', layer: rnn('forward_lstm', false), backward_layer: rnn('backward_lstm', true) },
            inbound_nodes: [{ args: [kt([null, 3, 4], ['mha', 0, 0])], kwargs: { training: false } }],
          },
        ],
        input_layers: [['q', 0, 0]],
        output_layers: [['bi', 0, 0]],
      },
    };
    const model = modelFromConfig(config);
    expect(model.layers.map((l) => l.constructor.name)).toEqual(['InputLayer', 'MultiHeadAttention', 'Bidirectional']);
    expect(model.outputs[0].shape).toEqual([null, 4]);
    const written = modelToConfig(model).config as { layers: Record<string, unknown>[] };
    const mha = written.layers[1];
    expect((mha.inbound_nodes as { args: unknown[] }[])[0].args.length).toBe(2);
    expect(mha.build_config).toEqual({ shapes_dict: { query_shape: [null, 3, 4], value_shape: [null, 3, 4] } });
    const bi = written.layers[2].config as Record<string, unknown>;
    expect(bi.layer).toMatchObject({ module: 'keras.layers', class_name: 'LSTM', registered_name: null, config: { name: 'forward_lstm', dtype: policy } });
  });

  it('refuses a mixed-precision dtype policy, naming the layer', () => {
    const config = {
      module: 'keras', class_name: 'Sequential', registered_name: null,
      config: { name: 's', layers: [{ module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 2] }, registered_name: null }, { module: 'keras.layers', class_name: 'Dense', registered_name: null, config: { name: 'half', units: 1, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'mixed_float16' }, registered_name: null } } }] },
    };
    expect(() => modelFromConfig(config)).toThrow(/Layer "half" has dtype policy "mixed_float16"/);
  });
});

describe('compile configs', () => {
  it('writes and restores optimizer, loss and metrics', () => {
    const model = new Sequential([Input({ shape: [2] }), new layers.Dense({ units: 1, activation: 'sigmoid' })]);
    model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.5 }), loss: new losses.BinaryCrossentropy({ fromLogits: false }), metrics: ['accuracy'] });
    const compileConfig = compileConfigOf(model) as Record<string, unknown>;
    expect(compileConfig.optimizer).toMatchObject({ module: 'keras.optimizers', class_name: 'Adam', config: { learning_rate: 0.5 } });
    expect(compileConfig.loss).toMatchObject({ module: 'keras.losses', class_name: 'BinaryCrossentropy' });
    expect(compileConfig.metrics).toEqual(['accuracy']);
    const rebuilt = modelFromConfig(JSON.parse(JSON.stringify(modelToConfig(model))) as unknown);
    expect(rebuilt.compiled).toBe(true);
    expect(compileConfigOf(rebuilt)).toEqual(compileConfig);
    expect(modelFromConfig(modelToConfig(model), { compile: false }).compiled).toBe(false);
  });

  it("reads Keras 3's forms: a loss function by name, metric objects, per-output losses", () => {
    const x = Input({ shape: [2] });
    const a = new layers.Dense({ units: 1, activation: 'sigmoid', name: 'a' }).apply(x) as KerasTensor;
    const b = new layers.Dense({ units: 2, name: 'b' }).apply(x) as KerasTensor;
    const model = new Model({ inputs: x, outputs: [a, b] });
    compileFromConfig(model, {
      optimizer: { module: 'keras.optimizers', class_name: 'SGD', config: { name: 'SGD', learning_rate: 0.5, momentum: 0.0, nesterov: false }, registered_name: null },
      loss: { a: { module: 'builtins', class_name: 'function', config: 'binary_crossentropy', registered_name: 'function' }, b: 'mse' },
      loss_weights: { a: 1.0, b: 0.5 },
      metrics: { a: [{ module: 'keras.metrics', class_name: 'BinaryAccuracy', config: { name: 'binary_accuracy', dtype: 'float32', threshold: 0.5 }, registered_name: null }] },
      weighted_metrics: null, run_eagerly: false, steps_per_execution: 1, jit_compile: false,
    });
    expect(model.compiled).toBe(true);
    expect(model.compileState?.losses.map((l) => l?.weight)).toEqual([1, 0.5]);
    expect(model.compileState?.metrics.map((m) => m.metric.constructor.name)).toEqual(['BinaryAccuracy']);
  });

  it('keeps an optimizer given by name as the name, as Keras does', () => {
    const model = new Sequential([Input({ shape: [2] }), new layers.Dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(compileConfigOf(model)).toMatchObject({ optimizer: 'sgd', loss: 'mse', loss_weights: null, metrics: null, run_eagerly: false, steps_per_execution: 1, jit_compile: false });
  });
});

describe('custom classes and refusals', () => {
  class Scale extends layers.Layer<KerasTensor, Tensor> {
    readonly factor: number;
    constructor(args: { factor?: number; name?: string } = {}) {
      super({ name: args.name });
      this.factor = args.factor ?? 2;
    }
    call(x: Tensor | Tensor[]): Tensor {
      return ops.multiply(x as Tensor, this.factor);
    }
    override getConfig(): Record<string, unknown> {
      return { ...super.getConfig(), factor: this.factor };
    }
  }

  it('registerKerasSerializable writes registered_name "package>Name" and loads it back', () => {
    registerKerasSerializable(Scale, { package: 'MyProject' });
    const model = new Sequential([Input({ shape: [2] }), new Scale({ factor: 3 })]);
    const entry = ((modelToConfig(model).config as Record<string, unknown>).layers as SerializedObject[])[1];
    expect(entry.registered_name).toBe('MyProject>Scale');
    const rebuilt = expectRoundTrip(model);
    expect(values(rebuilt.apply(tensor([[1, 2]])) as Tensor)).toEqual([3, 6]);
  });

  it('a registered subclassed model with getConfig round trips; an unregistered one is a clear error', () => {
    class TwoLayer extends Model {
      readonly units: number;
      private readonly first: layers.Dense;
      private readonly second: layers.Dense;
      constructor(args: { units?: number; name?: string } = {}) {
        super({ name: args.name });
        this.units = args.units ?? 3;
        this.first = new layers.Dense({ units: this.units, activation: 'relu' });
        this.second = new layers.Dense({ units: 1 });
      }
      override call(x: Tensor | Tensor[]): Tensor {
        return this.second.apply(this.first.apply(x as Tensor) as Tensor) as Tensor;
      }
      override getConfig(): Record<string, unknown> {
        return { name: this.name, units: this.units };
      }
    }
    expect(() => modelToConfig(new TwoLayer())).toThrow(/subclassed model \(TwoLayer\).*registerKerasSerializable\(TwoLayer\)/);
    registerKerasSerializable(TwoLayer);
    const config = JSON.parse(JSON.stringify(modelToConfig(new TwoLayer({ units: 4, name: 'two' })))) as SerializedObject;
    expect(config).toMatchObject({ module: null, class_name: 'TwoLayer', registered_name: 'Custom>TwoLayer', config: { name: 'two', units: 4 } });
    const rebuilt = modelFromConfig(config);
    expect(rebuilt).toBeInstanceOf(TwoLayer);
    expect((rebuilt as TwoLayer).units).toBe(4);
  });

  it('customObjects supplies a class by name on load', () => {
    class Shift extends layers.Layer<KerasTensor, Tensor> {
      call(x: Tensor | Tensor[]): Tensor {
        return ops.add(x as Tensor, 1);
      }
    }
    const config = {
      module: 'keras', class_name: 'Sequential', registered_name: null,
      config: { name: 's', layers: [{ module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 2] }, registered_name: null }, { module: 'my.module', class_name: 'Shift', config: { name: 'shift' }, registered_name: 'pkg>Shift' }] },
    };
    expect(() => modelFromConfig(config)).toThrow(/Unknown layer class "Shift".*layer "shift".*registerKerasSerializable\(Shift\).*customObjects: \{ Shift \}/);
    const model = modelFromConfig(config, { customObjects: { Shift } });
    expect(values(model.apply(tensor([[1, 2]])) as Tensor)).toEqual([2, 3]);
  });

  it('custom activations, losses and metrics registered by name round trip', () => {
    const halfRelu = (x: Tensor): Tensor => ops.multiply(ops.relu(x), 0.5);
    registerKerasSerializable(halfRelu, { package: 'Test' });
    class DoubledMse extends losses.Loss {
      static override readonly className: string = 'DoubledMse';
      call(yTrue: Tensor, yPred: Tensor): Tensor {
        return ops.multiply(ops.mean(ops.square(ops.subtract(yTrue, yPred)), { axis: -1 }), 2);
      }
    }
    registerKerasSerializable(DoubledMse, { package: 'Test' });
    const model = new Sequential([Input({ shape: [2] }), new layers.Dense({ units: 2, activation: halfRelu })]);
    model.compile({ optimizer: 'sgd', loss: new DoubledMse() });
    const config = modelToConfig(model);
    const dense = ((config.config as Record<string, unknown>).layers as SerializedObject[])[1];
    expect((dense.config as Record<string, unknown>).activation).toBe('Test>halfRelu');
    expect((config.compile_config as Record<string, unknown>).loss).toMatchObject({ class_name: 'DoubledMse', registered_name: 'Test>DoubledMse' });
    const rebuilt = modelFromConfig(JSON.parse(JSON.stringify(config)) as unknown);
    expect(rebuilt.compileState?.losses[0]?.loss).toBeInstanceOf(DoubledMse);
    rebuilt.setWeights(model.getWeights());
    expect(values(rebuilt.apply(tensor([[1, -2]])) as Tensor)).toEqual(values(model.apply(tensor([[1, -2]])) as Tensor));
  });

  it('refuses a Lambda layer and __lambda__ values, naming them', () => {
    const lambdaConfig = {
      module: 'keras', class_name: 'Sequential', registered_name: null,
      config: { name: 's', layers: [{ module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 2] }, registered_name: null }, { module: 'keras.layers', class_name: 'Lambda', config: { name: 'my_lambda', function: { class_name: '__lambda__', config: { code: 'abc' } } }, registered_name: null }] },
    };
    expect(() => modelFromConfig(lambdaConfig)).toThrow(/Layer "my_lambda" is a Lambda.*never evaluates code.*registerKerasSerializable/);
    expect(() => deserializeKerasObject({ class_name: '__lambda__', config: { code: 'abc' } })).toThrow(/__lambda__.*never runs code/);
    const withLambda = new Sequential([Input({ shape: [2] }), new layers.Lambda({ function: (x) => ops.multiply(x as Tensor, 2), name: 'twice' })]);
    expect(() => modelToConfig(withLambda)).toThrow(/Layer "twice" is a Lambda.*registerKerasSerializable\(MyLayer\)/);
  });

  it('serializes other keras-ts objects and plain JSON', () => {
    expect(serializeKerasObject({ a: [1, 'x', null] })).toEqual({ a: [1, 'x', null] });
    const loss = serializeKerasObject(new losses.MeanSquaredError()) as SerializedObject;
    expect(loss).toMatchObject({ module: 'keras.losses', class_name: 'MeanSquaredError' });
    expect(deserializeKerasObject(loss)).toBeInstanceOf(losses.MeanSquaredError);
    expect(deserializeKerasObject({ class_name: '__tuple__', config: { value: [1, 2] } })).toEqual([1, 2]);
  });
});

describe('real Keras configs (fixtures/keras-configs)', () => {
  const load = (name: string): Model => {
    const fixture = readFixture(name);
    const config = fixture.model_config ?? fixture.config;
    const model = modelFromConfig(config, { kerasVersion: fixture.keras_version as string, compile: false });
    if (fixture.training_config) model.compile({});
    return model;
  };
  const classes = (model: Model): string[] => model.layers.map((l) => l.constructor.name);
  const outputShape = (model: Model): unknown => model.outputs.map((t) => t.shape);

  it('Keras 2.1.3 bare-list Sequential with a Keras 2 hard_sigmoid LSTM', () => {
    const model = load('dl4j_simple_flatten_lstm_tf_keras_2_model');
    expect(classes(model)).toEqual(['LSTM', 'Dense']);
    expect(model.inputs[0].shape).toEqual([25, 1, 1]);
    expect(outputShape(model)).toEqual([[25, 1]]);
    expect((model.layers[0].getConfig() as Record<string, unknown>).recurrent_activation).toBe('hard_sigmoid_keras2');
  });

  it('Keras 2.1.3 CNN with batch normalization', () => {
    const model = load('dl4j_cnn_batch_norm');
    expect(classes(model)).toEqual(['Conv2D', 'BatchNormalization', 'Activation', 'Conv2D', 'Flatten', 'Dense']);
    expect(outputShape(model)).toEqual([[null, 1]]);
  });

  it('Keras 2.4 functional Embedding/Conv1D model', () => {
    const model = load('dl4j_tfkeras_issue_9349_embedding_conv1d');
    expect(classes(model)).toEqual(['InputLayer', 'Embedding', 'Conv1D', 'MaxPooling1D', 'Flatten', 'Dropout', 'Dense']);
    expect(outputShape(model)).toEqual([[null, 2]]);
  });

  it('Keras 2.11 Sequential Conv1D/GRU with an InputLayer entry', () => {
    const model = load('hls4ml_hostpipe_parallel_conv1d_gru');
    expect(classes(model)).toEqual(['Conv1D', 'Activation', 'GRU']);
    expect(outputShape(model)).toEqual([[null, 16]]);
  });

  it('Keras 2.4 functional ResNet-8 with residual Add', () => {
    const model = load('mlcommons_tiny_pretrainedResnet8');
    const names = classes(model);
    expect(names[0]).toBe('InputLayer');
    expect(names.filter((n) => n === 'Add').length).toBe(3);
    expect(outputShape(model)).toEqual([[null, 10]]);
  });

  it('Keras 3.3.3 compiled Sequential LSTM, compiled from its compile_config', () => {
    const fixture = readFixture('komei_lstm');
    const model = modelFromConfig(fixture.config, { kerasVersion: '3.3.3' });
    expect(classes(model)).toEqual(['LSTM', 'Dropout', 'LSTM', 'Dropout', 'Dense', 'Dense']);
    expect(outputShape(model)).toEqual([[null, 2]]);
    expect(model.compiled).toBe(true);
  });

  it('Keras 2 training_config compiles the model (lr renamed, Custom>Adam)', () => {
    for (const name of ['dl4j_simple_flatten_lstm_tf_keras_2_model', 'dl4j_cnn_batch_norm', 'dl4j_tfkeras_issue_9349_embedding_conv1d', 'hls4ml_hostpipe_parallel_conv1d_gru', 'mlcommons_tiny_pretrainedResnet8']) {
      const fixture = readFixture(name);
      const model = modelFromConfig(fixture.model_config, { kerasVersion: fixture.keras_version as string, compile: false });
      compileFromConfig(model, fixture.training_config as Record<string, unknown>);
      expect(model.compiled).toBe(true);
    }
    const functional = readFixture('dl4j_tfkeras_issue_9349_embedding_conv1d');
    const withMetrics = modelFromConfig(functional.model_config, { kerasVersion: '2.4.0', compile: false });
    compileFromConfig(withMetrics, functional.training_config as Record<string, unknown>);
    expect(withMetrics.compileState?.metrics.map((m) => m.metric.name)).toEqual(['accuracy', 'categorical_accuracy']);
    const lstm = readFixture('dl4j_simple_flatten_lstm_tf_keras_2_model');
    const model = modelFromConfig(lstm.model_config, { kerasVersion: '2.1.3', compile: false });
    compileFromConfig(model, lstm.training_config as Record<string, unknown>);
    const optimizer = (compileConfigOf(model) as { optimizer: { class_name: string; config: Record<string, unknown> } }).optimizer;
    expect(optimizer.class_name).toBe('RMSprop');
    expect(optimizer.config.learning_rate).toBeCloseTo(0.001, 6);
    expect(optimizer.config.rho).toBeCloseTo(0.9, 6);
  });

  it('converts the Keras 1 names that Keras 2 still read', () => {
    const model = modelFromConfig({
      class_name: 'Sequential',
      config: [
        { class_name: 'Convolution2D', config: { name: 'c', nb_filter: 2, nb_row: 3, nb_col: 2, border_mode: 'same', subsample: [1, 1], dim_ordering: 'tf', init: 'glorot_uniform', bias: true, activation: 'linear', batch_input_shape: [null, 5, 5, 1] } },
        { class_name: 'Reshape', config: { name: 'r', target_shape: [5, 10] } },
        { class_name: 'LSTM', config: { name: 'l', output_dim: 3, inner_activation: 'hard_sigmoid', inner_init: 'orthogonal', forget_bias_init: 'one', dropout_W: 0.1, dropout_U: 0.2, consume_less: 'gpu' } },
        { class_name: 'Dense', config: { name: 'd', output_dim: 2, W_regularizer: null } },
      ],
    });
    expect(model.layers.map((l) => l.constructor.name)).toEqual(['Conv2D', 'Reshape', 'LSTM', 'Dense']);
    expect(model.layers[0].getConfig()).toMatchObject({ filters: 2, kernel_size: [3, 2], padding: 'same', data_format: 'channels_last', use_bias: true });
    expect(model.layers[2].getConfig()).toMatchObject({ units: 3, recurrent_activation: 'hard_sigmoid_keras2', unit_forget_bias: true, dropout: 0.1, recurrent_dropout: 0.2 });
    expect(model.outputs[0].shape).toEqual([null, 2]);
  });

  it("a Keras 2 functional config counts a nested model's calls from 1 (its own node first)", () => {
    const inner = (name: string) => ({
      class_name: 'Sequential',
      name,
      config: { name, layers: [{ class_name: 'InputLayer', config: { batch_input_shape: [null, 3], dtype: 'float32', name: `${name}_in` } }, { class_name: 'Dense', config: { name: `${name}_dense`, units: 3 } }] },
    });
    const model = modelFromConfig({
      class_name: 'Model',
      config: {
        name: 'outer',
        layers: [
          { class_name: 'InputLayer', name: 'input_1', config: { batch_input_shape: [null, 3], dtype: 'float32', name: 'input_1' }, inbound_nodes: [] },
          { ...inner('seq_a'), inbound_nodes: [[['input_1', 0, 0, {}]]] },
          { ...inner('seq_b'), inbound_nodes: [[['seq_a', 1, 0, {}]]] },
          { class_name: 'Dense', name: 'head', config: { name: 'head', units: 1 }, inbound_nodes: [[['seq_b', 1, 0, {}]]] },
        ],
        input_layers: [['input_1', 0, 0]],
        output_layers: [['head', 0, 0], ['seq_b', 1, 0]],
      },
    }, { kerasVersion: '2.4.0' });
    expect(model.layers.map((l) => l.name)).toEqual(['input_1', 'seq_a', 'seq_b', 'head']);
    expect(model.outputs.map((t) => t.shape)).toEqual([[null, 1], [null, 3]]);
  });

  it("Keras 2's hard_sigmoid keeps its Keras 2 meaning, clip(0.2x + 0.5, 0, 1)", () => {
    const keras2 = activations.get('hard_sigmoid_keras2');
    expect(values(keras2(tensor([-3, -1, 0, 1, 3])))).toEqual([0, 0.30000001192092896, 0.5, 0.699999988079071, 1]);
  });

  it('an LSTM loaded from a Keras 2 config computes with the Keras 2 hard_sigmoid', () => {
    const model = modelFromConfig({ class_name: 'Sequential', config: [{ class_name: 'LSTM', config: { units: 1, name: 'l', recurrent_activation: 'hard_sigmoid', batch_input_shape: [null, 1, 1] } }] });
    model.setWeights([[[1, 1, 1, 1]], [[0, 0, 0, 0]], [0, 0, 0, 0]]);
    // Every gate sees z = 1: Keras 2's hard_sigmoid(1) = 0.7 (Keras 3's would be 4/6).
    const gate = 0.7;
    const c = gate * Math.tanh(1);
    expect(values(model.apply(tensor([[[1]]])) as Tensor)[0]).toBeCloseTo(gate * Math.tanh(c), 6);
  });

  it("a Keras 2.1 GRU without reset_after loads with Keras 2's reset_after false", () => {
    const model = modelFromConfig({ class_name: 'Sequential', config: [{ class_name: 'GRU', config: { units: 2, name: 'g', batch_input_shape: [null, 3, 4] } }] });
    expect(model.layers[0].getConfig().reset_after).toBe(false);
  });
});
