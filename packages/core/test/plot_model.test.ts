/** utils.modelToDot and utils.plotModel: Keras's node labels and edges, SVG and PNG with no system packages. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Input, Model, Sequential, layers, utils } from '@keras-ts/core';
import { resetNames } from '../src/engine/naming.js';
import { useTestBackend } from './support/backend.js';

let folder: string;

beforeAll(async () => {
  await useTestBackend();
  folder = mkdtempSync(join(tmpdir(), 'keras-ts-plot-'));
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

function sequentialModel(): Sequential {
  resetNames();
  return new Sequential([Input({ shape: [10] }), new layers.Dense({ units: 20, activation: 'relu' }), new layers.Dense({ units: 1, activation: 'sigmoid' })]);
}

/** Two inputs joined by Concatenate, with a Dense on each branch. */
function branchingModel(): Model {
  resetNames();
  const a = Input({ shape: [4], name: 'left' });
  const b = Input({ shape: [3], name: 'right' });
  const joined = new layers.Concatenate().apply([new layers.Dense({ units: 2 }).apply(a), b] as never);
  return new Model({ inputs: [a, b], outputs: new layers.Dense({ units: 1, name: 'out' }).apply(joined as never), name: 'branches' });
}

/** The DOT node id of the node whose label names `layerName`. */
function expectNodeId(dot: string, layerName: string): string {
  const match = new RegExp(`^\\s*(\\d+) \\[label=<<table[^\\n]*<b>${layerName}</b>`, 'm').exec(dot);
  expect(match).not.toBeNull();
  return (match as RegExpExecArray)[1];
}

function expectWellFormedSvg(svg: string): void {
  expect(svg).toContain('<svg');
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  // Every opened element closes: count <g> against </g>, the drawing's groups.
  expect((svg.match(/<g[\s>]/g) ?? []).length).toBe((svg.match(/<\/g>/g) ?? []).length);
}

describe('modelToDot', () => {
  it('draws a Sequential model as a chain of Keras-style boxes, without an input box', () => {
    const dot = utils.modelToDot(sequentialModel());
    expect(dot.startsWith('digraph G {\nrankdir=TB;\nconcentrate=true;\ndpi=200;\nsplines=ortho;\nnode [shape=record];\n')).toBe(true);
    expect(dot).toContain(
      '[label=<<table border="0" cellborder="1" bgcolor="black" cellpadding="10"><tr><td colspan="1" bgcolor="black"><font point-size="16" color="white"><b>dense</b> (Dense)</font></td></tr></table>>, fontname=Helvetica, border=0, margin=0];',
    );
    expect(dot).not.toContain('InputLayer');
    expect(dot).toContain(`${expectNodeId(dot, 'dense')} -> ${expectNodeId(dot, 'dense_1')} [penwidth=2];`);
    expect(dot.match(/->/g)?.length).toBe(1);
  });

  it('shows shapes, dtype, activation and trainability in the cells Keras uses', () => {
    const model = sequentialModel();
    model.layers[1].trainable = false;
    const dot = utils.modelToDot(model, { showShapes: true, showDtype: true, showLayerActivations: true, showTrainable: true, rankdir: 'LR', dpi: 96 });
    expect(dot).toContain('rankdir=LR;');
    expect(dot).toContain('dpi=96;');
    expect(dot).toContain(
      '<tr><td colspan="4" bgcolor="black"><font point-size="16" color="white"><b>dense</b> (Dense)</font></td></tr>' +
        '<tr><td bgcolor="white" colspan="4"><font point-size="14">Activation: <b>relu</b></font></td></tr>' +
        '<tr><td bgcolor="white"><font point-size="14">Input shape: <b>(None, 10)</b></font></td>' +
        '<td bgcolor="white"><font point-size="14">Output shape: <b>(None, 20)</b></font></td>' +
        '<td bgcolor="white"><font point-size="14">Output dtype: <b>float32</b></font></td>' +
        '<td bgcolor="forestgreen"><font point-size="14" color="white"><b>Trainable</b></font></td></tr>',
    );
    expect(dot).toContain('<b>Non-trainable</b>');
  });

  it('titles boxes with the class only when showLayerNames is false', () => {
    const dot = utils.modelToDot(sequentialModel(), { showLayerNames: false });
    expect(dot).toContain('<font point-size="16" color="white"><b>Dense</b></font>');
    expect(dot).not.toContain('<b>dense</b>');
  });

  it('follows the inbound nodes of a functional model, inputs included', () => {
    const dot = utils.modelToDot(branchingModel(), { showShapes: true });
    const id = (name: string) => expectNodeId(dot, name);
    expect(dot).toContain(`${id('left')} -> ${id('dense')} [penwidth=2];`);
    expect(dot).toContain(`${id('dense')} -> ${id('concatenate')} [penwidth=2];`);
    expect(dot).toContain(`${id('right')} -> ${id('concatenate')} [penwidth=2];`);
    expect(dot).toContain(`${id('concatenate')} -> ${id('out')} [penwidth=2];`);
    expect(dot.match(/->/g)?.length).toBe(4);
    // An InputLayer box has no input shape cell; a merge layer lists its input shapes.
    expect(dot).toContain('<b>left</b> (InputLayer)</font></td></tr><tr><td bgcolor="white"><font point-size="14">Output shape: <b>(None, 4)</b>');
    expect(dot).toContain('Input shape: <b>[(None, 2), (None, 3)]</b>');
  });

  it('draws a nested model as one box, or as a dashed cluster of its layers with expandNested', () => {
    resetNames();
    const inner = new Sequential([Input({ shape: [4] }), new layers.Dense({ units: 3, name: 'inner_dense' }), new layers.Dense({ units: 2, name: 'inner_out' })], { name: 'inner' });
    const x = Input({ shape: [4], name: 'x' });
    const outer = new Model({ inputs: x, outputs: new layers.Dense({ units: 1, name: 'head' }).apply(inner.apply(x) as never), name: 'outer' });
    const flat = utils.modelToDot(outer);
    expect(flat).toContain('<b>inner</b> (Sequential)');
    expect(flat).not.toContain('inner_dense');
    const expanded = utils.modelToDot(outer, { expandNested: true });
    expect(expanded).toContain('subgraph cluster_inner_');
    expect(expanded).toContain('style=dashed;');
    const id = (name: string) => expectNodeId(expanded, name);
    expect(expanded).toContain(`${id('x')} -> ${id('inner_dense')} [penwidth=2];`);
    expect(expanded).toContain(`${id('inner_dense')} -> ${id('inner_out')} [penwidth=2];`);
    expect(expanded).toContain(`${id('inner_out')} -> ${id('head')} [penwidth=2];`);
  });

  it('refuses an unbuilt model with the fix', () => {
    const model = new Sequential([new layers.Dense({ units: 2 })]);
    expect(() => utils.modelToDot(model)).toThrow(/has not yet been built.*call/);
  });
});

