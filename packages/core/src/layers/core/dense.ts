/**
 * Dense: `activation(inputs · kernel + bias)`, on the last axis of an input of any rank ≥ 2.
 * kernel [inputDim, units], bias [units].
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import * as activations from '../../activations/index.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import * as constraints from '../../constraints/index.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as ops from '../../ops/index.js';
import { InputSpec } from '../../engine/input_spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import type { Variable } from '../../runtime/variable.js';

export interface DenseArgs extends LayerArgs {
  /** The size of the output's last axis. */
  units: number;
  activation?: string | activations.Activation | null;
  useBias?: boolean;
  kernelInitializer?: initializers.InitializerIdentifier;
  biasInitializer?: initializers.InitializerIdentifier;
  kernelRegularizer?: regularizers.RegularizerIdentifier;
  biasRegularizer?: regularizers.RegularizerIdentifier;
  kernelConstraint?: constraints.ConstraintIdentifier;
  biasConstraint?: constraints.ConstraintIdentifier;
}

export class Dense extends Layer<KerasTensor, Tensor> {
  readonly units: number;
  readonly activation: activations.NamedActivation;
  readonly useBias: boolean;
  readonly kernelInitializer: initializers.InitializerIdentifier;
  readonly biasInitializer: initializers.InitializerIdentifier;
  readonly kernelRegularizer: regularizers.Regularizer | null;
  readonly biasRegularizer: regularizers.Regularizer | null;
  readonly kernelConstraint: constraints.Constraint | null;
  readonly biasConstraint: constraints.Constraint | null;
  kernel: Variable | undefined;
  bias: Variable | undefined;

  constructor(args: DenseArgs) {
    super(args);
    // Keras passes an input's mask through this layer unchanged.
    this.supportsMasking = true;
    if (!args || !Number.isInteger(args.units) || args.units <= 0) {
      throw new Error(`Dense: units must be a positive integer, got ${JSON.stringify(args?.units)}. Fix: new layers.Dense({ units: 10 }).`);
    }
    this.units = args.units;
    this.activation = activations.get(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = args.kernelInitializer ?? 'glorot_uniform';
    this.biasInitializer = args.biasInitializer ?? 'zeros';
    this.kernelRegularizer = regularizers.get(args.kernelRegularizer);
    this.biasRegularizer = regularizers.get(args.biasRegularizer);
    this.kernelConstraint = constraints.get(args.kernelConstraint);
    this.biasConstraint = constraints.get(args.biasConstraint);
    this.inputSpec = new InputSpec({ minNdim: 2 });
  }

  override build(inputShape: SymbolicShape): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputDim === null) {
      throw new Error(`Dense "${this.name}": the last axis of the input ${formatShape(inputShape)} must be known to make the kernel. Fix: give the Input a fixed last size.`);
    }
    this.kernel = this.addWeight({ name: 'kernel', shape: [inputDim, this.units], initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
    if (this.useBias) this.bias = this.addWeight({ name: 'bias', shape: [this.units], initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    this.inputSpec = new InputSpec({ minNdim: 2, axes: { [-1]: inputDim } });
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    let y = ops.matmul(inputs, this.kernel as Variable);
    if (this.bias) y = ops.add(y, this.bias);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape.slice(0, -1), this.units];
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    if (shape.length < 2) {
      return `Dense expects (batch, ..., features); the first axis is the batch axis. Fix: use Input({ shape: [${shape.slice(1).join(', ') || 'features'}] }) so each example is a vector, or reshape the data to (batch, features).`;
    }
    const expected = this.kernel?.shape[0];
    return expected !== undefined ? `This layer was built for ${expected} input features; it cannot take ${shape[shape.length - 1]}. Fix: use a new Dense layer, or feed it inputs whose last axis is ${expected}.` : undefined;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: initializers.serialize(initializers.get(this.kernelInitializer)),
      bias_initializer: initializers.serialize(initializers.get(this.biasInitializer)),
      kernel_regularizer: regularizers.serialize(this.kernelRegularizer),
      bias_regularizer: regularizers.serialize(this.biasRegularizer),
      activity_regularizer: regularizers.serialize(this.activityRegularizer),
      kernel_constraint: constraints.serialize(this.kernelConstraint),
      bias_constraint: constraints.serialize(this.biasConstraint),
    };
  }
}
