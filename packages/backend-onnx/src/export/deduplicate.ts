/**
 * Identical constants written once: a layer shared by several calls (a Siamese network, a nested
 * model used twice) converts once per call, and each call writes the same weights again. Equal
 * initializers (same type, dims and bytes) are merged here and the nodes pointed at the first.
 */
import type { NodeSpec, RawInitializer } from '../onnx/proto.js';

/** A cheap fingerprint of the bytes; equal fingerprints are then compared in full. */
function fingerprint(t: RawInitializer): string {
  let hash = 2166136261;
  const bytes = t.bytes;
  // Every 4th byte is enough to tell weights apart; the full comparison settles collisions.
  for (let i = 0; i < bytes.length; i += 4) hash = Math.imul(hash ^ bytes[i], 16777619);
  return `${t.type}|${t.dims.join('x')}|${bytes.length}|${hash >>> 0}`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function deduplicateInitializers(nodes: readonly NodeSpec[], initializers: readonly RawInitializer[]): { nodes: NodeSpec[]; initializers: RawInitializer[] } {
  const kept: RawInitializer[] = [];
  const byFingerprint = new Map<string, RawInitializer[]>();
  const renamed = new Map<string, string>();
  for (const t of initializers) {
    const key = fingerprint(t);
    const candidates = byFingerprint.get(key) ?? [];
    const twin = candidates.find((c) => sameBytes(c.bytes, t.bytes));
    if (twin) {
      renamed.set(t.name, twin.name);
      continue;
    }
    candidates.push(t);
    byFingerprint.set(key, candidates);
    kept.push(t);
  }
  if (renamed.size === 0) return { nodes: [...nodes], initializers: kept };
  return { nodes: nodes.map((n) => (n.inputs.some((i) => renamed.has(i)) ? { ...n, inputs: n.inputs.map((i) => renamed.get(i) ?? i) } : n)), initializers: kept };
}
