/**
 * keras.callbacks.ProgbarLogger: `Epoch 1/5` and a progress bar per epoch (or per evaluate or
 * predict run), as keras/src/callbacks/progbar_logger.py.
 */
import { Callback, type Logs, type TrainingParams } from './callback.js';
import { Progbar, defaultStream, type ProgbarStream } from '../utils/progbar.js';

export interface ProgbarLoggerOptions {
  /** Where to print; process.stdout by default. */
  stream?: ProgbarStream;
  /** The clock in seconds, for tests. */
  now?: () => number;
}

/** Batch logs in sorted key order, as Keras's CallbackList passes them (pythonify_logs). */
function sortedEntries(logs: Logs | undefined): [string, number][] {
  return Object.entries(logs ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export class ProgbarLogger extends Callback {
  private progbar: Progbar | undefined;
  private seen = 0;
  private target: number | undefined;
  private verbose: 0 | 1 | 2 = 1;
  private epochs = 1;
  /** Inside fit the validation run stays silent. */
  private calledInFit = false;
  private readonly stream: ProgbarStream;
  private readonly now: (() => number) | undefined;

  constructor(options: ProgbarLoggerOptions = {}) {
    super();
    this.stream = options.stream ?? defaultStream();
    this.now = options.now;
  }

  override setParams(params: TrainingParams): void {
    super.setParams(params);
    this.verbose = params.verbose;
    this.epochs = params.epochs;
    this.target = params.steps;
  }

  override onTrainBegin(): void {
    this.calledInFit = true;
  }

  override onTrainEnd(): void {
    // Unlike Keras, forget the fit once it is over, so one logger can serve a later evaluate.
    this.calledInFit = false;
  }

  override onTestBegin(): void {
    if (!this.calledInFit) this.resetProgbar();
  }

  override onPredictBegin(): void {
    this.resetProgbar();
  }

  override onEpochBegin(epoch: number): void {
    this.resetProgbar();
    if (this.verbose && this.epochs > 1) this.stream.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  override onTrainBatchEnd(batch: number, logs?: Logs): void {
    this.updateProgbar(batch, logs);
  }

  override onTestBatchEnd(batch: number, logs?: Logs): void {
    if (!this.calledInFit) this.updateProgbar(batch, logs);
  }

  override onPredictBatchEnd(batch: number): void {
    // Predictions are not metrics: only the count moves.
    this.updateProgbar(batch, undefined);
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    this.finalizeProgbar(logs);
  }

  override onTestEnd(logs?: Logs): void {
    if (!this.calledInFit) this.finalizeProgbar(logs);
  }

  override onPredictEnd(): void {
    this.finalizeProgbar(undefined);
  }

  /** A new bar whose clock starts now, at the start of the epoch or run. */
  private resetProgbar(): void {
    this.seen = 0;
    this.progbar = undefined;
    this.bar();
  }

  private bar(): Progbar {
    this.progbar ??= new Progbar(this.target, { verbose: this.verbose, unitName: 'step', stream: this.stream, now: this.now });
    return this.progbar;
  }

  private updateProgbar(batch: number, logs: Logs | undefined): void {
    const bar = this.bar();
    this.seen = batch + 1;
    if (this.verbose === 1) bar.update(this.seen, sortedEntries(logs), false);
  }

  /** Epoch logs keep their own order: training keys, then val_ keys, then what callbacks added. */
  private finalizeProgbar(logs: Logs | undefined): void {
    const bar = this.bar();
    if (this.target === undefined) {
      // An unsized epoch: its length is now known, for this bar and the next epochs.
      this.target = this.seen;
      bar.target = this.target;
    }
    bar.update(this.target, Object.entries(logs ?? {}), true);
  }
}
