/**
 * The state of one export: the ONNX nodes and weights written so far, fresh value names, and the
 * small helpers every layer converter needs (constants, transposes, activations).
 */
import type { Dim, layers } from '@keras-ts/core';
import type { AttrValue, NodeSpec, OnnxElemType, RawInitializer } from '../onnx/proto.js';

type Layer = layers.Layer;

/** A value of the ONNX graph with the Keras shape it has (batch axis first, null where unknown). */
export interface ValueRef {
  readonly name: string;
  readonly shape: readonly Dim[];
}

export class ExportContext {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: RawInitializer[] = [];
  /**
   * For a channels-last value made by transposing a channels-first one, that channels-first value:
   * a conv or pool that follows reuses it instead of transposing back (as tf2onnx's optimizer does).
   */
  readonly channelsFirstSource = new Map<string, string>();
  private readonly used = new Set<string>();

  /** Reserves `name` (made unique with a numeric suffix if it is taken). */
  freshName(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Adds one node; returns its output names (fresh names from `outputBase`, or the given names). */
  node(op: string, inputs: readonly string[], outputBase: string | readonly string[], attrs?: Record<string, AttrValue>): string[] {
    const outputs = typeof outputBase === 'string' ? [this.freshName(outputBase)] : [...outputBase];
    this.nodes.push({ op, inputs, outputs, attrs });
    return outputs;
  }

  /** Shorthand for a node with one output. */
  op(op: string, inputs: readonly string[], outputBase: string, attrs?: Record<string, AttrValue>): string {
    return this.node(op, inputs, outputBase, attrs)[0];
  }

  /** A float32 constant (a weight or a computed constant) under a fresh name. */
  floatConstant(base: string, values: Float32Array, dims: readonly number[]): string {
    const name = this.freshName(base);
    this.initializers.push({ name, type: 'float32', dims, bytes: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) });
    return name;
  }

  /** An int64 constant, e.g. a shape or axes input. */
  intConstant(base: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    const name = this.freshName(base);
    const data = BigInt64Array.from(values, (v) => BigInt(v));
    this.initializers.push({ name, type: 'int64', dims, bytes: new Uint8Array(data.buffer) });
    return name;
  }

  transpose(input: string, perm: readonly number[], base: string): string {
    return this.op('Transpose', [input], base, { perm });
  }

  /** The nodes the outputs need, in order (a transpose made unused by channelsFirstSource is dropped), and the weights they read. */
  prune(outputs: readonly string[]): { nodes: NodeSpec[]; initializers: RawInitializer[] } {
    const needed = new Set(outputs);
    const kept: NodeSpec[] = [];
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const node = this.nodes[i];
      if (!node.outputs.some((o) => needed.has(o))) continue;
      kept.push(node);
      for (const input of node.inputs) needed.add(input);
    }
    return { nodes: kept.reverse(), initializers: this.initializers.filter((t) => needed.has(t.name)) };
  }
}

/** The element type of an ONNX graph input for a Keras dtype. */
export function onnxTypeOf(dtype: string, where: string): OnnxElemType {
  switch (dtype) {
    case 'float32':
      return 'float32';
    case 'int32':
      return 'int32';
    case 'int64':
      return 'int64';
    case 'bool':
      return 'bool';
    default:
      throw new Error(`export: ${where} has dtype ${dtype}; the ONNX export writes float32, int32, int64 or bool inputs and outputs. Fix: use float32 for this input.`);
  }
}

/** The named weight of a layer (`kernel`, `bias`, ...), as float32 values and its shape. */
export interface WeightValues {
  readonly values: Float32Array;
  readonly shape: readonly number[];
}

export function readWeight(layer: Layer, name: string): WeightValues {
  const variable = layer.weights.find((v) => v.name === name || v.path === name || v.path.endsWith(`/${name}`));
  if (!variable) {
    throw new Error(
      `export: layer '${layer.name}' (${layer.constructor.name}) has no weight named '${name}'; its weights are [${layer.weights.map((v) => `'${v.path}'`).join(', ')}]. ` +
        `Fix: build the model (call it once, or give it an Input) before exporting.`,
    );
  }
  const data = variable.value.dataSync();
  return { values: data instanceof Float32Array ? Float32Array.from(data) : Float32Array.from(data as ArrayLike<number>), shape: [...variable.shape] };
}

export function hasWeight(layer: Layer, name: string): boolean {
  return layer.weights.some((v) => v.name === name || v.path.endsWith(`/${name}`));
}

/** Permutes the axes of a row-major array: the result has shape `shape[perm[i]]`. */
export function transposeValues(values: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1] * shape[i + 1];
  const strides = perm.map((p) => inStrides[p]);
  const out = new Float32Array(values.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let from = 0;
    for (let i = 0; i < rank; i++) from += index[i] * strides[i];
    out[o] = values[from];
    for (let i = rank - 1; i >= 0; i--) {
      if (++index[i] < outShape[i]) break;
      index[i] = 0;
    }
  }
  return out;
}

/** An axis given from the end (-1) as a count from the front, for a value of `rank` axes. */
export function positiveAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}
