/** Prediction of the MLP and the CNN (their untrained, seeded weights) on 8,192 samples, batch 256. */
import { CNN_TRAINING } from './cnn.js';
import { MLP_TRAINING } from './mlp.js';
import type { Workload } from './workload.js';

export const MLP_PREDICTION: Workload = {
  ...MLP_TRAINING,
  name: 'mlp-predict',
  title: 'MLP prediction (8,192 samples, batch 256)',
  task: 'predict',
  samples: 8192,
  batchSize: 256,
};

export const CNN_PREDICTION: Workload = {
  ...CNN_TRAINING,
  name: 'cnn-predict',
  title: 'CNN prediction (8,192 samples, batch 256)',
  task: 'predict',
  samples: 8192,
  batchSize: 256,
};
