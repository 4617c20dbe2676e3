/**
 * keras.callbacks.ModelCheckpoint: saves the model (a `.keras` file) or its weights (a
 * `.weights.h5` file) during fit, every epoch or every `saveFreq` batches, optionally only when the
 * monitored value improves. The file path is a Python format string filled with the epoch, the
 * batch and the logs ('ckpt-{epoch:02d}-{val_loss:.2f}.keras'). Saves go through model.save and
 * model.saveWeights, which write atomically, so an interrupted fit never leaves half a checkpoint.
 */
import { formatFixed } from '../utils/python_format.js';
import { Callback, type Logs } from './callback.js';
import { formatCheckpointPath, type PathValue } from './checkpoint_path.js';
import { printMessage } from './messages.js';
import { checkMode, type MonitorMode } from './monitor.js';
import { trainingModel } from './training_model.js';

export interface ModelCheckpointOptions {
  /** The logs key to compare with saveBestOnly ('val_loss'). */
  monitor?: string;
  /** 1 prints a line each time the callback saves or skips a save (0). */
  verbose?: 0 | 1;
  /** Save only when the monitored value beats the best so far (false). */
  saveBestOnly?: boolean;
  /** Save only the weights, with model.saveWeights; the path must end in '.weights.h5' (false). */
  saveWeightsOnly?: boolean;
  /** 'min', 'max', or 'auto': min for losses, else the compiled metric's direction. */
  mode?: MonitorMode;
  /** 'epoch' saves at each epoch end; a number saves every that many batches ('epoch'). */
  saveFreq?: 'epoch' | number;
  /** The "best" value to beat before the first save, with saveBestOnly. */
  initialValueThreshold?: number;
}

