/**
 * model.summary() in Keras 3's layout: a table with a heavy header and a line between rows,
 * "Layer (type)", "Output Shape", "Param #" (and "Connected to" for graphs that are not a plain
 * chain), then the parameter totals with their sizes. Column widths follow Keras: positions of a
 * line of `lineLength` (default 88, or 108 with "Connected to", capped at the terminal's width
 * minus 4, where a non-terminal counts as 80 columns), squeezed to fit as its table renderer does.
 */
import { formatShape, type Dim } from '../tensor/shape.js';
import type { Layer } from '../engine/layer.js';
import type { Node } from '../engine/node.js';
import type { Model } from './model.js';

export interface SummaryOptions {
  /** Total width of the table. */
  lineLength?: number;
  /** Relative (≤ 1) or absolute column ends. */
  positions?: number[];
  /** Receives the whole summary text; defaults to console.log. */
  printFn?: (text: string) => void;
  /** Also list the layers of nested models, indented. */
  expandNested?: boolean;
  /** Adds a "Trainable" column (Y, N, or - for layers without weights). */
  showTrainable?: boolean;
}

type Justify = 'left' | 'right' | 'center';

interface ModelView {
  name: string;
  layers: Layer[];
  nodes: Node[] | undefined;
  trainableCounts: { count: number; bytes: number };
  nonTrainableCounts: { count: number; bytes: number };
}

