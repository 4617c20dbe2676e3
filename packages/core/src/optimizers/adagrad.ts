/**
 * Adagrad (Duchi et al., 2011) as keras.optimizers.Adagrad: `acc += g²; w -= lr * g / sqrt(acc + epsilon)`,
 * the accumulators starting at `initialAccumulatorValue`.
 */
import * as ops from '../ops/index.js';
import { Constant } from '../initializers/index.js';
import type { Variable } from '../runtime/variable.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkNumber, Optimizer, type OptimizerConfig, type OptimizerDefaults, type OptimizerOptions, type LearningRateValue } from './optimizer.js';

export interface AdagradOptions extends OptimizerOptions {
  /** The accumulators' starting value; must be non-negative. Defaults to 0.1. */
  initialAccumulatorValue?: number;
  /** Defaults to 1e-7. */
  epsilon?: number;
}

export class Adagrad extends Optimizer {
  static override readonly className: string = 'Adagrad';
  protected static override readonly defaults: OptimizerDefaults = { name: null, learningRate: 0.001, options: ['initialAccumulatorValue', 'epsilon'] };
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
  private accumulators: Variable[] = [];

  /** Keras's defaults: learningRate 0.001, initialAccumulatorValue 0.1, epsilon 1e-7, an automatic name ('adagrad', 'adagrad_1', ...). */
  constructor(options: AdagradOptions = {}) {
    super(options);
    this.initialAccumulatorValue = checkNumber(options.initialAccumulatorValue ?? 0.1, 'initialAccumulatorValue', 'Adagrad', { min: 0 });
    this.epsilon = checkNumber(options.epsilon ?? 1e-7, 'epsilon', 'Adagrad');
  }

  protected override buildSlots(variables: readonly Variable[]): void {
    [this.accumulators] = this.addOptimizerVariables(variables, ['accumulator'], new Constant(this.initialAccumulatorValue));
  }

  protected updateStep(gradient: Tensor, variable: Variable, learningRate: LearningRateValue): void {
    const accumulator = this.accumulators[this.variableIndex(variable)];
    this.assignAdd(accumulator, ops.square(gradient));
    this.assignSub(variable, ops.divide(ops.multiply(learningRate, gradient), ops.sqrt(ops.add(accumulator, this.epsilon))));
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), initial_accumulator_value: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
