/**
 * keras.callbacks.EarlyStopping: stops fit once the monitored value has not improved for
 * `patience` epochs, optionally restoring the weights of the best epoch.
 */
import { dispose, keep } from '../runtime/tidy.js';
import type { Tensor } from '../tensor/tensor.js';
import { Callback, type Logs } from './callback.js';
import { checkMode, monitorValue, type MonitorMode } from './monitor.js';
import { printMessage } from './messages.js';
import { trainingModel, type TrainingModel } from './training_model.js';

export interface EarlyStoppingOptions {
  /** The logs key to watch ('val_loss'). */
  monitor?: string;
  /** A change smaller than this is no improvement (0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (0). */
  patience?: number;
  verbose?: 0 | 1;
  /** 'min', 'max', or 'auto': min for losses, else the compiled metric's direction. */
  mode?: MonitorMode;
  /** Training stops unless the value beats this within `patience` epochs. */
  baseline?: number;
  /** Set the weights of the best epoch back at the end of training (false). */
  restoreBestWeights?: boolean;
  /** Epochs of warm-up before monitoring starts (0). */
  startFromEpoch?: number;
}

/** The weights, kept out of any enclosing tidy scope: they must outlive the epoch. */
function heldWeights(model: TrainingModel): Tensor[] {
  return model.getWeights().map((t) => keep(t));
}

export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  readonly mode: MonitorMode;
  /** Signed by the direction once known: negative when lower is better. */
  private minDelta: number;
  private lowerIsBetter: boolean | undefined;
  best = NaN;
  wait = 0;
  stoppedEpoch = 0;
  bestEpoch = 0;
  private bestWeights: Tensor[] | undefined;

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    this.monitor = options.monitor ?? 'val_loss';
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.patience = options.patience ?? 0;
    this.verbose = options.verbose ?? 0;
    this.baseline = options.baseline;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.startFromEpoch = options.startFromEpoch ?? 0;
    this.mode = checkMode(options.mode ?? 'auto', 'EarlyStopping');
  }

  /** Decided at the first epoch end, when the model's metrics exist. */
  private setDirection(): void {
    let lower: boolean | undefined = this.mode === 'min' ? true : this.mode === 'max' ? false : undefined;
    if (lower === undefined) {
      const name = this.monitor.startsWith('val_') ? this.monitor.slice(4) : this.monitor;
      const metric = trainingModel(this, 'EarlyStopping').metrics?.find((m) => m.name === name && m.direction);
      if (name === 'loss') lower = true;
      else if (metric) lower = metric.direction === 'down';
      // Accuracy metrics go up; the model may not list its metrics' directions yet.
      else if (name.includes('acc')) lower = false;
    }
    if (lower === undefined) {
      throw new Error(
        `EarlyStopping callback received monitor=${this.monitor} but Keras isn't able to automatically determine whether that metric should be maximized or minimized. ` +
          `Pass \`mode: 'max'\` in order to do early stopping based on the highest metric value, or pass \`mode: 'min'\` in order to use the lowest value.`,
      );
    }
    this.lowerIsBetter = lower;
    if (lower) this.minDelta *= -1;
    this.best = lower ? Infinity : -Infinity;
  }

  override onTrainBegin(): void {
    // Reusable across fits: each starts with a clean count.
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestEpoch = 0;
    this.dropBestWeights();
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    if (this.lowerIsBetter === undefined) this.setDirection();
    const current = monitorValue(logs, this.monitor, 'Early stopping');
    if (current === undefined || epoch < this.startFromEpoch) return;
    const model = trainingModel(this, 'EarlyStopping');
    if (this.restoreBestWeights && this.bestWeights === undefined) {
      // Until something improves, the first monitored epoch is the best.
      this.bestWeights = heldWeights(model);
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) {
        this.dropBestWeights();
        this.bestWeights = heldWeights(model);
      }
      // The count restarts only when the baseline is beaten too.
      if (this.baseline === undefined || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) printMessage(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== undefined) {
      if (this.verbose > 0) printMessage(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      // setWeights copies the values, so the held copies can go.
      trainingModel(this, 'EarlyStopping').setWeights(this.bestWeights);
      this.dropBestWeights();
    }
  }

  private isImprovement(value: number, reference: number): boolean {
    return this.lowerIsBetter ? value - this.minDelta < reference : value - this.minDelta > reference;
  }

  private dropBestWeights(): void {
    if (this.bestWeights) dispose(this.bestWeights);
    this.bestWeights = undefined;
  }
}
