/** Initializers that draw nothing (keras/src/initializers/constant_initializers.py): Zeros, Ones, Constant, Identity. */
import { fill, fromTypedArray } from '../tensor/create.js';
import { toTypedArray, type DType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkCall, checkOptions, Initializer, type InitializerConfig } from './initializer.js';

/** All zeros, in any dtype. */
export class Zeros extends Initializer {
  static override readonly className: string = 'Zeros';

  constructor(options: InitializerConfig = {}) {
    super();
    checkOptions(options, [], 'Zeros');
  }

  call(shape: readonly number[], dtype?: DType | string): Tensor {
    const c = checkCall(shape, dtype, 'Zeros');
    return fill(c.shape, 0, c.dtype);
  }
}

/** All ones, in any dtype. */
export class Ones extends Initializer {
  static override readonly className: string = 'Ones';

  constructor(options: InitializerConfig = {}) {
    super();
    checkOptions(options, [], 'Ones');
  }

  call(shape: readonly number[], dtype?: DType | string): Tensor {
    const c = checkCall(shape, dtype, 'Ones');
    return fill(c.shape, 1, c.dtype);
  }
}

/** Every value set to one scalar (Keras allows only scalars): `new Constant(0.1)` or `new Constant({ value: 0.1 })`. */
export class Constant extends Initializer {
  static override readonly className: string = 'Constant';
  readonly value: number;

  constructor(options: number | { value?: number } = {}) {
    super();
    const opts = typeof options === 'number' ? { value: options } : options;
    checkOptions(opts, ['value'], 'Constant');
    const value = opts.value ?? 0;
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new TypeError(`Constant: value must be a number, got ${JSON.stringify(value)}. Fix: pass a scalar such as new Constant(0.1); for arrays, assign the variable directly.`);
    }
    this.value = value;
  }

  call(shape: readonly number[], dtype?: DType | string): Tensor {
    const c = checkCall(shape, dtype, 'Constant');
    return fill(c.shape, this.value, c.dtype);
  }

  override getConfig(): InitializerConfig {
    return { value: this.value };
  }
}

/** `gain` times the identity matrix; only 2-D shapes (a rectangular shape gets ones on the main diagonal). */
export class Identity extends Initializer {
  static override readonly className: string = 'Identity';
  readonly gain: number;

  constructor(options: { gain?: number } = {}) {
    super();
    checkOptions(options, ['gain'], 'Identity');
    this.gain = options.gain ?? 1;
    if (typeof this.gain !== 'number' || !Number.isFinite(this.gain)) {
      throw new TypeError(`Identity: gain must be a finite number, got ${JSON.stringify(this.gain)}. Fix: pass e.g. { gain: 1 }.`);
    }
  }

  call(shape: readonly number[], dtype?: DType | string): Tensor {
    const c = checkCall(shape, dtype, 'Identity');
    if (c.shape.length !== 2) {
      throw new Error(
        `Identity: can only make 2-D matrices, got shape ${formatShape(c.shape)} of rank ${c.shape.length}. ` +
          `Fix: use Identity for a Dense kernel or a recurrent kernel, or another initializer (e.g. 'orthogonal') for other shapes.`,
      );
    }
    const [rows, cols] = c.shape;
    const values = new Array<number>(rows * cols).fill(0);
    for (let i = 0; i < Math.min(rows, cols); i++) values[i * cols + i] = this.gain;
    return fromTypedArray(toTypedArray(values, c.dtype), c.shape, c.dtype);
  }

  override getConfig(): InitializerConfig {
    return { gain: this.gain };
  }
}
