/**
 * Bad files and bad places: truncated, corrupt and wrong-format files each give an error that says
 * what is wrong (never a crash or a hang); saving into a missing or read-only directory is a clear
 * error and leaves the previous file intact; mismatched weights name each layer and shape, and
 * skipMismatch loads the rest.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import * as fs from 'node:fs';
import nodeFs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { Input, Sequential, layers, models, type Model } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const realModels = path.join(here, 'fixtures', 'keras-models', 'models');
let dir: string;

function small(units = 3): Model {
  return new Sequential([Input({ shape: [4] }), new layers.Dense({ units: 5, name: 'hidden' }), new layers.Dense({ units, name: 'head' })]);
}

function writeBytes(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

describe('corrupt, truncated and wrong-format files', () => {
  beforeAll(async () => {
    await useTestBackend();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-corrupt-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a truncated .keras archive', async () => {
    const bytes = new Uint8Array(fs.readFileSync(path.join(realModels, 'komei_lstm.keras')));
    for (const length of [10, 200, Math.floor(bytes.length / 2), bytes.length - 30]) {
      const file = writeBytes(`truncated_${length}.keras`, bytes.subarray(0, length));
      await expect(models.loadModel(file)).rejects.toThrow(/truncated or corrupt|cannot be unzipped|HDF5 cannot open/);
    }
  });

  it('a truncated legacy .h5 file', async () => {
    const bytes = new Uint8Array(fs.readFileSync(path.join(realModels, 'dl4j_cnn_batch_norm.h5')));
    for (const length of [8, 100, 5000, bytes.length - 100]) {
      const file = writeBytes(`truncated_${length}.h5`, bytes.subarray(0, length));
      await expect(models.loadModel(file)).rejects.toThrow(/truncated or corrupt|corrupt/);
    }
  });

  it('a corrupt HDF5 inside a .keras archive', async () => {
    const encoder = new TextEncoder();
    const garbage = new Uint8Array(4000).map((_, i) => (i * 31) % 251);
    garbage.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
    const model = small();
    const file = writeBytes('corrupt_h5.keras', zipSync({ 'metadata.json': encoder.encode('{}'), 'config.json': encoder.encode(model.toJSON()), 'model.weights.h5': garbage }, { level: 0 }));
    await expect(models.loadModel(file)).rejects.toThrow(/model.weights.h5.*HDF5 cannot open|truncated or corrupt/);
  });

  it('wrong formats: empty, JSON, random bytes, a zip that is not a .keras archive, a directory, a missing file', async () => {
    await expect(models.loadModel(writeBytes('empty.keras', new Uint8Array(0)))).rejects.toThrow(/empty \(0 bytes\)/);
    await expect(models.loadModel(writeBytes('renamed_json.keras', new TextEncoder().encode('{"class_name": "Sequential"}')))).rejects.toThrow(/JSON file.*modelFromJSON/);
    await expect(models.loadModel(writeBytes('random.keras', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])))).rejects.toThrow(/neither a \.keras archive.*nor an HDF5 file/);
    await expect(models.loadModel(writeBytes('other.keras', zipSync({ 'readme.txt': new TextEncoder().encode('hi') })))).rejects.toThrow(/no 'config.json'/);
    await expect(models.loadModel(dir)).rejects.toThrow(/is a directory|model\.json/);
    await expect(models.loadModel(path.join(dir, 'nope.keras'))).rejects.toThrow(/does not exist/);
  });

  it('a weights-only file given to loadModel says to use loadWeights', async () => {
    const model = small();
    const file = path.join(dir, 'only.weights.h5');
    await model.saveWeights(file);
    await expect(models.loadModel(file)).rejects.toThrow(/neither Keras 3 groups|weights only|model_config/);
  });

  it('save paths: a missing directory, a read-only directory, unsupported extensions', async () => {
    const model = small();
    await expect(model.save(path.join(dir, 'missing', 'm.keras'))).rejects.toThrow(/directory .* does not exist.*mkdirSync/);
    await expect(model.save(path.join(dir, 'm.h5'))).rejects.toThrow(/does not write the legacy HDF5.*\.keras/);
    await expect(model.save(path.join(dir, 'm.onnx'))).rejects.toThrow(/invalid file extension/);
    await expect(model.saveWeights(path.join(dir, 'w.h5'))).rejects.toThrow(/must end in '\.weights\.h5'/);
    const readOnly = path.join(dir, 'read-only');
    fs.mkdirSync(readOnly);
    const target = path.join(readOnly, 'm.keras');
    await model.save(target);
    const before = fs.readFileSync(target);
    fs.chmodSync(readOnly, 0o555);
    try {
      let writable = true;
      try {
        fs.writeFileSync(path.join(readOnly, 'probe'), 'x');
        fs.rmSync(path.join(readOnly, 'probe'));
      } catch {
        writable = false;
      }
      // Root can write anywhere; the check only means something for other users.
      if (!writable) await expect(small().save(target)).rejects.toThrow(/not writable.*previous 'm.keras' is intact/);
    } finally {
      fs.chmodSync(readOnly, 0o755);
    }
    expect(fs.readFileSync(target).equals(before) || fs.readFileSync(target).length > 0).toBe(true);
    expect(fs.readdirSync(readOnly).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a directory that refuses writes (as a read-only one does, even for root) leaves the previous file intact', async () => {
    const target = path.join(dir, 'guarded.keras');
    await small().save(target);
    const before = fs.readFileSync(target);
    const realOpenSync = nodeFs.openSync.bind(nodeFs) as (...args: unknown[]) => number;
    // The permission check is the kernel's; root passes chmod, so the refusal is stood in here.
    const spy = jest.spyOn(nodeFs, 'openSync').mockImplementation(((...args: unknown[]) => {
      if (new Error().stack?.includes('atomic_write')) throw Object.assign(new Error('permission denied'), { code: 'EACCES' });
      return realOpenSync(...args);
    }) as typeof nodeFs.openSync);
    try {
      await expect(small().save(target)).rejects.toThrow(/not writable.*previous 'guarded.keras' is intact/);
      await expect(small().saveWeights(path.join(dir, 'guarded.weights.h5'))).rejects.toThrow(/not writable/);
    } finally {
      spy.mockRestore();
    }
    expect(fs.readFileSync(target).equals(before)).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a failed write leaves the previous file intact and no temporary file', async () => {
    const target = path.join(dir, 'kept.keras');
    const model = small();
    await model.save(target);
    const before = fs.readFileSync(target);
    const realWriteSync = nodeFs.writeSync.bind(nodeFs) as (...args: unknown[]) => number;
    // Only the model file's write fails, as on a disk that fills up while saving.
    const spy = jest.spyOn(nodeFs, 'writeSync').mockImplementation(((...args: unknown[]) => {
      if (new Error().stack?.includes('atomic_write')) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      return realWriteSync(...args);
    }) as typeof nodeFs.writeSync);
    try {
      await expect(small().save(target)).rejects.toThrow(/disk is full.*previous 'kept.keras' is intact/);
    } finally {
      spy.mockRestore();
    }
    expect(fs.readFileSync(target).equals(before)).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const reloaded = await models.loadModel(target);
    expect(reloaded.layers.map((l) => l.name)).toEqual(['hidden', 'head']);
  });

  it('mismatched weights name each layer and shape; skipMismatch loads the others', async () => {
    const saved = small(3);
    const file = path.join(dir, 'mismatch.weights.h5');
    await saved.saveWeights(file);
    const other = small(2);
    await expect(other.loadWeights(file)).rejects.toThrow(/layer 'head'.*shape \(5, 2\) in the model but \(5, 3\) in the file[\s\S]*skipMismatch/);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await other.loadWeights(file, { skipMismatch: true });
    } finally {
      warn.mockRestore();
    }
    const hiddenSaved = saved.getLayer('hidden').getWeights()[0].dataSync();
    const hiddenLoaded = other.getLayer('hidden').getWeights()[0].dataSync();
    expect(Array.from(hiddenLoaded)).toEqual(Array.from(hiddenSaved));
  });

  it('legacy weights-only loading into a built model, and its mismatch error', async () => {
    const legacy = await models.loadModel(path.join(realModels, 'dl4j_cnn_batch_norm.h5'));
    const copy = models.modelFromJSON(legacy.toJSON());
    await copy.loadWeights(path.join(realModels, 'dl4j_cnn_batch_norm.h5'));
    expect(Array.from(copy.weights[0].dataSync())).toEqual(Array.from(legacy.weights[0].dataSync()));
    await expect(small().loadWeights(path.join(realModels, 'dl4j_cnn_batch_norm.h5'))).rejects.toThrow(/the file has \d+ layer\(s\) with weights/);
  });
});
