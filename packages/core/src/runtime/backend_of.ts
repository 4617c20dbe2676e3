/** The Backend object a tensor lives on (ops use it to see whether a fused kernel exists). */
import type { Backend } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';

export function backendOf(t: Tensor): Backend {
  return t.entry.backend;
}
