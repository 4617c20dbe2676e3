/**
 * keras.metrics.AUC: the area under the ROC or precision-recall curve, approximated from
 * confusion counts at `numThresholds` thresholds by a Riemann sum ('interpolation', 'minoring' or
 * 'majoring'), with the Davis & Goadrich interpolation for PR, exactly as Keras 3 computes it.
 */
import { config } from '../backend/config.js';
import { toFloat } from '../losses/loss.js';
import * as ops from '../ops/index.js';
import type { TensorLike } from '../ops/convert.js';
import { tidy } from '../runtime/tidy.js';
import type { Variable } from '../runtime/variable.js';
import { confusionCounts } from './confusion_metrics.js';
import { Metric, checkMetricOptions, type MetricOptions } from './metric.js';

export type AUCCurve = 'ROC' | 'PR';
export type AUCSummationMethod = 'interpolation' | 'minoring' | 'majoring';

export interface AUCOptions extends MetricOptions {
  /** The number of thresholds (> 1), evenly spaced in [0, 1]; 200 by default. */
  numThresholds?: number;
  curve?: AUCCurve | 'roc' | 'pr';
  summationMethod?: AUCSummationMethod | 'Interpolation' | 'Minoring' | 'Majoring';
  /** Explicit thresholds in [0, 1] (numThresholds is then their count + 2). */
  thresholds?: readonly number[] | null;
  /** One AUC per label column, averaged (weighted by labelWeights when given). */
  multiLabel?: boolean;
  numLabels?: number | null;
  labelWeights?: readonly number[] | null;
  /** Apply a sigmoid to the predictions first. */
  fromLogits?: boolean;
}

function parseCurve(curve: string): AUCCurve {
  if (curve === 'ROC' || curve === 'roc') return 'ROC';
  if (curve === 'PR' || curve === 'pr') return 'PR';
  throw new Error(`AUC: invalid curve "${curve}". Expected 'ROC' or 'PR'.`);
}

