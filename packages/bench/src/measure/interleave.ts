/**
 * The interleaved runner. Every cell of a workload (one framework on one backend) is set up and
 * warmed up once, then the cells run round-robin, one run each per round (A, B, C, A, B, C, ...),
 * so that any two cells compared ran next to each other in every round; a ratio is then the median
 * of the per-round ratios (statistics.ts).
 *
 * A cell whose epoch would take longer than the budget (tfjs-layers's CNN on tfjs-cpu takes about
 * 20 s a step) runs a fixed number of steps instead, chosen once from a timed probe step after the
 * warm-up, and its time is scaled up to an epoch; the report labels it so. A cell whose run is
 * short repeats it a few times a round, after some untimed runs, and counts the median run.
 */
import { PeakMemorySampler, type PeakMemory } from './memory.js';
import { median } from './statistics.js';

/** One framework on one backend for one workload. */
export interface Cell {
  /** e.g. 'keras-ts onnx', 'tfjs-layers tfjs-cpu', 'onnxruntime (raw)'. */
  readonly id: string;
  /** 'numpy' is a yardstick measured between the cells (numpy_cell.ts), not a peer. */
  readonly framework: 'keras-ts' | 'tfjs-layers' | 'onnxruntime' | 'numpy';
  readonly backend: string;
  readonly stepsPerEpoch: number;
  /** Builds the model and its data; not timed. */
  setup(): Promise<void>;
  /**
   * Runs the first `steps` batches of an epoch (the whole epoch when steps = stepsPerEpoch) and
   * returns the last loss for training, undefined for prediction.
   */
  run(steps: number): Promise<number | undefined>;
  /** Called once the plan is known, untimed: makes what runs of `steps` steps need (e.g. input tensors of that size). */
  prepare?(steps: number): void | Promise<void>;
  dispose(): void | Promise<void>;
  /** A line about the cell known after its setup, e.g. how far its outputs are from keras-ts's. */
  readonly note?: string;
  /**
   * Runs like run() and says how long the run took, timed where it ran: a cell in a process of
   * its own times itself, so the message round trip is not counted. Without it the runner clocks run().
   */
  timedRun?(steps: number): Promise<TimedRun>;
  /** The peak memory of the cell's own process; without it the runner samples its own process while the cell runs. */
  peakMemory?(): Promise<PeakMemory>;
}

/** A run's last loss (undefined for prediction) and its time in ms. */
export interface TimedRun {
  loss: number | undefined;
  ms: number;
}

export interface InterleaveOptions {
  rounds: number;
  /** A cell whose probe step predicts a longer epoch than this runs a fixed number of steps instead. */
  cellBudgetMs: number;
  /** At most this many steps for a cell that is scaled up to an epoch. */
  maxScaledSteps: number;
  /**
   * A cell whose run would take less than this repeats it back to back, up to maxRepeats times,
   * and its round's time is their median: one 50 ms run is mostly noise. 0 (the default): no repeats.
   */
  minRunMs?: number;
  maxRepeats?: number;
  /**
   * Untimed runs of such a short-run cell (one that repeats) at the start of each round, for at
   * least this long: a process that sat idle while the other cells ran comes back slower for
   * about half a second (caches, the processor's clock), which would otherwise be most of a 100 ms
   * cell's timed runs. A cell whose run is long enough not to repeat needs none. 0 (the default): none.
   */
  roundWarmUpMs?: number;
  /** Injected for the tests; performance.now by default. */
  clock?: () => number;
  /** Progress lines; silent by default. */
  log?: (line: string) => void;
  /** Between runs, e.g. to let the garbage collector run; nothing by default. */
  betweenRuns?: () => void | Promise<void>;
  /**
   * Time for the whole call, set-up included: a round after the first starts only if one more
   * round as long as the last still fits, so a loaded machine gets fewer rounds, not a longer run.
   */
  timeBudgetMs?: number;
}

/** Timed single steps after the warm-up step, the fastest of which plans the cell. */
export const PROBE_STEPS = 3;

/** How a cell is timed: a whole epoch, or `steps` steps scaled up by stepsPerEpoch / steps; `repeats` runs a round. */
export interface CellPlan {
  steps: number;
  scaled: boolean;
  repeats: number;
}

export interface CellResult {
  id: string;
  framework: Cell['framework'];
  backend: string;
  plan?: CellPlan;
  /** Milliseconds per epoch in each round (scaled when plan.scaled); undefined where the run failed. */
  epochMs: (number | undefined)[];
  /** The fastest timed probe step, ms. */
  probeStepMs?: number;
  /** The last loss a training run reported. */
  lastLoss?: number;
  memory: PeakMemory;
  note?: string;
  /** Why the cell has no (or fewer) times: setup or a run threw. */
  error?: string;
}

/**
 * The whole epoch when it fits the budget, else as many steps as fit it (at least 1, at most
 * maxScaledSteps), the same number in every round; and as many repeats as reach minRunMs.
 */
export function planSteps(probeStepMs: number, stepsPerEpoch: number, options: Pick<InterleaveOptions, 'cellBudgetMs' | 'maxScaledSteps' | 'minRunMs' | 'maxRepeats'>): CellPlan {
  const repeatsFor = (steps: number): number => {
    const runMs = Math.max(probeStepMs * steps, 1e-9);
    return Math.max(1, Math.min(options.maxRepeats ?? 1, Math.ceil((options.minRunMs ?? 0) / runMs)));
  };
  if (probeStepMs * stepsPerEpoch <= options.cellBudgetMs) return { steps: stepsPerEpoch, scaled: false, repeats: repeatsFor(stepsPerEpoch) };
  const fitting = Math.floor(options.cellBudgetMs / Math.max(probeStepMs, 1e-9));
  const steps = Math.max(1, Math.min(options.maxScaledSteps, fitting, stepsPerEpoch - 1));
  return { steps, scaled: true, repeats: repeatsFor(steps) };
}

