/** The messages between the bench and a cell's own process (process_cell.ts, cell_process.ts). */
import type { TimedRun } from '../measure/interleave.js';
import type { PeakMemory } from '../measure/memory.js';
import type { CellSpec } from './cell_spec.js';

export type CellRequest =
  | { readonly id: number; readonly op: 'setup'; readonly spec: CellSpec }
  | { readonly id: number; readonly op: 'prepare'; readonly steps: number }
  | { readonly id: number; readonly op: 'run'; readonly steps: number }
  | { readonly id: number; readonly op: 'memory' }
  | { readonly id: number; readonly op: 'dispose' };

/** What each request answers with, by op. */
export interface CellAnswers {
  setup: { note?: string };
  prepare: null;
  run: TimedRun;
  memory: PeakMemory;
  dispose: null;
}

export type CellReply = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: string };
