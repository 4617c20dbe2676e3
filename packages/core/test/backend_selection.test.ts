/** Choosing a backend at startup: setBackend, KERAS_BACKEND, keras.json, module specifiers, and the errors. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backend, config, listBackends, memory, ready, registerBackend, setBackend, tensor, ops, type Backend } from '@keras-ts/core';
import { resetBackendsForTests, unregisterBackend } from '../src/backend/registry.js';
import { createTfjsCpuBackend } from '@keras-ts/backend-tfjs';

const saved = { KERAS_BACKEND: process.env.KERAS_BACKEND, KERAS_HOME: process.env.KERAS_HOME };
let home: string;

function writeKerasJson(text: string): void {
  writeFileSync(join(home, 'keras.json'), text);
}

/** A backend that is tfjs-cpu under another name, so selection can be observed. */
function renamed(name: string): () => Backend {
  return () => Object.assign(createTfjsCpuBackend(), { name });
}

beforeEach(() => {
  resetBackendsForTests();
  config.reset();
  home = mkdtempSync(join(tmpdir(), 'keras-home-'));
  process.env.KERAS_HOME = home;
  delete process.env.KERAS_BACKEND;
  registerBackend('first', renamed('first'), { priority: 5, createSync: renamed('first') });
  registerBackend('second', async () => renamed('second')(), { priority: 1 });
});

afterEach(() => {
  resetBackendsForTests();
  unregisterBackend('first');
  unregisterBackend('second');
  config.reset();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('backend selection', () => {
  it('setBackend chooses and starts a backend', async () => {
    await setBackend('second');
    expect(backend()).toBe('second');
    const t = tensor([1, 2]);
    expect(t.backendName).toBe('second');
    t.dispose();
  });

  it('lists backends fastest first and defaults to the fastest', async () => {
    expect(listBackends().slice(0, 2)).toEqual(['first', 'second']);
    await ready();
    expect(backend()).toBe('first');
  });

  it('KERAS_BACKEND chooses the backend when setBackend was not called', async () => {
    process.env.KERAS_BACKEND = 'second';
    expect(backend()).toBe('second');
    await ready();
    expect(memory().backend).toBe('second');
  });

  it('keras.json chooses the backend when neither setBackend nor KERAS_BACKEND did', async () => {
    writeKerasJson(JSON.stringify({ backend: 'second', image_data_format: 'channels_first', epsilon: 1e-5, floatx: 'float32' }));
    expect(backend()).toBe('second');
    expect(config.imageDataFormat()).toBe('channels_first');
    expect(config.epsilon()).toBe(1e-5);
    process.env.KERAS_BACKEND = 'first';
    expect(backend()).toBe('first');
  });

  it("ignores Python Keras's backend names in keras.json and KERAS_BACKEND", () => {
    writeKerasJson(JSON.stringify({ backend: 'tensorflow' }));
    process.env.KERAS_BACKEND = 'jax';
    expect(backend()).toBe('first');
  });

  it('starts a synchronous backend on the first op, and asks to await ready() for an asynchronous one', async () => {
    process.env.KERAS_BACKEND = 'first';
    const t = ops.add(tensor([1]), 1);
    expect(t.arraySync()).toEqual([2]);
    expect(backend()).toBe('first');
    resetBackendsForTests();
    process.env.KERAS_BACKEND = 'second';
    expect(() => tensor([1])).toThrow(/Backend 'second' starts asynchronously and has not been started yet. Expected 'await keras.ready\(\)'/);
    await ready();
    expect(tensor([1]).backendName).toBe('second');
  });

  it('an unknown backend is an error that lists the available ones', async () => {
    await expect(setBackend('no-such-backend')).rejects.toThrow(
      /Unknown backend 'no-such-backend'\. Expected a built-in name .* Available backends: 'first', 'second'.*Fix: call setBackend with one of those/,
    );
  });

  it('a built-in backend whose package is not installed says which package to install', async () => {
    await expect(setBackend('onnx')).rejects.toThrow(/Backend 'onnx' is not installed: it comes with the package @keras-ts\/backend-onnx.*Fix: npm install @keras-ts\/backend-onnx/);
  });

  it('a keras.json that is not JSON is an error that says what came, what was expected and the fix', () => {
    writeKerasJson('{ "backend": tfjs-cpu }');
    expect(() => backend()).toThrow(/keras.json at .* is not valid JSON .*Expected an object such as \{"backend": "tfjs-cpu".*Fix: correct or delete the file, or point KERAS_HOME/);
    writeKerasJson('[1, 2]');
    expect(() => backend()).toThrow(/holds an array, not an object/);
  });

  it('rejects bad keras.json values for the config', () => {
    writeKerasJson(JSON.stringify({ image_data_format: 'NHWC' }));
    expect(() => config.imageDataFormat()).toThrow(/keras.json "image_data_format": got "NHWC". Expected 'channels_last' or 'channels_first'/);
  });

  it('never writes keras.json', async () => {
    await ready();
    config.setImageDataFormat('channels_first');
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(home, 'keras.json'))).toBe(false);
  });

  it('takes any other name as a module specifier whose default export is a backend factory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keras-module-'));
    const good = join(dir, 'good_backend.mjs');
    writeFileSync(good, 'export default () => globalThis.__kerasTestBackend();\n');
    (globalThis as Record<string, unknown>).__kerasTestBackend = renamed(good);
    await setBackend(good);
    expect(tensor([3]).backendName).toBe(good);
    const bad = join(dir, 'bad_backend.mjs');
    writeFileSync(bad, 'export const notDefault = 1;\n');
    await expect(setBackend(bad)).rejects.toThrow(/has no default export that is a backend factory.*Fix: add that default export/);
    const notBackend = join(dir, 'not_backend.mjs');
    writeFileSync(notBackend, 'export default () => 42;\n');
    await expect(setBackend(notBackend)).rejects.toThrow(/its factory returned number, not a Backend/);
  });

  it('mixing tensors of two backends is a clear error', async () => {
    await setBackend('first');
    const a = tensor([1]);
    await setBackend('second');
    const b = tensor([2]);
    expect(() => ops.add(a, b)).toThrow(/add: the inputs live on two backends, 'first' and 'second'.*Fix: make all tensors after choosing the backend/);
    a.dispose();
    b.dispose();
  });

  it('registerBackend explains a bad factory', () => {
    expect(() => registerBackend('x', 42 as unknown as () => Backend)).toThrow(/expected a factory function \(\) => Backend \| Promise<Backend>, got number/);
  });
});
