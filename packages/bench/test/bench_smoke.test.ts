/**
 * The bench's logic without timing anything real: the interleaved runner on fake cells and a fake
 * clock (order, warm-up, probe, step scaling, failures), medians of paired ratios, the targets and
 * the report on made-up results, the command line, and the seeded data. No assertion here depends
 * on how fast this machine is.
 */
import { describe, expect, it } from '@jest/globals';
import { PeakMemorySampler } from '../src/measure/memory.js';
import { PROBE_STEPS, planSteps, runInterleaved, scaleToEpoch, type Cell, type CellResult } from '../src/measure/interleave.js';
import { median, medianPairRatio } from '../src/measure/statistics.js';
import { microsPerCall } from '../src/measure/dispatch.js';
import { MATMUL_FLOPS, bestGflops } from '../src/measure/matmul.js';
import { peerRatios } from '../src/report/ratios.js';
import { resultsToJson } from '../src/report/json.js';
import type { BenchResults, WorkloadResult } from '../src/report/results.js';
import { formatReport, formatTable, workloadTable } from '../src/report/table.js';
import { evaluateTargets } from '../src/report/targets.js';
import { BENCH_USAGE, parseBenchArguments } from '../src/cli_arguments.js';
import { CNN_TRAINING } from '../src/workloads/cnn.js';
import { firstSamples, seededRandom, syntheticData } from '../src/workloads/data.js';
import { LSTM_TRAINING } from '../src/workloads/lstm.js';
import { MLP_TRAINING, mlpTrainingFlops } from '../src/workloads/mlp.js';
import { CNN_PREDICTION, MLP_PREDICTION } from '../src/workloads/predict.js';
import { stepsPerEpoch } from '../src/workloads/workload.js';

/** A clock that only moves when a fake cell "works". */
function fakeClock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** A cell whose every step takes `stepMs` on the fake clock, recording its calls in `calls`. */
function fakeCell(id: string, stepMs: number, clock: ReturnType<typeof fakeClock>, calls: string[], options: { stepsPerEpoch?: number; failAt?: number; framework?: Cell['framework'] } = {}): Cell {
  let runs = 0;
  return {
    id,
    framework: options.framework ?? (id.startsWith('keras-ts') ? 'keras-ts' : 'tfjs-layers'),
    backend: id.split(' ')[1] ?? 'fake',
    stepsPerEpoch: options.stepsPerEpoch ?? 10,
    async setup() {
      calls.push(`${id} setup`);
    },
    async run(steps: number) {
      runs++;
      if (options.failAt !== undefined && runs >= options.failAt) throw new Error(`${id} broke\nsecond line`);
      calls.push(`${id} run ${steps}`);
      clock.advance(steps * stepMs);
      return 0.5;
    },
    dispose() {
      calls.push(`${id} dispose`);
    },
  };
}

function expectClose(actual: number | undefined, expected: number, digits = 6): void {
  expect(actual).toBeDefined();
  expect(actual as number).toBeCloseTo(expected, digits);
}

describe('statistics', () => {
  it('takes medians of odd and even counts, NaN of none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('pairs ratios by round and skips rounds where a side failed', () => {
    expect(medianPairRatio([1, 2, 30], [2, 2, 10])).toBe(1);
    expect(medianPairRatio([1, undefined, 4], [2, 5, 2])).toBeCloseTo(1.25);
    expect(Number.isNaN(medianPairRatio([undefined], [1]))).toBe(true);
  });
});

describe('planSteps and scaleToEpoch', () => {
  const budget = { cellBudgetMs: 1000, maxScaledSteps: 4 };

  it('runs a whole epoch that fits the budget', () => {
    expect(planSteps(10, 64, budget)).toEqual({ steps: 64, scaled: false, repeats: 1 });
    expect(scaleToEpoch(640, { steps: 64, scaled: false, repeats: 1 }, 64)).toBe(640);
  });

  it('times a fixed number of steps of a slow cell and scales them to an epoch', () => {
    expect(planSteps(300, 64, budget)).toEqual({ steps: 3, scaled: true, repeats: 1 });
    expect(planSteps(20_000, 32, budget)).toEqual({ steps: 1, scaled: true, repeats: 1 });
    expect(planSteps(50, 64, budget)).toEqual({ steps: 4, scaled: true, repeats: 1 });
    expect(scaleToEpoch(900, { steps: 3, scaled: true, repeats: 1 }, 64)).toBe(19_200);
  });

  it('repeats a short run up to maxRepeats times to reach minRunMs', () => {
    const repeating = { ...budget, minRunMs: 500, maxRepeats: 10 };
    expect(planSteps(2, 64, repeating)).toEqual({ steps: 64, scaled: false, repeats: 4 });
    expect(planSteps(0.1, 64, repeating)).toEqual({ steps: 64, scaled: false, repeats: 10 });
    expect(planSteps(300, 64, repeating)).toEqual({ steps: 3, scaled: true, repeats: 1 });
  });
});