/** Keras's readable_memory_size: base 1024, two decimals. */
export function readableMemorySize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${size.toFixed(2)} ${unit}`;
    size /= 1024;
  }
  return `${size.toFixed(2)} PB`;
}

const thousands = (n: number): string => n.toLocaleString('en-US');

function weightTotals(weights: readonly { shape: readonly number[]; dtype: string }[]): { count: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  for (const w of new Set(weights)) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    count += n;
    bytes += n * (w.dtype === 'bool' ? 1 : 4);
  }
  return { count, bytes };
}

/** The depth of each node: outputs' nodes 0, a parent one more than its deepest child. */
function nodesByDepth(nodes: readonly Node[]): Map<number, Node[]> {
  const depth = new Map<Node, number>();
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    const d = depth.get(node) ?? 0;
    depth.set(node, d);
    for (const parent of node.parentNodes) depth.set(parent, Math.max(depth.get(parent) ?? 0, d + 1));
  }
  const byDepth = new Map<number, Node[]>();
  for (const [node, d] of depth) byDepth.set(d, [...(byDepth.get(d) ?? []), node]);
  return byDepth;
}

function allNodes(model: Model): Node[] | undefined {
  if (!model.isFunctional) return undefined;
  const nodes: Node[] = [];
  for (const t of model.inputs) if (t.kerasHistory) nodes.push(t.kerasHistory.layer.inboundNodes[t.kerasHistory.nodeIndex]);
  const graph = (model as unknown as { graph: { nodes: Node[] } }).graph;
  return [...nodes, ...graph.nodes];
}

function isSequentialLike(model: Model, nodes: Node[] | undefined): boolean {
  if (!nodes || model.constructor.name === 'Sequential' || 'stackLayers' in model) return true;
  for (const level of nodesByDepth(nodes).values()) {
    if (level.length > 1 || (level.length === 1 && level[0].inputTensors.length > 1)) return false;
  }
  for (const layer of model.layers) if (layer.inboundNodes.filter((n) => nodes.includes(n)).length > 1) return false;
  return true;
}

function layerShape(layer: Layer): string {
  if (layer.inboundNodes.length === 0) return '?';
  const outputs = layer.inboundNodes[layer.inboundNodes.length - 1].outputTensors;
  const shapes = outputs.map((t) => formatShape(t.shape as Dim[]));
  return shapes.length === 1 ? shapes[0] : `[${shapes.join(', ')}]`;
}

function connections(layer: Layer, nodes: readonly Node[]): string {
  const parts: string[] = [];
  for (const node of layer.inboundNodes) {
    if (!nodes.includes(node)) continue;
    for (const t of node.inputTensors) {
      const h = t.kerasHistory;
      if (h) parts.push(`${h.layer.name}[${h.nodeIndex}][${h.tensorIndex}]`);
    }
  }
  return parts.length > 0 ? parts.join(', ') : '-';
}

/** Column widths (content plus one space of padding each side) squeezed into the table as Keras's renderer does. */
export function columnWidths(lineLength: number, positions: readonly number[]): number[] {
  const ends = positions.map((p) => (p <= 1 ? Math.floor(p * lineLength) : p));
  const widths: number[] = [];
  let current = 0;
  for (const end of ends) {
    const width = end - current;
    if (width < 4) throw new Error('summary: insufficient console width to print summary. Fix: pass a larger lineLength.');
    widths.push(width + 2);
    current += width;
  }
  // The table is lineLength wide including one border character per column plus one.
  const available = lineLength - (widths.length + 1);
  let excess = widths.reduce((a, b) => a + b, 0) - available;
  if (excess > 0) {
    let ratio = widths.length;
    for (let i = 0; i < widths.length; i++) {
      const share = Math.min(widths[i], roundHalfEven(excess / ratio));
      widths[i] -= share;
      excess -= share;
      ratio -= 1;
    }
  }
  return widths;
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Wraps text into lines of at most `width` characters, at spaces where possible. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    let w = word;
    while (w.length > width) {
      if (line) {
        lines.push(line);
        line = '';
      }
      lines.push(w.slice(0, width));
      w = w.slice(width);
    }
    const candidate = line ? `${line} ${w}` : w;
    if (candidate.length <= width) line = candidate;
    else {
      lines.push(line);
      line = w;
    }
  }
  lines.push(line);
  return lines;
}

function justify(text: string, width: number, how: Justify): string {
  const gap = width - text.length;
  if (gap <= 0) return text;
  if (how === 'right') return ' '.repeat(gap) + text;
  if (how === 'center') return ' '.repeat(Math.floor(gap / 2)) + text + ' '.repeat(gap - Math.floor(gap / 2));
  return text + ' '.repeat(gap);
}

function renderRow(cells: string[], widths: number[], aligns: Justify[], edge: string, inner: string): string[] {
  const wrapped = cells.map((c, i) => wrap(c, widths[i] - 2));
  const height = Math.max(...wrapped.map((w) => w.length));
  const lines: string[] = [];
  for (let r = 0; r < height; r++) {
    const parts = wrapped.map((w, i) => ` ${justify(w[r] ?? '', widths[i] - 2, aligns[i])} `);
    lines.push(edge + parts.join(inner) + edge);
  }
  return lines;
}

function rule(widths: number[], left: string, fill: string, mid: string, right: string): string {
  return left + widths.map((w) => fill.repeat(w)).join(mid) + right;
}

function terminalColumns(): number {
  const stdout = (globalThis as { process?: { stdout?: { isTTY?: boolean; columns?: number } } }).process?.stdout;
  return stdout?.isTTY && stdout.columns ? stdout.columns : 80;
}

function view(model: Model): ModelView {
  return {
    name: model.name,
    layers: model.layers,
    nodes: allNodes(model),
    trainableCounts: weightTotals(model.trainableWeights),
    nonTrainableCounts: weightTotals(model.nonTrainableWeights),
  };
}

/** Renders the summary text (what `model.summary()` prints). */
export function summaryText(model: Model, options: SummaryOptions = {}): string {
  const v = view(model);
  const sequentialLike = isSequentialLike(model, v.nodes);
  const header = ['Layer (type)', 'Output Shape', 'Param #'];
  const aligns: Justify[] = ['left', 'left', 'right'];
  let defaultLength = sequentialLike ? 88 : 108;
  let positions = options.positions ?? (sequentialLike ? [0.45, 0.8, 1] : [0.3, 0.56, 0.74, 1]);
  if (!sequentialLike) {
    header.push('Connected to');
    aligns.push('left');
  }
  if (options.showTrainable) {
    defaultLength += 12;
    positions = [...positions.map((p) => p * 0.9), 1];
    header.push('Trainable');
    aligns.push('center');
  }
  const lineLength = options.lineLength ?? Math.min(defaultLength, terminalColumns() - 4);
  const widths = columnWidths(lineLength, positions);

  const rows: string[][] = [];
  const addLayer = (layer: Layer, level: number): void => {
    const prefix = level > 0 ? `${'   '.repeat(level)}└ ` : '';
    const params = layer.built ? thousands(layer.countParams()) : '0 (unbuilt)';
    const cells = [`${prefix}${layer.name} (${layer.constructor.name})`, layerShape(layer), params];
    if (!sequentialLike) cells.push(connections(layer, v.nodes ?? []));
    if (options.showTrainable) cells.push(layer.weights.length > 0 ? (layer.trainable ? 'Y' : 'N') : '-');
    rows.push(cells);
    const nested = (layer as Partial<Model>).layers;
    if (options.expandNested && Array.isArray(nested)) for (const inner of nested) addLayer(inner, level + 1);
  };
  for (const layer of v.layers) addLayer(layer, 0);

  const lines = [`Model: "${v.name}"`, rule(widths, '┏', '━', '┳', '┓'), ...renderRow(header, widths, aligns, '┃', '┃'), rule(widths, '┡', '━', '╇', '┩')];
  rows.forEach((cells, i) => {
    if (i > 0) lines.push(rule(widths, '├', '─', '┼', '┤'));
    lines.push(...renderRow(cells, widths, aligns, '│', '│'));
  });
  lines.push(rule(widths, '└', '─', '┴', '┘'));
  // Keras adds the optimizer's state to the total once the optimizer is built.
  const optimizer = model.compiled && model.optimizer?.built ? weightTotals(model.optimizer.variables) : undefined;
  const total = {
    count: v.trainableCounts.count + v.nonTrainableCounts.count + (optimizer?.count ?? 0),
    bytes: v.trainableCounts.bytes + v.nonTrainableCounts.bytes + (optimizer?.bytes ?? 0),
  };
  const footer = (label: string, t: { count: number; bytes: number }) => ` ${label}: ${thousands(t.count)} (${readableMemorySize(t.bytes)})`;
  lines.push(footer('Total params', total), footer('Trainable params', v.trainableCounts), footer('Non-trainable params', v.nonTrainableCounts));
  if (optimizer) lines.push(footer('Optimizer params', optimizer));
  return lines.join('\n');
}

export function summary(model: Model, options: SummaryOptions = {}): void {
  const text = summaryText(model, options);
  (options.printFn ?? console.log)(text);
}
