/**
 * A cell that runs in a process of its own. In one process the cells disturb each other: the
 * garbage collector's full collections cost in proportion to the whole heap, so a framework
 * whose steps allocate (onnxruntime returns each output as a new buffer) is slowed by the models
 * and data of every other cell, and RSS can only be reported for all of them together. Here each
 * cell has its own heap, times its own runs (the message round trip is not counted) and reports
 * its own peak memory; the bench still runs the cells interleaved, one at a time.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cell, TimedRun } from '../measure/interleave.js';
import type { PeakMemory } from '../measure/memory.js';
import { cellId, type CellSpec } from './cell_spec.js';
import type { CellAnswers, CellReply, CellRequest } from './protocol.js';

/** How much of the process's own output is kept to explain a crash. */
const OUTPUT_TAIL_CHARS = 4000;

/**
 * The built entry of the cell process: beside this module in dist, or in the package's dist when
 * this module runs from its TypeScript source (the tests).
 */
export function cellProcessEntry(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'cell_process.js'), join(here, '..', '..', 'dist', 'isolation', 'cell_process.js')];
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) throw new Error(`The bench's cell process (${candidates[1]}) is not built: run 'pnpm build' first, or pass --in-process.`);
  return found;
}

interface Pending {
  op: CellRequest['op'];
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** The cell; `pid` is its process's while it runs. */
export function processCell(spec: CellSpec, stepsPerEpoch: number): Cell & { readonly pid: number | undefined } {
  const id = cellId(spec);
  let child: ChildProcess | undefined;
  let note: string | undefined;
  let output = '';
  let gone: string | undefined;
  let nextId = 0;
  const pending = new Map<number, Pending>();

  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  const start = (): ChildProcess => {
    // stdout and stderr are read (a pipe nobody reads would block the child once full) and kept to explain a crash.
    const started = fork(cellProcessEntry(), [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    started.stdout?.on('data', keep);
    started.stderr?.on('data', keep);
    started.on('message', (reply: CellReply) => {
      const waiting = pending.get(reply.id);
      if (waiting === undefined) return;
      pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new Error(reply.error));
    });
    started.on('exit', (code, signal) => {
      gone = signal === null ? `exited with code ${code}` : `was killed by ${signal}`;
      const tail = output.trim().split('\n').slice(-8).join('\n');
      for (const waiting of pending.values()) {
        waiting.reject(new Error(`The process of the ${id} cell ${gone} during its '${waiting.op}'${tail === '' ? '.' : `; its last output:\n${tail}`}`));
      }
      pending.clear();
    });
    return started;
  };
  const request = <Op extends CellRequest['op']>(op: Op, fields: Omit<Extract<CellRequest, { op: Op }>, 'id' | 'op'>): Promise<CellAnswers[Op]> => {
    if (child === undefined) return Promise.reject(new Error(`The ${id} cell got '${op}' before its setup (internal error).`));
    if (gone !== undefined) return Promise.reject(new Error(`The process of the ${id} cell ${gone}; '${op}' cannot run.`));
    const message = { id: nextId++, op, ...fields } as CellRequest;
    const running = child;
    return new Promise<CellAnswers[Op]>((resolve, reject) => {
      pending.set(message.id, { op, resolve: resolve as (value: unknown) => void, reject });
      running.send(message);
    });
  };

  return {
    id,
    framework: spec.framework,
    backend: spec.backend,
    stepsPerEpoch,
    get note() {
      return note;
    },
    get pid() {
      return gone === undefined ? child?.pid : undefined;
    },
    async setup() {
      child = start();
      ({ note } = await request('setup', { spec }));
    },
    async prepare(steps: number) {
      await request('prepare', { steps });
    },
    async run(steps: number) {
      return (await request('run', { steps })).loss;
    },
    timedRun(steps: number): Promise<TimedRun> {
      return request('run', { steps });
    },
    peakMemory(): Promise<PeakMemory> {
      return request('memory', {});
    },
    async dispose() {
      if (child === undefined || gone !== undefined) return;
      // The process frees its cell and exits; one that hangs on the way out is ended.
      const running = child;
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      await request('dispose', {});
      const timer = setTimeout(() => running.kill(), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
