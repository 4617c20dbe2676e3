/**
 * Adadelta (Zeiler, 2012) as keras.optimizers.Adadelta:
 *
 * ```
 * accGrad = rho * accGrad + (1 - rho) * g²
 * delta = -sqrt(accDelta + epsilon) * g / sqrt(accGrad + epsilon)
 * accDelta = rho * accDelta + (1 - rho) * delta²
 * w += lr * delta
 * ```
 */
import * as ops from '../ops/index.js';
import type { Variable } from '../runtime/variable.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkNumber, Optimizer, type OptimizerConfig, type OptimizerDefaults, type OptimizerOptions, type LearningRateValue } from './optimizer.js';

export interface AdadeltaOptions extends OptimizerOptions {
  /** The decay rate. Defaults to 0.95. */
  rho?: number;
  /** Defaults to 1e-7. */
  epsilon?: number;
}

export class Adadelta extends Optimizer {
  static override readonly className: string = 'Adadelta';
  protected static override readonly defaults: OptimizerDefaults = { name: 'adadelta', learningRate: 0.001, options: ['rho', 'epsilon'] };
  readonly rho: number;
  readonly epsilon: number;
  private accumulatedGrads: Variable[] = [];
  private accumulatedDeltaVars: Variable[] = [];

  /** Keras's defaults: learningRate 0.001 (the paper's form is 1.0), rho 0.95, epsilon 1e-7, name 'adadelta'. */
  constructor(options: AdadeltaOptions = {}) {
    super(options);
    this.rho = checkNumber(options.rho ?? 0.95, 'rho', 'Adadelta');
    this.epsilon = checkNumber(options.epsilon ?? 1e-7, 'epsilon', 'Adadelta');
  }

  protected override buildSlots(variables: readonly Variable[]): void {
    [this.accumulatedGrads, this.accumulatedDeltaVars] = this.addOptimizerVariables(variables, ['accumulated_grad', 'accumulated_delta_var']);
  }

  protected updateStep(gradient: Tensor, variable: Variable, learningRate: LearningRateValue): void {
    const index = this.variableIndex(variable);
    const accGrad = this.accumulatedGrads[index];
    const accDelta = this.accumulatedDeltaVars[index];
    const rho = this.rho;
    const rms = (x: Variable): Tensor => ops.sqrt(ops.add(x, this.epsilon));
    this.assign(accGrad, ops.add(ops.multiply(rho, accGrad), ops.multiply(1 - rho, ops.square(gradient))));
    const delta = ops.negative(ops.divide(ops.multiply(rms(accDelta), gradient), rms(accGrad)));
    this.assign(accDelta, ops.add(ops.multiply(rho, accDelta), ops.multiply(1 - rho, ops.square(delta))));
    this.assignAdd(variable, ops.multiply(learningRate, delta));
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }
}
