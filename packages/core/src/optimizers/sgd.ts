/**
 * SGD: gradient descent with optional (Nesterov) momentum, as keras.optimizers.SGD.
 *
 * Without momentum: `w -= lr * g`. With momentum: `v = momentum * v - lr * g; w += v`; with
 * Nesterov: `w += momentum * v - lr * g` (v already updated).
 */
import * as ops from '../ops/index.js';
import type { Variable } from '../runtime/variable.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkNumber, Optimizer, type OptimizerConfig, type OptimizerDefaults, type OptimizerOptions, type LearningRateValue } from './optimizer.js';

export interface SGDOptions extends OptimizerOptions {
  /** In [0, 1]; 0 (the default) is plain gradient descent and creates no state. */
  momentum?: number;
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  static override readonly className: string = 'SGD';
  protected static override readonly defaults: OptimizerDefaults = { name: 'SGD', learningRate: 0.01, options: ['momentum', 'nesterov'] };
  readonly momentum: number;
  readonly nesterov: boolean;
  private momentums: Variable[] = [];

  /** Keras's defaults: learningRate 0.01, momentum 0, nesterov false, name 'SGD'. */
  constructor(options: SGDOptions = {}) {
    super(options);
    this.momentum = checkNumber(options.momentum ?? 0.0, 'momentum', 'SGD', { min: 0, max: 1 });
    this.nesterov = options.nesterov ?? false;
  }

  protected override buildSlots(variables: readonly Variable[]): void {
    // Plain gradient descent keeps no state, as in Keras.
    if (this.momentum !== 0) [this.momentums] = this.addOptimizerVariables(variables, ['momentum']);
  }

  protected updateStep(gradient: Tensor, variable: Variable, learningRate: LearningRateValue): void {
    if (this.momentum === 0) {
      this.assignSub(variable, ops.multiply(gradient, learningRate));
      return;
    }
    const m = this.momentums[this.variableIndex(variable)];
    this.assign(m, ops.subtract(ops.multiply(m, this.momentum), ops.multiply(gradient, learningRate)));
    if (this.nesterov) this.assignAdd(variable, ops.subtract(ops.multiply(m, this.momentum), ops.multiply(gradient, learningRate)));
    else this.assignAdd(variable, m.value);
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
