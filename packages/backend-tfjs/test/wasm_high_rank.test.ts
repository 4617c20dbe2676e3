/**
 * How tfjs-wasm's backend brings calls of more than six axes (XNNPACK's limit) down to six: the
 * shapes it collapses to. The values are checked against the reference by the conformance kit's
 * `ops/edge/broadcast-rank7-*` and `ops/edge/pad-rank7-every-axis` cases, which fail without it.
 */
import { describe, expect, it } from '@jest/globals';
import { collapseBroadcast, collapsePadding } from '../src/wasm/high_rank.js';

describe('collapsing seven axes for XNNPACK', () => {
  it('merges adjacent axes that broadcast alike, drops size-1 output axes', () => {
    expect(collapseBroadcast([2, 2, 3, 2, 2, 2, 3], [2, 2, 3, 2, 2, 2, 3], [2, 2, 3, 2, 2, 2, 3])).toEqual({ a: [288], b: [288], out: [288] });
    expect(collapseBroadcast([2, 3, 1, 1, 4, 1, 5], [1, 1, 6, 7, 4, 1, 5], [2, 3, 6, 7, 4, 1, 5])).toEqual({ a: [6, 1, 20], b: [1, 42, 20], out: [6, 42, 20] });
    expect(collapseBroadcast([1], [1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1])).toEqual({ a: [1], b: [1], out: [1] });
    // Alternating patterns cannot merge: the backend then broadcasts both and flattens.
    expect(collapseBroadcast([2, 1, 2, 1, 2, 1, 2], [1, 2, 1, 2, 1, 2, 2], [2, 2, 2, 2, 2, 2, 2]).out).toHaveLength(7);
  });

  it('merges each unpadded axis into the one before it, its padding counted in rows of it', () => {
    expect(collapsePadding([2, 3, 4, 5, 6, 7, 8], [[1, 0], [0, 0], [0, 0], [0, 2], [0, 0], [0, 0], [0, 0]])).toEqual({
      shape: [24, 5 * 6 * 7 * 8],
      paddings: [[12, 0], [0, 2 * 6 * 7 * 8]],
    });
    expect(collapsePadding([3, 2], [[0, 0], [1, 1]])).toEqual({ shape: [3, 2], paddings: [[0, 0], [1, 1]] });
  });
});
