/**
 * Losses as metrics: the mean of a loss's per-sample values over every sample seen (Keras's
 * probabilistic and hinge metrics), named as Keras names them in training logs.
 */
import {
  binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropyMasked,
  type BinaryCrossentropyOptions, type CategoricalCrossentropyOptions,
} from '../losses/crossentropy.js';
import { categoricalHinge, hinge, squaredHinge } from '../losses/hinge.js';
import { klDivergence, poisson } from '../losses/probabilistic.js';
import { checkMetricOptions, type MetricOptions } from './metric.js';
import { MeanMetricWrapper, type MetricFunction } from './reduction_metrics.js';

/** A Mean of a loss function with no options, configured by name alone. */
abstract class PlainLossMetric extends MeanMetricWrapper {
  constructor(fn: MetricFunction, options: MetricOptions, defaultName: string, className: string) {
    checkMetricOptions(options, [], className);
    super(fn, { ...options, name: options.name ?? defaultName });
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: 'float32' };
  }
}

export class KLDivergence extends PlainLossMetric {
  static override readonly className: string = 'KLDivergence';
  constructor(options: MetricOptions = {}) {
    super(klDivergence, options, 'kl_divergence', 'KLDivergence');
  }
}

export class Poisson extends PlainLossMetric {
  static override readonly className: string = 'Poisson';
  constructor(options: MetricOptions = {}) {
    super(poisson, options, 'poisson', 'Poisson');
  }
}

export class Hinge extends PlainLossMetric {
  static override readonly className: string = 'Hinge';
  constructor(options: MetricOptions = {}) {
    super(hinge, options, 'hinge', 'Hinge');
  }
}

export class SquaredHinge extends PlainLossMetric {
  static override readonly className: string = 'SquaredHinge';
  constructor(options: MetricOptions = {}) {
    super(squaredHinge, options, 'squared_hinge', 'SquaredHinge');
  }
}

export class CategoricalHinge extends PlainLossMetric {
  static override readonly className: string = 'CategoricalHinge';
  constructor(options: MetricOptions = {}) {
    super(categoricalHinge, options, 'categorical_hinge', 'CategoricalHinge');
  }
}

export class BinaryCrossentropy extends MeanMetricWrapper<Omit<BinaryCrossentropyOptions, 'axis'>> {
  static override readonly className: string = 'BinaryCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(options: MetricOptions & Omit<BinaryCrossentropyOptions, 'axis'> = {}) {
    checkMetricOptions(options, ['fromLogits', 'labelSmoothing'], 'BinaryCrossentropy');
    const fnOptions = { fromLogits: options.fromLogits ?? false, labelSmoothing: options.labelSmoothing ?? 0 };
    super(binaryCrossentropy, { name: options.name ?? 'binary_crossentropy', dtype: options.dtype }, fnOptions);
    ({ fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing } = fnOptions);
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: 'float32', from_logits: this.fromLogits, label_smoothing: this.labelSmoothing };
  }
}

export class CategoricalCrossentropy extends MeanMetricWrapper<CategoricalCrossentropyOptions> {
  static override readonly className: string = 'CategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor(options: MetricOptions & CategoricalCrossentropyOptions = {}) {
    checkMetricOptions(options, ['fromLogits', 'labelSmoothing', 'axis'], 'CategoricalCrossentropy');
    const fnOptions = { fromLogits: options.fromLogits ?? false, labelSmoothing: options.labelSmoothing ?? 0, axis: options.axis ?? -1 };
    super(categoricalCrossentropy, { name: options.name ?? 'categorical_crossentropy', dtype: options.dtype }, fnOptions);
    ({ fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis } = fnOptions);
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: 'float32', from_logits: this.fromLogits, label_smoothing: this.labelSmoothing, axis: this.axis };
  }
}

export class SparseCategoricalCrossentropy extends MeanMetricWrapper<{ fromLogits?: boolean; axis?: number }> {
  static override readonly className: string = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly axis: number;
  constructor(options: MetricOptions & { fromLogits?: boolean; axis?: number } = {}) {
    checkMetricOptions(options, ['fromLogits', 'axis'], 'SparseCategoricalCrossentropy');
    const fnOptions = { fromLogits: options.fromLogits ?? false, axis: options.axis ?? -1 };
    super(sparseCategoricalCrossentropyMasked, { name: options.name ?? 'sparse_categorical_crossentropy', dtype: options.dtype }, fnOptions);
    ({ fromLogits: this.fromLogits, axis: this.axis } = fnOptions);
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: 'float32', from_logits: this.fromLogits, axis: this.axis };
  }
}
