/**
 * MLP: Input(784) -> Dense(256, relu) -> Dense(128, relu) -> Dense(10, softmax), categorical
 * crossentropy on one-hot labels, 8,192 samples, batch 128.
 */
import { LEARNING_RATE, type LayerSpec, type Workload } from './workload.js';

export const MLP_NETWORK: readonly LayerSpec[] = [
  { kind: 'dense', units: 256, activation: 'relu' },
  { kind: 'dense', units: 128, activation: 'relu' },
  { kind: 'dense', units: 10, activation: 'softmax' },
];

export const MLP_TRAINING: Workload = {
  name: 'mlp',
  title: 'MLP training (784-256-128-10, 8,192 samples, batch 128)',
  task: 'train',
  inputShape: [784],
  network: MLP_NETWORK,
  samples: 8192,
  batchSize: 128,
  loss: 'categorical_crossentropy',
  learningRate: LEARNING_RATE,
};

/**
 * Floating-point operations of one MLP training epoch: each Dense of `in` inputs and `out` units
 * does in*out multiply-adds a sample forward (2 FLOPs each) and twice that backward (the
 * gradients of its input and of its kernel), so 6 * samples * sum(in * out). Bias adds,
 * activations, the loss and Adam's updates are left out (under 1% here).
 */
export function mlpTrainingFlops(samples: number): number {
  let previous = 784;
  let multiplyAdds = 0;
  for (const layer of MLP_NETWORK) {
    if (layer.kind !== 'dense') continue;
    multiplyAdds += previous * layer.units;
    previous = layer.units;
  }
  return 6 * samples * multiplyAdds;
}

export const MLP_FLOP_FORMULA = '6 x samples x (784*256 + 256*128 + 128*10) multiply-add FLOPs (forward 2, backward 4 per multiply-add; bias, activations, loss and Adam left out)';
