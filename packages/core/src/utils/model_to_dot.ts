/**
 * keras.utils.model_to_dot: the model's graph as Graphviz DOT text. Each layer is one node whose
 * label is an HTML-like table laid out as Keras draws it (a black title row "name (Class)", then
 * optional rows for the activation, the input/output shapes, the output dtype and trainability);
 * edges follow the layers' inbound nodes. Pure text, so it works anywhere, browser included.
 */
import { formatShape, type SymbolicShape } from '../tensor/shape.js';
import type { KerasTensor } from '../engine/keras_tensor.js';
import type { Layer } from '../engine/layer.js';
import type { Node } from '../engine/node.js';
import { Model } from '../models/model.js';

export type Rankdir = 'TB' | 'LR' | 'BT' | 'RL';

export interface ModelToDotOptions {
  /** Show each layer's input and output shapes (false). */
  showShapes?: boolean;
  /** Show each layer's output dtype (false). */
  showDtype?: boolean;
  /** Title each box "name (Class)" rather than "Class" (true). */
  showLayerNames?: boolean;
  /** 'TB' draws top to bottom (the default), 'LR' left to right. */
  rankdir?: Rankdir;
  /** Draw nested models' layers inside a dashed cluster instead of one box (false). */
  expandNested?: boolean;
  /** Image resolution in dots per inch (200). */
  dpi?: number;
  /** Add an "Activation: relu" row to layers that have an activation (false). */
  showLayerActivations?: boolean;
  /** Add a Trainable / Non-trainable cell to layers with weights (false). */
  showTrainable?: boolean;
  /** How edges are drawn: 'ortho' (right angles, the default), 'curved', 'polyline', 'spline', 'line'. */
  splines?: string;
}

type LabelOptions = Required<Pick<ModelToDotOptions, 'showShapes' | 'showDtype' | 'showLayerNames' | 'showLayerActivations' | 'showTrainable'>>;

const RANKDIRS: readonly string[] = ['TB', 'LR', 'BT', 'RL'];

/** HTML-like labels are XML: names may hold characters that would end the markup. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function isModelWithGraph(layer: Layer): layer is Model {
  return layer instanceof Model && layer.isFunctional;
}

function isSequential(model: Model): boolean {
  // Checked by shape, not by import: sequential.ts imports model.ts, which this file imports.
  return 'stackLayers' in model;
}

/** Python's repr of a shape or a list of shapes, as Keras prints `layer.input.shape`. */
function shapeText(value: KerasTensor | KerasTensor[] | undefined): string {
  if (value === undefined) return '?';
  if (Array.isArray(value)) return `[${value.map((t) => formatShape(t.shape as SymbolicShape)).join(', ')}]`;
  return formatShape(value.shape as SymbolicShape);
}

/** A layer attribute that throws for a layer called on several different inputs; Keras shows '?'. */
function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function activationName(layer: Layer): string | undefined {
  const activation = (layer as unknown as { activation?: unknown }).activation;
  if (activation === undefined || activation === null) return undefined;
  if (typeof activation === 'string') return activation;
  if (typeof activation === 'function') {
    const named = activation as { activationName?: string; name?: string };
    return named.activationName ?? (named.name || 'function');
  }
  return String(activation);
}

/** The layer's input and output tensors in this model: its node here, since a layer may be called elsewhere too. */
function callTensors(layer: Layer, node: Node | undefined): { input: KerasTensor | KerasTensor[] | undefined; output: KerasTensor | KerasTensor[] | undefined } {
  if (!node) return { input: attempt(() => layer.input), output: attempt(() => layer.output) };
  const main = node.inputTensors.slice(0, node.inputTensors.length - node.numStateInputs);
  const outputs = [...node.outputTensors];
  return { input: main.length === 1 && !node.inputsAsList ? main[0] : main, output: outputs.length === 1 ? outputs[0] : outputs };
}

