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

/**
 * Which variable each value handle belongs to (a value stays listed after the variable moves on,
 * so a compiled step can tell a captured weight from a constant). Weak: handles die with their tensors.
 */
const variableOfHandle = new WeakMap<object, Variable>();

/** @internal the variable whose value (now or earlier) has this backend handle, if any */
export function variableOfValueHandle(handle: unknown): Variable | undefined {
  return typeof handle === 'object' && handle !== null ? variableOfHandle.get(handle) : undefined;
}

/** @internal what a compiled step's recording hears about variables */
export interface VariableObserver {
  created(variable: Variable): void;
  assigned(variable: Variable): void;
}

let observer: VariableObserver | null = null;

/** @internal sets (or clears, with null) the one observer; returns the previous one */
export function observeVariables(next: VariableObserver | null): VariableObserver | null {
  const previous = observer;
  observer = next;
  return previous;
}

function register(variable: Variable, value: Tensor): void {
  const handle = value.handle;
  if (typeof handle === 'object' && handle !== null) variableOfHandle.set(handle, variable);
}

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
    register(this, this.current);
    observer?.created(this);
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
    register(this, next);
    observer?.assigned(this);
  }

  /** @internal takes `value` (already checked, e.g. a compiled step's output) as the new value, without a copy */
  replaceValue(value: Tensor): void {
    keep(value);
    this.current.dispose();
    this.current = value;
    register(this, value);
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