describe('plotModel', () => {
  it('writes the DOT text for a .dot file', async () => {
    const file = join(folder, 'model.dot');
    await utils.plotModel(sequentialModel(), { toFile: file, showShapes: true });
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('digraph G {')).toBe(true);
    // plot_model hides layer names by default, as Keras's does.
    expect(text).toContain('<b>Dense</b>');
  });

  it('renders a well-formed SVG with the labels as text', async () => {
    const file = join(folder, 'model.svg');
    await utils.plotModel(branchingModel(), { toFile: file, showShapes: true, showLayerNames: true });
    const svg = readFileSync(file, 'utf8');
    expectWellFormedSvg(svg);
    expect(svg).toContain('>concatenate</text>');
    expect(svg).toContain('(None, 5)');
    // Four edges, each drawn as a path in its own group.
    expect(svg.match(/class="edge"/g)?.length).toBe(4);
  });

  it('renders a PNG (magic bytes, size scaled by dpi)', async () => {
    const small = await utils.plotModel(sequentialModel(), { toFile: join(folder, 'small.png'), dpi: 72 });
    const large = await utils.plotModel(sequentialModel(), { toFile: join(folder, 'large.png'), dpi: 144 });
    const magic = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
    expect([...readFileSync(join(folder, 'large.png')).subarray(0, 8)]).toEqual(magic);
    expect([...small.subarray(0, 8)]).toEqual(magic);
    const width = (png: Uint8Array) => new DataView(png.buffer, png.byteOffset).getUint32(16);
    expect(width(large)).toBeGreaterThanOrEqual(2 * width(small) - 2);
    expect(width(large)).toBeLessThanOrEqual(2 * width(small) + 2);
  });

  it('draws the PNG\'s labels with the bundled font (no system fonts needed)', async () => {
    const labelled = await utils.plotModel(sequentialModel(), { toFile: join(folder, 'labelled.png') });
    // With no font at all resvg draws only the boxes and edges: the labels are what differ.
    const bare = await utils.plotModel(sequentialModel(), { toFile: join(folder, 'bare.png'), fontFiles: [] });
    expect(labelled.length).toBeGreaterThan(bare.length + 500);
  });

  it('refuses an image format it cannot write', async () => {
    await expect(utils.plotModel(sequentialModel(), { toFile: join(folder, 'model.gif') })).rejects.toThrow(/'\.gif' is not a supported image format.*\.png, \.svg or \.dot/);
  });
});
