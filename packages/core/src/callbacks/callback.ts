/**
 * Callback: hooks into fit, evaluate and predict, as keras.callbacks.Callback. Every hook may be
 * async (fit awaits it). `logs` hold plain numbers: the loss and metrics of the batch or epoch.
 */
import type { Model } from '../models/model.js';

export type Logs = Record<string, number>;

/** What fit tells its callbacks about the run (Keras's `params`). */
export interface TrainingParams {
  epochs: number;
  /** Batches per epoch, or undefined for an endless or unsized dataset. */
  steps: number | undefined;
  verbose: 0 | 1 | 2;
}

export abstract class Callback {
  /** The model being trained; set by fit before onTrainBegin. */
  model: Model | undefined;
  params: TrainingParams = { epochs: 1, steps: undefined, verbose: 1 };

  setModel(model: Model): void {
    this.model = model;
  }

  setParams(params: TrainingParams): void {
    this.params = params;
  }

  onTrainBegin(logs?: Logs): void | Promise<void> {
    void logs;
  }
  onTrainEnd(logs?: Logs): void | Promise<void> {
    void logs;
  }
  onEpochBegin(epoch: number, logs?: Logs): void | Promise<void> {
    void epoch;
    void logs;
  }
  onEpochEnd(epoch: number, logs?: Logs): void | Promise<void> {
    void epoch;
    void logs;
  }
  onTrainBatchBegin(batch: number, logs?: Logs): void | Promise<void> {
    void batch;
    void logs;
  }
  onTrainBatchEnd(batch: number, logs?: Logs): void | Promise<void> {
    void batch;
    void logs;
  }
  onTestBegin(logs?: Logs): void | Promise<void> {
    void logs;
  }
  onTestEnd(logs?: Logs): void | Promise<void> {
    void logs;
  }
  onTestBatchBegin(batch: number, logs?: Logs): void | Promise<void> {
    void batch;
    void logs;
  }
  onTestBatchEnd(batch: number, logs?: Logs): void | Promise<void> {
    void batch;
    void logs;
  }
  onPredictBegin(logs?: Logs): void | Promise<void> {
    void logs;
  }
  onPredictEnd(logs?: Logs): void | Promise<void> {
    void logs;
  }
  onPredictBatchBegin(batch: number, logs?: Logs): void | Promise<void> {
    void batch;
    void logs;
  }
  onPredictBatchEnd(batch: number, logs?: Logs): void | Promise<void> {
    void batch;
    void logs;
  }
}

/** The hooks by name, so CallbackList can forward any of them. */
export type CallbackHook = {
  [K in keyof Callback]: Callback[K] extends (...args: never[]) => void | Promise<void> ? (K extends `on${string}` ? K : never) : never;
}[keyof Callback];

/** Forwards each hook to every callback in order, awaiting each. */
export class CallbackList {
  constructor(readonly callbacks: Callback[]) {}

  setModel(model: Model): void {
    for (const c of this.callbacks) c.setModel(model);
  }

  setParams(params: TrainingParams): void {
    for (const c of this.callbacks) c.setParams(params);
  }

  async call(hook: CallbackHook, ...args: unknown[]): Promise<void> {
    for (const c of this.callbacks) {
      const method = c[hook] as (...a: unknown[]) => void | Promise<void>;
      await method.apply(c, args);
    }
  }
}
