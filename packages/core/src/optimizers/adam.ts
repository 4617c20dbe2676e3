/**
 * Adam (Kingma & Ba, 2014) as keras.optimizers.Adam, with Keras's bias correction folded into the
 * step size and epsilon added outside the square root ("epsilon hat"):
 *
 * ```
 * t = iterations + 1
 * m += (g - m) * (1 - beta1);  v += (g² - v) * (1 - beta2)
 * (amsgrad: vHat = max(vHat, v), used in place of v)
 * w -= m * lr * sqrt(1 - beta2^t) / (1 - beta1^t) / (sqrt(v) + epsilon)
 * ```
 */
import * as ops from '../ops/index.js';
import { adamUpdate } from '../ops/optimizers.js';
import type { Variable } from '../runtime/variable.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkNumber, Optimizer, type OptimizerConfig, type OptimizerDefaults, type OptimizerOptions, type LearningRateValue } from './optimizer.js';

export interface AdamOptions extends OptimizerOptions {
  /** Decay of the first-moment estimate. Defaults to 0.9. */
  beta1?: number;
  /** Decay of the second-moment estimate. Defaults to 0.999. */
  beta2?: number;
  /** Added to sqrt(v). Defaults to 1e-7. */
  epsilon?: number;
  /** The AMSGrad variant (Reddi et al., 2018): divide by the running maximum of v. */
  amsgrad?: boolean;
}

export class Adam extends Optimizer {
  static override readonly className: string = 'Adam';
  protected static override readonly defaults: OptimizerDefaults = { name: 'adam', learningRate: 0.001, options: ['beta1', 'beta2', 'epsilon', 'amsgrad'] };
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
  private momentums: Variable[] = [];
  private velocities: Variable[] = [];
  private velocityHats: Variable[] = [];

  /** Keras's defaults: learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7, amsgrad false, name 'adam'. */
  constructor(options: AdamOptions = {}) {
    super(options);
    const where = this.className;
    this.beta1 = checkNumber(options.beta1 ?? 0.9, 'beta1', where);
    this.beta2 = checkNumber(options.beta2 ?? 0.999, 'beta2', where);
    this.epsilon = checkNumber(options.epsilon ?? 1e-7, 'epsilon', where);
    this.amsgrad = options.amsgrad ?? false;
  }

  protected override buildSlots(variables: readonly Variable[]): void {
    [this.momentums, this.velocities] = this.addOptimizerVariables(variables, ['momentum', 'velocity']);
    // Keras creates the AMSGrad maxima after all the moments.
    if (this.amsgrad) [this.velocityHats] = this.addOptimizerVariables(variables, ['velocity_hat']);
  }

  /** The bias-corrected step size of the update in progress, computed once per update (see updateAll). */
  private alpha: Tensor | undefined;

  /** The step size comes from the iteration variable through ops, so a compiled step never reads the counter. */
  protected override updateAll(grads: readonly Tensor[], variables: readonly Variable[], learningRate: LearningRateValue): void {
    const t = this.localStep();
    const correction = ops.divide(ops.sqrt(ops.subtract(1, ops.power(this.beta2, t))), ops.subtract(1, ops.power(this.beta1, t)));
    this.alpha = ops.multiply(correction, learningRate);
    try {
      super.updateAll(grads, variables, learningRate);
    } finally {
      this.alpha = undefined;
    }
  }

  protected updateStep(gradient: Tensor, variable: Variable, _learningRate: LearningRateValue): void {
    const index = this.variableIndex(variable);
    const alpha = this.alpha;
    if (!alpha) throw new Error(`${this.className}: updateStep ran outside an update (an internal error in keras-ts).`);
    const m = this.momentums[index];
    let v = this.velocities[index];
    if (!this.amsgrad) {
      // One fused kernel where the backend has it (the same float32 operations as below).
      const attrs = { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
      const [next, mNext, vNext] = adamUpdate(variable.value, m.value, v.value, gradient, alpha, attrs);
      this.assign(m, mNext);
      this.assign(v, vNext);
      this.assign(variable, next);
      return;
    }
    this.assignAdd(m, ops.multiply(ops.subtract(gradient, m), 1 - this.beta1));
    this.assignAdd(v, ops.multiply(ops.subtract(ops.square(gradient), v), 1 - this.beta2));
    const vHat = this.velocityHats[index];
    this.assign(vHat, ops.maximum(vHat, v));
    v = vHat;
    this.assignSub(variable, ops.divide(ops.multiply(m, alpha), ops.add(ops.sqrt(v), this.epsilon)));
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}
