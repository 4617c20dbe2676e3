/**
 * The raw onnxruntime cell of a prediction workload: the keras-ts model exported to ONNX (same
 * weights) and run through onnxruntime-node's public InferenceSession (2 intra-op threads, every
 * graph optimization), batch by batch, the floor that keras-ts's onnx backend is measured against.
 */
import { exportOnnx } from '@keras-ts/backend-onnx';
import * as ort from 'onnxruntime-node';
import type { Cell } from '../measure/interleave.js';
import { firstSamples, type WorkloadData } from '../workloads/data.js';
import { outputUnits, stepsPerEpoch, type Workload } from '../workloads/workload.js';
import type { KerasTsCell } from './keras_ts.js';

/** Largest |difference| between ORT's and keras-ts's predictions over which the cell still counts as the same network. */
export const AGREEMENT_TOLERANCE = 1e-4;

export function rawOnnxRuntimeCell(workload: Workload, data: WorkloadData, reference: KerasTsCell): Cell {
  let session: ort.InferenceSession | undefined;
  let note: string | undefined;
  const units = outputUnits(workload);
  const perSample = data.x.length / data.xShape[0];

  const predict = async (count: number): Promise<Float32Array> => {
    if (session === undefined) throw new Error(`The raw onnxruntime cell of '${workload.name}' ran before its setup.`);
    const part = firstSamples(data, count);
    const n = part.xShape[0];
    const result = new Float32Array(n * units);
    const [inputName] = session.inputNames;
    const [outputName] = session.outputNames;
    for (let start = 0; start < n; start += workload.batchSize) {
      const end = Math.min(n, start + workload.batchSize);
      const x = new ort.Tensor('float32', part.x.subarray(start * perSample, end * perSample), [end - start, ...workload.inputShape]);
      const out = await session.run({ [inputName]: x });
      result.set(out[outputName].data as Float32Array, start * units);
    }
    return result;
  };

  return {
    id: 'onnxruntime (raw)',
    framework: 'onnxruntime',
    backend: 'onnxruntime-node',
    stepsPerEpoch: stepsPerEpoch(workload),
    get note() {
      return note;
    },
    async setup() {
      // The keras-ts onnx cell's model when it shares this process and is set up; else one of its own (same seed, same weights).
      if (reference.model === undefined) await reference.setup();
      const model = reference.model;
      if (model === undefined) throw new Error(`The raw onnxruntime cell of '${workload.name}' found no keras-ts onnx model to export (internal error).`);
      const bytes = exportOnnx(model);
      session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
      // Same weights, same outputs: checked on one batch before anything is timed.
      const ours = await reference.predictFirst(workload.batchSize);
      const theirs = await predict(workload.batchSize);
      let largest = 0;
      for (let i = 0; i < ours.length; i++) largest = Math.max(largest, Math.abs(ours[i] - theirs[i]));
      note = `outputs agree with keras-ts onnx within ${largest.toExponential(1)} (tolerance ${AGREEMENT_TOLERANCE})`;
      if (!(largest <= AGREEMENT_TOLERANCE)) {
        throw new Error(`The exported ONNX graph's predictions differ from keras-ts's by up to ${largest} (expected at most ${AGREEMENT_TOLERANCE}): the two would not be the same network.`);
      }
    },
    async run(steps: number) {
      await predict(steps * workload.batchSize);
      return undefined;
    },
    async dispose() {
      await session?.release();
      session = undefined;
    },
  };
}
