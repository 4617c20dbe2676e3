/**
 * `keras-ts plot` and `keras-ts summary` on models this test saves (.keras and a tfjs model.json
 * folder). The commands' module is called directly, with its output captured, so no build is needed.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as keras from 'keras-ts';
import { plotCommand, summaryCommand, type CommandOutput } from '../src/model_commands.js';

let folder: string;
let kerasFile: string;
let tfjsFolder: string;

function capture(): CommandOutput & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, log: (t) => out.push(t), error: (t) => err.push(t) };
}

beforeAll(async () => {
  await keras.setBackend('tfjs-cpu');
  folder = mkdtempSync(join(tmpdir(), 'keras-ts-cli-saving-'));
  const input = keras.Input({ shape: [10], name: 'features' });
  const hidden = new keras.layers.Dense({ units: 20, activation: 'relu', name: 'hidden' }).apply(input);
  const model = new keras.Model({ inputs: input, outputs: new keras.layers.Dense({ units: 1, activation: 'sigmoid', name: 'score' }).apply(hidden), name: 'scorer' });
  kerasFile = join(folder, 'scorer.keras');
  await model.save(kerasFile);
  tfjsFolder = join(folder, 'scorer_tfjs');
  await model.save(tfjsFolder, { format: 'tfjs' });
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('keras-ts summary', () => {
  it("prints the saved model's summary table", async () => {
    const io = capture();
    expect(await summaryCommand([kerasFile], io)).toBe(0);
    const text = io.out.join('\n');
    expect(text).toContain('Model: "scorer"');
    expect(text).toMatch(/│ hidden \(Dense\)\s+│ \(None, 20\)\s+│\s+220 │/);
    expect(text).toContain('Total params: 241 (964.00 B)');
  });

  it("shows a compiled Keras 3 file's optimizer state, as Keras's summary does after load_model", async () => {
    const io = capture();
    const komei = join(process.cwd(), 'packages/core/test/fixtures/keras-models/models/komei_lstm.keras');
    expect(await summaryCommand([komei], io)).toBe(0);
    // Adam's two slots per weight (2 x 36,527) plus its iteration count and learning rate.
    expect(io.out.join('\n')).toContain(' Optimizer params: 73,056 (285.38 KB)');
  });

  it('reads a tfjs model folder too', async () => {
    const io = capture();
    expect(await summaryCommand([tfjsFolder, '--show-trainable'], io)).toBe(0);
    expect(io.out.join('\n')).toMatch(/score \(Dense\)/);
  });

  it('explains a missing file (exit 1) and bad arguments with the usage (exit 2)', async () => {
    const missing = capture();
    expect(await summaryCommand([join(folder, 'nope.keras')], missing)).toBe(1);
    expect(missing.err.join('')).toMatch(/does not exist/);
    const bad = capture();
    expect(await summaryCommand([kerasFile, '--colour'], bad)).toBe(2);
    expect(bad.err.join('')).toMatch(/unknown argument '--colour'.*\n\nUsage: keras-ts summary MODEL/s);
    const none = capture();
    expect(await summaryCommand([], none)).toBe(2);
    expect(none.err.join('')).toMatch(/expected the path of a saved model/);
  });
});

describe('keras-ts plot', () => {
  it('writes an SVG with the shapes, left to right', async () => {
    const io = capture();
    const out = join(folder, 'scorer.svg');
    expect(await plotCommand([kerasFile, '--to-file', out, '--show-shapes', '--rankdir', 'LR', '--show-layer-names'], io)).toBe(0);
    expect(io.out).toEqual([`Wrote ${out}`]);
    const svg = readFileSync(out, 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('>hidden</text>');
    expect(svg).toContain('(None, 20)');
  });

  it('writes DOT text and a PNG', async () => {
    const dot = join(folder, 'scorer.dot');
    expect(await plotCommand([tfjsFolder, `--to-file=${dot}`, '--show-dtype'], capture())).toBe(0);
    const text = readFileSync(dot, 'utf8');
    expect(text).toContain('rankdir=TB;');
    expect(text).toContain('Output dtype: <b>float32</b>');
    const png = join(folder, 'scorer.png');
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(await plotCommand([kerasFile, '--to-file', png, '--dpi', '72'], capture())).toBe(0);
    } finally {
      warn.mockRestore();
    }
    expect([...readFileSync(png).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it('refuses a bad rankdir and an unknown image format', async () => {
    const rank = capture();
    expect(await plotCommand([kerasFile, '--rankdir', 'UP'], rank)).toBe(2);
    expect(rank.err.join('')).toMatch(/--rankdir must be TB, LR, BT or RL, got 'UP'/);
    const gif = capture();
    expect(await plotCommand([kerasFile, '--to-file', join(folder, 'm.gif')], gif)).toBe(1);
    expect(gif.err.join('')).toMatch(/'\.gif' is not a supported image format/);
  });
});
