/**
 * keras.losses.Loss: the base class, the reductions of Keras 3's Loss.__call__
 * (reduce_weighted_values), and LossFunctionWrapper, which turns a per-sample loss function into a
 * Loss the way every built-in loss class is made.
 */
import * as ops from '../ops/index.js';
import { castTo, toTensor, type TensorLike } from '../ops/convert.js';
import { checkOptions } from '../initializers/initializer.js';
import type { SymbolicShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkLabelShapes, squeezeOrExpandToSameRank, type LabelFamily } from './shapes.js';

/**
 * How `apply` reduces the per-sample losses: 'sum_over_batch_size' and 'mean' divide the sum by
 * the number of elements, 'sum' sums, 'mean_with_sample_weight' divides by the sum of the sample
 * weights, 'none' and null return the (weighted) per-sample values.
 */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'mean' | 'mean_with_sample_weight' | 'none' | null;

const REDUCTIONS: readonly Reduction[] = ['sum_over_batch_size', 'sum', 'mean', 'mean_with_sample_weight', 'none', null];

export function standardizeReduction(reduction: unknown): Reduction {
  if ((REDUCTIONS as readonly unknown[]).includes(reduction)) return reduction as Reduction;
  throw new Error(
    `Invalid value for argument \`reduction\`: ${JSON.stringify(reduction)}. ` +
      `Expected one of ${REDUCTIONS.map((r) => (r === null ? 'null' : `'${r}'`)).join(', ')}. Fix: use 'sum_over_batch_size' (the default) unless you need another.`,
  );
}

/** Per-sample losses with the mask of the valid entries (sparse crossentropy's ignoreClass), or null. */
export interface MaskedValues {
  values: Tensor;
  mask: Tensor | null;
}

export interface LossOptions {
  name?: string;
  reduction?: Reduction;
  /** Only float32, which keras-ts computes in; accepted so Keras configs load. */
  dtype?: 'float32' | null;
}

export const toFloat = (x: TensorLike, where: string): Tensor => castTo(toTensor(x, where), 'float32');

/** a / b, and 0 where b is 0, with a gradient that stays finite there. */
export function divideNoNan(a: Tensor, b: Tensor): Tensor {
  const zero = ops.equal(b, 0);
  return ops.where(zero, 0, ops.divide(a, ops.where(zero, 1, b)));
}

/**
 * Folds a mask into the sample weights as Keras's apply_mask does: for the averaging reductions
 * the valid entries are scaled by total/valid, so the average is over the valid entries only.
 */
export function applyMask(sampleWeight: Tensor | null, mask: Tensor | null, reduction: Reduction): Tensor | null {
  if (mask === null) return sampleWeight;
  let m = ops.cast(mask, 'float32');
  if (reduction === 'mean' || reduction === 'sum_over_batch_size') {
    m = ops.multiply(m, divideNoNan(ops.cast(m.size, 'float32'), ops.sum(m)));
  }
  if (sampleWeight === null) return m;
  const [mm, sw] = squeezeOrExpandToSameRank(m, sampleWeight);
  return ops.multiply(sw, mm);
}

/** Keras's reduce_values: a scalar from the (weighted) values, or the values themselves for 'none'. */
export function reduceValues(values: Tensor, sampleWeight: Tensor | null, reduction: Reduction): Tensor {
  if (reduction === null || reduction === 'none' || values.rank === 0 || (values.rank === 1 && values.shape[0] === 0)) return values;
  const total = ops.sum(values);
  if (reduction === 'sum') return total;
  if (reduction === 'mean_with_sample_weight' && sampleWeight !== null) return divideNoNan(total, ops.sum(sampleWeight));
  return values.size > 0 ? ops.divide(total, values.size) : ops.multiply(total, 0);
}

/** Keras's reduce_weighted_values: weights (and mask) times values, then the reduction. */
export function reduceWeightedValues(values: Tensor, sampleWeight: TensorLike | null | undefined, mask: Tensor | null, reduction: Reduction): Tensor {
  let v = castTo(values, 'float32');
  let sw = sampleWeight === null || sampleWeight === undefined ? null : toFloat(sampleWeight, 'sampleWeight');
  sw = applyMask(sw, mask, reduction);
  if (sw !== null) {
    [v, sw] = squeezeOrExpandToSameRank(v, sw);
    v = ops.multiply(v, sw);
  }
  return reduceValues(v, sw, reduction);
}

/**
 * The base of every loss. A subclass implements `call(yTrue, yPred)`, which returns per-sample
 * losses; `apply(yTrue, yPred, sampleWeight)` weights and reduces them as Keras's `loss(y_true,
 * y_pred, sample_weight)` does.
 */
export abstract class Loss {
  /** The Keras class name `serialize` writes. */
  static readonly className: string = 'Loss';
  name: string;
  readonly reduction: Reduction;

