/** keras.callbacks.TerminateOnNaN: stops fit at the first batch whose loss is NaN or infinite. */
import { Callback, type Logs } from './callback.js';
import { printMessage } from './messages.js';
import { trainingModel } from './training_model.js';
import { pythonFloat } from '../utils/python_format.js';

export interface TerminateOnNaNOptions {
  /** Throw at once (skipping onTrainEnd of every callback) instead of stopping gracefully (false). */
  raiseError?: boolean;
}

export class TerminateOnNaN extends Callback {
  readonly raiseError: boolean;

  constructor(options: TerminateOnNaNOptions = {}) {
    super();
    this.raiseError = options.raiseError ?? false;
  }

  override onTrainBatchEnd(batch: number, logs?: Logs): void {
    const loss = logs?.loss;
    if (loss === undefined || Number.isFinite(loss)) return;
    if (this.raiseError) {
      throw new Error(`NaN or Inf loss encountered at batch ${batch}. Loss value: ${pythonFloat(loss)}. Terminating training immediately.`);
    }
    printMessage(`Batch ${batch}: Invalid loss, terminating training`);
    trainingModel(this, 'TerminateOnNaN').stopTraining = true;
  }
}
