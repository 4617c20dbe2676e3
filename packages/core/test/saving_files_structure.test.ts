/**
 * A saved .keras file has the structure of a real Keras 3 file: the zip members in Keras's order,
 * metadata.json and config.json as Keras writes them, and a model.weights.h5 whose groups, dataset
 * shapes and dtypes equal those of komei_lstm.keras (Keras 3.3.3) for the same architecture. The
 * HDF5 side is read back with jsfive, a reader independent of the h5wasm that wrote it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { Input, Sequential, layers, tensor } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const komeiPath = path.join(here, 'fixtures', 'keras-models', 'models', 'komei_lstm.keras');

interface Node5 {
  /** A group's child names; a jsfive Dataset extends Array, whose keys is a method. */
  keys?: string[] | (() => unknown);
  shape?: number[];
  dtype?: unknown;
  attrs: Record<string, unknown>;
  get(name: string): Node5;
}

/** Every group and dataset under a root: path → 'group' or 'dataset <shape> <dtype>'. */
function outline(root: Node5, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const key of Array.isArray(root.keys) ? root.keys : []) {
    const child = root.get(key);
    const p = `${prefix}/${key}`;
    if (Array.isArray(child.keys)) {
      out.set(p, 'group');
      for (const [k, v] of outline(child, p)) out.set(k, v);
    } else {
      out.set(p, `dataset (${(child.shape ?? []).join(', ')}) ${String(child.dtype)}`);
    }
  }
  return out;
}

function zipMemberOrder(bytes: Uint8Array): string[] {
  // The local file headers, in file order (PK\x03\x04, name length at +26, name at +30).
  const names: string[] = [];
  for (let i = 0; i + 30 < bytes.length; i++) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x03 && bytes[i + 3] === 0x04) {
      const nameLength = bytes[i + 26] | (bytes[i + 27] << 8);
      const compressedSize = bytes[i + 18] | (bytes[i + 19] << 8) | (bytes[i + 20] << 16) | (bytes[i + 21] << 24);
      const extraLength = bytes[i + 28] | (bytes[i + 29] << 8);
      names.push(new TextDecoder().decode(bytes.subarray(i + 30, i + 30 + nameLength)));
      i += 29 + nameLength + extraLength + compressedSize;
    }
  }
  return names;
}

type Jsfive = { File: new (buffer: ArrayBuffer, name: string) => Node5 };
// jsfive ships no type declarations; the module name goes through a variable so that TypeScript does not look for them.
const jsfiveModule = 'jsfive';
let jsfive: Jsfive;

function openH5(bytes: Uint8Array, name: string): Node5 {
  return new jsfive.File(bytes.slice().buffer as ArrayBuffer, name);
}

describe('the .keras file structure', () => {
  let dir: string;
  beforeAll(async () => {
    await useTestBackend();
    jsfive = (await import(jsfiveModule)) as Jsfive;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-structure-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('matches komei_lstm.keras (Keras 3.3.3) for the same compiled, trained architecture', async () => {
    const model = new Sequential([
      Input({ shape: [12, 24] }),
      new layers.LSTM({ units: 50, returnSequences: true }),
      new layers.Dropout({ rate: 0.2 }),
      new layers.LSTM({ units: 50 }),
      new layers.Dropout({ rate: 0.2 }),
      new layers.Dense({ units: 25 }),
      new layers.Dense({ units: 2 }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'mean_squared_error' });
    const x = Array.from({ length: 4 * 12 * 24 }, (_, i) => Math.sin(i));
    await model.fit(tensor(x, [4, 12, 24]), tensor([1, 0, 0, 1, 1, 1, 0, 0], [4, 2]), { epochs: 1, verbose: 0 });
    const file = path.join(dir, 'm.keras');
    await model.save(file);

    const ours = new Uint8Array(fs.readFileSync(file));
    const theirs = new Uint8Array(fs.readFileSync(komeiPath));
    expect(zipMemberOrder(ours)).toEqual(['metadata.json', 'config.json', 'model.weights.h5']);
    expect(zipMemberOrder(ours)).toEqual(zipMemberOrder(theirs));

    const members = unzipSync(ours);
    const metadata = JSON.parse(new TextDecoder().decode(members['metadata.json'])) as Record<string, string>;
    expect(Object.keys(metadata)).toEqual(['keras_version', 'date_saved']);
    expect(metadata.date_saved).toMatch(/^\d{4}-\d{2}-\d{2}@\d{2}:\d{2}:\d{2}$/);
    const config = JSON.parse(new TextDecoder().decode(members['config.json'])) as Record<string, unknown>;
    expect(config.class_name).toBe('Sequential');
    expect(Object.keys(config)).toEqual(expect.arrayContaining(['module', 'class_name', 'config', 'registered_name']));
    expect(config.compile_config).toBeDefined();

    const ourOutline = outline(openH5(members['model.weights.h5'], 'ours.h5'));
    const theirOutline = outline(openH5(unzipSync(theirs)['model.weights.h5'], 'komei.h5'));
    expect(theirOutline.size).toBeGreaterThan(50);
    expect([...ourOutline.keys()].sort()).toEqual([...theirOutline.keys()].sort());
    for (const [p, description] of theirOutline) expect(`${p}: ${ourOutline.get(p)}`).toBe(`${p}: ${description}`);
    model.dispose();
  });
});
