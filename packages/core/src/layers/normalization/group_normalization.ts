/**
 * GroupNormalization: the channels (on `axis`, the last by default) are split into `groups`
 * groups; each example is normalized over every non-batch axis within each group,
 * `(x - mean) / sqrt(variance + epsilon)`, then scaled by gamma and shifted by beta per channel.
 * groups 1 is LayerNormalization over all axes; groups equal to the channels is InstanceNormalization.
 *
 * ```ts
 * new layers.GroupNormalization({ groups: 4 }).apply(Input({ shape: [8, 8, 16] }));   // [null, 8, 8, 16]
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
import { InputSpec } from '../../engine/input_spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import { resolveAxes } from './normalization_axes.js';

export interface GroupNormalizationArgs extends LayerArgs {
  /** The number of channel groups; it must divide the channels. Default 32. */
  groups?: number;
  /** The channel axis. Default -1. */
  axis?: number;
  /** Added to the variance before the square root. Default 1e-3. */
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: initializers.InitializerIdentifier;
  gammaInitializer?: initializers.InitializerIdentifier;
  betaRegularizer?: regularizers.RegularizerIdentifier;
  gammaRegularizer?: regularizers.RegularizerIdentifier;
  betaConstraint?: constraints.ConstraintIdentifier;
  gammaConstraint?: constraints.ConstraintIdentifier;
}

export class GroupNormalization extends Layer<KerasTensor, Tensor> {
  readonly groups: number;
  readonly axis: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: initializers.InitializerIdentifier;
  readonly gammaInitializer: initializers.InitializerIdentifier;
  readonly betaRegularizer: regularizers.Regularizer | null;
  readonly gammaRegularizer: regularizers.Regularizer | null;
  readonly betaConstraint: constraints.Constraint | null;
  readonly gammaConstraint: constraints.Constraint | null;
  gamma: Variable | undefined;
  beta: Variable | undefined;

  constructor(args: GroupNormalizationArgs = {}) {
    super(args ?? {});
    const options = args ?? {};
    const groups = options.groups ?? 32;
    if (typeof groups !== 'number' || !Number.isInteger(groups) || groups <= 0) {
      throw new Error(`GroupNormalization: groups must be a positive integer that divides the channels; received groups=${JSON.stringify(options.groups)}. Fix: e.g. groups: 8.`);
    }
    const axis = options.axis ?? -1;
    if (typeof axis !== 'number' || !Number.isInteger(axis)) {
      throw new Error(`GroupNormalization: axis must be an integer (the channel axis); received axis=${JSON.stringify(options.axis)}. Fix: axis: -1 (channels last) or 1 (channels first).`);
    }
    const epsilon = options.epsilon ?? 1e-3;
    if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0) {
      throw new Error(`GroupNormalization: epsilon must be a small non-negative number (1e-3 by default); received epsilon=${JSON.stringify(options.epsilon)}. Fix: e.g. epsilon: 1e-3.`);
    }
    this.groups = groups;
    this.axis = axis;
    this.epsilon = epsilon;
    this.center = options.center ?? true;
    this.scale = options.scale ?? true;
    this.betaInitializer = options.betaInitializer ?? 'zeros';
    this.gammaInitializer = options.gammaInitializer ?? 'ones';
    this.betaRegularizer = regularizers.get(options.betaRegularizer);
    this.gammaRegularizer = regularizers.get(options.gammaRegularizer);
    this.betaConstraint = constraints.get(options.betaConstraint);
    this.gammaConstraint = constraints.get(options.gammaConstraint);
  }

  /** The channel axis (non-negative) and its size, checked against `groups`. */
  private channels(shape: SymbolicShape): { axis: number; size: number } {
    const [axis] = resolveAxes(`GroupNormalization "${this.name}"`, this.axis, shape);
    const size = shape[axis];
    if (size === null) {
      throw new Error(
        `GroupNormalization "${this.name}": axis ${this.axis} of the input ${formatShape(shape)} should have a defined dimension, but it is unknown. ` +
          `Fix: give the channel axis of the Input a fixed size.`,
      );
    }
    if (size < this.groups) {
      throw new Error(
        `GroupNormalization "${this.name}": the number of groups (${this.groups}) cannot be more than the number of channels (${size}) on axis ${this.axis} of ${formatShape(shape)}. ` +
          `Fix: use groups that divide ${size}, e.g. groups: ${largestDivisorAtMost(size, this.groups)}.`,
      );
    }
    if (size % this.groups !== 0) {
      throw new Error(
        `GroupNormalization "${this.name}": the number of channels (${size}) on axis ${this.axis} of ${formatShape(shape)} must be a multiple of the number of groups (${this.groups}). ` +
          `Fix: use groups that divide ${size}, e.g. groups: ${largestDivisorAtMost(size, this.groups)}.`,
      );
    }
    return { axis, size };
  }

  override build(inputShape: SymbolicShape): void {
    const { size } = this.channels(inputShape);
    if (this.scale) this.gamma = this.addWeight({ name: 'gamma', shape: [size], initializer: this.gammaInitializer, regularizer: this.gammaRegularizer, constraint: this.gammaConstraint });
    if (this.center) this.beta = this.addWeight({ name: 'beta', shape: [size], initializer: this.betaInitializer, regularizer: this.betaRegularizer, constraint: this.betaConstraint });
    this.inputSpec = new InputSpec({ ndim: inputShape.length, axes: { [this.axis]: size } });
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    const { axis, size } = this.channels(inputs.shape);
    const shape = inputs.shape;
    const grouped = [...shape.slice(0, axis), this.groups, size / this.groups, ...shape.slice(axis + 1)];
    const x = ops.reshape(inputs, grouped);
    // Statistics over every axis but the batch and the group axis.
    const reduce = grouped.map((_, i) => i).filter((i) => i !== 0 && i !== axis);
    const { mean, variance } = ops.moments(x, reduce, { keepdims: true });
    const normalized = ops.reshape(ops.multiply(ops.subtract(x, mean), ops.rsqrt(ops.add(variance, this.epsilon))), [...shape]);
    const perChannel = shape.map((d, i) => (i === axis ? d : 1));
    let y = normalized;
    if (this.gamma) y = ops.multiply(y, ops.reshape(this.gamma, perChannel));
    if (this.beta) y = ops.add(y, ops.reshape(this.beta, perChannel));
    return y;
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    this.channels(inputShape);
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      groups: this.groups,
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: initializers.serialize(initializers.get(this.betaInitializer)),
      gamma_initializer: initializers.serialize(initializers.get(this.gammaInitializer)),
      beta_regularizer: regularizers.serialize(this.betaRegularizer),
      gamma_regularizer: regularizers.serialize(this.gammaRegularizer),
      beta_constraint: constraints.serialize(this.betaConstraint),
      gamma_constraint: constraints.serialize(this.gammaConstraint),
    };
  }
}

function largestDivisorAtMost(n: number, limit: number): number {
  for (let d = Math.min(n, limit); d > 1; d--) if (n % d === 0) return d;
  return 1;
}
