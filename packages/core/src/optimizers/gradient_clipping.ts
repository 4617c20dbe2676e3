/**
 * The gradient clipping of Keras 3's BaseOptimizer (`clipnorm`, `global_clipnorm`, `clipvalue`),
 * written with ops so it runs on every backend. Call inside `tidy`.
 */
import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Scales `g` so that its L2 norm (over all its elements) is at most `clipnorm`:
 * `g * clipnorm / max(norm(g), clipnorm)`. A zero gradient stays zero.
 */
export function clipByNorm(g: Tensor, clipnorm: number): Tensor {
  const norm = ops.sqrt(ops.sum(ops.square(g)));
  return ops.divide(ops.multiply(g, clipnorm), ops.maximum(norm, clipnorm));
}

/** The L2 norm of all the gradients taken together. */
export function globalNorm(grads: readonly Tensor[]): Tensor {
  let total: Tensor = ops.sum(ops.square(grads[0]));
  for (let i = 1; i < grads.length; i++) total = ops.add(total, ops.sum(ops.square(grads[i])));
  return ops.sqrt(total);
}

/**
 * Scales every gradient by `clipnorm / max(globalNorm, clipnorm)`. As in Keras, the scale is
 * written `clipnorm * min(1 / norm, 1 / clipnorm) + (norm - norm)`, so a zero norm leaves the
 * gradients unchanged and an infinite or NaN norm turns them all to NaN instead of silently
 * zeroing them.
 */
export function clipByGlobalNorm(grads: readonly Tensor[], clipnorm: number): Tensor[] {
  const norm = globalNorm(grads);
  const finiteScale = ops.multiply(ops.minimum(ops.divide(1, norm), 1 / clipnorm), clipnorm);
  const scale = ops.add(finiteScale, ops.subtract(norm, norm));
  return grads.map((g) => ops.multiply(g, scale));
}

/** Clips every element to [-clipvalue, clipvalue]. */
export function clipByValue(g: Tensor, clipvalue: number): Tensor {
  return ops.clip(g, -clipvalue, clipvalue);
}
