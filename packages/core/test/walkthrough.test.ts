/** The API.md walk-through of the Keras graph, line by line, with every value it shows asserted. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as keras from '@keras-ts/core';
import { Input, Model, layers } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
});

describe("the seed's walk-through", () => {
  it('runs as written', async () => {
    const x = Input({ batchShape: [10000, 100] });
    expect(x.shape).toEqual([10000, 100]);
    expect(keras.isKerasTensor(x)).toBe(true);
    expect(x.kerasHistory?.layer).toBeInstanceOf(layers.InputLayer);
    expect(x.kerasHistory?.nodeIndex).toBe(0);
    expect(x.kerasHistory?.tensorIndex).toBe(0);

    const dense = new layers.Dense({ units: 10, activation: 'relu' });
    expect(dense.weights).toEqual([]);
    const y = dense.apply(Input({ shape: [100] }));
    expect(keras.isKerasTensor(y)).toBe(true);
    expect((y as keras.KerasTensor).shape).toEqual([null, 10]);
    expect(dense.weights.map((w) => [w.name, w.shape])).toEqual([['kernel', [100, 10]], ['bias', [10]]]);
    expect(dense.weights[0].path).toBe(`${dense.name}/kernel`);

    const d1 = new layers.Dense({ units: 20, activation: 'relu', name: 'dense_layer_1' });
    expect(d1.inboundNodes).toEqual([]);
    expect(d1.outboundNodes).toEqual([]);
    expect(() => d1.inputShape).toThrow('The layer has never been called and thus has no defined input shape.');
    const input = Input({ shape: [10], name: 'input' });
    const output = new layers.Dense({ units: 1, activation: 'sigmoid', name: 'sigmoid_layer' }).apply(
      new layers.Dense({ units: 20, activation: 'relu', name: 'dense_layer_2' }).apply(d1.apply(input)),
    );
    expect(d1.inputShape).toEqual([null, 10]);
    expect(d1.outputShape).toEqual([null, 20]);
    expect(d1.inboundNodes[0].inboundLayers.map((l) => [l.constructor.name, l.name])).toEqual([['InputLayer', 'input']]);

    const model = new Model({ inputs: [input], outputs: [output] });
    const lines: string[] = [];
    model.summary({ printFn: (text) => lines.push(text) });
    const text = lines.join('\n');
    expect(text).toContain(' Total params: 661 (2.58 KB)');
    expect(text).toContain(' Trainable params: 661 (2.58 KB)');
    expect(text).toContain(' Non-trainable params: 0 (0.00 B)');
    expect(model.countParams()).toBe(661);

    // The training lines of the walk-through, as written.
    keras.utils.setRandomSeed(42);
    const xTrain = Array.from({ length: 256 }, (_, i) => Array.from({ length: 10 }, (_, j) => Math.sin((i + 1) * (j + 3) * 0.37)));
    const yTrain = xTrain.map((row) => [row[0] + row[1] > 0 ? 1 : 0]);
    const [xTest, yTest] = [xTrain.slice(0, 64), yTrain.slice(0, 64)];
    const logDir = mkdtempSync(join(tmpdir(), 'walkthrough-logs-'));
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit([keras.tensor(xTrain)], [keras.tensor(yTrain)], {
      epochs: 5, batchSize: 64, verbose: 0, callbacks: [new keras.callbacks.TensorBoard({ logDir })],
    });
    expect(history.history.loss).toHaveLength(5);
    expect(readdirSync(join(logDir, 'train'))[0]).toMatch(/^events\.out\.tfevents\./);
    const evaluation = (await model.evaluate(xTest, yTest, { verbose: 0 })) as number[];
    expect(evaluation).toHaveLength(2);
    const predictions = (await model.predict(xTest)) as keras.Tensor;
    expect(predictions.shape).toEqual([64, 1]);
    predictions.dispose();
  });
});
