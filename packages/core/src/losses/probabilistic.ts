/** Kullback-Leibler divergence and Poisson loss, with Keras 3's clipping and epsilon. */
import { config } from '../backend/config.js';
import * as ops from '../ops/index.js';
import type { TensorLike } from '../ops/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { BuiltinLoss, builtinOptions, type LossOptions } from './loss.js';
import { prepareElementwise } from './regression.js';

/** sum(t * log(t / p), -1) with both clipped to [epsilon, 1], so zeros in either give finite values. */
export function klDivergence(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t0, p0] = prepareElementwise('kl_divergence', yTrue, yPred);
  const eps = config.epsilon();
  const t = ops.clip(t0, eps, 1);
  const p = ops.clip(p0, eps, 1);
  return ops.sum(ops.multiply(t, ops.log(ops.divide(t, p))), { axis: -1 });
}

/** mean(yPred - yTrue * log(yPred + epsilon), -1). */
export function poisson(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = prepareElementwise('poisson', yTrue, yPred);
  return ops.mean(ops.subtract(p, ops.multiply(t, ops.log(ops.add(p, config.epsilon())))), { axis: -1 });
}

export class KLDivergence extends BuiltinLoss {
  static override readonly className: string = 'KLDivergence';
  constructor(options: LossOptions = {}) {
    super(klDivergence, builtinOptions(options, 'kl_divergence', 'kl_divergence', 'KLDivergence'));
  }
}

export class Poisson extends BuiltinLoss {
  static override readonly className: string = 'Poisson';
  constructor(options: LossOptions = {}) {
    super(poisson, builtinOptions(options, 'poisson', 'poisson', 'Poisson'));
  }
}