export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly verbose: 0 | 1;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly mode: MonitorMode;
  readonly saveFreq: 'epoch' | number;
  /** The best monitored value so far; undefined until the first comparison. */
  best: number | undefined;
  private lowerIsBetter: boolean | undefined;
  private currentEpoch = 0;
  private batchesSinceLastSave = 0;
  private lastBatchSeen = 0;

  constructor(filepath: string, options: ModelCheckpointOptions = {}) {
    super();
    if (typeof filepath !== 'string' || filepath.length === 0) {
      throw new TypeError(`ModelCheckpoint: expected a file path such as 'checkpoint.keras' or 'ckpt-{epoch:02d}.weights.h5', got ${JSON.stringify(filepath)}.`);
    }
    this.filepath = filepath;
    this.monitor = options.monitor ?? 'val_loss';
    this.verbose = options.verbose ?? 0;
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.saveWeightsOnly = options.saveWeightsOnly ?? false;
    this.mode = checkMode(options.mode ?? 'auto', 'ModelCheckpoint');
    this.saveFreq = options.saveFreq ?? 'epoch';
    this.best = options.initialValueThreshold;
    if (this.saveFreq !== 'epoch' && !(Number.isInteger(this.saveFreq) && this.saveFreq > 0)) {
      throw new Error(`Unrecognized save_freq: ${String(this.saveFreq)}. Expected save_freq are 'epoch' or integer values (a positive number of batches).`);
    }
    if (this.saveWeightsOnly) {
      if (!filepath.endsWith('.weights.h5')) {
        throw new Error(
          'When using `saveWeightsOnly: true` in `ModelCheckpoint`, the filepath provided must end in `.weights.h5` (Keras weights format). ' +
            `Received: filepath=${filepath}. Fix: e.g. '${filepath.replace(/(\.weights)?\.(h5|keras)$/, '')}.weights.h5'.`,
        );
      }
    } else if (!filepath.endsWith('.keras')) {
      throw new Error(
        `The filepath provided must end in \`.keras\` (Keras model format). Received: filepath=${filepath}. ` +
          `Fix: end it in '.keras', or pass saveWeightsOnly: true with a '.weights.h5' path.`,
      );
    }
  }

  override onTrainBegin(): void {
    this.batchesSinceLastSave = 0;
    this.lastBatchSeen = 0;
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  override async onTrainBatchEnd(batch: number, logs?: Logs): Promise<void> {
    if (this.shouldSaveOnBatch(batch)) await this.saveModel(this.currentEpoch, batch, logs);
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') await this.saveModel(epoch, undefined, logs);
  }

  /** Counts batches across epochs: a batch index that does not grow starts a new epoch. */
  private shouldSaveOnBatch(batch: number): boolean {
    if (this.saveFreq === 'epoch') return false;
    const added = batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen;
    this.batchesSinceLastSave += added;
    this.lastBatchSeen = batch;
    if (this.batchesSinceLastSave >= this.saveFreq) {
      this.batchesSinceLastSave = 0;
      return true;
    }
    return false;
  }

  /** min or max, decided when first needed, once the model's metrics exist. */
  private isLowerBetter(): boolean {
    if (this.lowerIsBetter !== undefined) return this.lowerIsBetter;
    let lower: boolean | undefined = this.mode === 'min' ? true : this.mode === 'max' ? false : undefined;
    if (lower === undefined) {
      const name = this.monitor.startsWith('val_') ? this.monitor.slice(4) : this.monitor;
      const metric = trainingModel(this, 'ModelCheckpoint').metrics?.find((m) => m.name === name && m.direction);
      if (name === 'loss') lower = true;
      else if (metric) lower = metric.direction === 'down';
      // Accuracy metrics go up; the model may not list its metrics' directions yet.
      else if (name.includes('acc')) lower = false;
    }
    if (lower === undefined) {
      throw new Error(
        `ModelCheckpoint callback received monitor=${this.monitor}, but Keras isn't able to automatically determine whether that metric should be maximized or minimized. ` +
          `Pass \`mode: 'max'\` in order to monitor based on the highest metric value, or pass \`mode: 'min'\` in order to use the lowest value.`,
      );
    }
    this.lowerIsBetter = lower;
    return lower;
  }

  private isImprovement(current: number): boolean {
    if (this.best === undefined) return true;
    return this.isLowerBetter() ? current < this.best : current > this.best;
  }

  /** The path for this save: the epoch and batch count from 1 in the name, as in Keras. */
  filePathFor(epoch: number, batch: number | undefined, logs: Logs = {}): string {
    const values: Record<string, PathValue> = { epoch: { value: epoch + 1, integer: true } };
    if (batch !== undefined) values.batch = { value: batch + 1, integer: true };
    for (const [key, value] of Object.entries(logs)) values[key] = { value, integer: false };
    return formatCheckpointPath(this.filepath, values);
  }

  private shouldSave(epoch: number, logs: Logs, filepath: string): boolean {
    if (!this.saveBestOnly) {
      if (this.verbose > 0) printMessage(`\nEpoch ${epoch + 1}: saving model to ${filepath}`);
      return true;
    }
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(`Can save best model only with ${this.monitor} available. Available metrics are: ${Object.keys(logs).join(',')}`);
      return true;
    }
    // Decided before the comparison, so that a wrong monitor fails on the first save.
    this.isLowerBetter();
    const bestText = this.best === undefined ? 'None' : formatFixed(this.best, 5);
    if (this.isImprovement(current)) {
      if (this.verbose > 0) printMessage(`\nEpoch ${epoch + 1}: ${this.monitor} improved from ${bestText} to ${formatFixed(current, 5)}, saving model to ${filepath}`);
      this.best = current;
      return true;
    }
    if (this.verbose > 0) printMessage(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${bestText}`);
    return false;
  }

  private async saveModel(epoch: number, batch: number | undefined, logs: Logs = {}): Promise<void> {
    const filepath = this.filePathFor(epoch, batch, logs);
    if (!this.shouldSave(epoch, logs, filepath)) return;
    const model = this.model;
    if (!model) throw new Error('ModelCheckpoint: no model is set. fit sets it before training; to drive the callback yourself, call setModel(model) first.');
    await makeParentFolder(filepath);
    if (this.saveWeightsOnly) await model.saveWeights(filepath, { overwrite: true });
    else await model.save(filepath, { overwrite: true });
    if (this.verbose > 0) printMessage(`\nEpoch ${epoch + 1}: finished saving model to ${filepath}`);
  }
}

/** Keras creates the checkpoint's folder when it is missing. Loaded here only, so core stays browser-safe. */
async function makeParentFolder(filepath: string): Promise<void> {
  const [{ mkdirSync, existsSync, statSync }, { dirname }] = await Promise.all([import('node:fs'), import('node:path')]);
  if (existsSync(filepath) && statSync(filepath).isDirectory()) {
    throw new Error(`Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an existing directory: ${filepath}`);
  }
  const folder = dirname(filepath);
  if (folder && !existsSync(folder)) mkdirSync(folder, { recursive: true });
}
