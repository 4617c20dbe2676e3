/**
 * keras.callbacks.ReduceLROnPlateau: multiplies the learning rate by `factor` once the monitored
 * value has not improved for `patience` epochs, then waits `cooldown` epochs before counting again.
 */
import { Callback, type Logs } from './callback.js';
import { checkMode, monitorValue, type MonitorMode } from './monitor.js';
import { printMessage } from './messages.js';
import { optimizerOf } from './training_model.js';
import { pythonFloat } from '../utils/python_format.js';

export interface ReduceLROnPlateauOptions {
  /** The logs key to watch ('val_loss'). */
  monitor?: string;
  /** new_lr = lr * factor; must be below 1 (0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (10). */
  patience?: number;
  verbose?: 0 | 1;
  /** 'min', 'max', or 'auto': max when the monitor's name contains 'acc', else min. */
  mode?: MonitorMode;
  /** An improvement must beat the best by more than this (1e-4). */
  minDelta?: number;
  /** Epochs after a reduction during which no reduction happens (0). */
  cooldown?: number;
  /** The learning rate never goes below this (0). */
  minLr?: number;
}

export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly mode: MonitorMode;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  cooldownCounter = 0;
  wait = 0;
  best = 0;
  private lowerIsBetter = true;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    super();
    this.monitor = options.monitor ?? 'val_loss';
    this.factor = options.factor ?? 0.1;
    if (this.factor >= 1) throw new RangeError(`ReduceLROnPlateau does not support a factor >= 1.0. Received factor=${this.factor}. Fix: a factor below 1, e.g. 0.1 or 0.5.`);
    this.patience = options.patience ?? 10;
    this.verbose = options.verbose ?? 0;
    this.mode = checkMode(options.mode ?? 'auto', 'Learning rate reduction');
    this.minDelta = options.minDelta ?? 1e-4;
    this.cooldown = options.cooldown ?? 0;
    this.minLr = options.minLr ?? 0;
    this.reset();
  }

  private reset(): void {
    this.lowerIsBetter = this.mode === 'min' || (this.mode === 'auto' && !this.monitor.includes('acc'));
    this.best = this.lowerIsBetter ? Infinity : -Infinity;
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  override onTrainBegin(): void {
    this.reset();
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    const optimizer = optimizerOf(this, 'ReduceLROnPlateau');
    // Logged before any change: the rate this epoch trained with.
    if (logs) logs.learning_rate = optimizer.learningRate;
    const current = monitorValue(logs, this.monitor, 'Learning rate reduction is');
    if (current === undefined) return;
    if (this.inCooldown()) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.isImprovement(current)) {
      this.best = current;
      this.wait = 0;
    } else if (!this.inCooldown()) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        const oldLr = optimizer.learningRate;
        // Keras compares with minLr in float32, the optimizer's precision.
        if (oldLr > Math.fround(this.minLr)) {
          const newLr = Math.max(oldLr * this.factor, this.minLr);
          optimizer.learningRate = newLr;
          if (this.verbose > 0) printMessage(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${pythonFloat(newLr)}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }

  inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  private isImprovement(value: number): boolean {
    return this.lowerIsBetter ? value < this.best - this.minDelta : value > this.best + this.minDelta;
  }
}
