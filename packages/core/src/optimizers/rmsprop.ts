/**
 * RMSprop (Hinton, 2012) as keras.optimizers.RMSprop:
 *
 * ```
 * vel = rho * vel + (1 - rho) * g²
 * centered: avg = rho * avg + (1 - rho) * g;  denominator = vel - avg² + epsilon
 * otherwise: denominator = vel + epsilon
 * increment = lr * g / sqrt(denominator)
 * momentum > 0: mom = momentum * mom + increment;  w -= mom
 * otherwise: w -= increment
 * ```
 */
import * as ops from '../ops/index.js';
import type { Variable } from '../runtime/variable.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkNumber, Optimizer, type OptimizerConfig, type OptimizerDefaults, type OptimizerOptions, type LearningRateValue } from './optimizer.js';

export interface RMSpropOptions extends OptimizerOptions {
  /** Discount of the old squared gradients. Defaults to 0.9. */
  rho?: number;
  /** Defaults to 0 (no momentum state). */
  momentum?: number;
  /** Defaults to 1e-7. */
  epsilon?: number;
  /** Normalize by the estimated variance (subtracting the squared mean gradient) instead of the second moment. */
  centered?: boolean;
}

export class RMSprop extends Optimizer {
  static override readonly className: string = 'RMSprop';
  protected static override readonly defaults: OptimizerDefaults = { name: 'rmsprop', learningRate: 0.001, options: ['rho', 'momentum', 'epsilon', 'centered'] };
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
  private velocities: Variable[] = [];
  private momentums: Variable[] = [];
  private averageGradients: Variable[] = [];

  /** Keras's defaults: learningRate 0.001, rho 0.9, momentum 0, epsilon 1e-7, centered false, name 'rmsprop'. */
  constructor(options: RMSpropOptions = {}) {
    super(options);
    this.rho = checkNumber(options.rho ?? 0.9, 'rho', 'RMSprop');
    this.momentum = checkNumber(options.momentum ?? 0.0, 'momentum', 'RMSprop');
    this.epsilon = checkNumber(options.epsilon ?? 1e-7, 'epsilon', 'RMSprop');
    this.centered = options.centered ?? false;
  }

  protected override buildSlots(variables: readonly Variable[]): void {
    // Keras makes each kind for all variables before the next kind.
    [this.velocities] = this.addOptimizerVariables(variables, ['velocity']);
    if (this.momentum > 0) [this.momentums] = this.addOptimizerVariables(variables, ['momentum']);
    if (this.centered) [this.averageGradients] = this.addOptimizerVariables(variables, ['average_gradient']);
  }

  protected updateStep(gradient: Tensor, variable: Variable, learningRate: LearningRateValue): void {
    const index = this.variableIndex(variable);
    const velocity = this.velocities[index];
    const rho = this.rho;
    this.assign(velocity, ops.add(ops.multiply(rho, velocity), ops.multiply(1 - rho, ops.square(gradient))));
    let denominator: Tensor;
    if (this.centered) {
      const average = this.averageGradients[index];
      this.assign(average, ops.add(ops.multiply(rho, average), ops.multiply(1 - rho, gradient)));
      denominator = ops.add(ops.subtract(velocity, ops.square(average)), this.epsilon);
    } else {
      denominator = ops.add(velocity, this.epsilon);
    }
    const increment = ops.divide(ops.multiply(learningRate, gradient), ops.sqrt(denominator));
    if (this.momentum > 0) {
      const momentum = this.momentums[index];
      this.assign(momentum, ops.add(ops.multiply(this.momentum, momentum), increment));
      this.assignSub(variable, momentum.value);
    } else {
      this.assignSub(variable, increment);
    }
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
