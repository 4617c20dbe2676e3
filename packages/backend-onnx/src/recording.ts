/**
 * A recording: while core's compiled step runs eagerly once, every kernel call also writes its
 * graph (the same GraphBody the kernel's own session was built from) into one growing graph.
 *
 * Each handle gets the graph value that holds it: a kernel's output, or a capture (a handle the
 * recording read but did not compute: a batch input, a variable's value, a constant the step
 * uploaded). Host-side feeds (shapes, axes, pads) become constants. Work the graph cannot replay
 * (a host read of a computed value, an empty tensor) marks the recording failed; the eager run goes
 * on unaffected.
 */
import type { CapturedRead, CapturedValue, DType, KernelTensor, TypedArray } from '@keras-ts/core';
import { GraphBuilder, type Speculation } from './onnx/graph.js';
import { dropUnread, simplifyRecordedGraph, type RecordedReshape } from './onnx/simplify.js';
import { readsOf, renameReads } from './onnx/subgraphs.js';
import { encodeModel, type NodeSpec, type OnnxElemType, type TensorLiteral, type ValueSpec } from './onnx/proto.js';
import type { Feed, OrtData, OrtOut } from './onnx/runtime.js';
import type { GraphBody, OnnxHandle } from './executor.js';

/** A captured handle with what its graph value needs: its name, element type and shape. */
export interface Capture extends CapturedValue<OnnxHandle> {
  readonly name: string;
  readonly dtype: DType;
  readonly dims: readonly number[];
}

/**
 * A kernel the backend ran on the host, not in onnxruntime (Adam's update). Its ONNX nodes are in
 * the recording too; a compiled graph whose nodes do not read its outputs leaves them out and runs
 * the kernel on the host after onnxruntime, on the values the graph computed or was fed.
 */
interface HostStep {
  readonly run: HostRun;
  readonly inputs: readonly string[];
  readonly inputTypes: readonly OnnxElemType[];
  readonly outputs: readonly string[];
  /** The step's nodes are [first, end) of the recorded nodes. */
  readonly first: number;
  readonly end: number;
}

/** Runs a host kernel on its inputs' arrays; returns its outputs. */
export type HostRun = (inputs: readonly TypedArray[]) => readonly TypedArray[];

/** Where a value comes from when a compiled graph runs: a graph output, a feed, or a host step's output. */
export type HostSource =
  | { readonly kind: 'graph'; readonly index: number }
  | { readonly kind: 'feed'; readonly index: number }
  | { readonly kind: 'host'; readonly step: number; readonly index: number };

/** The host steps that run after the graph, in order, and where each recorded output then comes from. */
export interface HostPlan {
  readonly steps: readonly { readonly run: HostRun; readonly inputs: readonly HostSource[] }[];
  readonly results: readonly HostSource[];
}

/** The spec of a compiled recording, ready to encode: graph inputs are i0, i1, ... in feed order. */
export interface CompiledSpec {
  readonly model: Uint8Array;
  readonly outputs: readonly string[];
  /** Present when host steps run after the graph: the graph's outputs are then `plan`'s, not the recorded outputs. */
  readonly host?: HostPlan;
}

export class Recording {
  private readonly g = new GraphBuilder();
  /** Handles computed during the recording, by the graph value that holds them. */
  private readonly computed = new Map<OnnxHandle, string>();
  private readonly captured = new Map<OnnxHandle, Capture>();
  /** Arrays that recorded runs returned, until the backend wraps them in handles. */
  private readonly pending = new Map<OrtData, string>();
  /** Handles uploaded during the recording (constants the step made, unless core says otherwise). */
  private readonly uploads = new Set<OnnxHandle>();
  /** The Reshape nodes `reshape` wrote, by their output value (their static shapes let compile simplify around them). */
  private readonly reshapes = new Map<string, RecordedReshape>();
  readonly reads: CapturedRead<OnnxHandle>[] = [];
  private readonly hostSteps: HostStep[] = [];
  failure: string | undefined;
  /** Which handle each feed made by `feedOf` carries, so a feed is known as a tensor, not a host constant. */
  readonly feedSources = new WeakMap<Feed, OnnxHandle>();

  fail(reason: string): void {
    this.failure ??= reason;
  }

  /** Inlines one kernel run: its feeds are named, its body writes its nodes, its outputs await their handles. */
  run(kernel: string, feeds: readonly Feed[], outs: readonly OrtOut[], body: GraphBody): void {
    if (this.failure !== undefined) return;
    const names = feeds.map((f) => this.feedName(f));
    const results = body(this.g, names);
    if (results.length !== outs.length) {
      this.fail(`kernel '${kernel}' built ${results.length} outputs for ${outs.length} results (internal error)`);
      return;
    }
    results.forEach((name, i) => this.pending.set(outs[i].data, name));
  }

