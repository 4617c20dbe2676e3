/**
 * Nodes with subgraphs (If's branches) read values of the enclosing graph by name from inside. Graph
 * rewrites that follow reads or rename values go through these two helpers so they see those reads too.
 */
import type { AttrValue, GraphAttr, NodeSpec } from './proto.js';

const isGraph = (v: AttrValue): v is GraphAttr => typeof v === 'object' && !Array.isArray(v) && (v as { kind?: string }).kind === 'graph';

/** Every value `node` reads: its inputs, and what its subgraphs read from outside themselves. */
export function readsOf(node: NodeSpec): string[] {
  const reads = [...node.inputs];
  for (const v of Object.values(node.attrs ?? {})) {
    if (!isGraph(v)) continue;
    const inside = new Set(v.nodes.flatMap((n) => n.outputs));
    for (const n of v.nodes) for (const r of readsOf(n)) if (!inside.has(r)) reads.push(r);
  }
  return reads;
}

/** `node` with every value it reads (in its subgraphs too) passed through `rename`. */
export function renameReads(node: NodeSpec, rename: (name: string) => string): NodeSpec {
  const attrs = node.attrs;
  let renamedAttrs = attrs;
  if (attrs !== undefined && Object.values(attrs).some(isGraph)) {
    renamedAttrs = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, isGraph(v) ? { ...v, nodes: v.nodes.map((n) => renameReads(n, rename)) } : v]));
  }
  return { ...node, inputs: node.inputs.map(rename), attrs: renamedAttrs };
}