/** ms for `steps` steps, scaled to a whole epoch. */
export function scaleToEpoch(elapsedMs: number, plan: CellPlan, stepsPerEpoch: number): number {
  return plan.scaled ? (elapsedMs * stepsPerEpoch) / plan.steps : elapsedMs;
}

/** One run of the cell, timed by the cell where it can time itself, by the runner's clock otherwise. */
async function timedRun(cell: Cell, steps: number, clock: () => number): Promise<TimedRun> {
  if (cell.timedRun !== undefined) return cell.timedRun(steps);
  const started = clock();
  const loss = await cell.run(steps);
  return { loss, ms: clock() - started };
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].slice(0, 300);
}

export async function runInterleaved(cells: readonly Cell[], options: InterleaveOptions): Promise<CellResult[]> {
  const clock = options.clock ?? (() => performance.now());
  const log = options.log ?? (() => undefined);
  const began = clock();
  const samplers = cells.map(() => new PeakMemorySampler());
  const results: CellResult[] = cells.map((c) => ({ id: c.id, framework: c.framework, backend: c.backend, epochMs: [], memory: { rssMB: 0, heapMB: 0 } }));

  // Set-up, warm-up (first-call costs: kernel sessions, wasm setup) and the timed probe step.
  for (const [i, cell] of cells.entries()) {
    const result = results[i];
    samplers[i].start();
    try {
      await cell.setup();
      if (cell.note !== undefined) result.note = cell.note;
      const warmUp = await timedRun(cell, 1, clock);
      result.lastLoss = warmUp.loss;
      const warmUpMs = warmUp.ms;
      // A warm-up step longer than the whole budget is nearly all compute (tfjs-layers's CNN on
      // tfjs-cpu): it serves as the probe, which saves the slowest cell a step. It can only
      // overestimate, so the cell then runs fewer steps, never more than the budget allows.
      let probeMs = warmUpMs;
      if (warmUpMs <= options.cellBudgetMs) {
        // The first steps after the warm-up can still pay one-time costs (onnxruntime settles its
        // allocations over a few runs), so the probe is the fastest of up to PROBE_STEPS steps; a
        // slow cell stops after one, since its compute dwarfs those costs.
        probeMs = Number.POSITIVE_INFINITY;
        for (let probe = 0; probe < PROBE_STEPS; probe++) {
          const probe = await timedRun(cell, 1, clock);
          result.lastLoss = probe.loss;
          const elapsed = probe.ms;
          probeMs = Math.min(probeMs, elapsed);
          if (elapsed > options.cellBudgetMs / 4) break;
        }
      }
      result.probeStepMs = probeMs;
      result.plan = planSteps(result.probeStepMs, cell.stepsPerEpoch, options);
      await cell.prepare?.(result.plan.steps);
      const how = (result.plan.scaled ? `${result.plan.steps} of ${cell.stepsPerEpoch} steps, scaled` : `${cell.stepsPerEpoch} steps`) + (result.plan.repeats > 1 ? `, ${result.plan.repeats} runs a round` : '');
      log(`  ${cell.id}: probe step ${result.probeStepMs.toFixed(1)} ms -> ${how}`);
    } catch (error) {
      result.error = describe(error);
      log(`  ${cell.id}: failed to start: ${result.error}`);
    }
    samplers[i].stop();
  }

  let lastRoundMs = 0;
  for (let round = 0; round < options.rounds; round++) {
    const roundStarted = clock();
    if (round > 0 && options.timeBudgetMs !== undefined && roundStarted - began + lastRoundMs > options.timeBudgetMs) {
      log(`  stopping after ${round} round(s): another would pass this workload's ${(options.timeBudgetMs / 1000).toFixed(0)} s budget`);
      break;
    }
    for (const [i, cell] of cells.entries()) {
      const result = results[i];
      if (result.plan === undefined || result.error !== undefined) {
        result.epochMs.push(undefined);
        continue;
      }
      await options.betweenRuns?.();
      samplers[i].start();
      try {
        if (result.plan.repeats > 1 && (options.roundWarmUpMs ?? 0) > 0) {
          const warmUpStarted = clock();
          do await cell.run(result.plan.steps);
          while (clock() - warmUpStarted < (options.roundWarmUpMs ?? 0));
        }
        const runs: number[] = [];
        for (let repeat = 0; repeat < result.plan.repeats; repeat++) {
          const { loss, ms } = await timedRun(cell, result.plan.steps, clock);
          runs.push(ms);
          if (loss !== undefined) result.lastLoss = loss;
        }
        result.epochMs.push(scaleToEpoch(median(runs), result.plan, cell.stepsPerEpoch));
      } catch (error) {
        result.error = describe(error);
        result.epochMs.push(undefined);
        log(`  ${cell.id}: round ${round + 1} failed: ${result.error}`);
      }
      samplers[i].stop();
    }
    lastRoundMs = clock() - roundStarted;
    log(`  round ${round + 1}/${options.rounds}: ${results.map((r) => `${r.id} ${formatMs(r.epochMs[round])}`).join(', ')}`);
  }

  for (const [i, cell] of cells.entries()) {
    results[i].memory = samplers[i].current;
    try {
      if (cell.peakMemory !== undefined) results[i].memory = await cell.peakMemory();
    } catch {
      // A cell whose process is gone keeps what this process saw of it.
    }
    try {
      await cell.dispose();
    } catch {
      // Disposing is best effort: a cell that failed may hold nothing to free.
    }
  }
  return results;
}

function formatMs(ms: number | undefined): string {
  return ms === undefined ? 'failed' : `${ms.toFixed(0)} ms`;
}
