/**
 * What training needs from an optimizer. The optimizers in this folder implement it; fit and
 * callbacks (ReduceLROnPlateau, LearningRateScheduler) use only this.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../runtime/variable.js';

export interface TrainingOptimizer {
  /** The current learning rate (a schedule's value at the current iteration). Settable when it is a number. */
  learningRate: number;
  /** The number of updates applied so far. */
  readonly iterations: number;
  /** Applies one update: `grads[i]` is the gradient of `variables[i]`. Frees nothing the caller owns. */
  applyGradients(gradsAndVariables: readonly (readonly [Tensor, Variable])[]): void;
  /** The optimizer's own state (iterations, moments), for saving and for summary's "Optimizer params". */
  readonly variables: Variable[];
  /** True once the state variables exist (after the first update, or build). */
  readonly built: boolean;
  getConfig(): Record<string, unknown>;
  /**
   * Runs one training step `fn` with a schedule's learning rate computed beforehand (on the host)
   * into a variable, so that a compiled step reads it as a tensor rather than reading the iteration
   * count. Optional: optimizers without it are called as they are.
   */
  duringStep?<T>(fn: () => T): T;
}
