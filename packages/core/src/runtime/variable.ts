/**
 * Variable: a named, mutable tensor that layers and optimizers own. Its value is kept out of
 * `tidy` scopes, and `valueAndGrad` differentiates with respect to it.
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { DType } from '../tensor/dtype.js';
import { keep } from './engine.js';
import { identityCopy } from './identity.js';

export interface VariableOptions {
  name?: string;
  trainable?: boolean;
  /** The full path (e.g. 'dense/kernel'); defaults to the name. */
  path?: string;
}

let variableCount = 0;

export class Variable {
  readonly name: string;
  path: string;
  trainable: boolean;
  /** A penalty on this weight added to the loss in training (set by Layer.addWeight). */
  regularizer: { call(x: Tensor): Tensor } | null = null;
  /** A projection applied after each optimizer update (set by Layer.addWeight). */
  constraint: { call(w: Tensor): Tensor } | null = null;
  private current: Tensor;

  /** Keeps a copy of `initialValue`, so the caller may dispose theirs. */
  constructor(initialValue: Tensor, options: VariableOptions = {}) {
    if (!(initialValue instanceof Tensor)) {
      throw new TypeError(`Variable: expected a Tensor as the initial value, got ${typeof initialValue}. Fix: new Variable(keras.tensor([1, 2, 3])).`);
    }
    this.name = options.name ?? `variable_${variableCount++}`;
    this.path = options.path ?? this.name;
    this.trainable = options.trainable ?? true;
    this.current = keep(identityCopy(initialValue));
  }

  /** The current value. It stays valid until the next `assign`. */
  get value(): Tensor {
    return this.current;
  }

  get shape(): readonly number[] {
    return this.current.shape;
  }

  get dtype(): DType {
    return this.current.dtype;
  }

  /** Replaces the value with a copy of `value`, which must have the same shape and dtype. */
  assign(value: Tensor): void {
    if (!shapesEqual(value.shape, this.current.shape) || value.dtype !== this.current.dtype) {
      throw new Error(
        `Variable '${this.path}': cannot assign a value of shape ${formatShape(value.shape)} ${value.dtype}; the variable is ${formatShape(this.current.shape)} ${this.current.dtype}. ` +
          `Fix: assign a tensor of the variable's shape and dtype.`,
      );
    }
    const next = keep(identityCopy(value));
    this.current.dispose();
    this.current = next;
  }

  dispose(): void {
    this.current.dispose();
  }

  dataSync() {
    return this.current.dataSync();
  }

  data() {
    return this.current.data();
  }

  arraySync() {
    return this.current.arraySync();
  }

  toString(): string {
    return `Variable(path=${this.path}, shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
  }
}

