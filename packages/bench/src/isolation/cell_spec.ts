/**
 * A cell as plain data (which workload, which framework, which backend): what the bench needs to
 * build a cell here or to ask a process of its own to build it (process_cell.ts).
 */
import type { Cell } from '../measure/interleave.js';
import { KERAS_TS_BACKENDS, kerasTsCell, type KerasTsBackendName, type KerasTsCell } from '../runners/keras_ts.js';
import { rawOnnxRuntimeCell } from '../runners/raw_onnxruntime.js';
import { TFJS_LAYERS_BACKENDS, tfjsLayersCell, type TfjsLayersBackendName } from '../runners/tfjs_layers.js';
import { syntheticData } from '../workloads/data.js';
import { WORKLOADS, type Workload, type WorkloadName } from '../workloads/index.js';

export interface CellSpec {
  readonly workload: WorkloadName;
  readonly framework: Cell['framework'];
  /** A keras-ts backend, a tfjs-layers backend ('tfjs-cpu', 'tfjs-wasm'), or 'onnxruntime-node'. */
  readonly backend: string;
}

/** The raw onnxruntime cell's backend name. */
export const RAW_ONNXRUNTIME_BACKEND = 'onnxruntime-node';

/** The cells of a workload, in the order they run each round: each keras-ts cell next to its peers. */
export function cellSpecs(workload: Workload): CellSpec[] {
  const spec = (framework: Cell['framework'], backend: string): CellSpec => ({ workload: workload.name, framework, backend });
  const specs = [spec('keras-ts', 'onnx')];
  if (workload.task === 'predict') specs.push(spec('onnxruntime', RAW_ONNXRUNTIME_BACKEND));
  specs.push(spec('keras-ts', 'tfjs-wasm'), spec('tfjs-layers', 'tfjs-wasm'), spec('keras-ts', 'tfjs-cpu'), spec('tfjs-layers', 'tfjs-cpu'));
  return specs;
}

/** The id the report shows, e.g. 'keras-ts onnx', 'tfjs-layers tfjs-cpu', 'onnxruntime (raw)'. */
export function cellId(spec: CellSpec): string {
  return spec.framework === 'onnxruntime' ? 'onnxruntime (raw)' : `${spec.framework} ${spec.backend}`;
}

export function workloadNamed(name: string): Workload {
  const workload = WORKLOADS.find((w) => w.name === name);
  if (workload === undefined) throw new Error(`The bench has no workload '${name}'; expected one of ${WORKLOADS.map((w) => w.name).join(', ')}.`);
  return workload;
}

function isKerasTsBackend(name: string): name is KerasTsBackendName {
  return (KERAS_TS_BACKENDS as readonly string[]).includes(name);
}

function isTfjsLayersBackend(name: string): name is TfjsLayersBackendName {
  return Object.keys(TFJS_LAYERS_BACKENDS).includes(name);
}

/**
 * Cells that run in this process, on data made once for all of them. The raw onnxruntime cell
 * exports the keras-ts onnx cell's model when that cell is among them, else a model of its own
 * built the same way (same seed, so the same weights).
 */
export function localCells(workload: Workload, specs: readonly CellSpec[]): Cell[] {
  const data = syntheticData(workload);
  let kerasOnnx: KerasTsCell | undefined;
  const kerasTs = (backend: KerasTsBackendName): KerasTsCell => {
    if (backend !== 'onnx') return kerasTsCell(workload, backend, data);
    kerasOnnx ??= kerasTsCell(workload, 'onnx', data);
    return kerasOnnx;
  };
  return specs.map((spec) => {
    if (spec.workload !== workload.name) throw new Error(`A cell of workload '${spec.workload}' was asked for among the cells of '${workload.name}' (internal error).`);
    if (spec.framework === 'keras-ts' && isKerasTsBackend(spec.backend)) return kerasTs(spec.backend);
    if (spec.framework === 'tfjs-layers' && isTfjsLayersBackend(spec.backend)) return tfjsLayersCell(workload, spec.backend, data);
    if (spec.framework === 'onnxruntime' && spec.backend === RAW_ONNXRUNTIME_BACKEND) return rawOnnxRuntimeCell(workload, data, kerasTs('onnx'));
    throw new Error(`The bench has no cell for ${spec.framework} on '${spec.backend}' (keras-ts: ${KERAS_TS_BACKENDS.join(', ')}; tfjs-layers: ${Object.keys(TFJS_LAYERS_BACKENDS).join(', ')}; onnxruntime: ${RAW_ONNXRUNTIME_BACKEND}).`);
  });
}
