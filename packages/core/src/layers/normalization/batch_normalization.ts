/**
 * BatchNormalization: `gamma * (x - mean) / sqrt(variance + epsilon) + beta` per entry of the kept
 * `axis` (the features or channels axis, -1 by default). In training (`training: true`) mean and
 * variance are the batch's moments over every other axis (the biased variance), and the moving
 * statistics are updated `moving = moving * momentum + batch * (1 - momentum)`; otherwise the
 * moving statistics are used. Weights, in Keras's order: gamma, beta (trainable), moving_mean,
 * moving_variance (non-trainable), each shaped (size of the kept axis).
 *
 * ```ts
 * new layers.BatchNormalization().apply(x, { training: true });
 * ```
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import * as constraints from '../../constraints/index.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import { SymbolicTensor } from '../../tensor/symbolic.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as ops from '../../ops/index.js';
import { tidy } from '../../runtime/tidy.js';
import { withoutRecording } from '../../runtime/engine.js';
import type { Variable } from '../../runtime/variable.js';
import { InputSpec } from '../../engine/input_spec.js';
import { Layer, configToArgs, type CallOptions, type LayerArgs } from '../../engine/layer.js';

export interface BatchNormalizationArgs extends LayerArgs {
  /** The axis that is KEPT (normalized separately for each of its entries): the features axis. Default -1. */
  axis?: number;
  /** Momentum of the moving averages. Default 0.99. */
  momentum?: number;
  /** Added to the variance before the square root. Default 1e-3. */
  epsilon?: number;
  /** Whether to add beta. Default true. */
  center?: boolean;
  /** Whether to multiply by gamma. Default true. */
  scale?: boolean;
  betaInitializer?: initializers.InitializerIdentifier;
  gammaInitializer?: initializers.InitializerIdentifier;
  movingMeanInitializer?: initializers.InitializerIdentifier;
  movingVarianceInitializer?: initializers.InitializerIdentifier;
  betaRegularizer?: regularizers.RegularizerIdentifier;
  gammaRegularizer?: regularizers.RegularizerIdentifier;
  betaConstraint?: constraints.ConstraintIdentifier;
  gammaConstraint?: constraints.ConstraintIdentifier;
  /**
   * Keras's cross-replica batch statistics for distributed training. keras-ts trains on one device,
   * where the synchronized statistics are the local ones: accepted, kept in the config, same numbers.
   */
  synchronized?: boolean;
}

