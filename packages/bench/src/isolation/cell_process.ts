/**
 * The process of one cell, started by processCell (process_cell.ts) with child_process.fork: it
 * builds the cell from its spec, answers the bench's requests one at a time, times each run
 * itself and samples its own memory from start to end. Nothing else runs here, so neither the
 * heap nor the threads of the other frameworks' cells touch this cell's numbers.
 */
import type { Cell } from '../measure/interleave.js';
import { PeakMemorySampler } from '../measure/memory.js';
import { localCells, workloadNamed } from './cell_spec.js';
import type { CellAnswers, CellReply, CellRequest } from './protocol.js';

const sampler = new PeakMemorySampler();
sampler.start();
let cell: Cell | undefined;

function ready(): Cell {
  if (cell === undefined) throw new Error('The cell process got a request before its setup (internal error).');
  return cell;
}

async function handle(request: CellRequest): Promise<CellAnswers[CellRequest['op']]> {
  switch (request.op) {
    case 'setup': {
      const workload = workloadNamed(request.spec.workload);
      [cell] = localCells(workload, [request.spec]);
      await cell.setup();
      return cell.note === undefined ? {} : { note: cell.note };
    }
    case 'prepare':
      await ready().prepare?.(request.steps);
      return null;
    case 'run': {
      const started = performance.now();
      const loss = await ready().run(request.steps);
      return { loss, ms: performance.now() - started };
    }
    case 'memory':
      sampler.sample();
      return sampler.current;
    case 'dispose':
      await cell?.dispose();
      cell = undefined;
      sampler.stop();
      return null;
  }
}

function send(reply: CellReply, then?: () => void): void {
  if (process.send === undefined) throw new Error('cell_process.js runs only as a child of the bench (it needs an IPC channel).');
  process.send(reply, undefined, {}, then);
}

process.on('message', (request: CellRequest) => {
  handle(request).then(
    (value) => send({ id: request.id, ok: true, value }, request.op === 'dispose' ? () => process.exit(0) : undefined),
    (error: unknown) => send({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
// The bench is gone (it ended or crashed): nothing is left to answer.
process.on('disconnect', () => process.exit(0));
