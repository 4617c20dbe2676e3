/** keras.callbacks.LambdaCallback: a callback made of the functions passed, one per hook. */
import { Callback, type Logs } from './callback.js';

type Hook<A extends unknown[]> = (...args: A) => void | Promise<void>;

/** Any Callback hook by its name; those not given do nothing. */
export interface LambdaCallbackOptions {
  onEpochBegin?: Hook<[epoch: number, logs?: Logs]>;
  onEpochEnd?: Hook<[epoch: number, logs?: Logs]>;
  onTrainBegin?: Hook<[logs?: Logs]>;
  onTrainEnd?: Hook<[logs?: Logs]>;
  onTrainBatchBegin?: Hook<[batch: number, logs?: Logs]>;
  onTrainBatchEnd?: Hook<[batch: number, logs?: Logs]>;
  onTestBegin?: Hook<[logs?: Logs]>;
  onTestEnd?: Hook<[logs?: Logs]>;
  onTestBatchBegin?: Hook<[batch: number, logs?: Logs]>;
  onTestBatchEnd?: Hook<[batch: number, logs?: Logs]>;
  onPredictBegin?: Hook<[logs?: Logs]>;
  onPredictEnd?: Hook<[logs?: Logs]>;
  onPredictBatchBegin?: Hook<[batch: number, logs?: Logs]>;
  onPredictBatchEnd?: Hook<[batch: number, logs?: Logs]>;
}

export class LambdaCallback extends Callback {
  constructor(hooks: LambdaCallbackOptions = {}) {
    super();
    for (const [name, fn] of Object.entries(hooks)) {
      if (fn === undefined) continue;
      if (typeof fn !== 'function' || !(name in Callback.prototype) || !name.startsWith('on')) {
        throw new TypeError(`LambdaCallback: '${name}' is not a callback hook given as a function. Hooks are ${Object.getOwnPropertyNames(Callback.prototype).filter((n) => n.startsWith('on')).join(', ')}.`);
      }
      // An own property shadows the no-op hook of the prototype.
      Object.defineProperty(this, name, { value: fn, writable: true, configurable: true });
    }
  }
}