  /** A kernel that ran on the host: its graph nodes are written as for any kernel, and kept apart so compile may run it on the host instead. */
  host(kernel: string, inputs: readonly KernelTensor<OnnxHandle>[], outputs: readonly OnnxHandle[], body: GraphBody, run: HostRun): void {
    if (this.failure !== undefined) return;
    const names = inputs.map((x) => this.valueOf(x));
    const first = this.g.nodeCount;
    const results = body(this.g, names);
    if (results.length !== outputs.length) {
      this.fail(`kernel '${kernel}' built ${results.length} outputs for ${outputs.length} results (internal error)`);
      return;
    }
    results.forEach((name, i) => this.computed.set(outputs[i], name));
    this.hostSteps.push({ run, inputs: names, inputTypes: inputs.map((x) => x.dtype), outputs: results, first, end: this.g.nodeCount });
  }

  /** The backend wrapped `data` in `handle`: where a recorded run made the data, the handle takes its value. */
  wrapped(data: TypedArray, handle: OnnxHandle): void {
    const name = this.pending.get(data as OrtData);
    if (name === undefined) return;
    this.pending.delete(data as OrtData);
    this.computed.set(handle, name);
  }

  /** `to` holds the same values as `from` (a same-dtype cast, a reversal along no axis, a reshape to the same shape). */
  alias(from: KernelTensor<OnnxHandle>, to: OnnxHandle): void {
    if (this.failure !== undefined) return;
    this.computed.set(to, this.valueOf(from));
  }

  /** A reshape that moved no data: a Reshape node with the static target shape. */
  reshape(from: KernelTensor<OnnxHandle>, to: OnnxHandle, shape: readonly number[]): void {
    if (this.failure !== undefined) return;
    const same = from.shape.length === shape.length && from.shape.every((d, i) => d === shape[i]);
    if (same) return this.alias(from, to);
    const source = this.valueOf(from);
    const value = this.g.op('Reshape', [source, this.g.constant('int64', [...shape], [shape.length])], { allowzero: 1 });
    this.reshapes.set(value, { source, from: [...from.shape], to: [...shape] });
    this.computed.set(to, value);
  }

  uploaded(handle: OnnxHandle): void {
    this.uploads.add(handle);
  }

  /** A host read: of a computed value it cannot be replayed; of a captured or outside value it is core's to judge. */
  read(x: KernelTensor<OnnxHandle>): void {
    if (this.failure !== undefined) return;
    if (this.computed.has(x.handle)) {
      this.fail(`it reads a computed ${x.dtype} [${x.shape.join(', ')}] tensor on the host (dataSync/arraySync inside the step)`);
      return;
    }
    this.reads.push({ handle: x.handle, values: x.handle.data.slice(), madeDuringRecording: this.uploads.has(x.handle) });
  }

  /** The graph value of a tensor: computed, or captured now. */
  valueOf(x: KernelTensor<OnnxHandle>): string {
    const name = this.computed.get(x.handle);
    if (name !== undefined) return name;
    let capture = this.captured.get(x.handle);
    if (capture === undefined) {
      capture = {
        handle: x.handle, madeDuringRecording: this.uploads.has(x.handle), name: `k${this.captured.size}`, dtype: x.dtype, dims: [...x.shape],
      };
      this.captured.set(x.handle, capture);
    }
    return capture.name;
  }

  get captures(): Capture[] {
    return [...this.captured.values()];
  }