export class BatchNormalization extends Layer<KerasTensor, Tensor> {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: initializers.InitializerIdentifier;
  readonly gammaInitializer: initializers.InitializerIdentifier;
  readonly movingMeanInitializer: initializers.InitializerIdentifier;
  readonly movingVarianceInitializer: initializers.InitializerIdentifier;
  readonly betaRegularizer: regularizers.Regularizer | null;
  readonly gammaRegularizer: regularizers.Regularizer | null;
  readonly betaConstraint: constraints.Constraint | null;
  readonly gammaConstraint: constraints.Constraint | null;
  gamma: Variable | undefined;
  beta: Variable | undefined;
  movingMean: Variable | undefined;
  movingVariance: Variable | undefined;
  /** The kept axis and the reduction axes, for the input rank the layer was built for. */
  private keptAxis: number | undefined;
  private reductionAxes: number[] = [];
  private warnedBatchAxis = false;
  readonly synchronized: boolean;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args ?? {});
    const options = args ?? {};
    const synchronized = options.synchronized ?? false;
    if (typeof synchronized !== 'boolean') {
      throw new TypeError(`BatchNormalization: synchronized must be true or false; received synchronized=${JSON.stringify(synchronized)}. Fix: synchronized: false.`);
    }
    this.synchronized = synchronized;
    const axis = options.axis ?? -1;
    if (!Number.isInteger(axis)) {
      throw new Error(
        `BatchNormalization: axis must be an integer (the axis that is kept, e.g. -1 for the features or channels); received axis=${JSON.stringify(options.axis)}. ` +
          `Fix: pass axis: -1 (or 1 after a channels_first Conv2D).`,
      );
    }
    const momentum = options.momentum ?? 0.99;
    if (typeof momentum !== 'number' || !Number.isFinite(momentum)) {
      throw new Error(`BatchNormalization: momentum must be a number (0.99 by default); received momentum=${JSON.stringify(options.momentum)}. Fix: e.g. momentum: 0.9.`);
    }
    const epsilon = options.epsilon ?? 1e-3;
    if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0) {
      throw new Error(`BatchNormalization: epsilon must be a small non-negative number (1e-3 by default); received epsilon=${JSON.stringify(options.epsilon)}. Fix: e.g. epsilon: 1e-3.`);
    }
    this.axis = axis;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.center = options.center ?? true;
    this.scale = options.scale ?? true;
    this.betaInitializer = options.betaInitializer ?? 'zeros';
    this.gammaInitializer = options.gammaInitializer ?? 'ones';
    this.movingMeanInitializer = options.movingMeanInitializer ?? 'zeros';
    this.movingVarianceInitializer = options.movingVarianceInitializer ?? 'ones';
    this.betaRegularizer = regularizers.get(options.betaRegularizer);
    this.gammaRegularizer = regularizers.get(options.gammaRegularizer);
    this.betaConstraint = constraints.get(options.betaConstraint);
    this.gammaConstraint = constraints.get(options.gammaConstraint);
    if (axis === 0) this.warnBatchAxis();
  }

  /** axis 0 keeps the batch axis: each example is normalized over its own features. Said once per layer. */
  private warnBatchAxis(): void {
    if (this.warnedBatchAxis) return;
    this.warnedBatchAxis = true;
    console.warn(
      `BatchNormalization "${this.name}": axis ${this.axis} is the batch axis. \`axis\` is the axis that is KEPT (each of its entries gets its own mean, variance, gamma and beta), ` +
        `so this layer normalizes each example over its features, with weights shaped by the batch size; it does not normalize each feature over the batch. ` +
        `axis: -1 (the features or channels axis) is the usual choice (axis: 1 after a channels_first Conv2D).`,
    );
  }

  override build(inputShape: SymbolicShape): void {
    const rank = inputShape.length;
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    if (axis === 0) this.warnBatchAxis();
    if (axis < 0 || axis >= rank) {
      throw new Error(
        `BatchNormalization "${this.name}": axis ${this.axis} is out of range for an input of rank ${rank}, shape ${formatShape(inputShape)}. ` +
          `Expected an axis in [-${rank}, ${rank - 1}] (the axis that is kept). Fix: use axis: -1 for the last (features or channels) axis.`,
      );
    }
    const size = inputShape[axis];
    if (size === null) {
      throw new Error(
        `BatchNormalization "${this.name}": the kept axis ${this.axis} of the input ${formatShape(inputShape)} has no fixed size, so gamma, beta and the moving statistics cannot be made. ` +
          (axis === 0 ? `Axis 0 is the batch axis; use axis: -1 to normalize each feature.` : `Fix: give that axis of the Input a fixed size.`),
      );
    }
    const shape = [size];
    if (this.scale) this.gamma = this.addWeight({ name: 'gamma', shape, initializer: this.gammaInitializer, regularizer: this.gammaRegularizer, constraint: this.gammaConstraint });
    if (this.center) this.beta = this.addWeight({ name: 'beta', shape, initializer: this.betaInitializer, regularizer: this.betaRegularizer, constraint: this.betaConstraint });
    this.movingMean = this.addWeight({ name: 'moving_mean', shape, initializer: this.movingMeanInitializer, trainable: false });
    this.movingVariance = this.addWeight({ name: 'moving_variance', shape, initializer: this.movingVarianceInitializer, trainable: false });
    this.keptAxis = axis;
    this.reductionAxes = inputShape.map((_, i) => i).filter((i) => i !== axis);
    this.inputSpec = new InputSpec({ ndim: rank, axes: { [this.axis]: size } });
    this.built = true;
  }

  call(inputs: Tensor, options: CallOptions = {}): Tensor {
    const axis = this.keptAxis as number;
    const rank = inputs.shape.length;
    // Statistics of shape (size) broadcast against the input along the kept axis.
    const broadcast = (t: Tensor | Variable): Tensor | Variable => (axis === rank - 1 ? t : ops.reshape(t, inputs.shape.map((d, i) => (i === axis ? d : 1))));
    let mean: Tensor | Variable;
    let variance: Tensor | Variable;
    if (options.training === true && this.trainable) {
      const moments = ops.moments(inputs, this.reductionAxes);
      mean = moments.mean;
      variance = moments.variance;
      // State updates are not part of the computation being differentiated, and are skipped while tracing shapes.
      if (!(inputs instanceof SymbolicTensor)) this.updateMovingStatistics(moments.mean, moments.variance);
    } else {
      mean = this.movingMean as Variable;
      variance = this.movingVariance as Variable;
    }
    // y = x * inv + (beta - mean * inv), inv = gamma / sqrt(variance + epsilon)
    let inv = ops.rsqrt(ops.add(variance, this.epsilon));
    if (this.gamma) inv = ops.multiply(inv, this.gamma);
    let shift = ops.negative(ops.multiply(mean, inv));
    if (this.beta) shift = ops.add(shift, this.beta);
    return ops.add(ops.multiply(inputs, broadcast(inv)), broadcast(shift));
  }

  private updateMovingStatistics(mean: Tensor, variance: Tensor): void {
    const m = this.momentum;
    withoutRecording(() =>
      tidy(() => {
        const movingMean = this.movingMean as Variable;
        const movingVariance = this.movingVariance as Variable;
        movingMean.assign(ops.add(ops.multiply(movingMean, m), ops.multiply(mean, 1 - m)));
        movingVariance.assign(ops.add(ops.multiply(movingVariance, m), ops.multiply(variance, 1 - m)));
      }),
    );
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape];
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    const size = this.movingMean?.shape[0];
    if (size === undefined) return undefined;
    const rank = this.reductionAxes.length + 1;
    if (shape.length !== rank) {
      return `This BatchNormalization was built for rank-${rank} inputs (axis ${this.axis} kept, of size ${size}); it cannot take rank ${shape.length}. Fix: use a new BatchNormalization layer for this input.`;
    }
    return (
      `This BatchNormalization was built for ${size} entries on its kept axis ${this.axis}; it cannot take ${shape[this.keptAxis as number]}. ` +
      `Fix: use a new BatchNormalization layer for this input, or set axis to the features axis (axis: 1 after a channels_first Conv2D).`
    );
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: initializers.serialize(initializers.get(this.betaInitializer)),
      gamma_initializer: initializers.serialize(initializers.get(this.gammaInitializer)),
      moving_mean_initializer: initializers.serialize(initializers.get(this.movingMeanInitializer)),
      moving_variance_initializer: initializers.serialize(initializers.get(this.movingVarianceInitializer)),
      beta_regularizer: regularizers.serialize(this.betaRegularizer),
      gamma_regularizer: regularizers.serialize(this.gammaRegularizer),
      beta_constraint: constraints.serialize(this.betaConstraint),
      gamma_constraint: constraints.serialize(this.gammaConstraint),
      synchronized: this.synchronized,
    };
  }

  /** Keras 2 wrote the axis as a one-entry list (`axis: [3]`); Keras 3 writes the integer. */
  static override fromConfig<T extends Layer>(this: new (args: never) => T, config: Record<string, unknown>): T {
    const axis = Array.isArray(config.axis) && config.axis.length === 1 ? (config.axis[0] as unknown) : config.axis;
    return new this(configToArgs({ ...config, axis }) as never);
  }
}
