/**
 * FBetaScore and F1Score: per-class true positive, false positive and false negative counts of
 * thresholded (or argmax) predictions, combined as Keras 3 does, epsilon terms included.
 */
import { config } from '../backend/config.js';
import { toFloat } from '../losses/loss.js';
import * as ops from '../ops/index.js';
import type { TensorLike } from '../ops/convert.js';
import { tidy } from '../runtime/tidy.js';
import type { Variable } from '../runtime/variable.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Metric, checkMetricOptions, type MetricOptions } from './metric.js';

export type FScoreAverage = 'micro' | 'macro' | 'weighted' | null;

export interface FBetaScoreOptions extends MetricOptions {
  /** null: one score per class; 'micro': from global counts; 'macro': the mean of the class scores; 'weighted': their mean weighted by support. */
  average?: FScoreAverage;
  /** The weight of recall in the harmonic mean (> 0). */
  beta?: number;
  /** Predictions above it count as 1; null counts each row's largest prediction as 1. */
  threshold?: number | null;
}

export class FBetaScore extends Metric {
  static override readonly className: string = 'FBetaScore';
  readonly average: FScoreAverage;
  readonly beta: number;
  readonly threshold: number | null;
  private counts: { tp: Variable; fp: Variable; fn: Variable; support: Variable } | null = null;

  constructor(options: FBetaScoreOptions = {}, defaultName = 'fbeta_score') {
    if (new.target === FBetaScore) checkMetricOptions(options, ['average', 'beta', 'threshold'], 'FBetaScore');
    super(options, defaultName);
    const average = options.average ?? null;
    if (!([null, 'micro', 'macro', 'weighted'] as unknown[]).includes(average)) {
      throw new Error(`${this.className}: invalid average ${JSON.stringify(average)}. Expected one of null, 'micro', 'macro', 'weighted'.`);
    }
    const beta = options.beta ?? 1;
    if (!(typeof beta === 'number' && beta > 0)) throw new RangeError(`${this.className}: beta must be a number > 0, got ${String(beta)}.`);
    const threshold = options.threshold ?? null;
    if (threshold !== null && !(threshold > 0 && threshold <= 1)) {
      throw new RangeError(`${this.className}: threshold must satisfy 0 < threshold <= 1, got ${threshold}. Fix: use e.g. 0.5, or null to take each row's largest prediction.`);
    }
    this.average = average;
    this.beta = beta;
    this.threshold = threshold;
  }

  private build(yTrue: Tensor, yPred: Tensor): void {
    if (yTrue.rank !== 2 || yPred.rank !== 2) {
      throw new Error(
        `${this.className} expects 2D inputs with shape (batch_size, output_dim). Received input shapes: y_pred.shape=${formatShape(yPred.shape)} and y_true.shape=${formatShape(yTrue.shape)}. ` +
          `Fix: pass one-hot (or multi-hot) labels shaped like the predictions.`,
      );
    }
    const shape = this.average === 'micro' ? [] : [yPred.shape[1]];
    this.counts = {
      tp: this.addVariable(shape, 'true_positives'),
      fp: this.addVariable(shape, 'false_positives'),
      fn: this.addVariable(shape, 'false_negatives'),
      support: this.addVariable(shape, 'intermediate_weights'),
    };
  }

  updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    tidy(() => {
      const t = toFloat(yTrue, this.name);
      let p = toFloat(yPred, this.name);
      if (this.counts === null) this.build(t, p);
      const counts = this.counts as NonNullable<typeof this.counts>;
      if (this.threshold === null) {
        // Each row's largest prediction counts as 1, but an all-zero row stays all zero.
        p = ops.logicalAnd(ops.greaterEqual(p, ops.max(p, { axis: -1, keepdims: true })), ops.greater(ops.abs(p), 1e-9));
      } else p = ops.greater(p, this.threshold);
      p = ops.cast(p, 'float32');
      const sw = sampleWeight === null || sampleWeight === undefined ? null : ops.expandDims(toFloat(sampleWeight, 'sampleWeight'), 1);
      const axis = this.average === 'micro' ? null : 0;
      const weightedSum = (x: Tensor): Tensor => ops.sum(sw === null ? x : ops.multiply(x, sw), { axis });
      this.accumulate(counts.tp, weightedSum(ops.multiply(p, t)));
      this.accumulate(counts.fp, weightedSum(ops.multiply(p, ops.subtract(1, t))));
      this.accumulate(counts.fn, weightedSum(ops.multiply(ops.subtract(1, p), t)));
      this.accumulate(counts.support, weightedSum(t));
    });
  }

  result(): number | number[] {
    if (this.counts === null) return this.average === null ? [] : 0;
    const eps = config.epsilon();
    const [tp, fp, fn, support] = [this.counts.tp, this.counts.fp, this.counts.fn, this.counts.support].map((v) => Array.from(v.dataSync()));
    const b2 = this.beta * this.beta;
    const scores = tp.map((t, i) => {
      const precision = t / (t + fp[i] + eps);
      const recall = t / (t + fn[i] + eps);
      return ((precision * recall) / (b2 * precision + recall + eps)) * (1 + b2);
    });
    if (this.average === 'weighted') {
      const total = support.reduce((a, b) => a + b, 0) + eps;
      return scores.reduce((a, s, i) => a + s * (support[i] / total), 0);
    }
    if (this.average !== null) return scores.reduce((a, b) => a + b, 0) / scores.length;
    return scores;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), average: this.average, beta: this.beta, threshold: this.threshold };
  }
}

/** The harmonic mean of precision and recall (FBetaScore with beta = 1). */
export class F1Score extends FBetaScore {
  static override readonly className: string = 'F1Score';

  constructor(options: Omit<FBetaScoreOptions, 'beta'> = {}) {
    checkMetricOptions(options, ['average', 'threshold'], 'F1Score');
    super({ ...options, beta: 1 }, 'f1_score');
  }

  override getConfig(): Record<string, unknown> {
    const { beta: _beta, ...rest } = super.getConfig();
    return rest;
  }
}
