/** keras.callbacks.History: every epoch's logs, one list per key. fit returns it. */
import { Callback, type Logs } from './callback.js';

export class History extends Callback {
  /** `history.loss[i]` is the loss at the end of the i-th epoch run (so `history.loss.length` epochs). */
  history: Record<string, number[]> = {};
  /** The epoch indices recorded, starting at initialEpoch. */
  epoch: number[] = [];

  override onTrainBegin(): void {
    // As in Keras, `epoch` restarts with each fit while `history` keeps growing when reused.
    this.epoch = [];
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}
