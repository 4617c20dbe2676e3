/**
 * Regression metrics: the means of the regression losses (MSE, MAE, MAPE, MSLE, log-cosh, cosine
 * similarity), RootMeanSquaredError, and R2Score (the coefficient of determination).
 */
import { toFloat } from '../losses/loss.js';
import {
  cosineSimilarity as cosineSimilarityLoss, logCosh, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredError, meanSquaredLogarithmicError,
} from '../losses/regression.js';
import { squeezeOrExpandToSameRank } from '../losses/shapes.js';
import * as ops from '../ops/index.js';
import type { TensorLike } from '../ops/convert.js';
import { tidy } from '../runtime/tidy.js';
import type { Variable } from '../runtime/variable.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Metric, checkMetricOptions, type MetricOptions } from './metric.js';
import { Mean, MeanMetricWrapper, type MetricFunction } from './reduction_metrics.js';

/** A Mean of a loss function with no options, configured by name alone. */
abstract class PlainMeanMetric extends MeanMetricWrapper {
  constructor(fn: MetricFunction, options: MetricOptions, defaultName: string, className: string) {
    checkMetricOptions(options, [], className);
    super(fn, { ...options, name: options.name ?? defaultName });
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: 'float32' };
  }
}

export class MeanSquaredError extends PlainMeanMetric {
  static override readonly className: string = 'MeanSquaredError';
  constructor(options: MetricOptions = {}) {
    super(meanSquaredError, options, 'mean_squared_error', 'MeanSquaredError');
  }
}

export class MeanAbsoluteError extends PlainMeanMetric {
  static override readonly className: string = 'MeanAbsoluteError';
  constructor(options: MetricOptions = {}) {
    super(meanAbsoluteError, options, 'mean_absolute_error', 'MeanAbsoluteError');
  }
}

export class MeanAbsolutePercentageError extends PlainMeanMetric {
  static override readonly className: string = 'MeanAbsolutePercentageError';
  constructor(options: MetricOptions = {}) {
    super(meanAbsolutePercentageError, options, 'mean_absolute_percentage_error', 'MeanAbsolutePercentageError');
  }
}

export class MeanSquaredLogarithmicError extends PlainMeanMetric {
  static override readonly className: string = 'MeanSquaredLogarithmicError';
  constructor(options: MetricOptions = {}) {
    super(meanSquaredLogarithmicError, options, 'mean_squared_logarithmic_error', 'MeanSquaredLogarithmicError');
  }
}

export class LogCoshError extends PlainMeanMetric {
  static override readonly className: string = 'LogCoshError';
  constructor(options: MetricOptions = {}) {
    super(logCosh, options, 'logcosh', 'LogCoshError');
  }
}

/** sum(l2_normalize(yTrue) * l2_normalize(yPred), axis): the metric is the loss without its minus sign. */
export function cosineSimilarity(yTrue: TensorLike, yPred: TensorLike, options: { axis?: number } = {}): Tensor {
  return ops.negative(cosineSimilarityLoss(yTrue, yPred, options));
}

export class CosineSimilarity extends MeanMetricWrapper<{ axis?: number }> {
  static override readonly className: string = 'CosineSimilarity';
  readonly axis: number;
  constructor(options: MetricOptions & { axis?: number } = {}) {
    checkMetricOptions(options, ['axis'], 'CosineSimilarity');
    const axis = options.axis ?? -1;
    super(cosineSimilarity, { name: options.name ?? 'cosine_similarity', dtype: options.dtype }, { axis });
    this.axis = axis;
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: 'float32', axis: this.axis };
  }
}

/** sqrt of the (weighted) mean squared error over every sample seen. */
export class RootMeanSquaredError extends Mean {
  static override readonly className: string = 'RootMeanSquaredError';
  constructor(options: MetricOptions = {}) {
    checkMetricOptions(options, [], 'RootMeanSquaredError');
    super(options, 'root_mean_squared_error');
  }

  override updateState(yTrue: TensorLike, yPred?: TensorLike | null, sampleWeight?: TensorLike | null): void {
    if (yPred === null || yPred === undefined) throw new TypeError('RootMeanSquaredError: updateState(yTrue, yPred, sampleWeight?) needs the predictions.');
    tidy(() => {
      const [t, p] = squeezeOrExpandToSameRank(toFloat(yTrue, this.name), toFloat(yPred, this.name));
      const sw = sampleWeight === null || sampleWeight === undefined ? null : toFloat(sampleWeight, 'sampleWeight');
      this.accumulateValues(ops.square(ops.subtract(p, t)), sw);
    });
  }

  override result(): number {
    return Math.sqrt(super.result());
  }
}

export type R2ClassAggregation = 'uniform_average' | 'variance_weighted_average' | null;

