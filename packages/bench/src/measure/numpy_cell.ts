/**
 * numpy's 1024^3 float32 matmul as a cell of the MLP workload: the yardstick of the MLP's
 * FLOP-rate target, measured in every round next to the cells (a persistent python3 process, one
 * best-of-three matmul a run) rather than once at the end, so that the ratio pairs numbers taken
 * moments apart, like every other ratio of the bench; a machine's slow minute then moves one
 * round's ratio, not the target. It is not a peer: no keras-ts cell is compared with it by time.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import type { Cell } from './interleave.js';
import { MATMUL_FLOPS } from './matmul.js';
import { NUMPY_MATRICES } from './numpy.js';

export const NUMPY_MATMUL_CELL_ID = 'numpy matmul 1024^3';

/** Matmuls a run; the run reports the fastest. */
const MATMULS_A_RUN = 3;

// After each run it sleeps 0.1 s before answering: BLAS threads spin a while after a call, and the next cell should not share the cores with them.
const SCRIPT = `${NUMPY_MATRICES}
print(json.dumps({"version": np.__version__}), flush=True)
for line in sys.stdin:
    best = float('inf')
    for _ in range(int(line)):
        t = time.perf_counter(); a @ b; best = min(best, time.perf_counter() - t)
    time.sleep(0.1)
    print(best * 1000, flush=True)
`;

/** `python3` is the interpreter to start (python3 by default). */
export function numpyMatmulCell(python3 = 'python3'): Cell & { readonly version: string | undefined } {
  let python: ChildProcessWithoutNullStreams | undefined;
  let lines: Interface | undefined;
  let version: string | undefined;
  let errors = '';
  const nextLine = (): Promise<string> =>
    new Promise((resolve, reject) => {
      if (lines === undefined || python === undefined) return reject(new Error('numpy matmul cell: python3 is not running (internal error).'));
      const running = python;
      const onLine = (line: string) => {
        running.off('exit', onEnd).off('error', onEnd);
        resolve(line);
      };
      // The process ended (numpy missing, a crash) or never started (no python3).
      const onEnd = (codeOrError: number | Error | null) => {
        lines?.off('line', onLine);
        running.off('exit', onEnd).off('error', onEnd);
        const reason = codeOrError instanceof Error
          ? `python3 could not run (${codeOrError.message})`
          : /No module named ['"]?numpy/.test(errors) ? 'python3 has no numpy' : (errors.trim().split('\n').pop() ?? `exit ${codeOrError}`);
        reject(new Error(`numpy skipped: ${reason}.`));
      };
      lines.once('line', onLine);
      running.once('exit', onEnd).once('error', onEnd);
    });
  const measure = async (): Promise<number> => {
    python?.stdin.write(`${MATMULS_A_RUN}\n`);
    return Number(await nextLine());
  };
  return {
    id: NUMPY_MATMUL_CELL_ID,
    framework: 'numpy',
    backend: 'numpy',
    stepsPerEpoch: 1,
    get version() {
      return version;
    },
    get note() {
      return version === undefined ? undefined : `numpy ${version}: the fastest of ${MATMULS_A_RUN} matmuls a run (${(MATMUL_FLOPS / 1e9).toFixed(2)} GFLOP each)`;
    },
    async setup() {
      python = spawn(python3, ['-c', SCRIPT]);
      python.stderr.on('data', (chunk: Buffer) => {
        errors = (errors + chunk.toString()).slice(-2000);
      });
      lines = createInterface({ input: python.stdout });
      version = (JSON.parse(await nextLine()) as { version: string }).version;
    },
    async run() {
      await measure();
      return undefined;
    },
    async timedRun() {
      return { loss: undefined, ms: await measure() };
    },
    dispose() {
      lines?.close();
      python?.stdin.end();
      python?.kill();
      python = undefined;
    },
  };
}