function layerLabel(layer: Layer, options: LabelOptions, node: Node | undefined): string {
  const className = layer.constructor.name;
  const columns = Number(options.showDtype) + Number(options.showTrainable) + (options.showShapes ? 2 : 0);
  const colspan = Math.max(1, columns);
  let table = '<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">';
  const title = options.showLayerNames ? `<b>${escapeHtml(layer.name)}</b> (${escapeHtml(className)})` : `<b>${escapeHtml(className)}</b>`;
  table += `<tr><td colspan="${colspan}" bgcolor="black"><font point-size="16" color="white">${title}</font></td></tr>`;
  const activation = options.showLayerActivations ? activationName(layer) : undefined;
  if (activation !== undefined) {
    table += `<tr><td bgcolor="white" colspan="${colspan}"><font point-size="14">Activation: <b>${escapeHtml(activation)}</b></font></td></tr>`;
  }
  const cells: string[] = [];
  const tensors = options.showShapes || options.showDtype ? callTensors(layer, node) : { input: undefined, output: undefined };
  if (options.showShapes) {
    if (className !== 'InputLayer') {
      cells.push(`<td bgcolor="white"><font point-size="14">Input shape: <b>${shapeText(tensors.input)}</b></font></td>`);
    }
    cells.push(`<td bgcolor="white"><font point-size="14">Output shape: <b>${shapeText(tensors.output)}</b></font></td>`);
  }
  if (options.showDtype) {
    const output = tensors.output;
    const dtype = output === undefined ? '?' : Array.isArray(output) ? `[${output.map((t) => `'${t.dtype}'`).join(', ')}]` : output.dtype;
    cells.push(`<td bgcolor="white"><font point-size="14">Output dtype: <b>${dtype}</b></font></td>`);
  }
  if (options.showTrainable && layer.weights.length > 0) {
    cells.push(
      layer.trainable
        ? '<td bgcolor="forestgreen"><font point-size="14" color="white"><b>Trainable</b></font></td>'
        : '<td bgcolor="firebrick"><font point-size="14" color="white"><b>Non-trainable</b></font></td>',
    );
  }
  if (cells.length > 0) table += `<tr>${cells.join('')}</tr>`;
  return `${table}</table>>`;
}

/** Collects DOT statements; node ids are numbered in drawing order so the text is reproducible. */
class DotWriter {
  private readonly ids = new Map<Layer, string>();
  private readonly edges = new Set<string>();
  readonly lines: string[] = [];

  constructor(private readonly labelOptions: LabelOptions) {}

  id(layer: Layer): string {
    let id = this.ids.get(layer);
    if (id === undefined) {
      id = String(this.ids.size + 1);
      this.ids.set(layer, id);
    }
    return id;
  }

  addNode(layer: Layer, indent: string, node?: Node): void {
    this.lines.push(`${indent}${this.id(layer)} [label=${layerLabel(layer, this.labelOptions, node)}, fontname=Helvetica, border=0, margin=0];`);
  }

  /** Keras draws each connection once, however many tensors run along it. */
  addEdge(source: Layer, destination: Layer): void {
    const key = `${this.id(source)} -> ${this.id(destination)}`;
    if (this.edges.has(key)) return;
    this.edges.add(key);
    this.lines.push(`${key} [penwidth=2];`);
  }
}

/** The nodes of a graph model: its input nodes and the nodes between inputs and outputs. */
function graphNodes(model: Model): Set<Node> {
  const nodes = new Set<Node>();
  for (const t of model.inputs) if (t.kerasHistory) nodes.add(t.kerasHistory.layer.inboundNodes[t.kerasHistory.nodeIndex]);
  const graph = (model as unknown as { graph: { nodes: Node[] } }).graph;
  for (const node of graph.nodes) nodes.add(node);
  return nodes;
}

/** A nested model stands for the real layer that makes its output `index`. */
function resolveSource(layer: Layer, index: number): Layer {
  let source = layer;
  let outputIndex = index;
  while (isModelWithGraph(source)) {
    const history = source.outputs[outputIndex].kerasHistory;
    if (!history) break;
    source = history.layer;
    outputIndex = history.tensorIndex;
  }
  return source;
}

