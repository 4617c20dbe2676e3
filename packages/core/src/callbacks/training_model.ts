/**
 * What the built-in callbacks use of the model being trained. fit gives Model these members; the
 * callbacks see the model through this interface, so any object offering them can be driven.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { TrainingOptimizer } from '../optimizers/optimizer_interface.js';
import type { Callback } from './callback.js';

export interface TrainingModel {
  /** fit stops after the current batch or epoch once a callback sets this. */
  stopTraining: boolean;
  /** The compiled optimizer; ReduceLROnPlateau and LearningRateScheduler set its learningRate. */
  optimizer?: TrainingOptimizer;
  /** Copies of the weight values, owned by the caller. */
  getWeights(): Tensor[];
  setWeights(values: readonly Tensor[]): void;
  /** Compiled metrics with their direction (Keras's `_direction`), when the model has them. */
  metrics?: readonly { name: string; direction?: 'up' | 'down' }[];
  /** Names of the values fit logs (with val_ ones), when known before the first epoch. */
  metricsNames?: readonly string[];
}

export function trainingModel(callback: Callback, who: string): TrainingModel {
  if (!callback.model) {
    throw new Error(`${who}: no model is set. fit sets it before training; to drive the callback yourself, call setModel(model) first.`);
  }
  return callback.model as unknown as TrainingModel;
}

export function optimizerOf(callback: Callback, who: string): TrainingOptimizer {
  const optimizer = trainingModel(callback, who).optimizer;
  if (!optimizer || typeof optimizer.learningRate !== 'number') {
    throw new Error(`${who}: the model has no optimizer with a learningRate. Fix: compile the model with an optimizer before fit.`);
  }
  return optimizer;
}