describe('runInterleaved', () => {
  it('warms up, probes, then runs the cells round-robin and scales slow ones', async () => {
    const clock = fakeClock();
    const calls: string[] = [];
    const fast = fakeCell('keras-ts fast', 10, clock, calls);
    const slow = fakeCell('tfjs-layers slow', 500, clock, calls);
    const results = await runInterleaved([fast, slow], { rounds: 2, cellBudgetMs: 1000, maxScaledSteps: 2, clock: clock.now });

    const [a, b] = results;
    expect(a.plan).toEqual({ steps: 10, scaled: false, repeats: 1 });
    expect(b.plan).toEqual({ steps: 2, scaled: true, repeats: 1 });
    expect(a.epochMs).toEqual([100, 100]);
    expect(b.epochMs).toEqual([5000, 5000]);
    expect(a.probeStepMs).toBe(10);
    expect(a.lastLoss).toBe(0.5);
    // The fast cell is probed PROBE_STEPS times; the slow one stops after one probe (its step > budget / 4).
    const singleSteps = (id: string) => calls.filter((c) => c === `${id} run 1`).length;
    expect(singleSteps('keras-ts fast')).toBe(1 + PROBE_STEPS);
    expect(singleSteps('tfjs-layers slow')).toBe(2);
    const timed = calls.filter((c) => c.endsWith('run 10') || c.endsWith('run 2'));
    expect(timed).toEqual(['keras-ts fast run 10', 'tfjs-layers slow run 2', 'keras-ts fast run 10', 'tfjs-layers slow run 2']);
    expect(calls.slice(-2)).toEqual(['keras-ts fast dispose', 'tfjs-layers slow dispose']);
    expect(medianPairRatio(a.epochMs, b.epochMs)).toBeCloseTo(0.02);
  });

  it('starts each round of a repeating cell with untimed runs for roundWarmUpMs, and only then times it', async () => {
    const clock = fakeClock();
    let run = 0;
    // Warm-up and probes: 10 ms each. Round 1: two slow untimed runs (20 + 20 >= 30 ms), then 10, 10, 10.
    const stepTimes = [10, 10, 10, 10, 20, 20, 10, 10, 10];
    const cell: Cell = {
      ...fakeCell('keras-ts cold', 0, clock, []),
      stepsPerEpoch: 1,
      async run() {
        clock.advance(stepTimes[run++]);
        return undefined;
      },
    };
    const [result] = await runInterleaved([cell], { rounds: 1, cellBudgetMs: 1000, maxScaledSteps: 1, minRunMs: 25, maxRepeats: 5, roundWarmUpMs: 30, clock: clock.now });
    expect(result.plan).toEqual({ steps: 1, scaled: false, repeats: 3 });
    expect(result.epochMs).toEqual([10]);
    expect(run).toBe(stepTimes.length);
  });

  it('takes a cell\'s own timing and peak memory where it reports them (a cell in its own process)', async () => {
    const clock = fakeClock();
    const cell: Cell = {
      ...fakeCell('keras-ts remote', 0, clock, []),
      stepsPerEpoch: 4,
      async timedRun(steps: number) {
        // The runner's clock moves too (the message round trip), but the cell's own time counts.
        clock.advance(1000);
        return { loss: 0.25, ms: steps * 3 };
      },
      async peakMemory() {
        return { rssMB: 321, heapMB: 12 };
      },
    };
    const [result] = await runInterleaved([cell], { rounds: 2, cellBudgetMs: 100, maxScaledSteps: 1, clock: clock.now });
    expect(result.probeStepMs).toBe(3);
    expect(result.epochMs).toEqual([12, 12]);
    expect(result.lastLoss).toBe(0.25);
    expect(result.memory).toEqual({ rssMB: 321, heapMB: 12 });
  });

  it('takes the median of a round\'s repeated runs', async () => {
    const clock = fakeClock();
    let run = 0;
    const stepTimes = [10, 10, 10, 10, 30, 10, 20];
    const cell: Cell = {
      ...fakeCell('keras-ts jittery', 0, clock, []),
      stepsPerEpoch: 1,
      async run() {
        clock.advance(stepTimes[run++]);
        return undefined;
      },
    };
    const [result] = await runInterleaved([cell], { rounds: 1, cellBudgetMs: 1000, maxScaledSteps: 1, minRunMs: 25, maxRepeats: 5, clock: clock.now });
    // Warm-up and three probes take 10 ms each: 3 repeats of 10 ms reach 25 ms; they take 30, 10 and 20.
    expect(result.plan).toEqual({ steps: 1, scaled: false, repeats: 3 });
    expect(result.epochMs).toEqual([20]);
  });

  it('lets a warm-up step longer than the budget serve as the probe', async () => {
    const clock = fakeClock();
    const calls: string[] = [];
    const [result] = await runInterleaved([fakeCell('tfjs-layers glacial', 3000, clock, calls, { stepsPerEpoch: 32 })], { rounds: 2, cellBudgetMs: 1000, maxScaledSteps: 4, clock: clock.now });
    expect(calls.filter((c) => c.endsWith('run 1'))).toHaveLength(1 + 2);
    expect(result.probeStepMs).toBe(3000);
    expect(result.plan).toEqual({ steps: 1, scaled: true, repeats: 1 });
    expect(result.epochMs).toEqual([96_000, 96_000]);
  });

  it('runs fewer rounds rather than pass its time budget', async () => {
    const clock = fakeClock();
    const calls: string[] = [];
    const cells = [fakeCell('keras-ts a', 10, clock, calls), fakeCell('tfjs-layers b', 10, clock, calls)];
    const lines: string[] = [];
    // Set-up costs 2 x (1 warm-up + 3 probe steps) x 10 ms = 80 ms and each round 2 x 100 ms: at 280 ms a
    // second round still fits 500 ms, at 480 ms a third does not.
    const results = await runInterleaved(cells, { rounds: 3, cellBudgetMs: 1000, maxScaledSteps: 2, timeBudgetMs: 500, clock: clock.now, log: (l) => lines.push(l) });
    expect(results.map((r) => r.epochMs)).toEqual([[100, 100], [100, 100]]);
    expect(lines).toContain("  stopping after 2 round(s): another would pass this workload's 1 s budget");
  });

  it('records a failing cell with the first line of its error and keeps the others going', async () => {
    const clock = fakeClock();
    const calls: string[] = [];
    const broken = fakeCell('tfjs-layers broken', 10, clock, calls, { failAt: 1 });
    const later = fakeCell('keras-ts later', 10, clock, calls, { failAt: 6 });
    const fine = fakeCell('keras-ts fine', 10, clock, calls);
    const results = await runInterleaved([broken, later, fine], { rounds: 3, cellBudgetMs: 1000, maxScaledSteps: 2, clock: clock.now });

    expect(results[0].error).toBe('tfjs-layers broken broke');
    expect(results[0].plan).toBeUndefined();
    expect(results[0].epochMs).toEqual([undefined, undefined, undefined]);
    expect(results[1].epochMs).toEqual([100, undefined, undefined]);
    expect(results[1].error).toBe('keras-ts later broke');
    expect(results[2].epochMs).toEqual([100, 100, 100]);
  });
});