  /**
   * The model: fed captures become inputs i0, i1, ... (renamed to their values by Identity nodes
   * first), the others constants of their values; the outputs are o0, o1, ...
   */
  compile(recordedOutputs: readonly string[], recordedTypes: readonly OnnxElemType[], fed: readonly boolean[]): CompiledSpec {
    let outputs = recordedOutputs;
    let outputTypes = recordedTypes;
    const parts = this.g.parts();
    // Baked weights mark an inference graph, the one onnxruntime lays out in NCHWc blocks (which
    // speculation keeps); a training graph keeps the exact values, rather than copying every updated
    // weight out of an If.
    const inference = this.captures.some((c, i) => !fed[i] && !c.madeDuringRecording);
    const speculating = parts.speculations.length > 0 && inference;
    let recorded = parts.nodes;
    let host: HostPlan | undefined;
    const hosted = speculating ? [] : this.hostedSteps(recorded);
    if (hosted.length > 0) ({ nodes: recorded, outputs, types: outputTypes, plan: host } = this.hostPlan(recorded, hosted, outputs, outputTypes, fed));
    let nodes: NodeSpec[];
    if (speculating) {
      ({ nodes, outputs } = speculatingGraph(recorded, parts.speculations, this.reshapes, outputs, outputTypes));
    } else {
      nodes = simplifyRecordedGraph(recorded, this.reshapes, new Set(outputs));
    }
    const initializers = parts.initializers;
    const inputs: ValueSpec[] = [];
    const head: NodeSpec[] = [];
    // Constants that simplification left unread are not written (a baked weight is the bulk of the model's bytes).
    const read = new Set([...nodes.flatMap(readsOf), ...outputs]);
    const constants: (TensorLiteral & { name: string })[] = initializers.filter((c) => read.has(c.name));
    this.captures.forEach((c, i) => {
      if (!fed[i] && !read.has(c.name)) return;
      if (fed[i]) {
        // Every feed is an input; one only a host step reads (Adam's moments) is not copied into the graph.
        const name = `i${inputs.length}`;
        inputs.push({ name, type: c.dtype, dims: c.dims.map((_, d) => `${name}_d${d}`) });
        if (read.has(c.name)) head.push({ op: 'Identity', inputs: [name], outputs: [c.name] });
      } else {
        constants.push({ kind: 'tensor', type: c.dtype, dims: c.dims, values: Array.from(c.handle.data), name: c.name });
      }
    });
    // A node's value that is an output is renamed to it, so onnxruntime writes it there directly; an
    // input, a constant, or a value output twice goes through an Identity (a copy).
    const produced = new Set(nodes.flatMap((n) => n.outputs));
    const renames = new Map<string, string>();
    const tail: NodeSpec[] = [];
    outputs.forEach((value, i) => {
      if (produced.has(value) && !renames.has(value)) renames.set(value, `o${i}`);
      else tail.push({ op: 'Identity', inputs: [renames.get(value) ?? value], outputs: [`o${i}`] });
    });
    const rename = (name: string) => renames.get(name) ?? name;
    const body = renames.size === 0 ? nodes : nodes.map((n) => ({ ...renameReads(n, rename), outputs: n.outputs.map(rename) }));
    const names = outputs.map((_, i) => `o${i}`);
    const model = encodeModel({
      nodes: [...head, ...body, ...tail],
      inputs,
      outputs: outputTypes.map((type, i) => ({ name: names[i], type })),
      initializers: constants,
    });
    return { model, outputs: names, ...(host ? { host } : {}) };
  }

  /**
   * The host steps a compiled graph can run after onnxruntime: those whose outputs no node outside
   * the host steps reads (a step read by another node keeps its nodes in the graph, which may in
   * turn keep another step's).
   */
  private hostedSteps(nodes: readonly NodeSpec[]): HostStep[] {
    const hosted = new Set(this.hostSteps);
    for (;;) {
      const inside = new Set<number>();
      for (const s of hosted) for (let i = s.first; i < s.end; i++) inside.add(i);
      const readOutside = new Set(nodes.filter((_, i) => !inside.has(i)).flatMap(readsOf));
      const kept = [...hosted].filter((s) => s.outputs.some((o) => readOutside.has(o)));
      if (kept.length === 0) return this.hostSteps.filter((s) => hosted.has(s));
      for (const s of kept) hosted.delete(s);
    }
  }