function parseSummation(method: string): AUCSummationMethod {
  const lower = method.toLowerCase();
  if ((lower === 'interpolation' || lower === 'minoring' || lower === 'majoring') && (method === lower || method === lower[0].toUpperCase() + lower.slice(1))) return lower;
  throw new Error(`AUC: invalid summation method "${method}". Expected 'interpolation', 'majoring' or 'minoring'.`);
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

export class AUC extends Metric {
  static override readonly className: string = 'AUC';
  readonly numThresholds: number;
  readonly curve: AUCCurve;
  readonly summationMethod: AUCSummationMethod;
  readonly multiLabel: boolean;
  readonly numLabels: number | null;
  readonly labelWeights: number[] | null;
  readonly fromLogits: boolean;
  /** Every threshold, with -epsilon and 1 + epsilon at the ends so predictions of exactly 0 and 1 count. */
  readonly thresholds: number[];
  private readonly initThresholds: number[] | null;
  private counts: { tp: Variable; fp: Variable; tn: Variable; fn: Variable } | null = null;

  constructor(options: AUCOptions = {}) {
    checkMetricOptions(options, ['numThresholds', 'curve', 'summationMethod', 'thresholds', 'multiLabel', 'numLabels', 'labelWeights', 'fromLogits'], 'AUC');
    super(options, 'auc');
    this.curve = parseCurve(options.curve ?? 'ROC');
    this.summationMethod = parseSummation(options.summationMethod ?? 'interpolation');
    let inner: number[];
    if (options.thresholds !== null && options.thresholds !== undefined) {
      inner = [...options.thresholds].sort((a, b) => a - b);
      this.numThresholds = inner.length + 2;
      this.initThresholds = inner;
    } else {
      const n = options.numThresholds ?? 200;
      if (!Number.isInteger(n) || n <= 1) throw new RangeError(`AUC: numThresholds must be an integer > 1, got ${n}. Fix: use e.g. 200.`);
      this.numThresholds = n;
      inner = Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1));
      this.initThresholds = null;
    }
    const eps = config.epsilon();
    this.thresholds = [0 - eps, ...inner, 1 + eps];
    this.multiLabel = options.multiLabel ?? false;
    this.numLabels = options.numLabels ?? null;
    this.labelWeights = options.labelWeights ? [...options.labelWeights] : null;
    this.fromLogits = options.fromLogits ?? false;
    if (!this.multiLabel && this.numLabels) throw new Error('AUC: numLabels is needed only when multiLabel is true. Fix: drop numLabels, or set multiLabel: true.');
    if (!this.multiLabel) this.build(null);
    else if (this.numLabels) this.build(this.numLabels);
  }

  private build(labels: number | null): void {
    const shape = labels === null ? [this.numThresholds] : [this.numThresholds, labels];
    this.counts = {
      tp: this.addVariable(shape, 'true_positives'),
      fp: this.addVariable(shape, 'false_positives'),
      tn: this.addVariable(shape, 'true_negatives'),
      fn: this.addVariable(shape, 'false_negatives'),
    };
  }

  updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    tidy(() => {
      let p = toFloat(yPred, 'AUC');
      if (this.counts === null) {
        if (p.rank !== 2) throw new Error(`AUC: yPred must have rank 2 (num_samples, num_labels) when multiLabel is true, got rank ${p.rank}.`);
        this.build(p.shape[1]);
      }
      if (this.fromLogits) p = ops.sigmoid(p);
      const counts = confusionCounts(yTrue, p, this.thresholds, {
        sampleWeight, multiLabel: this.multiLabel, labelWeights: this.multiLabel ? null : this.labelWeights,
      });
      const vars = this.counts as NonNullable<typeof this.counts>;
      for (const key of ['tp', 'fp', 'tn', 'fn'] as const) this.accumulate(vars[key], counts[key]);
    });
  }

  /** The counts as per-label columns of numThresholds values (one column without multiLabel). */
  private columns(): { tp: number[]; fp: number[]; tn: number[]; fn: number[] }[] {
    if (this.counts === null) return [];
    const labels = this.counts.tp.shape.length === 2 ? this.counts.tp.shape[1] : 1;
    const data = { tp: this.counts.tp.dataSync(), fp: this.counts.fp.dataSync(), tn: this.counts.tn.dataSync(), fn: this.counts.fn.dataSync() };
    const column = (values: ArrayLike<number>, l: number): number[] => Array.from({ length: this.numThresholds }, (_, t) => values[t * labels + l]);
    return Array.from({ length: labels }, (_, l) => ({ tp: column(data.tp, l), fp: column(data.fp, l), tn: column(data.tn, l), fn: column(data.fn, l) }));
  }

  /** PR-AUC with precision interpolated between thresholds (Davis & Goadrich 2006), in Keras's closed form. */
  private interpolatePrAuc(c: { tp: number[]; fp: number[]; fn: number[] }): number {
    let area = 0;
    for (let i = 0; i + 1 < this.numThresholds; i++) {
      const dtp = c.tp[i] - c.tp[i + 1];
      const pA = c.tp[i] + c.fp[i];
      const pB = c.tp[i + 1] + c.fp[i + 1];
      const slope = ratio(dtp, Math.max(pA - pB, 0));
      const intercept = c.tp[i + 1] - slope * pB;
      const safeRatio = pA > 0 && pB > 0 ? ratio(pA, Math.max(pB, 0)) : 1;
      area += ratio(slope * (dtp + intercept * Math.log(safeRatio)), Math.max(c.tp[i + 1] + c.fn[i + 1], 0));
    }
    return area;
  }

  private riemannSum(c: { tp: number[]; fp: number[]; tn: number[]; fn: number[] }): number {
    const recall = c.tp.map((tp, i) => ratio(tp, tp + c.fn[i]));
    const x = this.curve === 'ROC' ? c.fp.map((fp, i) => ratio(fp, fp + c.tn[i])) : recall;
    const y = this.curve === 'ROC' ? recall : c.tp.map((tp, i) => ratio(tp, tp + c.fp[i]));
    let area = 0;
    for (let i = 0; i + 1 < this.numThresholds; i++) {
      const height =
        this.summationMethod === 'interpolation' ? (y[i] + y[i + 1]) / 2 : this.summationMethod === 'minoring' ? Math.min(y[i], y[i + 1]) : Math.max(y[i], y[i + 1]);
      area += (x[i] - x[i + 1]) * height;
    }
    return area;
  }

  result(): number {
    const byLabel = this.columns().map((c) => (this.curve === 'PR' && this.summationMethod === 'interpolation' ? this.interpolatePrAuc(c) : this.riemannSum(c)));
    if (byLabel.length === 0) return 0;
    if (!this.multiLabel) return byLabel[0];
    if (this.labelWeights === null) return byLabel.reduce((a, b) => a + b, 0) / byLabel.length;
    const weights = this.labelWeights;
    return ratio(byLabel.reduce((a, b, i) => a + b * weights[i], 0), weights.reduce((a, b) => a + b, 0));
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      ...super.getConfig(), num_thresholds: this.numThresholds, curve: this.curve, summation_method: this.summationMethod,
      multi_label: this.multiLabel, num_labels: this.numLabels, label_weights: this.labelWeights, from_logits: this.fromLogits,
    };
    if (this.initThresholds !== null) config.thresholds = this.initThresholds;
    return config;
  }
}