describe('PeakMemorySampler', () => {
  it('keeps the peaks of RSS and heap in MB', () => {
    const readings = [{ rss: 100 * 2 ** 20, heapUsed: 10 * 2 ** 20 }, { rss: 300 * 2 ** 20, heapUsed: 5 * 2 ** 20 }, { rss: 200 * 2 ** 20, heapUsed: 20 * 2 ** 20 }];
    let i = 0;
    const sampler = new PeakMemorySampler(() => readings[Math.min(i++, readings.length - 1)]);
    sampler.sample();
    sampler.sample();
    expect(sampler.stop()).toEqual({ rssMB: 300, heapMB: 20 });
  });
});

describe('dispatch and matmul arithmetic', () => {
  it('reports microseconds a call', () => {
    const clock = fakeClock();
    let calls = 0;
    const micros = microsPerCall(() => {
      calls++;
      clock.advance(0.002);
    }, 1000, clock.now);
    expect(calls).toBe(1100);
    expectClose(micros, 2);
  });

  it('reports the best run in GFLOP/s of 2 * 1024^3 FLOPs', () => {
    const clock = fakeClock();
    const times = [50, 40, 20, 30];
    let i = 0;
    const { gflops, runs } = bestGflops(() => clock.advance(times[i++]), { maxRuns: 3, budgetMs: 1e9 }, clock.now);
    expect(runs).toBe(3);
    expectClose(gflops, MATMUL_FLOPS / 0.02 / 1e9, 3);
  });
});

