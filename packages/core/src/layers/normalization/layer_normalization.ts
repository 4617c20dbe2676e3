/**
 * LayerNormalization: each example is normalized over `axis` (the last by default) with its own
 * mean and biased variance, `gamma * (x - mean) / sqrt(variance + epsilon) + beta`; gamma and beta
 * are shaped like the normalized axes. Unlike BatchNormalization it behaves the same in training.
 * With rmsScaling, center and scale are ignored: the output is `gamma * x / sqrt(variance + epsilon)`
 * with gamma alone (Keras computes the variance there, not the mean of squares, and so does this).
 *
 * ```ts
 * new layers.LayerNormalization().apply(Input({ shape: [10, 16] }));   // [null, 10, 16]
 * ```
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import * as constraints from '../../constraints/index.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as ops from '../../ops/index.js';
import type { Variable } from '../../runtime/variable.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import { readAxis, resolveAxes } from './normalization_axes.js';

export interface LayerNormalizationArgs extends LayerArgs {
  /** The axis or axes normalized over. Default -1. */
  axis?: number | readonly number[];
  /** Added to the variance before the square root. Default 1e-3. */
  epsilon?: number;
  /** Whether to add beta. Default true. */
  center?: boolean;
  /** Whether to multiply by gamma. Default true. */
  scale?: boolean;
  betaInitializer?: initializers.InitializerIdentifier;
  gammaInitializer?: initializers.InitializerIdentifier;
  betaRegularizer?: regularizers.RegularizerIdentifier;
  gammaRegularizer?: regularizers.RegularizerIdentifier;
  betaConstraint?: constraints.ConstraintIdentifier;
  gammaConstraint?: constraints.ConstraintIdentifier;
  /** Scale by gamma / sqrt(variance + epsilon) only (no centering, no beta); default false. */
  rmsScaling?: boolean;
}

export class LayerNormalization extends Layer<KerasTensor, Tensor> {
  readonly axis: number | number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly rmsScaling: boolean;
  readonly betaInitializer: initializers.InitializerIdentifier;
  readonly gammaInitializer: initializers.InitializerIdentifier;
  readonly betaRegularizer: regularizers.Regularizer | null;
  readonly gammaRegularizer: regularizers.Regularizer | null;
  readonly betaConstraint: constraints.Constraint | null;
  readonly gammaConstraint: constraints.Constraint | null;
  gamma: Variable | undefined;
  beta: Variable | undefined;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args ?? {});
    const options = args ?? {};
    this.axis = readAxis('LayerNormalization', options.axis, -1);
    const epsilon = options.epsilon ?? 1e-3;
    if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0) {
      throw new Error(`LayerNormalization: epsilon must be a small non-negative number (1e-3 by default); received epsilon=${JSON.stringify(options.epsilon)}. Fix: e.g. epsilon: 1e-3.`);
    }
    this.epsilon = epsilon;
    this.center = options.center ?? true;
    this.scale = options.scale ?? true;
    const rmsScaling = options.rmsScaling ?? false;
    if (typeof rmsScaling !== 'boolean') {
      throw new TypeError(`LayerNormalization: rmsScaling must be true or false; received rmsScaling=${JSON.stringify(rmsScaling)}. Fix: rmsScaling: true.`);
    }
    this.rmsScaling = rmsScaling;
    this.betaInitializer = options.betaInitializer ?? 'zeros';
    this.gammaInitializer = options.gammaInitializer ?? 'ones';
    this.betaRegularizer = regularizers.get(options.betaRegularizer);
    this.gammaRegularizer = regularizers.get(options.gammaRegularizer);
    this.betaConstraint = constraints.get(options.betaConstraint);
    this.gammaConstraint = constraints.get(options.gammaConstraint);
  }

  private axes(shape: SymbolicShape): number[] {
    return resolveAxes(`LayerNormalization "${this.name}"`, this.axis, shape);
  }

  override build(inputShape: SymbolicShape): void {
    const axes = this.axes(inputShape);
    const paramShape = axes.map((a) => inputShape[a]);
    if (paramShape.some((d) => d === null)) {
      throw new Error(
        `LayerNormalization "${this.name}": the normalized axes ${JSON.stringify(axes)} of the input ${formatShape(inputShape)} must have fixed sizes to make gamma and beta. ` +
          `Fix: give those axes of the Input a fixed size, or normalize over other axes.`,
      );
    }
    // rmsScaling always scales and never centers, whatever scale and center say (as Keras).
    if (this.scale || this.rmsScaling) this.gamma = this.addWeight({ name: 'gamma', shape: paramShape as number[], initializer: this.gammaInitializer, regularizer: this.gammaRegularizer, constraint: this.gammaConstraint });
    if (this.center && !this.rmsScaling) this.beta = this.addWeight({ name: 'beta', shape: paramShape as number[], initializer: this.betaInitializer, regularizer: this.betaRegularizer, constraint: this.betaConstraint });
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    const axes = this.axes(inputs.shape);
    const rank = inputs.rank;
    const broadcastShape = inputs.shape.map((d, i) => (axes.includes(i) ? d : 1));
    const sorted = [...axes].sort((a, b) => a - b);
    const inOrder = axes.every((a, i) => a === sorted[i]);
    // Weights are shaped like the axes in the order given; put them in input order, then broadcast.
    const broadcast = (w: Variable): Tensor | Variable => {
      const ordered = inOrder ? w : ops.transpose(w, { axes: sorted.map((a) => axes.indexOf(a)) });
      return axes.length === 1 && axes[0] === rank - 1 ? ordered : ops.reshape(ordered, broadcastShape);
    };
    const { mean, variance } = ops.moments(inputs, axes, { keepdims: true });
    let inv = ops.rsqrt(ops.add(variance, this.epsilon));
    if (this.gamma) inv = ops.multiply(inv, broadcast(this.gamma));
    if (this.rmsScaling) return ops.multiply(inputs, inv);
    let shift = ops.negative(ops.multiply(mean, inv));
    if (this.beta) shift = ops.add(shift, broadcast(this.beta));
    return ops.add(ops.multiply(inputs, inv), shift);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: Array.isArray(this.axis) ? [...this.axis] : this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      rms_scaling: this.rmsScaling,
      beta_initializer: initializers.serialize(initializers.get(this.betaInitializer)),
      gamma_initializer: initializers.serialize(initializers.get(this.gammaInitializer)),
      beta_regularizer: regularizers.serialize(this.betaRegularizer),
      gamma_regularizer: regularizers.serialize(this.gammaRegularizer),
      beta_constraint: constraints.serialize(this.betaConstraint),
      gamma_constraint: constraints.serialize(this.gammaConstraint),
    };
  }
}
