/** LSTM: Input(20, 8) -> LSTM(64) -> Dense(1), mean squared error, 4,096 samples, batch 64. */
import { LEARNING_RATE, type Workload } from './workload.js';

export const LSTM_TRAINING: Workload = {
  name: 'lstm',
  title: 'LSTM training (20 steps x 8 -> LSTM(64) -> Dense(1), 4,096 samples, batch 64)',
  task: 'train',
  inputShape: [20, 8],
  network: [{ kind: 'lstm', units: 64 }, { kind: 'dense', units: 1 }],
  samples: 4096,
  batchSize: 64,
  loss: 'mean_squared_error',
  learningRate: LEARNING_RATE,
};