function cell(id: string, epochMs: (number | undefined)[], extra: Partial<CellResult> = {}): CellResult {
  const framework = id.startsWith('keras-ts') ? 'keras-ts' : id.startsWith('onnxruntime') ? 'onnxruntime' : 'tfjs-layers';
  return { id, framework, backend: id.split(' ').pop() ?? '', epochMs, plan: { steps: 10, scaled: false, repeats: 1 }, memory: { rssMB: 500, heapMB: 40 }, lastLoss: 1.5, ...extra };
}

function workload(name: WorkloadResult['name'], cells: CellResult[]): WorkloadResult {
  return { name, title: `${name} title`, task: name.endsWith('predict') ? 'predict' : 'train', samples: 100, batchSize: 10, stepsPerEpoch: 10, rounds: 3, cells, ratios: peerRatios(cells) };
}

/** Made-up results in which every target passes but the CNN's epoch time. */
function fakeResults(): BenchResults {
  const workloads = [
    workload('mlp', [
      cell('keras-ts onnx', [100, 110, 90]),
      cell('keras-ts tfjs-wasm', [900, 800, 1000]),
      cell('tfjs-layers tfjs-wasm', [1100, 1200, 1000]),
      cell('keras-ts tfjs-cpu', [9000, 9000, 9000]),
      cell('tfjs-layers tfjs-cpu', [10_000, 10_000, 10_000], { plan: { steps: 2, scaled: true, repeats: 1 }, probeStepMs: 1000 }),
    ]),
    workload('cnn', [
      cell('keras-ts onnx', [1500, 1500, 1500]),
      cell('keras-ts tfjs-wasm', [3000, 3000, 3000]),
      cell('tfjs-layers tfjs-wasm', [undefined, undefined, undefined], { plan: undefined, error: 'no Conv2DBackpropFilter' }),
      cell('keras-ts tfjs-cpu', [60_000, 60_000, 60_000]),
      cell('tfjs-layers tfjs-cpu', [600_000, 600_000, 600_000]),
    ]),
    workload('mlp-predict', [cell('keras-ts onnx', [10, 10, 10]), cell('onnxruntime (raw)', [9, 9, 9], { note: 'outputs agree' })]),
  ];
  const numpy = { version: '2.0', matmulGflops: 100, dispatchMicros: 0.3 };
  const mlpFlops = { formula: '6 x samples x ...', perEpoch: 5e9 };
  return {
    startedAt: '2026-01-01T00:00:00.000Z',
    mode: 'quick',
    cellsInProcess: false,
    machine: { cpus: 2, node: '20', platform: 'linux-x64' },
    seconds: 12,
    workloads,
    dispatch: [{ who: 'keras-ts onnx', microsPerOp: 7 }, { who: 'tfjs-core engine tfjs-wasm', error: 'no wasm' }],
    matmul: [{ who: 'keras-ts onnx', gflops: 80, runs: 5 }],
    numpy,
    mlpFlops,
    targets: evaluateTargets({ workloads, numpy, mlpFlopsPerEpoch: mlpFlops.perEpoch }),
  };
}

