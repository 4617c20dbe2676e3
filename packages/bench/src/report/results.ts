/** The shape of one bench run's results: what the table prints and the JSON file holds. */
import type { DispatchResult } from '../measure/dispatch.js';
import type { CellResult } from '../measure/interleave.js';
import type { MatmulResult } from '../measure/matmul.js';
import type { NumpyResult } from '../measure/numpy.js';
import type { Workload, WorkloadName } from '../workloads/workload.js';

export interface WorkloadResult {
  name: WorkloadName;
  title: string;
  task: Workload['task'];
  samples: number;
  batchSize: number;
  stepsPerEpoch: number;
  rounds: number;
  cells: CellResult[];
  /** ratios[cell id][peer id]: the median over rounds of the cell's epoch time over the peer's. */
  ratios: Record<string, Record<string, number>>;
}

export type TargetStatus = 'PASS' | 'MISS' | 'SKIP';

export interface TargetResult {
  status: TargetStatus;
  /** What is required, e.g. 'MLP training: keras-ts onnx <= 0.1x tfjs-layers tfjs-wasm'. */
  target: string;
  /** What was measured, or why nothing was. */
  measured: string;
}

export interface BenchResults {
  startedAt: string;
  mode: 'full' | 'quick';
  /** True when every cell ran in the bench's own process (--in-process); by default each cell has a process of its own. */
  cellsInProcess: boolean;
  machine: { cpus: number; node: string; platform: string };
  seconds: number;
  workloads: WorkloadResult[];
  dispatch: DispatchResult[];
  matmul: MatmulResult[];
  numpy?: NumpyResult;
  mlpFlops: { formula: string; perEpoch: number };
  targets: TargetResult[];
}
