/**
 * One bench run: every selected workload (its cells interleaved), then dispatch cost and matmul
 * throughput per backend next to numpy's, then the targets; printed as a table and written as JSON.
 */
import { cpus } from 'node:os';
import { kerasTsDispatch, tfjsEngineDispatch, type DispatchResult } from './measure/dispatch.js';
import { runInterleaved, type Cell, type InterleaveOptions } from './measure/interleave.js';
import { kerasTsMatmul, tfjsEngineMatmul, type MatmulOptions, type MatmulResult } from './measure/matmul.js';
import { numpyReference, type NumpyResult } from './measure/numpy.js';
import { numpyMatmulCell } from './measure/numpy_cell.js';
import { writeResultsJson } from './report/json.js';
import { peerRatios } from './report/ratios.js';
import type { BenchResults, WorkloadResult } from './report/results.js';
import { formatReport } from './report/table.js';
import { evaluateTargets } from './report/targets.js';
import type { SectionName } from './sections.js';
import { cellSpecs, localCells } from './isolation/cell_spec.js';
import { processCell } from './isolation/process_cell.js';
import { KERAS_TS_BACKENDS } from './runners/keras_ts.js';
import {
  MLP_FLOP_FORMULA, MLP_TRAINING, WORKLOADS, mlpTrainingFlops, stepsPerEpoch, type Workload, type WorkloadName,
} from './workloads/index.js';

export interface BenchOptions {
  /** Fewer rounds, steps and repeats: a smoke test of the harness, not numbers to quote. */
  quick?: boolean;
  /** Where to write the JSON; 'bench-results.json' in the working directory by default, null for none. */
  jsonPath?: string | null;
  /** Run only these sections (workload names, 'dispatch', 'matmul'); all by default. */
  only?: readonly SectionName[];
  /**
   * Run every cell in this process instead of each in a process of its own (process_cell.ts says
   * why it has its own by default).
   */
  inProcess?: boolean;
  /** Progress and the report; console.log by default. */
  log?: (line: string) => void;
}

interface Settings {
  interleave: Omit<InterleaveOptions, 'log' | 'timeBudgetMs'>;
  /** Seconds each workload may take, set-up included (see InterleaveOptions.timeBudgetMs); none when absent. */
  workloadBudgetS?: Readonly<Record<WorkloadName, number>>;
  dispatchCount: number;
  matmul: MatmulOptions;
  numpyRuns: number;
}

/**
 * The full run fits the 15 minutes on 2 cores: 3 rounds, any cell whose epoch would pass
 * 6 s timed on at most 4 steps and scaled, a cell faster than 1 s run up to 10 times a round
 * (the median counts) after 0.5 s of untimed runs, and each workload held to a share of about 14 minutes
 * (on an idle machine it needs about half; a machine busy with other work gets fewer rounds).
 * The CNN's share is the largest: tfjs-layers takes 20 s or more a step there on tfjs-cpu.
 */
export const FULL_SETTINGS: Settings = {
  interleave: { rounds: 3, cellBudgetMs: 6000, maxScaledSteps: 4, minRunMs: 1000, maxRepeats: 10, roundWarmUpMs: 500 },
  workloadBudgetS: { mlp: 120, cnn: 330, lstm: 150, 'mlp-predict': 60, 'cnn-predict': 150 },
  dispatchCount: 20_000,
  matmul: { maxRuns: 5, budgetMs: 3000 },
  numpyRuns: 10,
};

export const QUICK_SETTINGS: Settings = {
  interleave: { rounds: 1, cellBudgetMs: 400, maxScaledSteps: 1 },
  dispatchCount: 1000,
  matmul: { maxRuns: 1, budgetMs: 0 },
  numpyRuns: 2,
};

