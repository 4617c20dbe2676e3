/**
 * PReLU: `x` for x ≥ 0 and `alpha * x` below, with a learned `alpha` of shape input_shape[1:]
 * (size 1 along each of `sharedAxes`, axes of the input counted with the batch axis as 0).
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { InputSpec } from '../../engine/input_spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import * as constraints from '../../constraints/index.js';
import * as ops from '../../ops/index.js';
import type { Variable } from '../../runtime/variable.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface PReLUArgs extends LayerArgs {
  /** Initializer of alpha. Default 'zeros'. */
  alphaInitializer?: initializers.InitializerIdentifier;
  alphaRegularizer?: regularizers.RegularizerIdentifier;
  alphaConstraint?: constraints.ConstraintIdentifier;
  /** Axes (≥ 1) along which alpha is shared, e.g. [1, 2] for one alpha per channel of an image. */
  sharedAxes?: number | readonly number[] | null;
}

export class PReLU extends Layer<KerasTensor, Tensor> {
  readonly alphaInitializer: initializers.InitializerIdentifier;
  readonly alphaRegularizer: regularizers.Regularizer | null;
  readonly alphaConstraint: constraints.Constraint | null;
  readonly sharedAxes: number[] | null;
  alpha: Variable | undefined;

  constructor(args: PReLUArgs = {}) {
    super(args ?? {});
    this.alphaInitializer = args?.alphaInitializer ?? 'zeros';
    initializers.get(this.alphaInitializer);
    this.alphaRegularizer = regularizers.get(args?.alphaRegularizer);
    this.alphaConstraint = constraints.get(args?.alphaConstraint);
    const shared = args?.sharedAxes;
    if (shared === undefined || shared === null) this.sharedAxes = null;
    else {
      const list = Array.isArray(shared) ? [...(shared as number[])] : [shared as number];
      if (list.some((a) => !Number.isInteger(a) || a < 1)) {
        throw new RangeError(
          `PReLU: sharedAxes must be integers ≥ 1 (axes of the input; 0 is the batch axis); received sharedAxes=${JSON.stringify(shared)}. ` +
            `Fix: e.g. sharedAxes: [1, 2] to share alpha over height and width.`,
        );
      }
      this.sharedAxes = list;
    }
  }

  override build(inputShape: SymbolicShape): void {
    const paramShape = inputShape.slice(1);
    for (const axis of this.sharedAxes ?? []) {
      if (axis > paramShape.length) {
        throw new RangeError(`PReLU "${this.name}": shared axis ${axis} is out of range for an input of shape ${formatShape(inputShape)} (allowed 1..${paramShape.length}). Fix: pass axes the input has.`);
      }
      paramShape[axis - 1] = 1;
    }
    if (paramShape.some((d) => d === null)) {
      throw new Error(`PReLU "${this.name}": every non-shared axis of the input ${formatShape(inputShape)} must have a known size to make alpha. Fix: give the Input fixed sizes, or share the unknown axes with sharedAxes.`);
    }
    this.alpha = this.addWeight({ name: 'alpha', shape: paramShape as number[], initializer: this.alphaInitializer, regularizer: this.alphaRegularizer, constraint: this.alphaConstraint });
    const axes: Record<number, number> = {};
    paramShape.forEach((d, i) => {
      if (!(this.sharedAxes ?? []).includes(i + 1)) axes[i + 1] = d as number;
    });
    this.inputSpec = new InputSpec({ ndim: inputShape.length, axes });
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    const negative = ops.multiply(ops.negative(this.alpha as Variable), ops.relu(ops.negative(inputs)));
    return ops.add(ops.relu(inputs), negative);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      alpha_initializer: initializers.serialize(initializers.get(this.alphaInitializer)),
      alpha_regularizer: regularizers.serialize(this.alphaRegularizer),
      alpha_constraint: constraints.serialize(this.alphaConstraint),
      shared_axes: this.sharedAxes,
    };
  }
}
