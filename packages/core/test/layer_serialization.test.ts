/** layers.serialize / deserialize for every layer class, and wrappers rebuilding any inner layer. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Input, layers, type KerasTensor, type Tensor } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
});

describe('layer serialization', () => {
  it('round-trips built-in layers by class name', () => {
    for (const layer of [new layers.Dense({ units: 3, activation: 'relu' }), new layers.Conv1D({ filters: 2, kernelSize: 3 }), new layers.GRU({ units: 4 }), new layers.LayerNormalization()]) {
      const json = JSON.parse(JSON.stringify(layers.serialize(layer))) as { class_name: string; config: Record<string, unknown> };
      expect(json.class_name).toBe(layer.constructor.name);
      const rebuilt = layers.deserialize(json);
      expect(rebuilt.constructor).toBe(layer.constructor);
      expect(rebuilt.getConfig()).toEqual(layer.getConfig());
    }
  });

  it('TimeDistributed rebuilds any inner layer from its config', () => {
    const wrapped = new layers.TimeDistributed({ layer: new layers.Conv1D({ filters: 2, kernelSize: 2 }) });
    const rebuilt = layers.TimeDistributed.fromConfig(JSON.parse(JSON.stringify(wrapped.getConfig())) as Record<string, unknown>);
    expect((rebuilt.apply(Input({ shape: [4, 5, 3] })) as KerasTensor).shape).toEqual([null, 4, 4, 2]);
  });

  it('explains an unknown class and accepts registered custom layers', () => {
    expect(() => layers.deserialize({ class_name: 'NoSuchLayer', config: {} })).toThrow(/unknown layer class "NoSuchLayer".*registerLayerClass\('NoSuchLayer', NoSuchLayer\)/);
    class Doubling extends layers.Layer<KerasTensor, Tensor> {
      call(x: Tensor | Tensor[]): Tensor {
        return x as Tensor;
      }
    }
    layers.registerLayerClass('Doubling', Doubling);
    expect(layers.deserialize({ class_name: 'Doubling', config: { name: 'twice' } }).name).toBe('twice');
  });
});