/** The cells of a workload, in the order they run each round, each in a process of its own unless `inProcess`. */
function cellsOf(workload: Workload, inProcess: boolean): Cell[] {
  const specs = cellSpecs(workload);
  const cells = inProcess ? localCells(workload, specs) : specs.map((spec) => processCell(spec, stepsPerEpoch(workload)));
  // The MLP's FLOP-rate target compares keras-ts onnx with numpy's matmul: measured right after it in every round.
  if (workload.name === MLP_TRAINING.name) cells.splice(1, 0, numpyMatmulCell());
  return cells;
}

async function runWorkload(workload: Workload, settings: Settings, inProcess: boolean, log: (line: string) => void): Promise<WorkloadResult> {
  log(`${workload.title}`);
  const budgetS = settings.workloadBudgetS?.[workload.name];
  const cells = await runInterleaved(cellsOf(workload, inProcess), { ...settings.interleave, timeBudgetMs: budgetS === undefined ? undefined : budgetS * 1000, log });
  return {
    name: workload.name,
    title: workload.title,
    task: workload.task,
    samples: workload.samples,
    batchSize: workload.batchSize,
    stepsPerEpoch: stepsPerEpoch(workload),
    rounds: Math.max(0, ...cells.map((c) => c.epochMs.length)),
    cells,
    ratios: peerRatios(cells),
  };
}

export async function runBench(options: BenchOptions = {}): Promise<BenchResults> {
  const log = options.log ?? ((line: string) => console.log(line));
  const settings = options.quick ? QUICK_SETTINGS : FULL_SETTINGS;
  const selected = (name: SectionName) => options.only === undefined || options.only.length === 0 || options.only.includes(name);
  const started = performance.now();
  const startedAt = new Date().toISOString();

  const workloads: WorkloadResult[] = [];
  for (const workload of WORKLOADS.filter((w) => selected(w.name))) workloads.push(await runWorkload(workload, settings, options.inProcess === true, log));

  const dispatch: DispatchResult[] = [];
  if (selected('dispatch')) {
    log('Per-op dispatch cost');
    for (const name of KERAS_TS_BACKENDS) dispatch.push(await kerasTsDispatch(name, settings.dispatchCount));
    for (const name of ['tfjs-cpu', 'tfjs-wasm'] as const) dispatch.push(await tfjsEngineDispatch(name, settings.dispatchCount));
  }
  const matmul: MatmulResult[] = [];
  if (selected('matmul')) {
    log('Matmul 1024^3');
    for (const name of KERAS_TS_BACKENDS) matmul.push(await kerasTsMatmul(name, settings.matmul));
    for (const name of ['tfjs-cpu', 'tfjs-wasm'] as const) matmul.push(await tfjsEngineMatmul(name, settings.matmul));
  }
  // numpy is the yardstick of the matmul rows and of the MLP's FLOP-rate target.
  const numpy: NumpyResult | undefined =
    selected('matmul') || selected('dispatch') || selected('mlp') ? numpyReference({ runs: settings.numpyRuns, dispatchCount: settings.dispatchCount }) : undefined;

  const mlpFlops = { formula: MLP_FLOP_FORMULA, perEpoch: mlpTrainingFlops(MLP_TRAINING.samples) };
  const results: BenchResults = {
    startedAt,
    mode: options.quick ? 'quick' : 'full',
    cellsInProcess: options.inProcess === true,
    machine: { cpus: cpus().length, node: process.versions.node, platform: `${process.platform}-${process.arch}` },
    seconds: 0,
    workloads,
    dispatch,
    matmul,
    numpy,
    mlpFlops,
    targets: evaluateTargets({ workloads, numpy, mlpFlopsPerEpoch: mlpFlops.perEpoch }),
  };
  results.seconds = (performance.now() - started) / 1000;
  log('');
  log(formatReport(results));
  const jsonPath = options.jsonPath === undefined ? 'bench-results.json' : options.jsonPath;
  if (jsonPath !== null) log(`\nJSON written to ${writeResultsJson(results, jsonPath)}`);
  return results;
}
