/**
 * keras.callbacks.TensorBoard, for scalars: the epoch logs as `epoch_<name>` at step = epoch, in
 * event files under `<logDir>/train` and (val_ keys, prefix removed) `<logDir>/validation`, as
 * keras/src/callbacks/tensorboard.py writes them. Node only. Graphs, histograms, images,
 * embeddings and profiling are not written.
 */
import { Callback, type Logs } from './callback.js';
import { EventFileWriter } from './event_file.js';
import { joinPath } from './node_files.js';
import type { Model } from '../models/model.js';
import { trainingModel } from './training_model.js';

export interface TensorBoardOptions {
  /** Where the run's folders go ('logs'). One run per folder: others' files would mix in. */
  logDir?: string;
  /** 'epoch' (default): epoch scalars only; 'batch' or N: also `batch_<name>` every N training batches. */
  updateFreq?: 'epoch' | 'batch' | number;
  /** The clock in seconds, for the events' wall_time. */
  now?: () => number;
}

export class TensorBoard extends Callback {
  readonly logDir: string;
  readonly updateFreq: 'epoch' | number;
  private readonly now: (() => number) | undefined;
  private writers: { train?: EventFileWriter; validation?: EventFileWriter } = {};
  private globalTrainBatch = 0;

  constructor(options: TensorBoardOptions = {}) {
    super();
    this.logDir = options.logDir ?? 'logs';
    const freq = options.updateFreq ?? 'epoch';
    if (freq !== 'epoch' && freq !== 'batch' && !(Number.isInteger(freq) && freq > 0)) {
      throw new RangeError(`TensorBoard: updateFreq must be 'epoch', 'batch' or a positive integer, got ${String(freq)}.`);
    }
    this.updateFreq = freq === 'batch' ? 1 : freq;
    this.now = options.now;
  }

  override setModel(model: Model): void {
    super.setModel(model);
    // A new fit gets new files, created when first written to.
    this.writers = {};
  }

  /** The event files written so far. */
  get files(): { train?: string; validation?: string } {
    return { train: this.writers.train?.path, validation: this.writers.validation?.path };
  }

  private writer(which: 'train' | 'validation'): EventFileWriter {
    return (this.writers[which] ??= new EventFileWriter(joinPath('TensorBoard', this.logDir, which), this.now));
  }

  override onTrainBegin(): void {
    this.globalTrainBatch = 0;
  }

  override onTrainBatchBegin(): void {
    this.globalTrainBatch += 1;
  }

  override onTrainBatchEnd(_batch: number, logs?: Logs): void {
    if (this.updateFreq === 'epoch' || this.globalTrainBatch % this.updateFreq !== 0) return;
    for (const [name, value] of Object.entries(logs ?? {})) this.writer('train').scalar(`batch_${name}`, value, this.globalTrainBatch);
  }

  /** After a validation or evaluate run: its values against the optimizer's update count. */
  override onTestEnd(logs?: Logs): void {
    const optimizer = trainingModel(this, 'TensorBoard').optimizer;
    if (!optimizer) return;
    for (const [name, value] of Object.entries(logs ?? {})) {
      this.writer('validation').scalar(`evaluation_${name}_vs_iterations`, value, optimizer.iterations);
    }
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    if (!logs || Object.keys(logs).length === 0) return;
    const train: Logs = {};
    const validation: Logs = {};
    for (const [name, value] of Object.entries(logs)) {
      if (name.startsWith('val_')) validation[name.slice(4)] = value;
      else train[name] = value;
    }
    const optimizer = trainingModel(this, 'TensorBoard').optimizer;
    if (optimizer) train.learning_rate = optimizer.learningRate;
    for (const [name, value] of Object.entries(train)) this.writer('train').scalar(`epoch_${name}`, value, epoch);
    for (const [name, value] of Object.entries(validation)) this.writer('validation').scalar(`epoch_${name}`, value, epoch);
  }
}
