/**
 * @keras-ts/bench: keras-ts on each backend side by side with tfjs-layers 4.22 and raw
 * onnxruntime-node, on the workloads, reported as interleaved ratios (README.md).
 */
export { runBench, FULL_SETTINGS, QUICK_SETTINGS, type BenchOptions } from './run_bench.js';
export { SECTION_NAMES, type SectionName } from './sections.js';
export { parseBenchArguments, BENCH_USAGE, benchMain } from './cli_arguments.js';
export { runInterleaved, planSteps, scaleToEpoch, type Cell, type CellPlan, type CellResult, type InterleaveOptions } from './measure/interleave.js';
export { median, medianPairRatio } from './measure/statistics.js';
export { PeakMemorySampler, type PeakMemory } from './measure/memory.js';
export { formatReport, formatTable, workloadTable } from './report/table.js';
export { evaluateTargets } from './report/targets.js';
export { peerRatios } from './report/ratios.js';
export { resultsToJson, writeResultsJson } from './report/json.js';
export type { BenchResults, WorkloadResult, TargetResult, TargetStatus } from './report/results.js';
export * from './workloads/index.js';

export const BENCH_PACKAGE = '@keras-ts/bench';
