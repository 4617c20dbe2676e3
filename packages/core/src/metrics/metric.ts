/**
 * keras.metrics.Metric: a stateful metric whose state lives in non-trainable Variables, so it
 * runs on every backend, survives `tidy`, and is freed by `dispose()`.
 */
import { checkOptions } from '../initializers/initializer.js';
import { camelOptions } from '../losses/loss.js';
import * as ops from '../ops/index.js';
import type { TensorLike } from '../ops/convert.js';
import { tidy } from '../runtime/tidy.js';
import { Variable } from '../runtime/variable.js';
import { zeros } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';

/** A metric's value: a number, or one number per threshold / class for the metrics that have several. */
export type MetricResult = number | number[];

export interface MetricOptions {
  name?: string;
  /** Only float32, which keras-ts computes in; accepted so Keras configs load. */
  dtype?: 'float32' | null;
}

/** Keras's to_snake_case: 'TopKCategoricalAccuracy' -> 'top_k_categorical_accuracy', 'AUC' -> 'auc'. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

export abstract class Metric {
  /** The Keras class name `serialize` writes. */
  static readonly className: string = 'Metric';
  /** The key under which the result appears in training logs. */
  name: string;
  private readonly state: Variable[] = [];

  constructor(options: MetricOptions = {}, defaultName?: string) {
    if (options.dtype !== undefined && options.dtype !== null && options.dtype !== 'float32') {
      throw new TypeError(`${this.className}: dtype '${String(options.dtype)}' is not supported. Expected 'float32', the only float type keras-ts computes in.`);
    }
    this.name = options.name ?? defaultName ?? toSnakeCase(this.className);
  }

  get className(): string {
    return (this.constructor as typeof Metric).className;
  }

  /** The state variables (non-trainable), in creation order. */
  get variables(): Variable[] {
    return [...this.state];
  }

  /** Makes a zero-filled, non-trainable state variable (path '<metric name>/<name>'). */
  protected addVariable(shape: readonly number[], name: string): Variable {
    const variable = tidy(() => new Variable(zeros(shape), { name, trainable: false, path: `${this.name}/${name}` }));
    this.state.push(variable);
    return variable;
  }

  /** Adds `delta` (a tensor of the variable's shape) to a state variable. */
  protected accumulate(variable: Variable, delta: Tensor): void {
    tidy(() => variable.assign(ops.add(variable.value, delta)));
  }

  /** Accumulates the statistics of a batch. */
  abstract updateState(yTrue: TensorLike, yPred?: TensorLike | null, sampleWeight?: TensorLike | null): void;

  /** The metric's value from the state so far, read synchronously. */
  abstract result(): MetricResult;

  /** Zeroes every state variable (between epochs). */
  resetState(): void {
    for (const v of this.state) tidy(() => v.assign(zeros(v.shape, v.dtype)));
  }

  /** Frees the state variables; the metric cannot be used afterwards. */
  dispose(): void {
    for (const v of this.state) v.dispose();
    this.state.length = 0;
  }

  /** Keras's config: snake_case keys, JSON values. */
  getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: 'float32' };
  }

  /** Rebuilds a metric from `getConfig()`'s output. */
  static fromConfig<T extends Metric>(this: new (options?: never) => T, config: Record<string, unknown> = {}): T {
    return new this(camelOptions(config) as never);
  }

  toString(): string {
    return `<${this.className} name=${this.name}>`;
  }
}

/** Rejects unknown options (a snake_case key where camelCase is expected, a typo). */
export function checkMetricOptions(options: object, extra: readonly string[], where: string): void {
  checkOptions(options, ['name', 'dtype', ...extra], where);
}
