/**
 * The targets, checked on one run's numbers (ratios of medians measured in that run) and
 * printed as PASS / MISS lines after the table; SKIP where the workload was left out with --only
 * or numpy is missing.
 */
import type { CellResult } from '../measure/interleave.js';
import { MATMUL_FLOPS } from '../measure/matmul.js';
import type { NumpyResult } from '../measure/numpy.js';
import { NUMPY_MATMUL_CELL_ID } from '../measure/numpy_cell.js';
import { medianPairRatio } from '../measure/statistics.js';
import type { WorkloadName } from '../workloads/workload.js';
import type { TargetResult, WorkloadResult } from './results.js';
import { formatRatio, medianEpochMs } from './table.js';

interface TargetInputs {
  workloads: readonly WorkloadResult[];
  numpy: NumpyResult | undefined;
  mlpFlopsPerEpoch: number;
}

function find(workloads: readonly WorkloadResult[], name: WorkloadName): WorkloadResult | undefined {
  return workloads.find((w) => w.name === name);
}

function cellOf(workload: WorkloadResult, id: string): CellResult | undefined {
  return workload.cells.find((c) => c.id === id);
}

function skipped(target: string, name: WorkloadName): TargetResult {
  return { status: 'SKIP', target, measured: `the '${name}' workload was not run` };
}

function ratioTarget(workloads: readonly WorkloadResult[], name: WorkloadName, label: string, cell: string, peer: string, limit: number): TargetResult {
  const target = `${label}: ${cell} <= ${limit}x ${peer}`;
  const workload = find(workloads, name);
  if (workload === undefined) return skipped(target, name);
  const ratio = workload.ratios[cell]?.[peer];
  if (ratio === undefined || !Number.isFinite(ratio)) {
    const why = [cellOf(workload, cell), cellOf(workload, peer)].find((c) => c?.error !== undefined);
    return { status: 'MISS', target, measured: why ? `${why.id} failed (${why.error})` : 'no round timed both' };
  }
  return { status: ratio <= limit ? 'PASS' : 'MISS', target, measured: formatRatio(ratio) };
}

function trainsEverywhere(workloads: readonly WorkloadResult[]): TargetResult {
  const target = 'CNN training: trains on onnx, tfjs-wasm and tfjs-cpu';
  const workload = find(workloads, 'cnn');
  if (workload === undefined) return skipped(target, 'cnn');
  const ours = workload.cells.filter((c) => c.framework === 'keras-ts');
  const broken = ours.filter((c) => c.error !== undefined || medianEpochMs(c) === undefined || !Number.isFinite(c.lastLoss ?? Number.NaN));
  const losses = ours.map((c) => `${c.backend} loss ${c.lastLoss?.toPrecision(4) ?? '-'}`).join(', ');
  if (ours.length < 3) return { status: 'MISS', target, measured: `only ${ours.length} keras-ts backend(s) ran` };
  if (broken.length > 0) return { status: 'MISS', target, measured: broken.map((c) => `${c.backend}: ${c.error ?? 'no finite loss'}`).join('; ') };
  return { status: 'PASS', target, measured: losses };
}

function cnnEpochUnderOneSecond(workloads: readonly WorkloadResult[]): TargetResult {
  const target = 'CNN training: keras-ts onnx under 1 s an epoch';
  const workload = find(workloads, 'cnn');
  if (workload === undefined) return skipped(target, 'cnn');
  const cell = cellOf(workload, 'keras-ts onnx');
  const ms = cell === undefined ? undefined : medianEpochMs(cell);
  if (ms === undefined) return { status: 'MISS', target, measured: cell?.error ?? 'not timed' };
  return { status: ms < 1000 ? 'PASS' : 'MISS', target, measured: `${ms.toFixed(0)} ms${cell?.plan?.scaled ? ' (scaled)' : ''}` };
}

function mlpFlopRate(inputs: TargetInputs): TargetResult {
  const target = "MLP training on onnx: >= 40% of numpy's 1024^3 matmul GFLOP/s (training FLOPs / epoch time)";
  const workload = find(inputs.workloads, 'mlp');
  if (workload === undefined) return skipped(target, 'mlp');
  const cell = cellOf(workload, 'keras-ts onnx');
  const ms = cell === undefined ? undefined : medianEpochMs(cell);
  const yardstick = cellOf(workload, NUMPY_MATMUL_CELL_ID);
  const gflopsOf = (epochMs: number) => inputs.mlpFlopsPerEpoch / (epochMs / 1000) / 1e9;
  const judge = (share: number, numpyGflops: number, how: string): TargetResult => ({
    status: share >= 0.4 ? 'PASS' : 'MISS',
    target,
    measured: `${gflopsOf(ms as number).toFixed(1)} GFLOP/s = ${(share * 100).toFixed(0)}% of numpy's ${numpyGflops.toFixed(1)} (${how})`,
  });
  if (yardstick !== undefined && yardstick.error === undefined && cell !== undefined && ms !== undefined) {
    // Numpy measured in every round next to the MLP: the median of the rounds' shares, as every ratio here.
    const matmulMs = medianEpochMs(yardstick);
    // A round's share: (FLOPs / epoch) / (matmul FLOPs / matmul time) = matmul time · (FLOPs / matmul FLOPs) / epoch.
    const scaled = yardstick.epochMs.map((t) => (t === undefined ? undefined : t * (inputs.mlpFlopsPerEpoch / MATMUL_FLOPS)));
    const share = medianPairRatio(scaled, cell.epochMs);
    if (matmulMs !== undefined && Number.isFinite(share)) return judge(share, MATMUL_FLOPS / (matmulMs / 1000) / 1e9, 'median of the rounds\' shares, numpy measured in each round');
  }
  if (inputs.numpy?.matmulGflops === undefined) return { status: 'SKIP', target, measured: yardstick?.error ?? inputs.numpy?.note ?? 'numpy was not measured' };
  if (ms === undefined) return { status: 'MISS', target, measured: cell?.error ?? 'not timed' };
  return judge(gflopsOf(ms) / inputs.numpy.matmulGflops, inputs.numpy.matmulGflops, 'numpy measured after the workloads');
}

export function evaluateTargets(inputs: TargetInputs): TargetResult[] {
  const w = inputs.workloads;
  return [
    ratioTarget(w, 'mlp', 'MLP training', 'keras-ts onnx', 'tfjs-layers tfjs-wasm', 0.1),
    ratioTarget(w, 'mlp', 'MLP training', 'keras-ts tfjs-wasm', 'tfjs-layers tfjs-wasm', 1.0),
    ratioTarget(w, 'mlp', 'MLP training', 'keras-ts tfjs-cpu', 'tfjs-layers tfjs-cpu', 1.0),
    trainsEverywhere(w),
    cnnEpochUnderOneSecond(w),
    ratioTarget(w, 'cnn', 'CNN training (at least 100x faster)', 'keras-ts onnx', 'tfjs-layers tfjs-cpu', 0.01),
    ratioTarget(w, 'lstm', 'LSTM training', 'keras-ts onnx', 'tfjs-layers tfjs-wasm', 0.25),
    ratioTarget(w, 'mlp-predict', 'MLP prediction', 'keras-ts onnx', 'onnxruntime (raw)', 1.2),
    ratioTarget(w, 'cnn-predict', 'CNN prediction', 'keras-ts onnx', 'onnxruntime (raw)', 1.2),
    mlpFlopRate(inputs),
  ];
}
