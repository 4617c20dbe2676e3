/**
 * Sum, Mean and MeanMetricWrapper (a Mean over the per-sample values of a function), with Keras 3's
 * rules for sample weights: values are first reduced to one per sample (or to the weights' rank),
 * the mean is weighted by the sample weights, and the count is their sum.
 */
import { applyMask, toFloat, type MaskedValues } from '../losses/loss.js';
import { squeezeOrExpandToSameRank } from '../losses/shapes.js';
import * as ops from '../ops/index.js';
import { toTensor, type TensorLike } from '../ops/convert.js';
import { tidy } from '../runtime/tidy.js';
import { Tensor } from '../tensor/tensor.js';
import { Metric, checkMetricOptions, type MetricOptions } from './metric.js';

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(to - from, 0) }, (_, i) => from + i);

/** Keras's reduce_to_samplewise_values: [values reduced to one per sample and weighted, the per-sample weights]. */
export function reduceToSamplewiseValues(values: Tensor, sampleWeight: Tensor | null, reduce: 'sum' | 'mean'): [Tensor, Tensor | null] {
  const reduceFn = reduce === 'sum' ? ops.sum : ops.mean;
  let v = ops.cast(values, 'float32');
  let sw = sampleWeight;
  if (sw !== null) {
    [v, sw] = squeezeOrExpandToSameRank(v, ops.cast(sw, 'float32'));
    const weightRank = sw.rank;
    if (v.rank > weightRank) v = reduceFn(v, { axis: range(weightRank, v.rank) });
    // Broadcasting the weights first makes their later per-sample reduction count every element.
    sw = ops.broadcastTo(sw, v.shape);
    v = ops.multiply(v, sw);
    if (weightRank > 1) sw = reduceFn(sw, { axis: range(1, weightRank) });
  }
  if (v.rank > 1) v = reduceFn(v, { axis: range(1, v.rank) });
  return [v, sw];
}

const weightOf = (sampleWeight: TensorLike | null | undefined): Tensor | null =>
  sampleWeight === null || sampleWeight === undefined ? null : toFloat(sampleWeight, 'sampleWeight');

/** The (weighted) sum of the values seen. */
export class Sum extends Metric {
  static override readonly className: string = 'Sum';
  protected readonly total = this.addVariable([], 'total');

  constructor(options: MetricOptions = {}) {
    checkMetricOptions(options, [], 'Sum');
    super(options, 'sum');
  }

  updateState(values: TensorLike, sampleWeight?: TensorLike | null): void {
    tidy(() => {
      const [v] = reduceToSamplewiseValues(toFloat(values, this.name), weightOf(sampleWeight), 'sum');
      this.accumulate(this.total, ops.sum(v));
    });
  }

  result(): number {
    return this.total.dataSync()[0];
  }
}

/** The (weighted) mean of the values seen: total / count. */
export class Mean extends Metric {
  static override readonly className: string = 'Mean';
  protected readonly total = this.addVariable([], 'total');
  protected readonly count = this.addVariable([], 'count');

  constructor(options: MetricOptions = {}, defaultName = 'mean') {
    if (new.target === Mean) checkMetricOptions(options, [], 'Mean');
    super(options, defaultName);
  }

  updateState(values: TensorLike, sampleWeight?: TensorLike | null): void {
    tidy(() => this.accumulateValues(toFloat(values, this.name), weightOf(sampleWeight)));
  }

  /** Adds the values (reduced per sample, weighted) to total and their weight to count. */
  protected accumulateValues(values: Tensor, sampleWeight: Tensor | null): void {
    const [v, sw] = reduceToSamplewiseValues(values, sampleWeight, 'mean');
    this.accumulate(this.total, ops.sum(v));
    const samples = sw !== null ? ops.sum(sw) : ops.cast(v.rank >= 1 ? v.shape[0] : 1, 'float32');
    this.accumulate(this.count, samples);
  }

  result(): number {
    const count = this.count.dataSync()[0];
    return count === 0 ? 0 : this.total.dataSync()[0] / count;
  }
}

/** A function of (yTrue, yPred) giving per-sample values, or values with a mask of the entries that count. */
export type MetricFunction<O = never> = (yTrue: Tensor, yPred: Tensor, options?: O) => Tensor | MaskedValues;

/** The mean of a per-sample function of (yTrue, yPred) over every sample seen, as Keras's MeanMetricWrapper. */
export class MeanMetricWrapper<O = never> extends Mean {
  static override readonly className: string = 'MeanMetricWrapper';
  readonly fn: MetricFunction<O>;
  protected readonly fnOptions: O | undefined;

  constructor(fn: MetricFunction<O>, options: MetricOptions = {}, fnOptions?: O) {
    if (typeof fn !== 'function') {
      throw new TypeError(`MeanMetricWrapper: expected a function (yTrue, yPred) => per-sample values, got ${typeof fn}. Fix: pass a function.`);
    }
    super(options, fn.name || 'mean_metric_wrapper');
    this.fn = fn;
    this.fnOptions = fnOptions;
  }

  override updateState(yTrue: TensorLike, yPred?: TensorLike | null, sampleWeight?: TensorLike | null): void {
    if (yPred === null || yPred === undefined) {
      throw new TypeError(`${this.name}: updateState(yTrue, yPred, sampleWeight?) needs the predictions. Fix: pass both labels and predictions.`);
    }
    tidy(() => {
      const out = this.fn(toTensor(yTrue, this.name), toTensor(yPred, this.name), this.fnOptions);
      const { values, mask } = out instanceof Tensor ? { values: out, mask: null } : out;
      // A mask (sparse crossentropy's ignoreClass) removes entries from the mean, as Keras's apply_mask with 'sum'.
      this.accumulateValues(values, applyMask(weightOf(sampleWeight), mask, 'sum'));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fn: this.fn.name };
  }
}