export interface R2ScoreOptions extends MetricOptions {
  /** How the scores of the output columns combine: their mean, their mean weighted by variance, or none (one per column). */
  classAggregation?: R2ClassAggregation;
  /** The number of regressors for the adjusted R2 (0: the plain R2). */
  numRegressors?: number;
}

/** 1 - (residual sum of squares) / (total sum of squares), over every sample seen, per output column. */
export class R2Score extends Metric {
  static override readonly className: string = 'R2Score';
  readonly classAggregation: R2ClassAggregation;
  readonly numRegressors: number;
  private readonly numSamples = this.addVariable([], 'num_samples');
  private sums: { squaredSum: Variable; sum: Variable; residual: Variable; count: Variable } | null = null;

  constructor(options: R2ScoreOptions = {}) {
    checkMetricOptions(options, ['classAggregation', 'numRegressors'], 'R2Score');
    super(options, 'r2_score');
    const aggregation = options.classAggregation === undefined ? 'uniform_average' : options.classAggregation;
    if (!([null, 'uniform_average', 'variance_weighted_average'] as unknown[]).includes(aggregation)) {
      throw new Error(`R2Score: invalid classAggregation ${JSON.stringify(aggregation)}. Expected one of null, 'uniform_average', 'variance_weighted_average'.`);
    }
    const numRegressors = options.numRegressors ?? 0;
    if (numRegressors < 0) throw new RangeError(`R2Score: numRegressors must be >= 0, got ${numRegressors}.`);
    this.classAggregation = aggregation;
    this.numRegressors = numRegressors;
  }

  updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    tidy(() => {
      const [t, p] = squeezeOrExpandToSameRank(toFloat(yTrue, this.name), toFloat(yPred, this.name));
      if (this.sums === null) {
        if (t.rank !== 2 || p.rank !== 2) {
          throw new Error(
            `R2Score expects 2D inputs with shape (batch_size, output_dim). Received input shapes: y_pred.shape=${formatShape(p.shape)} and y_true.shape=${formatShape(t.shape)}. ` +
              `Fix: reshape single-output targets to (batch_size, 1).`,
          );
        }
        const columns = [p.shape[1]];
        this.sums = {
          squaredSum: this.addVariable(columns, 'squared_sum'), sum: this.addVariable(columns, 'sum'),
          residual: this.addVariable(columns, 'residual'), count: this.addVariable(columns, 'count'),
        };
      }
      let sw = sampleWeight === null || sampleWeight === undefined ? ops.cast(1, 'float32') : toFloat(sampleWeight, 'sampleWeight');
      if (sw.rank === 1) sw = ops.expandDims(sw, 1);
      sw = ops.broadcastTo(sw, t.shape);
      const weighted = ops.multiply(t, sw);
      const columnSum = (x: Tensor): Tensor => ops.sum(x, { axis: 0 });
      this.accumulate(this.sums.sum, columnSum(weighted));
      this.accumulate(this.sums.squaredSum, columnSum(ops.multiply(t, weighted)));
      this.accumulate(this.sums.residual, columnSum(ops.multiply(ops.square(ops.subtract(t, p)), sw)));
      this.accumulate(this.sums.count, columnSum(sw));
      this.accumulate(this.numSamples, ops.cast(t.size, 'float32'));
    });
  }

  result(): number | number[] {
    if (this.sums === null) return this.classAggregation === null ? [] : 0;
    const [squaredSum, sum, residual, count] = [this.sums.squaredSum, this.sums.sum, this.sums.residual, this.sums.count].map((v) => Array.from(v.dataSync()));
    const total = sum.map((s, i) => squaredSum[i] - (s * s) / count[i]);
    // As Keras: a column with no variance but some residual (an infinite ratio) scores 0.
    const raw = residual.map((r, i) => {
      const score = 1 - r / total[i];
      return Number.isFinite(score) || Number.isNaN(score) ? score : 0;
    });
    let score: number | number[];
    if (this.classAggregation === 'uniform_average') score = raw.reduce((a, b) => a + b, 0) / raw.length;
    else if (this.classAggregation === 'variance_weighted_average') score = raw.reduce((a, r, i) => a + r * total[i], 0) / total.reduce((a, b) => a + b, 0);
    else score = raw;
    const n = this.numSamples.dataSync()[0];
    const p = this.numRegressors;
    if (p === 0) return score;
    if (p > n - 1) console.warn('R2Score: more independent predictors than datapoints in adjusted R2 score. Falling back to standard R2 score.');
    else if (p === n - 1) console.warn('R2Score: division by zero in adjusted R2 score. Falling back to standard R2 score.');
    else {
      const adjust = (r: number): number => 1 - ((1 - r) * (n - 1)) / (n - p - 1);
      return typeof score === 'number' ? adjust(score) : score.map(adjust);
    }
    return score;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), class_aggregation: this.classAggregation, num_regressors: this.numRegressors };
  }
}
