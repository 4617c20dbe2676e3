/**
 * Lion (Chen et al., 2023) as keras.optimizers.Lion: a sign update from an interpolation of the
 * momentum and the gradient, then the momentum's own update:
 *
 * ```
 * w -= lr * sign(beta1 * m + (1 - beta1) * g)
 * m = beta2 * m + (1 - beta2) * g
 * ```
 */
import * as ops from '../ops/index.js';
import type { Variable } from '../runtime/variable.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkNumber, Optimizer, type OptimizerConfig, type OptimizerDefaults, type OptimizerOptions, type LearningRateValue } from './optimizer.js';

export interface LionOptions extends OptimizerOptions {
  /** In (0, 1]: how much of the momentum (vs the gradient) the sign is taken of. Defaults to 0.9. */
  beta1?: number;
  /** Decay of the momentum. Defaults to 0.99. */
  beta2?: number;
}

export class Lion extends Optimizer {
  static override readonly className: string = 'Lion';
  protected static override readonly defaults: OptimizerDefaults = { name: 'lion', learningRate: 0.001, options: ['beta1', 'beta2'] };
  readonly beta1: number;
  readonly beta2: number;
  private momentums: Variable[] = [];

  /** Keras's defaults: learningRate 0.001, beta1 0.9, beta2 0.99, name 'lion'. */
  constructor(options: LionOptions = {}) {
    super(options);
    // beta1 = 0 would make Lion plain sign-SGD, which Keras rejects.
    this.beta1 = checkNumber(options.beta1 ?? 0.9, 'beta1', 'Lion', { min: 0, max: 1, exclusiveMin: true });
    this.beta2 = checkNumber(options.beta2 ?? 0.99, 'beta2', 'Lion');
  }

  protected override buildSlots(variables: readonly Variable[]): void {
    [this.momentums] = this.addOptimizerVariables(variables, ['momentum']);
  }

  protected updateStep(gradient: Tensor, variable: Variable, learningRate: LearningRateValue): void {
    const m = this.momentums[this.variableIndex(variable)];
    const direction = ops.sign(ops.add(ops.multiply(m, this.beta1), ops.multiply(gradient, 1 - this.beta1)));
    this.assignSub(variable, ops.multiply(learningRate, direction));
    this.assign(m, ops.add(ops.multiply(m, this.beta2), ops.multiply(gradient, 1 - this.beta2)));
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2 };
  }
}
