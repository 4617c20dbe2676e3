/** Optimizer updates as ops: one fused kernel where the backend has it, core's composite otherwise. */
import type { AdamAttrs } from '../backend/backend.js';
import { backendOf } from '../runtime/backend_of.js';
import { runPrimitive } from '../runtime/engine.js';
import { shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { composeAdamUpdate } from './composites.js';
import { adamUpdatePrimitive } from './primitives/fused.js';

/**
 * Adam's update of one float32 weight from its moments, gradient and step size `alpha` (a scalar):
 * [variable', m', v']. See `OptionalKernels.adamUpdate` for the formula.
 */
export function adamUpdate(variable: Tensor, m: Tensor, v: Tensor, gradient: Tensor, alpha: Tensor, attrs: AdamAttrs): [Tensor, Tensor, Tensor] {
  const fusable = [variable, m, v, gradient, alpha].every((t) => t.dtype === 'float32') && alpha.rank === 0 &&
    [m, v, gradient].every((t) => shapesEqual(t.shape, variable.shape));
  const [next, mNext, vNext] = fusable && backendOf(variable)?.adamUpdate
    ? runPrimitive(adamUpdatePrimitive, [variable, m, v, gradient, alpha], attrs)
    : composeAdamUpdate(variable, m, v, gradient, alpha, attrs);
  return [next, mNext, vNext];
}