  /**
   * The graph without the hosted steps' nodes: its outputs are the recorded outputs the graph makes
   * and the values the host steps read from it (a fed value is read from its feed instead).
   */
  private hostPlan(
    nodes: readonly NodeSpec[], hosted: readonly HostStep[], recordedOutputs: readonly string[], recordedTypes: readonly OnnxElemType[], fed: readonly boolean[],
  ): { nodes: NodeSpec[]; outputs: string[]; types: OnnxElemType[]; plan: HostPlan } {
    const feedIndex = new Map<string, number>();
    this.captures.forEach((c, i) => {
      if (fed[i]) feedIndex.set(c.name, feedIndex.size);
    });
    const hostOutput = new Map<string, { step: number; index: number }>();
    hosted.forEach((s, step) => s.outputs.forEach((o, index) => hostOutput.set(o, { step, index })));
    const outputs: string[] = [];
    const types: OnnxElemType[] = [];
    const graphOutput = (name: string, type: OnnxElemType): HostSource => {
      let index = outputs.indexOf(name);
      if (index < 0) index = outputs.push(name) - 1;
      types[index] = type;
      return { kind: 'graph', index };
    };
    const source = (name: string, type: OnnxElemType): HostSource => {
      const h = hostOutput.get(name);
      if (h) return { kind: 'host', ...h };
      const feed = feedIndex.get(name);
      return feed !== undefined ? { kind: 'feed', index: feed } : graphOutput(name, type);
    };
    const results = recordedOutputs.map((o, i) => (hostOutput.has(o) ? source(o, recordedTypes[i]) : graphOutput(o, recordedTypes[i])));
    const steps = hosted.map((s) => ({ run: s.run, inputs: s.inputs.map((name, i) => source(name, s.inputTypes[i])) }));
    const inside = new Set<number>();
    for (const s of hosted) for (let i = s.first; i < s.end; i++) inside.add(i);
    return { nodes: nodes.filter((_, i) => !inside.has(i)), outputs, types, plan: { steps, results } };
  }

  private feedName(feed: Feed): string {
    const handle = this.feedSources.get(feed);
    // feedOf gives a tensor's feed its dtype as the element type.
    if (handle !== undefined) return this.valueOf({ handle, shape: feed.dims, dtype: feed.type as DType });
    // A host-side input of the kernel (int64 shapes, axes, pads; scalar pad values and counts): a
    // constant of the graph. Any other array fed without feedOf could be a tensor's values in disguise.
    if (feed.type !== 'int64' && feed.dims.length > 0) this.fail(`a kernel fed a ${feed.type} array that is not a tensor (internal error)`);
    return this.g.constant(feed.type, Array.from(feed.data as ArrayLike<number>, Number), [...feed.dims]);
  }
}

/**
 * The recorded graph run on its speculations: the fast values in place of the exact ones, and an If
 * that runs the exact graph (a subgraph, its values renamed apart) when the sum of the probes is NaN.
 * The exact graph is then computed only for inputs that need it, and the fast graph keeps every
 * optimization onnxruntime applies to it.
 */
function speculatingGraph(
  recorded: readonly NodeSpec[], speculations: readonly Speculation[], reshapes: ReadonlyMap<string, RecordedReshape>,
  outputs: readonly string[], outputTypes: readonly OnnxElemType[],
): { nodes: NodeSpec[]; outputs: string[] } {
  const fastOf = new Map(speculations.map((s) => [s.exact, s.fast]));
  const probes = speculations.map((s) => s.probe);
  const simplified = simplifyRecordedGraph(recorded, reshapes, new Set([...outputs, ...speculations.flatMap((s) => [s.fast, s.probe])]));
  // The fast graph: every read of an exact value goes to its fast twin.
  const fastOutputs = outputs.map((o) => fastOf.get(o) ?? o);
  const toFast = (name: string) => fastOf.get(name) ?? name;
  const fast = dropUnread(simplified.map((n) => renameReads(n, toFast)), new Set([...fastOutputs, ...probes]));
  // The exact graph as recorded, inside a subgraph: values it makes get a suffix (ONNX names are unique
  // across a model); what it reads from outside (inputs, constants) keeps its name.
  const exact = dropUnread(simplified, new Set(outputs));
  const made = new Set(exact.flatMap((n) => n.outputs));
  const apart = (name: string) => (made.has(name) ? `${name}_exact` : name);
  const exactNodes = exact.map((n) => ({ ...renameReads(n, apart), outputs: n.outputs.map(apart) }));
  const branch = (name: string, nodes: readonly NodeSpec[], values: readonly string[]) => ({
    kind: 'graph' as const,
    name,
    nodes: [...nodes, ...values.map((v, i) => ({ op: 'Identity', inputs: [v], outputs: [`${name}_o${i}`] }))],
    outputs: outputTypes.map((type, i) => ({ name: `${name}_o${i}`, type })),
  });
  const sum = 'speculation_probe';
  const failed = 'speculation_failed';
  const results = outputs.map((_, i) => `speculation_o${i}`);
  const decide: NodeSpec[] = [
    { op: 'Sum', inputs: probes, outputs: [sum] },
    { op: 'IsNaN', inputs: [sum], outputs: [failed] },
    {
      op: 'If', inputs: [failed], outputs: results,
      attrs: { then_branch: branch('exact', exactNodes, outputs.map(apart)), else_branch: branch('fast', [], fastOutputs) },
    },
  ];
  return { nodes: [...fast, ...decide], outputs: results };
}
