/**
 * Nadam (Dozat, 2015) as keras.optimizers.Nadam: Adam with Nesterov momentum and Keras's
 * momentum schedule `u_t = beta1 * (1 - 0.5 * 0.96^t)`. Its running product of the u_t is one
 * more state variable, updated once per step before the per-variable updates:
 *
 * ```
 * t = iterations + 1
 * uProduct *= u_t
 * m += (g - m) * (1 - beta1);  v += (g² - v) * (1 - beta2)
 * mHat = u_{t+1} * m / (1 - uProduct * u_{t+1}) + (1 - u_t) * g / (1 - uProduct)
 * vHat = v / (1 - beta2^t)
 * w -= lr * mHat / (sqrt(vHat) + epsilon)
 * ```
 */
import * as ops from '../ops/index.js';
import type { Variable } from '../runtime/variable.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkNumber, Optimizer, type OptimizerConfig, type OptimizerDefaults, type OptimizerOptions } from './optimizer.js';

export interface NadamOptions extends OptimizerOptions {
  /** Defaults to 0.9. */
  beta1?: number;
  /** Defaults to 0.999. */
  beta2?: number;
  /** Defaults to 1e-7. */
  epsilon?: number;
}

export class Nadam extends Optimizer {
  static override readonly className: string = 'Nadam';
  protected static override readonly defaults: OptimizerDefaults = { name: 'nadam', learningRate: 0.001, options: ['beta1', 'beta2', 'epsilon'] };
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private momentums: Variable[] = [];
  private velocities: Variable[] = [];
  private uProduct: Variable | null = null;

  /** Keras's defaults: learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7, name 'nadam'. */
  constructor(options: NadamOptions = {}) {
    super(options);
    this.beta1 = checkNumber(options.beta1 ?? 0.9, 'beta1', 'Nadam');
    this.beta2 = checkNumber(options.beta2 ?? 0.999, 'beta2', 'Nadam');
    this.epsilon = checkNumber(options.epsilon ?? 1e-7, 'epsilon', 'Nadam');
  }

  protected override buildSlots(variables: readonly Variable[]): void {
    [this.momentums, this.velocities] = this.addOptimizerVariables(variables, ['momentum', 'velocity']);
    // Keras appends the product after the moments.
    this.uProduct = this.addVariable({ shape: [], name: 'u_product', initializer: 'ones' });
  }

  private momentumCoefficient(step: number): number {
    return this.beta1 * (1 - 0.5 * 0.96 ** step);
  }

  protected override updateAll(grads: readonly Tensor[], variables: readonly Variable[], learningRate: number): void {
    const uProduct = this.uProduct as Variable;
    this.assign(uProduct, ops.multiply(uProduct, this.momentumCoefficient(this.iteration + 1)));
    super.updateAll(grads, variables, learningRate);
  }

  protected updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    const index = this.variableIndex(variable);
    const t = this.iteration + 1;
    const uT = this.momentumCoefficient(t);
    const uNext = this.momentumCoefficient(t + 1);
    const uProductT = (this.uProduct as Variable).value;
    const uProductNext = ops.multiply(uProductT, uNext);
    const m = this.momentums[index];
    const v = this.velocities[index];
    this.assignAdd(m, ops.multiply(ops.subtract(gradient, m), 1 - this.beta1));
    this.assignAdd(v, ops.multiply(ops.subtract(ops.square(gradient), v), 1 - this.beta2));
    const mHat = ops.add(
      ops.divide(ops.multiply(uNext, m), ops.subtract(1, uProductNext)),
      ops.divide(ops.multiply(1 - uT, gradient), ops.subtract(1, uProductT)),
    );
    const vHat = ops.divide(v, 1 - this.beta2 ** t);
    this.assignSub(variable, ops.divide(ops.multiply(mHat, learningRate), ops.add(ops.sqrt(vHat), this.epsilon)));
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}
