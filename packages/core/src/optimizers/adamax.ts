/**
 * Adamax (Kingma & Ba, 2014, section 7.1) as keras.optimizers.Adamax, Adam with the infinity norm:
 *
 * ```
 * t = iterations + 1
 * m += (g - m) * (1 - beta1);  u = max(beta2 * u, |g|)
 * w -= lr * m / ((1 - beta1^t) * (u + epsilon))
 * ```
 */
import * as ops from '../ops/index.js';
import type { Variable } from '../runtime/variable.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkNumber, Optimizer, type OptimizerConfig, type OptimizerDefaults, type OptimizerOptions, type LearningRateValue } from './optimizer.js';

export interface AdamaxOptions extends OptimizerOptions {
  /** Defaults to 0.9. */
  beta1?: number;
  /** Decay of the infinity norm. Defaults to 0.999. */
  beta2?: number;
  /** Defaults to 1e-7. */
  epsilon?: number;
}

export class Adamax extends Optimizer {
  static override readonly className: string = 'Adamax';
  protected static override readonly defaults: OptimizerDefaults = { name: 'adamax', learningRate: 0.001, options: ['beta1', 'beta2', 'epsilon'] };
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private m: Variable[] = [];
  private u: Variable[] = [];

  /** Keras's defaults: learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7, name 'adamax'. */
  constructor(options: AdamaxOptions = {}) {
    super(options);
    this.beta1 = checkNumber(options.beta1 ?? 0.9, 'beta1', 'Adamax');
    this.beta2 = checkNumber(options.beta2 ?? 0.999, 'beta2', 'Adamax');
    this.epsilon = checkNumber(options.epsilon ?? 1e-7, 'epsilon', 'Adamax');
  }

  protected override buildSlots(variables: readonly Variable[]): void {
    [this.m, this.u] = this.addOptimizerVariables(variables, ['momentum', 'norm']);
  }

  protected updateStep(gradient: Tensor, variable: Variable, learningRate: LearningRateValue): void {
    const index = this.variableIndex(variable);
    const m = this.m[index];
    const u = this.u[index];
    const beta1Power = ops.power(this.beta1, this.localStep());
    this.assignAdd(m, ops.multiply(ops.subtract(gradient, m), 1 - this.beta1));
    this.assign(u, ops.maximum(ops.multiply(this.beta2, u), ops.abs(gradient)));
    this.assignSub(variable, ops.divide(ops.multiply(learningRate, m), ops.multiply(ops.subtract(1, beta1Power), ops.add(u, this.epsilon))));
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}
