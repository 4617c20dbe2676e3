/**
 * Simplifications of a recorded whole-step graph before onnxruntime sees it.
 *
 * Core's matmul is batched: a Dense layer reshapes its [m, k] input and [k, n] kernel to
 * [1, m, k] and [1, k, n], multiplies, and reshapes the [1, m, n] product back. Recorded as is,
 * the Reshape nodes around each MatMul keep onnxruntime from fusing it with the bias Add (and a
 * Relu) into one Gemm, and from folding a Transpose into it. Where both operands are such
 * reshapes of two-dimensional values (a Transpose of the last two axes allowed) and the product
 * is only reshaped back to two dimensions, the MatMul is rewritten on the two-dimensional values.
 *
 * An Abs of a Relu's values (through a Transpose), as max pooling's NaN check writes it, reads
 * them unchanged: it is dropped, which lets onnxruntime pool the convolution's output in place.
 * Nodes whose values nothing reads any more are then dropped.
 */
import type { NodeSpec } from './proto.js';
import { readsOf, renameReads } from './subgraphs.js';

/** A Reshape the recording wrote: from `source` (of static shape `from`) to the static shape `to`. */
export interface RecordedReshape {
  readonly source: string;
  readonly from: readonly number[];
  readonly to: readonly number[];
}

/** A two-dimensional value a batched MatMul operand was made from, and whether the operand transposes it. */
interface PlainOperand {
  readonly value: string;
  readonly transpose: boolean;
}

const samePerm = (attr: unknown, perm: readonly number[]): boolean =>
  Array.isArray(attr) && attr.length === perm.length && attr.every((v, i) => v === perm[i]);

/**
 * `nodes` with each batch-1 MatMul between reshapes rewritten on its two-dimensional values, then
 * without the nodes nothing reads. `keep` holds the values the graph outputs.
 */
export function simplifyRecordedGraph(nodes: readonly NodeSpec[], reshapes: ReadonlyMap<string, RecordedReshape>, keep: ReadonlySet<string>): NodeSpec[] {
  return dropUnread(skipAbsOfRelu(unbatchMatMuls(nodes, reshapes, keep), keep), keep);
}

/** Reads of Abs(Relu(x)) (a Transpose between allowed) go to its input: Relu's values have no negative to flip. */
function skipAbsOfRelu(nodes: readonly NodeSpec[], keep: ReadonlySet<string>): NodeSpec[] {
  const producer = new Map<string, NodeSpec>();
  for (const n of nodes) for (const o of n.outputs) producer.set(o, n);
  const nonNegative = (value: string): boolean => {
    const p = producer.get(value);
    if (p?.op === 'Transpose') return producer.get(p.inputs[0])?.op === 'Relu';
    return p?.op === 'Relu';
  };
  const same = new Map<string, string>();
  for (const n of nodes) if (n.op === 'Abs' && !keep.has(n.outputs[0]) && nonNegative(n.inputs[0])) same.set(n.outputs[0], n.inputs[0]);
  if (same.size === 0) return [...nodes];
  return nodes.map((n) => (readsOf(n).some((i) => same.has(i)) ? renameReads(n, (i) => same.get(i) ?? i) : n));
}

function unbatchMatMuls(nodes: readonly NodeSpec[], reshapes: ReadonlyMap<string, RecordedReshape>, keep: ReadonlySet<string>): NodeSpec[] {
  const producer = new Map<string, NodeSpec>();
  const reads = new Map<string, number>();
  for (const n of nodes) {
    for (const o of n.outputs) producer.set(o, n);
    for (const i of readsOf(n)) reads.set(i, (reads.get(i) ?? 0) + 1);
  }
  const plain = (value: string): PlainOperand | undefined => {
    let source = value;
    let transpose = false;
    const p = producer.get(value);
    if (p?.op === 'Transpose' && samePerm(p.attrs?.perm, [0, 2, 1])) {
      source = p.inputs[0];
      transpose = true;
    }
    const r = reshapes.get(source);
    if (!r || r.from.length !== 2 || r.to.length !== 3 || r.to[0] !== 1 || r.to[1] !== r.from[0] || r.to[2] !== r.from[1]) return undefined;
    return { value: r.source, transpose };
  };
  // MatMul node -> its replacement; Reshape nodes it absorbs -> null.
  const replaced = new Map<NodeSpec, NodeSpec[] | null>();
  let fresh = 0;
  for (const n of nodes) {
    if (n.op !== 'Reshape') continue;
    const back = reshapes.get(n.outputs[0]);
    if (!back || back.to.length !== 2 || back.from.length !== 3 || back.from[0] !== 1 || back.to[0] !== back.from[1] || back.to[1] !== back.from[2]) continue;
    const product = producer.get(back.source);
    if (!product || product.op !== 'MatMul' || replaced.has(product) || reads.get(back.source) !== 1 || keep.has(back.source)) continue;
    const a = plain(product.inputs[0]);
    const b = plain(product.inputs[1]);
    if (!a || !b) continue;
    const rewritten: NodeSpec[] = [];
    const operand = (o: PlainOperand): string => {
      if (!o.transpose) return o.value;
      const name = `mm${fresh++}`;
      rewritten.push({ op: 'Transpose', inputs: [o.value], outputs: [name], attrs: { perm: [1, 0] } });
      return name;
    };
    const lhs = operand(a);
    const rhs = operand(b);
    rewritten.push({ op: 'MatMul', inputs: [lhs, rhs], outputs: [n.outputs[0]] });
    replaced.set(product, rewritten);
    replaced.set(n, null);
  }
  if (replaced.size === 0) return [...nodes];
  return nodes.flatMap((n) => (replaced.has(n) ? (replaced.get(n) ?? []) : [n]));
}

/** Drops nodes none of whose outputs is read or kept (walking back, so chains go at once). */
export function dropUnread(nodes: readonly NodeSpec[], keep: ReadonlySet<string>): NodeSpec[] {
  const read = new Set(keep);
  const kept: NodeSpec[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (!n.outputs.some((o) => read.has(o))) continue;
    for (const input of readsOf(n)) read.add(input);
    kept.push(n);
  }
  return kept.reverse();
}
