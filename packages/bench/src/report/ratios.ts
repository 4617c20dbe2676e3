/** The ratios the report shows: each keras-ts cell against each peer (tfjs-layers, raw onnxruntime) of its workload. */
export const isPeer = (cell: Pick<CellResult, 'framework'>): boolean => cell.framework === 'tfjs-layers' || cell.framework === 'onnxruntime';

import type { CellResult } from '../measure/interleave.js';
import { medianPairRatio } from '../measure/statistics.js';

export function peerRatios(cells: readonly CellResult[]): Record<string, Record<string, number>> {
  const ratios: Record<string, Record<string, number>> = {};
  const peers = cells.filter(isPeer);
  for (const cell of cells.filter((c) => c.framework === 'keras-ts')) {
    ratios[cell.id] = {};
    for (const peer of peers) ratios[cell.id][peer.id] = medianPairRatio(cell.epochMs, peer.epochMs);
  }
  return ratios;
}
