/**
 * tfjs-layers 4.22 cells: the same network built with tfjs-layers and trained with its fit (or run
 * with its predict) on tfjs's global engine, switched with tf.setBackend('cpu' | 'wasm') before
 * each run. This is the TypeScript Keras the issue compares keras-ts against.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { Cell } from '../measure/interleave.js';
import { firstSamples, type WorkloadData } from '../workloads/data.js';
import { stepsPerEpoch, type LayerSpec, type Workload } from '../workloads/workload.js';
import { registerChainedOps } from './tfjs_chained_ops.js';

/** tfjs's registry name of each backend, and the keras-ts name the report uses for it. */
export const TFJS_LAYERS_BACKENDS = { 'tfjs-cpu': 'cpu', 'tfjs-wasm': 'wasm' } as const;
export type TfjsLayersBackendName = keyof typeof TFJS_LAYERS_BACKENDS;

/** tfjs-layers's Layer class, named through sequential()'s argument (its root exports no type for it). */
type TfjsLayer = NonNullable<NonNullable<Parameters<typeof tfl.sequential>[0]>['layers']>[number];

function tfjsLayer(spec: LayerSpec, inputShape: number[] | undefined): TfjsLayer {
  switch (spec.kind) {
    case 'dense':
      return tfl.layers.dense({ units: spec.units, activation: spec.activation ?? 'linear', inputShape });
    case 'conv2d':
      return tfl.layers.conv2d({ filters: spec.filters, kernelSize: spec.kernelSize, activation: spec.activation, padding: 'valid', inputShape });
    case 'maxPooling2d':
      return tfl.layers.maxPooling2d({ poolSize: spec.poolSize, inputShape });
    case 'flatten':
      return tfl.layers.flatten({ inputShape });
    case 'lstm':
      return tfl.layers.lstm({ units: spec.units, inputShape });
  }
}

/** tfjs-layers's names of the two losses the workloads use. */
const TFJS_LOSSES = { categorical_crossentropy: 'categoricalCrossentropy', mean_squared_error: 'meanSquaredError' } as const;

export function buildTfjsLayersModel(workload: Workload): tfl.Sequential {
  registerChainedOps();
  const model = tfl.sequential({
    layers: workload.network.map((spec, i) => tfjsLayer(spec, i === 0 ? [...workload.inputShape] : undefined)),
  });
  model.compile({ optimizer: tf.train.adam(workload.learningRate), loss: TFJS_LOSSES[workload.loss] });
  return model;
}

/** Quiets tfjs's one-time console lines (the Node banner, the Orthogonal initializer's slowness note) during `action`. */
async function quietly<T>(action: () => Promise<T>): Promise<T> {
  const { log, warn } = console;
  console.log = () => undefined;
  console.warn = () => undefined;
  try {
    return await action();
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

/** tfjs-backend-wasm 4.22 lacks some gradient kernels, so some networks cannot train on it through tfjs: said so in the report. */
function explainMissingKernel(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  const missing = /Kernel '(\w+)' not registered for backend 'wasm'/.exec(message);
  if (missing === null) throw error;
  throw new Error(`tfjs-layers cannot train this network on tfjs-wasm: tfjs-backend-wasm 4.22 registers no '${missing[1]}' kernel (tfjs issue 8474).`, { cause: error });
}

export function tfjsLayersCell(workload: Workload, backendName: TfjsLayersBackendName, data: WorkloadData): Cell {
  const registryName = TFJS_LAYERS_BACKENDS[backendName];
  let model: tfl.Sequential | undefined;
  // Tensors of the first n samples, made once per size on this cell's backend.
  const tensors = new Map<number, { x: tf.Tensor; y: tf.Tensor }>();
  const tensorsOf = (count: number) => {
    const part = firstSamples(data, count);
    const n = part.xShape[0];
    let pair = tensors.get(n);
    if (pair === undefined) {
      pair = { x: tf.tensor(part.x, [...part.xShape]), y: tf.tensor(part.y, [...part.yShape]) };
      tensors.set(n, pair);
    }
    return pair;
  };
  const switchBackend = async () => {
    if (!(await tf.setBackend(registryName))) throw new Error(`tfjs could not start its '${registryName}' backend.`);
  };
  return {
    id: `tfjs-layers ${backendName}`,
    framework: 'tfjs-layers',
    backend: backendName,
    stepsPerEpoch: stepsPerEpoch(workload),
    async setup() {
      await quietly(async () => {
        await switchBackend();
        model = buildTfjsLayersModel(workload);
      });
    },
    async prepare(steps: number) {
      // tfjs-layers users upload their data as tensors before fit, so the upload is not timed;
      // keras-ts is handed the arrays and converts each batch inside fit, as its users' code does.
      await switchBackend();
      tensorsOf(steps * workload.batchSize);
    },
    async run(steps: number) {
      if (model === undefined) throw new Error(`The tfjs-layers ${backendName} cell of '${workload.name}' ran before its setup.`);
      await switchBackend();
      const { x, y } = tensorsOf(steps * workload.batchSize);
      if (workload.task === 'predict') {
        const out = model.predict(x, { batchSize: workload.batchSize }) as tf.Tensor;
        out.dataSync();
        out.dispose();
        return undefined;
      }
      const history = await model.fit(x, y, { epochs: 1, batchSize: workload.batchSize, shuffle: false, verbose: 0 }).catch(explainMissingKernel);
      const losses = history.history.loss as number[];
      return losses[losses.length - 1];
    },
    dispose() {
      for (const { x, y } of tensors.values()) tf.dispose([x, y]);
      tensors.clear();
      model?.dispose();
      model = undefined;
    },
  };
}
