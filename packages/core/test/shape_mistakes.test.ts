/** The shape mistakes the Keras graph explains when a model is built, in the user's terms. */
import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Input, Model, config, layers, tensor, tidy } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
});

afterEach(() => {
  config.setImageDataFormat('channels_last');
  jest.restoreAllMocks();
});

describe('shape mistakes are explained at build time', () => {
  it('LSTM on Input({ shape: [5] }) expects (batch, timesteps, features) and suggests Input({ shape: [5, 1] })', () => {
    expect(() => new layers.LSTM({ units: 8 }).apply(Input({ shape: [5] }))).toThrow(
      /Input 0 of layer "lstm(_\d+)?" is incompatible with the layer: expected ndim=3, found ndim=2\. Full shape received: \(None, 5\)\. LSTM expects \(batch, timesteps, features\).*Input\(\{ shape: \[5, 1\] \}\)/,
    );
  });

  it('a Dense whose input last axis differs from its kernel names both sizes', () => {
    const dense = new layers.Dense({ units: 3 });
    dense.apply(Input({ shape: [10] }));
    expect(() => dense.apply(Input({ shape: [5] }))).toThrow(
      /expected axis -1 of input shape to have value 10, but received input with shape \(None, 5\)\. This layer was built for 10 input features; it cannot take 5/,
    );
    expect(() => tidy(() => dense.apply(tensor([[1, 2, 3, 4, 5]])))).toThrow(/have value 10, but received input with shape \(1, 5\)/);
  });

  it('Conv2D on a rank-3 input says it needs (batch, height, width, channels) under the current image_data_format', () => {
    expect(() => new layers.Conv2D({ filters: 4, kernelSize: 3 }).apply(Input({ shape: [28, 28] }))).toThrow(
      /Conv2D expects a rank-4 input \(batch, height, width, channels\) \(image_data_format 'channels_last'.*Input\(\{ shape: \[28, 28, 1\] \}\)/,
    );
    config.setImageDataFormat('channels_first');
    expect(() => new layers.Conv2D({ filters: 4, kernelSize: 3 }).apply(Input({ shape: [28, 28] }))).toThrow(
      /Conv2D expects a rank-4 input \(batch, channels, height, width\) \(image_data_format 'channels_first'/,
    );
  });

  it('a merge layer with incompatible shapes lists them', () => {
    expect(() => new layers.Add().apply([Input({ shape: [10] }), Input({ shape: [5] })])).toThrow(/Received shapes \(None, 10\), \(None, 5\)/);
    expect(() => new layers.Concatenate({ axis: -1 }).apply([Input({ shape: [2, 10] }), Input({ shape: [3, 5] })])).toThrow(
      /Received: input_shape=\(None, 2, 10\), \(None, 3, 5\)/,
    );
  });

  it('BatchNormalization with axis 0 warns that it normalizes each example over its features and that axis -1 is usual', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    new layers.BatchNormalization({ axis: 0 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/axis 0 is the batch axis.*normalizes each example over its features.*axis: -1 .* is the usual choice/);
  });

  it('a model given one example without its batch axis says the first axis is the batch axis', () => {
    const x = Input({ shape: [10] });
    const model = new Model({ inputs: x, outputs: new layers.Dense({ units: 1 }).apply(x) });
    expect(() => tidy(() => model.apply(tensor(new Float32Array(10))))).toThrow(/The first axis is the batch axis, even for one example: pass shape \(1, 10\)/);
  });
});
