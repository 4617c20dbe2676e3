/** The five workloads, in the order the bench runs them. */
import { CNN_TRAINING } from './cnn.js';
import { LSTM_TRAINING } from './lstm.js';
import { MLP_TRAINING } from './mlp.js';
import { CNN_PREDICTION, MLP_PREDICTION } from './predict.js';
import type { Workload } from './workload.js';

export const WORKLOADS: readonly Workload[] = [MLP_TRAINING, CNN_TRAINING, LSTM_TRAINING, MLP_PREDICTION, CNN_PREDICTION];

export * from './workload.js';
export { MLP_TRAINING, mlpTrainingFlops, MLP_FLOP_FORMULA } from './mlp.js';
export { CNN_TRAINING } from './cnn.js';
export { LSTM_TRAINING } from './lstm.js';
export { MLP_PREDICTION, CNN_PREDICTION } from './predict.js';
export { syntheticData, firstSamples, seededRandom, type WorkloadData } from './data.js';
