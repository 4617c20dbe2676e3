/**
 * keras-ts cells: the workload's network built with keras-ts's public API on one backend, trained
 * with model.fit or run with model.predict on the seeded data, as a user would.
 *
 * Tensors live on the backend that made them, so each cell builds its own model on its backend
 * once and switches to that backend (keras.setBackend, cheap once started) before each run.
 */
import * as keras from '@keras-ts/core';
import { backendFactories as onnxFactories } from '@keras-ts/backend-onnx';
import { backendFactories as tfjsFactories } from '@keras-ts/backend-tfjs';
import type { Cell } from '../measure/interleave.js';
import { firstSamples, type WorkloadData } from '../workloads/data.js';
import { stepsPerEpoch, type LayerSpec, type Workload } from '../workloads/workload.js';

/** keras-ts's backends, fastest first. */
export const KERAS_TS_BACKENDS = ['onnx', 'tfjs-wasm', 'tfjs-cpu'] as const;
export type KerasTsBackendName = (typeof KERAS_TS_BACKENDS)[number];

let registered = false;

/**
 * Registers the three built-in backends from the adapter packages this package depends on, as the
 * keras-ts package does: core alone looks adapters up from the working directory, which misses
 * them under pnpm's strict layout when the bench runs from elsewhere.
 */
export function registerKerasTsBackends(): void {
  if (registered) return;
  const factories = { ...onnxFactories, ...tfjsFactories };
  for (const name of KERAS_TS_BACKENDS) {
    const entry = factories[name];
    if (entry === undefined) throw new Error(`The bench expected the adapter packages to provide the backend '${name}', but none does.`);
    keras.registerBackend(name, entry.create, { priority: keras.BUILTIN_BACKENDS[name]?.priority, createSync: entry.createSync });
  }
  registered = true;
}

function kerasLayer(spec: LayerSpec): keras.layers.Layer {
  const { layers } = keras;
  switch (spec.kind) {
    case 'dense':
      return new layers.Dense({ units: spec.units, activation: spec.activation });
    case 'conv2d':
      return new layers.Conv2D({ filters: spec.filters, kernelSize: spec.kernelSize, activation: spec.activation, padding: 'valid' });
    case 'maxPooling2d':
      return new layers.MaxPooling2D({ poolSize: spec.poolSize });
    case 'flatten':
      return new layers.Flatten();
    case 'lstm':
      return new layers.LSTM({ units: spec.units });
  }
}

/** The workload's network as a compiled keras-ts Sequential model on the current backend. */
export function buildKerasTsModel(workload: Workload, seed = 42): keras.Model {
  keras.utils.setRandomSeed(seed);
  const model = new keras.Sequential([keras.Input({ shape: [...workload.inputShape] }), ...workload.network.map(kerasLayer)]);
  model.compile({ optimizer: new keras.optimizers.Adam({ learningRate: workload.learningRate }), loss: workload.loss });
  return model;
}

export interface KerasTsCell extends Cell {
  /** The cell's model, once set up (the raw onnxruntime cell exports it). */
  readonly model: keras.Model | undefined;
  /** Prediction of the first `count` samples, for the raw onnxruntime cell's agreement check. */
  predictFirst(count: number): Promise<Float32Array>;
}

export function kerasTsCell(workload: Workload, backendName: KerasTsBackendName, data: WorkloadData): KerasTsCell {
  let model: keras.Model | undefined;
  const steps = stepsPerEpoch(workload);
  const ready = (): keras.Model => {
    if (model === undefined) throw new Error(`The keras-ts ${backendName} cell of '${workload.name}' ran before its setup.`);
    return model;
  };
  const predictFirst = async (count: number): Promise<Float32Array> => {
    await keras.setBackend(backendName);
    const part = firstSamples(data, count);
    const out = (await ready().predict({ data: part.x, shape: part.xShape }, { batchSize: workload.batchSize, verbose: 0 })) as keras.Tensor;
    const values = Float32Array.from(out.dataSync() as Float32Array);
    out.dispose();
    return values;
  };
  return {
    id: `keras-ts ${backendName}`,
    framework: 'keras-ts',
    backend: backendName,
    stepsPerEpoch: steps,
    get model() {
      return model;
    },
    predictFirst,
    async setup() {
      registerKerasTsBackends();
      await keras.setBackend(backendName);
      model = buildKerasTsModel(workload);
    },
    async run(count: number) {
      await keras.setBackend(backendName);
      const part = firstSamples(data, count * workload.batchSize);
      if (workload.task === 'predict') {
        await predictFirst(part.xShape[0]);
        return undefined;
      }
      const history = await ready().fit({ data: part.x, shape: part.xShape }, { data: part.y, shape: part.yShape }, {
        epochs: 1,
        batchSize: workload.batchSize,
        shuffle: false,
        verbose: 0,
      });
      const losses = history.history.loss ?? [];
      return losses[losses.length - 1];
    },
    dispose() {
      // The weights and the optimizer's state stay until the process ends: the backend switch
      // needed to free them here would cost more than the memory they hold.
      model = undefined;
    },
  };
}
