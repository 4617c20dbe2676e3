/**
 * AdamW (Loshchilov & Hutter, 2019) as keras.optimizers.AdamW: Adam plus decoupled weight decay,
 * `w -= w * weightDecay * lr` before each Adam step (the base optimizer's weight decay).
 */
import { Adam, type AdamOptions } from './adam.js';
import type { OptimizerDefaults } from './optimizer.js';

export class AdamW extends Adam {
  static override readonly className: string = 'AdamW';
  protected static override readonly defaults: OptimizerDefaults = { name: 'adamw', learningRate: 0.001, options: ['beta1', 'beta2', 'epsilon', 'amsgrad'] };

  /** Keras's defaults: Adam's, with weightDecay 0.004 (it must be a number) and name 'adamw'. */
  constructor(options: AdamOptions = {}) {
    if (options !== null && typeof options === 'object' && 'weightDecay' in options && options.weightDecay === null) {
      throw new TypeError('AdamW: weightDecay must be a number, got null. Fix: leave it out for the default 0.004, or use Adam for no weight decay.');
    }
    super({ ...options, weightDecay: options?.weightDecay ?? 0.004 });
  }
}
