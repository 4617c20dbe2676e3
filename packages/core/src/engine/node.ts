/**
 * Node: one call of a layer in the graph. Every call of a layer on KerasTensors adds one node to
 * the layer's `inboundNodes` and to the `outboundNodes` of each layer whose output it consumes, so
 * a layer shared by two inputs has two nodes.
 */
import type { Dim } from '../tensor/shape.js';
import type { KerasTensor } from './keras_tensor.js';
import type { Layer } from './layer.js';

/** Options of the call that are not tensors (training, mask flags, ...), kept to replay it. */
export type CallArguments = Record<string, unknown>;

export class Node {
  /** The layer this node is a call of. */
  readonly outboundLayer: Layer;
  readonly inputTensors: readonly KerasTensor[];
  readonly outputTensors: readonly KerasTensor[];
  /** How the layer was called: how many of `inputTensors` are the main input(s) and the call's options. */
  readonly callArguments: CallArguments;
  /** True when `inputTensors` came as a list (merge layers), not a single tensor. */
  readonly inputsAsList: boolean;
  /** The number of input tensors that are initial states (recurrent layers), at the end of `inputTensors`. */
  readonly numStateInputs: number;

  constructor(options: {
    layer: Layer;
    inputTensors: readonly KerasTensor[];
    outputTensors: readonly KerasTensor[];
    callArguments?: CallArguments;
    inputsAsList?: boolean;
    numStateInputs?: number;
  }) {
    this.outboundLayer = options.layer;
    this.inputTensors = options.inputTensors;
    this.outputTensors = options.outputTensors;
    this.callArguments = options.callArguments ?? {};
    this.inputsAsList = options.inputsAsList ?? false;
    this.numStateInputs = options.numStateInputs ?? 0;
    const nodeIndex = this.outboundLayer.inboundNodes.length;
    this.outboundLayer.inboundNodes.push(this);
    for (const layer of new Set(this.inboundLayers)) layer.outboundNodes.push(this);
    this.outputTensors.forEach((t, tensorIndex) => {
      t.kerasHistory = { layer: this.outboundLayer, nodeIndex, tensorIndex };
    });
  }

  /** The layers whose outputs this call consumes, one per input tensor. */
  get inboundLayers(): Layer[] {
    return this.inputTensors.filter((t) => t.kerasHistory).map((t) => (t.kerasHistory as NonNullable<typeof t.kerasHistory>).layer);
  }

  /** For each input tensor, the index of the node of its layer that made it. */
  get nodeIndices(): number[] {
    return this.inputTensors.filter((t) => t.kerasHistory).map((t) => (t.kerasHistory as NonNullable<typeof t.kerasHistory>).nodeIndex);
  }

  /** For each input tensor, which output of its node it is. */
  get tensorIndices(): number[] {
    return this.inputTensors.filter((t) => t.kerasHistory).map((t) => (t.kerasHistory as NonNullable<typeof t.kerasHistory>).tensorIndex);
  }

  get inputShapes(): Dim[][] {
    return this.inputTensors.map((t) => [...t.shape]);
  }

  get outputShapes(): Dim[][] {
    return this.outputTensors.map((t) => [...t.shape]);
  }

  /** The nodes that made this node's inputs. */
  get parentNodes(): Node[] {
    const parents: Node[] = [];
    for (const t of this.inputTensors) {
      const history = t.kerasHistory;
      if (!history) continue;
      const node = history.layer.inboundNodes[history.nodeIndex];
      if (node && !parents.includes(node)) parents.push(node);
    }
    return parents;
  }

  /** An InputLayer's node has no inputs. */
  get isInput(): boolean {
    return this.inputTensors.length === 0;
  }
}
