/**
 * model.export(path, { format: 'onnx' }): a functional or Sequential keras-ts model as a standard
 * ONNX file (IR 8, opset 18, default domain), which plain onnxruntime runs with the outputs of
 * model.predict. The batch axis is the named dimension 'batch'; graph inputs and outputs are named
 * after the model's input and output layers. Weights are read on whatever backend is active.
 */
import { Model, type Dim, type KerasTensor, type layers, type Node } from '@keras-ts/core';
import { encodeModelFile, type FileValueSpec } from '../onnx/proto.js';
import { ExportContext, onnxTypeOf, type ValueRef } from './context.js';
import { LAYER_CONVERTERS } from './converters.js';
import { deduplicateInitializers } from './deduplicate.js';
import { wrappedLayer } from './layers/wrappers.js';

type Layer = layers.Layer;

/** The named (symbolic) batch dimension of every input and output. */
export const BATCH_DIMENSION = 'batch';

function nodeOf(t: KerasTensor): Node {
  const history = t.kerasHistory;
  if (!history) throw new Error(`export: the tensor '${t.name}' was not made by a layer, so the model has no graph to export.`);
  return history.layer.inboundNodes[history.nodeIndex];
}

/** The model's graph inputs and its nodes from them to its outputs, each after those it needs. */
function orderedNodes(model: Model): { inputs: KerasTensor[]; outputs: KerasTensor[]; nodes: Node[] } {
  if (!model.isFunctional) {
    throw new Error(
      `export: model '${model.name}' has no graph of layers (a subclassed model, or a Sequential model that was never built). ` +
        `Expected a functional or built Sequential model. Fix: give the first layer an input shape (or add an Input), or call the model on data once, before exporting.`,
    );
  }
  const inputs = model.inputs;
  const outputs = model.outputs;
  const inputNodes = new Set(inputs.map(nodeOf));
  const done = new Set<Node>();
  const nodes: Node[] = [];
  const visit = (node: Node): void => {
    if (done.has(node)) return;
    done.add(node);
    if (inputNodes.has(node)) return;
    for (const t of node.inputTensors) visit(nodeOf(t));
    nodes.push(node);
  };
  for (const t of outputs) visit(nodeOf(t));
  return { inputs, outputs, nodes };
}

/** Whether the export converts this layer (and, for TimeDistributed, the layer it wraps). */
function convertible(layer: Layer): boolean {
  if (!Object.hasOwn(LAYER_CONVERTERS, layer.constructor.name)) return false;
  const inner = layer.constructor.name === 'TimeDistributed' ? wrappedLayer(layer) : undefined;
  return inner === undefined || convertible(inner);
}

/** Every layer (nested models looked into) that has no converter, each once. */
function unconvertibleLayers(model: Model, found: Layer[] = []): Layer[] {
  for (const node of orderedNodes(model).nodes) {
    const layer = node.outboundLayer;
    // A subclassed model inside has no graph to look into: it is reported like any other layer.
    if (layer instanceof Model && layer.isFunctional) unconvertibleLayers(layer, found);
    else if (!convertible(layer) && !found.includes(layer)) found.push(layer);
  }
  return found;
}

/** Writes the nodes of `model` given the ONNX values of its inputs; returns the values of its outputs. */
function convertGraph(ctx: ExportContext, model: Model, inputValues: readonly ValueRef[]): ValueRef[] {
  const { inputs, outputs, nodes } = orderedNodes(model);
  const values = new Map<KerasTensor, ValueRef>();
  inputs.forEach((t, i) => values.set(t, inputValues[i]));
  for (const node of nodes) {
    const layer = node.outboundLayer;
    const args = node.inputTensors.map((t) => values.get(t) as ValueRef);
    const mainCount = args.length - node.numStateInputs;
    let results: string[];
    if (layer instanceof Model) {
      // A model used as a layer is inlined: its graph is written with this call's inputs.
      results = convertGraph(ctx, layer, args.slice(0, mainCount)).map((v) => v.name);
    } else {
      const convert = LAYER_CONVERTERS[layer.constructor.name];
      results = convert(ctx, {
        layer,
        config: layer.getConfig(),
        inputs: args.slice(0, mainCount),
        states: args.slice(mainCount),
        outputShapes: node.outputTensors.map((t) => t.shape),
        callArguments: node.callArguments,
        base: layer.name,
      });
    }
    node.outputTensors.forEach((t, i) => values.set(t, { name: results[i], shape: t.shape }));
  }
  return outputs.map((t) => values.get(t) as ValueRef);
}

/** Dimensions of a graph input or output: the batch axis and unknown sizes get names. */
function namedDims(shape: readonly Dim[], valueName: string): (number | string)[] {
  return shape.map((d, i) => (i === 0 && d === null ? BATCH_DIMENSION : d === null ? `${valueName}_dim_${i}` : d));
}

/** The model as the bytes of an ONNX file. Throws, naming every layer it cannot convert. */
export function exportOnnx(model: Model): Uint8Array {
  const missing = unconvertibleLayers(model);
  if (missing.length > 0) {
    throw new Error(
      `export: layers with no ONNX conversion: ${missing.map((l) => `'${l.name}' (${l.constructor.name})`).join(', ')}. ` +
        `Supported: ${Object.keys(LAYER_CONVERTERS).join(', ')}, and functional or Sequential models nested in the model. ` +
        `Fix: replace those layers with supported ones, or export the part of the model without them.`,
    );
  }
  const ctx = new ExportContext();
  const { inputs, outputs } = orderedNodes(model);
  // Graph names come first, so no intermediate value can take them.
  const inputSpecs: FileValueSpec[] = inputs.map((t, i) => {
    const name = ctx.freshName(t.kerasHistory?.layer.name ?? `input_${i}`);
    return { name, type: onnxTypeOf(t.dtype, `input '${name}'`), dims: namedDims(t.shape, name) };
  });
  const outputNames = outputs.map((t) => {
    const history = t.kerasHistory;
    const layerName = history?.layer.name ?? t.name;
    // A layer with several outputs (an LSTM with return_state) names each one by its index.
    const several = history !== undefined && history.layer.inboundNodes[history.nodeIndex].outputTensors.length > 1;
    return ctx.freshName(several ? `${layerName}_${history.tensorIndex}` : layerName);
  });
  const results = convertGraph(ctx, model, inputs.map((t, i) => ({ name: inputSpecs[i].name, shape: t.shape })));
  const outputSpecs: FileValueSpec[] = outputs.map((t, i) => {
    ctx.node('Identity', [results[i].name], [outputNames[i]]);
    return { name: outputNames[i], type: onnxTypeOf(t.dtype, `output '${outputNames[i]}'`), dims: namedDims(t.shape, outputNames[i]) };
  });
  const pruned = ctx.prune(outputNames);
  const { nodes, initializers } = deduplicateInitializers(pruned.nodes, pruned.initializers);
  return encodeModelFile(
    { name: model.name, nodes, inputs: inputSpecs, outputs: outputSpecs, initializers, docString: `Keras model '${model.name}' exported by keras-ts.` },
    { producerName: 'keras-ts' },
  );
}