/** A nested model stands for the layer that first receives its input `index`. */
function resolveDestination(layer: Layer, index: number): Layer {
  let destination = layer;
  while (isModelWithGraph(destination)) {
    if (isSequential(destination)) destination = destination.layers[0];
    else destination = destination.inputs[index]?.kerasHistory?.layer ?? destination.inputs[0].kerasHistory?.layer ?? destination;
    if (destination === layer) break;
  }
  return destination;
}

function writeModel(model: Model, writer: DotWriter, expandNested: boolean, depth: number): void {
  const indent = '  '.repeat(depth);
  // A Sequential's `layers` leaves out its InputLayer, so, as in Keras, it gets no box.
  const layers = model.layers;
  const nodes = graphNodes(model);
  for (const layer of layers) {
    if (expandNested && isModelWithGraph(layer)) {
      writer.lines.push(`${indent}subgraph cluster_${escapeId(layer.name)}_${writer.id(layer)} {`);
      writer.lines.push(`${indent}  label="${layer.name.replace(/"/g, '\\"')}";`);
      writer.lines.push(`${indent}  labeljust=l;`);
      writer.lines.push(`${indent}  style=dashed;`);
      writeModel(layer, writer, expandNested, depth + 1);
      writer.lines.push(`${indent}}`);
    } else {
      writer.addNode(layer, indent, layer.inboundNodes.find((n) => nodes.has(n)));
    }
  }
  if (isSequential(model) && !expandNested) {
    for (let i = 0; i + 1 < layers.length; i++) writer.addEdge(layers[i], layers[i + 1]);
    return;
  }
  // A nested Sequential's first layer is fed from outside: the edge into the Sequential draws it.
  const targets = isSequential(model) ? layers.slice(1) : layers;
  for (const layer of targets) {
    for (const node of layer.inboundNodes) {
      if (!nodes.has(node)) continue;
      node.inputTensors.forEach((tensor, inputIndex) => {
        const history = tensor.kerasHistory;
        if (!history || history.layer === layer) return;
        if (!expandNested) {
          writer.addEdge(history.layer, layer);
          return;
        }
        writer.addEdge(resolveSource(history.layer, history.tensorIndex), resolveDestination(layer, inputIndex));
      });
    }
  }
}

function escapeId(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * The model as DOT text, as keras.utils.model_to_dot draws it.
 *
 * ```ts
 * const dot = utils.modelToDot(model, { showShapes: true, rankdir: 'LR' });
 * ```
 */
export function modelToDot(model: Model, options: ModelToDotOptions = {}): string {
  if (!(model instanceof Model)) {
    throw new TypeError(`modelToDot: expected a keras-ts Model, got ${model === null ? 'null' : typeof model}. Fix: pass a Sequential or functional Model.`);
  }
  if (!model.built) {
    throw new Error(
      `modelToDot: model "${model.name}" has not yet been built. Build the model first by calling build() or by calling the model on a batch of data, ` +
        `or give its first layer an inputShape.`,
    );
  }
  const rankdir = options.rankdir ?? 'TB';
  if (!RANKDIRS.includes(rankdir)) throw new Error(`modelToDot: rankdir must be one of ${RANKDIRS.join(', ')}; got '${String(rankdir)}'.`);
  const dpi = options.dpi ?? 200;
  if (!(dpi > 0)) throw new Error(`modelToDot: dpi must be a positive number; got ${dpi}.`);
  const writer = new DotWriter({
    showShapes: options.showShapes ?? false,
    showDtype: options.showDtype ?? false,
    showLayerNames: options.showLayerNames ?? true,
    showLayerActivations: options.showLayerActivations ?? false,
    showTrainable: options.showTrainable ?? false,
  });
  const header = ['digraph G {', `rankdir=${rankdir};`, 'concentrate=true;', `dpi=${dpi};`, `splines=${options.splines ?? 'ortho'};`, 'node [shape=record];'];
  // A subclassed model has no graph to walk: Keras draws it as one box.
  if (!model.isFunctional) writer.addNode(model, '');
  else writeModel(model, writer, options.expandNested ?? false, 0);
  return [...header, ...writer.lines, '}', ''].join('\n');
}
