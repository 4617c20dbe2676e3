/**
 * GraphBuilder: writes one kernel's ONNX graph. Inputs get one symbolic dimension per axis
 * (`i0_d0`, `i0_d1`, ...), so the model depends only on the inputs' element types and ranks and
 * one session serves every shape of that rank. Values that would be attributes in a
 * shape-specific model (Reshape's shape, Slice's starts, Pad's pads, ...) are graph inputs fed
 * per run, for the same reason.
 */
import { encodeModel, ONNX_TYPE, type AttrValue, type FloatAttr, type GraphAttr, type NodeSpec, type OnnxElemType, type TensorLiteral, type ValueSpec } from './proto.js';

export const float = (value: number): FloatAttr => ({ kind: 'float', value });

export const tensorLiteral = (type: OnnxElemType, values: readonly number[], dims: readonly number[] = []): TensorLiteral => ({
  kind: 'tensor', type, dims, values,
});

/** A cheaper value that equals an exact one unless its probe is NaN (see GraphBuilder.speculate). */
export interface Speculation {
  readonly exact: string;
  readonly fast: string;
  readonly probe: string;
}

export class GraphBuilder {
  /** Where `opN` writes: the graph's own nodes, or a subgraph's while `subgraph` builds one. */
  private nodes: NodeSpec[] = [];
  private readonly inputs: ValueSpec[] = [];
  private readonly outputs: ValueSpec[] = [];
  private readonly initializers: (TensorLiteral & { name: string })[] = [];
  private readonly constants = new Map<string, string>();
  private readonly speculations: Speculation[] = [];
  private counter = 0;

  /** Declares the next graph input, of `rank` symbolic dimensions; returns its name. */
  input(type: OnnxElemType, rank: number): string {
    const name = `i${this.inputs.length}`;
    this.inputs.push({ name, type, dims: Array.from({ length: rank }, (_, d) => `${name}_d${d}`) });
    return name;
  }

  /** A constant tensor (scalar by default), shared when the same one is asked for twice. */
  constant(type: OnnxElemType, values: readonly number[], dims: readonly number[] = []): string {
    const key = `${type}:${dims.join(',')}:${values.join(',')}`;
    let name = this.constants.get(key);
    if (name === undefined) {
      name = `c${this.constants.size}`;
      this.initializers.push({ ...tensorLiteral(type, values, dims), name });
      this.constants.set(key, name);
    }
    return name;
  }

  /** How many nodes the graph has so far (a recording marks where a kernel's nodes start and end). */
  get nodeCount(): number {
    return this.nodes.length;
  }

  /** A node with one output; returns the output's name. */
  op(op: string, inputs: readonly string[], attrs?: Readonly<Record<string, AttrValue>>): string {
    return this.opN(op, inputs, 1, attrs)[0];
  }

  /** A node with `count` outputs. An empty input name means an omitted optional input. */
  opN(op: string, inputs: readonly string[], count: number, attrs?: Readonly<Record<string, AttrValue>>): string[] {
    const outputs = Array.from({ length: count }, () => `t${this.counter++}`);
    this.nodes.push({ op, inputs, outputs, attrs });
    return outputs;
  }

  /** Casts `x` to `to` (ONNX Cast) unless `from` already is `to`. */
  cast(x: string, from: OnnxElemType, to: OnnxElemType): string {
    return from === to ? x : this.op('Cast', [x], { to: ONNX_TYPE[to] });
  }

  /**
   * A subgraph (a branch of If) built by `body` with this builder: its nodes may read any value of
   * the graph so far, constants land in the enclosing graph, and value names stay unique across both.
   * `body` returns the values the subgraph outputs, of element types `types`.
   */
  subgraph(body: () => readonly string[], types: readonly OnnxElemType[]): GraphAttr {
    const outer = this.nodes;
    const nodes: NodeSpec[] = [];
    this.nodes = nodes;
    let results: readonly string[];
    try {
      results = body();
    } finally {
      this.nodes = outer;
    }
    if (results.length !== types.length) throw new Error(`GraphBuilder: a subgraph built ${results.length} outputs for ${types.length} types (internal error).`);
    const name = `g${this.counter++}`;
    // A subgraph's output must be made by one of its nodes (not read from the outer scope): Identity renames.
    const outputs = results.map((value, i) => {
      const output = `${name}_o${i}`;
      nodes.push({ op: 'Identity', inputs: [value], outputs: [output] });
      return { name: output, type: types[i] };
    });
    return { kind: 'graph', name, nodes, outputs };
  }

  /** Marks `value` as the next graph output, of element type `type`. */
  output(value: string, type: OnnxElemType): void {
    const name = `o${this.outputs.length}`;
    // A graph output must be produced by a node: Identity renames (and is free after optimization).
    this.nodes.push({ op: 'Identity', inputs: [value], outputs: [name] });
    this.outputs.push({ name, type });
  }

  /**
   * Says that `fast` equals `exact` wherever the scalar `probe` is not NaN. A kernel's own session
   * ignores this (it outputs `exact`; the unread `fast` and `probe` are pruned); a recorded graph may
   * run the fast values and fall back to the exact ones when a probe is NaN.
   */
  speculate(exact: string, fast: string, probe: string): void {
    this.speculations.push({ exact, fast, probe });
  }

  /** The nodes, constants and speculations so far (a recording's graph, which its compile wraps with inputs and outputs). */
  parts(): { nodes: readonly NodeSpec[]; initializers: readonly (TensorLiteral & { name: string })[]; speculations: readonly Speculation[] } {
    return { nodes: this.nodes, initializers: this.initializers, speculations: this.speculations };
  }

  outputNames(): string[] {
    return this.outputs.map((o) => o.name);
  }

  encode(): Uint8Array {
    return encodeModel({ nodes: this.nodes, inputs: this.inputs, outputs: this.outputs, initializers: this.initializers });
  }
}
