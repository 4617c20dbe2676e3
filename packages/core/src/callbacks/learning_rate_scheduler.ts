/** keras.callbacks.LearningRateScheduler: sets the learning rate from `schedule(epoch, lr)` at each epoch start. */
import { Callback, type Logs } from './callback.js';
import { printMessage } from './messages.js';
import { optimizerOf } from './training_model.js';
import { pythonFloat } from '../utils/python_format.js';

/** The new learning rate from the epoch index (from 0) and the current rate; may be async. */
export type Schedule = (epoch: number, lr: number) => number | Promise<number>;

export class LearningRateScheduler extends Callback {
  constructor(
    readonly schedule: Schedule,
    readonly verbose: 0 | 1 = 0,
  ) {
    super();
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    const optimizer = optimizerOf(this, 'LearningRateScheduler');
    const lr = await this.schedule(epoch, optimizer.learningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr)) {
      throw new TypeError(`The output of the \`schedule\` function should be a float. Got: ${String(lr)}. Fix: return a finite number, e.g. (epoch, lr) => epoch < 10 ? lr : lr * Math.exp(-0.1).`);
    }
    optimizer.learningRate = lr;
    if (this.verbose > 0) printMessage(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${pythonFloat(lr)}.`);
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    if (logs) logs.learning_rate = optimizerOf(this, 'LearningRateScheduler').learningRate;
  }
}