  constructor(options: LossOptions = {}, defaultName = 'loss') {
    if (options.dtype !== undefined && options.dtype !== null && options.dtype !== 'float32') {
      throw new TypeError(`${defaultName}: dtype '${String(options.dtype)}' is not supported. Expected 'float32', the only float type keras-ts computes in.`);
    }
    this.name = options.name ?? defaultName;
    this.reduction = standardizeReduction(options.reduction === undefined ? 'sum_over_batch_size' : options.reduction);
  }

  get className(): string {
    return (this.constructor as typeof Loss).className;
  }

  /** Per-sample losses (the loss before weighting and reduction). */
  abstract call(yTrue: Tensor, yPred: Tensor): Tensor;

  /** Per-sample losses and the mask of the entries that count; losses that mask override this. */
  callMasked(yTrue: Tensor, yPred: Tensor): MaskedValues {
    return { values: this.call(yTrue, yPred), mask: null };
  }

  /** The loss: per-sample values weighted by `sampleWeight` and reduced by `reduction`. */
  apply(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): Tensor {
    const { values, mask } = this.callMasked(toFloat(yTrue, this.name), toFloat(yPred, this.name));
    return reduceWeightedValues(values, sampleWeight, mask, this.reduction);
  }

  /**
   * Throws a Keras-style error (in the user's terms) when labels of shape `yTrueShape` cannot go
   * with predictions of `yPredShape`; `fit` calls it before the first step. `null` sizes match anything.
   */
  checkShapes(yTrueShape: SymbolicShape, yPredShape: SymbolicShape): void {
    checkLabelShapes('elementwise', this.name, yTrueShape, yPredShape);
  }

  /** Keras's config: snake_case keys, JSON values. */
  getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction };
  }

  /** Rebuilds a loss from `getConfig()`'s output. */
  static fromConfig<T extends Loss>(this: new (options?: never) => T, config: Record<string, unknown> = {}): T {
    return new this(camelOptions(config) as never);
  }
}

/** Turns a Keras config's snake_case keys into the camelCase options the constructors take. */
export function camelOptions(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()), v]));
}

/** A per-sample loss function: `(yTrue, yPred, options) => losses of shape yPred.shape[:-1]`; it is given Tensors. */
export type LossFunction<O = never> = (yTrue: Tensor, yPred: Tensor, options?: O) => Tensor;

export interface LossFunctionWrapperOptions extends LossOptions {
  /** How `checkShapes` compares labels and predictions; 'elementwise' (broadcasting) by default. */
  family?: LabelFamily;
  /** The function's Keras name (e.g. 'mean_squared_error'), for shape errors and the config; the instance name by default. */
  fnName?: string;
}

/**
 * A Loss from a function, as Keras's LossFunctionWrapper: labels and predictions whose ranks
 * differ by a trailing axis of size 1 are brought to the same rank first, then `fn` runs.
 */
export class LossFunctionWrapper<O = never> extends Loss {
  static override readonly className: string = 'LossFunctionWrapper';
  readonly fn: LossFunction<O>;
  /** The options `fn` is called with. */
  readonly fnOptions: O | undefined;
  protected readonly family: LabelFamily;
  /** The Keras name of the function, which shape errors start with. */
  protected readonly fnName: string;

  constructor(fn: LossFunction<O>, options: LossFunctionWrapperOptions = {}, fnOptions?: O) {
    if (typeof fn !== 'function') {
      throw new TypeError(`LossFunctionWrapper: expected a function (yTrue, yPred) => per-sample losses, got ${typeof fn}. Fix: pass a function.`);
    }
    super(options, fn.name || 'loss');
    this.fn = fn;
    this.fnOptions = fnOptions;
    this.family = options.family ?? 'elementwise';
    this.fnName = options.fnName ?? this.name;
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
    return this.fn(t, p, this.fnOptions);
  }

  override checkShapes(yTrueShape: SymbolicShape, yPredShape: SymbolicShape): void {
    checkLabelShapes(this.family, this.fnName, yTrueShape, yPredShape);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fn: this.fnName };
  }
}

/** Checks a built-in loss class's options and fills in its default name. */
export function builtinOptions(
  options: LossOptions, defaultName: string, fnName: string, className: string, extraKeys: readonly string[] = [], family: LabelFamily = 'elementwise',
): LossFunctionWrapperOptions {
  checkOptions(options, ['name', 'reduction', 'dtype', ...extraKeys], className);
  return { name: options.name ?? defaultName, reduction: options.reduction, dtype: options.dtype, fnName, family };
}

/** A built-in loss class: its config is Loss's (name, reduction) plus its own options, as in Keras. */
export abstract class BuiltinLoss<O = never> extends LossFunctionWrapper<O> {
  override getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction };
  }
}
