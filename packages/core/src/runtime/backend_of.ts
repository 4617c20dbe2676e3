/**
 * The Backend object a tensor lives on (ops use it to see whether a fused kernel exists), or
 * undefined for a symbolic tensor (shape tracing), which then takes the composite path.
 */
import type { Backend } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';

export function backendOf(t: Tensor): Backend | undefined {
  return (t as Partial<Tensor>).entry?.backend;
}
