/**
 * KerasTensor: the edges of the Keras graph. A KerasTensor has a shape (the batch axis first,
 * null where unknown), a dtype, a name and its history: the layer call (node) that made it.
 * A graph exists once a KerasTensor has flowed through layers.
 */
import type { DType } from '../tensor/dtype.js';
import type { SymbolicShape } from '../tensor/shape.js';
import { formatShape } from '../tensor/shape.js';
import { SymbolicTensor } from '../tensor/symbolic.js';
import type { Layer } from './layer.js';

/** Where a KerasTensor came from: output `tensorIndex` of call `nodeIndex` of `layer`. */
export interface KerasHistory {
  readonly layer: Layer;
  readonly nodeIndex: number;
  readonly tensorIndex: number;
}

let tensorCount = 0;

export class KerasTensor extends SymbolicTensor {
  readonly name: string;
  /** Set when a layer call produces this tensor. */
  kerasHistory: KerasHistory | undefined;
  /** @internal a unique id, for graph bookkeeping */
  readonly kerasId: number;

  constructor(shape: SymbolicShape, dtype: DType, name?: string) {
    super(shape, dtype);
    this.kerasId = tensorCount++;
    this.name = name ?? `keras_tensor_${this.kerasId}`;
  }

  override toString(): string {
    return `<KerasTensor shape=${formatShape(this.shape)}, dtype=${this.dtype}, name=${this.name}>`;
  }
}

export function isKerasTensor(x: unknown): x is KerasTensor {
  return x instanceof KerasTensor;
}
