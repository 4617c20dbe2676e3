/** A new tensor with the same values (a reshape to the same shape: backends may share storage). */
import type { Tensor } from '../tensor/tensor.js';
import { run1 } from './engine.js';
import { reshapePrimitive } from '../ops/primitives/layout.js';

export function identityCopy(x: Tensor): Tensor {
  return run1(reshapePrimitive, [x], { shape: x.shape });
}