describe('ratios and targets', () => {
  it('gives each keras-ts cell a ratio to each peer, none to other keras-ts cells', () => {
    const ratios = fakeResults().workloads[0].ratios;
    expect(Object.keys(ratios)).toEqual(['keras-ts onnx', 'keras-ts tfjs-wasm', 'keras-ts tfjs-cpu']);
    expect(Object.keys(ratios['keras-ts onnx'])).toEqual(['tfjs-layers tfjs-wasm', 'tfjs-layers tfjs-cpu']);
    expect(ratios['keras-ts onnx']['tfjs-layers tfjs-wasm']).toBeCloseTo(0.09090909);
    expect(ratios['keras-ts tfjs-cpu']['tfjs-layers tfjs-cpu']).toBeCloseTo(0.9);
  });

  it('prints PASS, MISS and SKIP with what was measured', () => {
    const byTarget = Object.fromEntries(fakeResults().targets.map((t) => [t.target, t]));
    expect(byTarget['MLP training: keras-ts onnx <= 0.1x tfjs-layers tfjs-wasm'].status).toBe('PASS');
    expect(byTarget['MLP training: keras-ts tfjs-cpu <= 1x tfjs-layers tfjs-cpu'].measured).toBe('0.90x');
    expect(byTarget['CNN training: trains on onnx, tfjs-wasm and tfjs-cpu'].status).toBe('PASS');
    expect(byTarget['CNN training: keras-ts onnx under 1 s an epoch']).toEqual({ status: 'MISS', target: 'CNN training: keras-ts onnx under 1 s an epoch', measured: '1500 ms' });
    expect(byTarget['CNN training (at least 100x faster): keras-ts onnx <= 0.01x tfjs-layers tfjs-cpu'].status).toBe('PASS');
    expect(byTarget['LSTM training: keras-ts onnx <= 0.25x tfjs-layers tfjs-wasm'].status).toBe('SKIP');
    expect(byTarget['MLP prediction: keras-ts onnx <= 1.2x onnxruntime (raw)'].measured).toBe('1.11x');
    const flops = fakeResults().targets.find((t) => t.target.startsWith('MLP training on onnx'));
    // 5 GFLOP in a 100 ms epoch = 50 GFLOP/s, half of numpy's 100.
    expect(flops).toMatchObject({ status: 'PASS', measured: "50.0 GFLOP/s = 50% of numpy's 100.0 (numpy measured after the workloads)" });
  });

  it('takes the FLOP-rate share round by round where numpy\'s matmul ran in the MLP\'s rounds, and keeps it out of the ratios and rows', () => {
    const results = fakeResults();
    const mlp = results.workloads[0];
    // 5 GFLOP an epoch; a 2^31-FLOP matmul in 20, 22 and 18 ms next to epochs of 100, 110 and 90 ms: 46.6% in every round.
    mlp.cells.splice(1, 0, cell('numpy matmul 1024^3', [20, 22, 18], { framework: 'numpy', backend: 'numpy' }));
    mlp.ratios = peerRatios(mlp.cells);
    expect(Object.keys(mlp.ratios['keras-ts onnx'])).toEqual(['tfjs-layers tfjs-wasm', 'tfjs-layers tfjs-cpu']);
    const flops = evaluateTargets({ workloads: results.workloads, numpy: { note: 'not run' }, mlpFlopsPerEpoch: 5e9 }).find((t) => t.target.startsWith('MLP training on onnx'));
    expect(flops).toMatchObject({ status: 'PASS', measured: "50.0 GFLOP/s = 47% of numpy's 107.4 (median of the rounds' shares, numpy measured in each round)" });
    const table = workloadTable(mlp).join('\n');
    expect(table).not.toMatch(/^ {2}numpy matmul 1024\^3 +\d/m);
    expect(table).toContain('numpy matmul 1024^3, measured in every round next to the cells: 20.0 ms = 107.4 GFLOP/s (median)');
  });

  it('misses a ratio target whose peer failed, naming the failure', () => {
    const results = fakeResults();
    results.workloads[0].cells[2] = cell('tfjs-layers tfjs-wasm', [undefined], { error: 'wasm broke' });
    results.workloads[0].ratios = peerRatios(results.workloads[0].cells);
    const [first] = evaluateTargets({ workloads: results.workloads, numpy: results.numpy, mlpFlopsPerEpoch: 1 });
    expect(first).toMatchObject({ status: 'MISS', measured: 'tfjs-layers tfjs-wasm failed (wasm broke)' });
  });

  it('skips the FLOP-rate target with numpy\'s note when numpy is missing', () => {
    const { workloads } = fakeResults();
    const targets = evaluateTargets({ workloads, numpy: { note: 'numpy skipped: python3 has no numpy.' }, mlpFlopsPerEpoch: 1 });
    expect(targets[targets.length - 1]).toMatchObject({ status: 'SKIP', measured: 'numpy skipped: python3 has no numpy.' });
  });
});

