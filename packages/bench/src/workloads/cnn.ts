/**
 * CNN: Input(28, 28, 1) -> Conv2D(32, 3x3, relu, valid) -> MaxPooling2D(2) -> Conv2D(64, 3x3,
 * relu, valid) -> MaxPooling2D(2) -> Flatten -> Dense(10, softmax), 2,048 samples, batch 64,
 * categorical crossentropy on one-hot labels.
 */
import { LEARNING_RATE, type LayerSpec, type Workload } from './workload.js';

export const CNN_NETWORK: readonly LayerSpec[] = [
  { kind: 'conv2d', filters: 32, kernelSize: 3, activation: 'relu' },
  { kind: 'maxPooling2d', poolSize: 2 },
  { kind: 'conv2d', filters: 64, kernelSize: 3, activation: 'relu' },
  { kind: 'maxPooling2d', poolSize: 2 },
  { kind: 'flatten' },
  { kind: 'dense', units: 10, activation: 'softmax' },
];

export const CNN_TRAINING: Workload = {
  name: 'cnn',
  title: 'CNN training (2 conv + 2 pool + dense, 2,048 samples, batch 64)',
  task: 'train',
  inputShape: [28, 28, 1],
  network: CNN_NETWORK,
  samples: 2048,
  batchSize: 64,
  loss: 'categorical_crossentropy',
  learningRate: LEARNING_RATE,
};
