/**
 * What a benchmark workload is: one network, described once as a list of layer specifications so
 * that keras-ts and tfjs-layers build the same layers from it, plus its data sizes, loss and task.
 */

/** One layer of a benchmark network, in the words both frameworks share. */
export type LayerSpec =
  | { readonly kind: 'dense'; readonly units: number; readonly activation?: 'relu' | 'softmax' }
  | { readonly kind: 'conv2d'; readonly filters: number; readonly kernelSize: number; readonly activation: 'relu' }
  | { readonly kind: 'maxPooling2d'; readonly poolSize: number }
  | { readonly kind: 'flatten' }
  | { readonly kind: 'lstm'; readonly units: number };

export type WorkloadName = 'mlp' | 'cnn' | 'lstm' | 'mlp-predict' | 'cnn-predict';

export const WORKLOAD_NAMES: readonly WorkloadName[] = ['mlp', 'cnn', 'lstm', 'mlp-predict', 'cnn-predict'];

export interface Workload {
  readonly name: WorkloadName;
  /** The line the report prints for it. */
  readonly title: string;
  readonly task: 'train' | 'predict';
  /** The shape of one sample, without the batch axis. */
  readonly inputShape: readonly number[];
  readonly network: readonly LayerSpec[];
  readonly samples: number;
  readonly batchSize: number;
  /** Categorical crossentropy trains on one-hot labels; mean squared error on one target a sample. */
  readonly loss: 'categorical_crossentropy' | 'mean_squared_error';
  readonly learningRate: number;
}

/** Batches in one epoch (the last one may be partial). */
export function stepsPerEpoch(workload: Workload): number {
  return Math.ceil(workload.samples / workload.batchSize);
}

/** Elements of one sample's input. */
export function sampleSize(workload: Workload): number {
  return workload.inputShape.reduce((a, b) => a * b, 1);
}

/** Units of the network's last layer: the width of one label. */
export function outputUnits(workload: Workload): number {
  const last = workload.network[workload.network.length - 1];
  if (last.kind !== 'dense') throw new Error(`Workload '${workload.name}' must end with a Dense layer, got a '${last.kind}' layer.`);
  return last.units;
}

/** Adam at 0.001, the optimizer for every training workload. */
export const LEARNING_RATE = 0.001;