describe('report formatting', () => {
  it('aligns columns', () => {
    expect(formatTable(['a', 'bb'], [['long name', '1'], ['x', '22']])).toEqual(['a          bb', '---------  --', 'long name   1', 'x          22']);
  });

  it('marks scaled cells, failures and notes under the workload table', () => {
    const [mlp, cnn, predict] = fakeResults().workloads;
    const mlpLines = workloadTable(mlp).join('\n');
    expect(mlpLines).toContain('10000*');
    expect(mlpLines).toContain('* tfjs-layers tfjs-cpu: 2 of 10 steps timed after warm-up, scaled to an epoch');
    expect(mlpLines).toContain('0.0909x');
    expect(workloadTable(cnn).join('\n')).toContain('FAILED tfjs-layers tfjs-wasm: no Conv2DBackpropFilter');
    expect(workloadTable(predict).join('\n')).toContain('note onnxruntime (raw): outputs agree');
  });

  it('prints dispatch, matmul with numpy, the FLOP formula and the targets', () => {
    const report = formatReport(fakeResults());
    expect(report).toContain('numpy 2.0 (np.add)');
    expect(report).toContain("Each cell ran in a process of its own (one at a time); peak RSS and heap are that process's.");
    expect(formatReport({ ...fakeResults(), cellsInProcess: true })).toContain('Every cell ran in this one process (--in-process)');
    expect(report).toContain('failed: no wasm');
    expect(report).toMatch(/numpy 2\.0\s+100\.0/);
    expect(report).toContain('MLP training FLOPs an epoch: 6 x samples x ... = 5.00 GFLOP');
    expect(report).toMatch(/^MISS {2}CNN training: keras-ts onnx under 1 s an epoch: 1500 ms$/m);
  });

  it('writes JSON with null where a ratio has no pair', () => {
    const results = fakeResults();
    const parsed = JSON.parse(resultsToJson(results)) as BenchResults;
    expect(parsed.workloads[1].ratios['keras-ts onnx']['tfjs-layers tfjs-wasm']).toBeNull();
    expect(parsed.workloads[0].cells[0].epochMs).toEqual([100, 110, 90]);
  });
});

describe('command line', () => {
  it('parses the options', () => {
    expect(parseBenchArguments(['--quick', '--json', 'out.json', '--only', 'mlp,cnn-predict,matmul'])).toEqual({
      help: false,
      options: { quick: true, jsonPath: 'out.json', only: ['mlp', 'cnn-predict', 'matmul'] },
    });
    expect(parseBenchArguments(['--no-json'])).toEqual({ help: false, options: { jsonPath: null } });
    expect(parseBenchArguments(['--in-process'])).toEqual({ help: false, options: { inProcess: true } });
    expect(parseBenchArguments(['--help'])).toEqual({ help: true });
    expect(BENCH_USAGE).toContain('--only NAMES');
  });

  it('says what it expected for a bad argument', () => {
    expect(() => parseBenchArguments(['--only', 'mlp,gpu'])).toThrow("--only got 'gpu'; expected names among mlp, cnn, lstm, mlp-predict, cnn-predict, dispatch, matmul.");
    expect(() => parseBenchArguments(['--json'])).toThrow('--json needs a value. Example: --json results.json');
    expect(() => parseBenchArguments(['--fast'])).toThrow("unknown argument '--fast'.");
  });
});

describe('workloads and data', () => {
  it('are the issue\'s sizes', () => {
    expect([MLP_TRAINING, CNN_TRAINING, LSTM_TRAINING, MLP_PREDICTION, CNN_PREDICTION].map((w) => [w.samples, w.batchSize, stepsPerEpoch(w)])).toEqual([
      [8192, 128, 64], [2048, 64, 32], [4096, 64, 64], [8192, 256, 32], [8192, 256, 32],
    ]);
    expect([MLP_TRAINING, CNN_TRAINING, LSTM_TRAINING].every((w) => w.learningRate === 0.001)).toBe(true);
    expect(mlpTrainingFlops(8192)).toBe(6 * 8192 * (784 * 256 + 256 * 128 + 128 * 10));
  });

  it('is the same for the same seed, one-hot for crossentropy', () => {
    expect(Array.from({ length: 3 }, seededRandom(7))).toEqual(Array.from({ length: 3 }, seededRandom(7)));
    const small = { ...MLP_TRAINING, samples: 50 };
    const data = syntheticData(small);
    expect(data.xShape).toEqual([50, 784]);
    expect(data.yShape).toEqual([50, 10]);
    expect(data.x).toEqual(syntheticData(small).x);
    for (let s = 0; s < 50; s++) expect(data.y.subarray(s * 10, s * 10 + 10).reduce((a, b) => a + b, 0)).toBe(1);
    const part = firstSamples(data, 20);
    expect(part.xShape).toEqual([20, 784]);
    expect(part.x.length).toBe(20 * 784);
    expect(firstSamples(data, 500).xShape[0]).toBe(50);
    const regression = syntheticData({ ...LSTM_TRAINING, samples: 4 });
    expect(regression.xShape).toEqual([4, 20, 8]);
    expect(regression.yShape).toEqual([4, 1]);
  });
});
