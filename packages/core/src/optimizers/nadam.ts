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
import { checkNumber, Optimizer, type OptimizerConfig, type OptimizerDefaults, type OptimizerOptions, type LearningRateValue } from './optimizer.js';

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

  /** beta1·(1 − 0.5·0.96^step), with ops on the step tensor so that a compiled step never reads the counter. */
  private momentumCoefficient(step: Tensor): Tensor {
    return ops.multiply(this.beta1, ops.subtract(1, ops.multiply(0.5, ops.power(0.96, step))));
  }

  /** The step-dependent factors of the update in progress, computed once per update in updateAll. */
  private factors: { uT: Tensor; uNext: Tensor; vCorrection: Tensor } | undefined;

  protected override updateAll(grads: readonly Tensor[], variables: readonly Variable[], learningRate: LearningRateValue): void {
    const uProduct = this.uProduct as Variable;
    const t = this.localStep();
    const uT = this.momentumCoefficient(t);
    this.factors = { uT, uNext: this.momentumCoefficient(ops.add(t, 1)), vCorrection: ops.subtract(1, ops.power(this.beta2, t)) };
    this.assign(uProduct, ops.multiply(uProduct, uT));
    try {
      super.updateAll(grads, variables, learningRate);
    } finally {
      this.factors = undefined;
    }
  }

  protected updateStep(gradient: Tensor, variable: Variable, learningRate: LearningRateValue): void {
    if (!this.factors) throw new Error('Nadam: updateStep ran outside an update (an internal error in keras-ts).');
    const index = this.variableIndex(variable);
    const { uT, uNext, vCorrection } = this.factors;
    const uProductT = (this.uProduct as Variable).value;
    const uProductNext = ops.multiply(uProductT, uNext);
    const m = this.momentums[index];
    const v = this.velocities[index];
    this.assignAdd(m, ops.multiply(ops.subtract(gradient, m), 1 - this.beta1));
    this.assignAdd(v, ops.multiply(ops.subtract(ops.square(gradient), v), 1 - this.beta2));
    const mHat = ops.add(
      ops.divide(ops.multiply(uNext, m), ops.subtract(1, uProductNext)),
      ops.divide(ops.multiply(ops.subtract(1, uT), gradient), ops.subtract(1, uProductT)),
    );
    const vHat = ops.divide(v, vCorrection);
    this.assignSub(variable, ops.divide(ops.multiply(mHat, learningRate), ops.add(ops.sqrt(vHat), this.epsilon)));
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}
