/**
 * The functional graph of a Model: the nodes between its inputs and outputs in topological order,
 * checked when the model is made (inputs given twice, outputs not connected to the inputs).
 */
import { formatShape } from '../tensor/shape.js';
import { KerasTensor } from '../engine/keras_tensor.js';
import type { Layer } from '../engine/layer.js';
import type { Node } from '../engine/node.js';
import { InputLayer } from '../layers/core/input_layer.js';

export interface Graph {
  inputs: KerasTensor[];
  outputs: KerasTensor[];
  /** Every node from the inputs to the outputs, each after the nodes it depends on. */
  nodes: Node[];
  /** The layers of those nodes, in the order they first run (InputLayers first). */
  layers: Layer[];
}

function describeTensor(t: KerasTensor): string {
  return `'${t.name}' ${formatShape(t.shape)}`;
}

function nodeOf(t: KerasTensor, where: string): Node {
  const history = t.kerasHistory;
  if (!history) {
    throw new Error(`${where}: the tensor ${describeTensor(t)} was not made by a layer. Expected KerasTensors from keras.Input or from calling layers on them.`);
  }
  return history.layer.inboundNodes[history.nodeIndex];
}

export function buildGraph(inputsArg: unknown, outputsArg: unknown, modelName: string): Graph {
  const where = `Model "${modelName}"`;
  const asList = (value: unknown, what: string): KerasTensor[] => {
    // A multi-output layer's list inside the outputs list counts as its tensors, in order.
    const list = Array.isArray(value) ? (value as unknown[]).flat() : [value];
    if (list.length === 0) throw new Error(`${where}: expected at least one ${what} tensor.`);
    list.forEach((t, i) => {
      if (!(t instanceof KerasTensor)) {
        throw new TypeError(
          `${where}: ${what} ${i} is ${t === null ? 'null' : typeof t === 'object' ? (t as object).constructor.name : typeof t}, not a KerasTensor. ` +
            `Expected ${what}s made by keras.Input() and by calling layers on them. Fix: pass e.g. new Model({ inputs: x, outputs: layer.apply(x) }).`,
        );
      }
    });
    return list as KerasTensor[];
  };
  const inputs = asList(inputsArg, 'input');
  const outputs = asList(outputsArg, 'output');
  const seen = new Set<KerasTensor>();
  for (const t of inputs) {
    if (seen.has(t)) {
      throw new Error(
        `${where}: the list of inputs passed to the model contains the same input multiple times (${describeTensor(t)}). All inputs should only appear once. ` +
          `Fix: pass each Input once; to use one input twice, call layers on it twice inside the model.`,
      );
    }
    seen.add(t);
    const layer = t.kerasHistory?.layer;
    if (!(layer instanceof InputLayer)) {
      throw new Error(`${where}: input ${describeTensor(t)} does not come from keras.Input (it was made by layer "${layer?.name ?? 'none'}"). Fix: start the model from Input() tensors.`);
    }
  }
  const inputNodes = new Set(inputs.map((t) => nodeOf(t, where)));
  const ordered: Node[] = [];
  const state = new Map<Node, 'visiting' | 'done'>();
  const visit = (node: Node, from: KerasTensor): void => {
    if (state.get(node) === 'done') return;
    if (inputNodes.has(node)) {
      state.set(node, 'done');
      return;
    }
    if (node.isInput) {
      const missing = node.outputTensors[0];
      throw new Error(
        `Graph disconnected: output ${describeTensor(from)} depends on the input ${describeTensor(missing)}, which is not among the model's inputs ` +
          `[${inputs.map((t) => `'${t.name}'`).join(', ')}]. Fix: add '${missing.name}' to the model's inputs, or compute the outputs from the given inputs only.`,
      );
    }
    if (state.get(node) === 'visiting') throw new Error(`${where}: the graph has a cycle through layer "${node.outboundLayer.name}".`);
    state.set(node, 'visiting');
    for (const t of node.inputTensors) visit(nodeOf(t, where), from);
    state.set(node, 'done');
    ordered.push(node);
  };
  for (const t of outputs) visit(nodeOf(t, where), t);
  const layers: Layer[] = [];
  for (const t of inputs) layers.push(t.kerasHistory?.layer as Layer);
  for (const node of ordered) if (!layers.includes(node.outboundLayer)) layers.push(node.outboundLayer);
  const names = new Map<string, Layer>();
  for (const layer of layers) {
    const other = names.get(layer.name);
    if (other && other !== layer) {
      throw new Error(`${where}: two different layers are named "${layer.name}". All layer names should be unique. Fix: give one of them another name.`);
    }
    names.set(layer.name, layer);
  }
  return { inputs, outputs, nodes: ordered, layers };
}
