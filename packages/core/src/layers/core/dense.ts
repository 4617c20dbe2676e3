/**
 * Dense: `activation(inputs · kernel + bias)`, on the last axis of an input of any rank ≥ 2.
 * kernel [inputDim, units], bias [units].
 *
 * LoRA (`loraRank`, or `enableLora(rank)` once built), as Keras 3: the kernel is frozen and two
 * trainable factors are added, lora_kernel_a [inputDim, rank] (he_uniform) and lora_kernel_b
 * [rank, units] (zeros), so the layer multiplies by kernel + (loraAlpha / rank) · a · b, which is
 * the kernel until training moves b. Saved files hold that merged kernel in the kernel's place (as
 * Keras's save_own_variables does), so any Dense can load them; loading into a LoRA layer sets the
 * kernel to it and the factors to zero.
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
import { tidy } from '../../runtime/tidy.js';
import { zeros } from '../../tensor/create.js';
import type { SaveableVariable } from '../../saving/weights_walk.js';

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
  /** LoRA's rank: builds the layer with LoRA enabled (see enableLora). */
  loraRank?: number | null;
  /** LoRA's scale numerator (the update is scaled by loraAlpha / loraRank); loraRank when left out. */
  loraAlpha?: number | null;
}

export interface EnableLoraOptions {
  /** The update's scale is loraAlpha / rank; rank when left out. */
  loraAlpha?: number | null;
  aInitializer?: initializers.InitializerIdentifier;
  bInitializer?: initializers.InitializerIdentifier;
}

function loraRankOf(value: unknown, where: string): number {
  if (!Number.isInteger(value) || (value as number) <= 0) throw new Error(`${where}: the LoRA rank must be a positive integer, got ${JSON.stringify(value)}. Fix: e.g. enableLora(4).`);
  return value as number;
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
  /** LoRA's rank once enabled, or the rank build will enable it with; null without LoRA. */
  loraRank: number | null;
  loraAlpha: number | null;
  loraKernelA: Variable | undefined;
  loraKernelB: Variable | undefined;

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
    this.loraRank = args.loraRank === undefined || args.loraRank === null ? null : loraRankOf(args.loraRank, `Dense "${this.name}"`);
    this.loraAlpha = this.loraRank === null ? null : (args.loraAlpha ?? this.loraRank);
    this.inputSpec = new InputSpec({ minNdim: 2 });
  }

  /** Whether LoRA's factors are in place (see enableLora). */
  get loraEnabled(): boolean {
    return this.loraKernelA !== undefined;
  }

  /**
   * Freezes the kernel and adds LoRA's trainable factors of the given rank (Keras's enable_lora):
   * the layer then multiplies by kernel + (loraAlpha / rank) · loraKernelA · loraKernelB.
   */
  enableLora(rank: number, options: EnableLoraOptions = {}): void {
    const where = `Dense "${this.name}"`;
    const kernel = this.kernel;
    if (!this.built || kernel === undefined) {
      throw new Error(`${where}: enableLora needs the layer built (its kernel made). Fix: build the model first (give it an Input, or call it once), then call enableLora(${rank}).`);
    }
    if (this.loraEnabled) throw new Error(`${where}: LoRA is already enabled (rank ${this.loraRank}). Fix: call enableLora once.`);
    const r = loraRankOf(rank, where);
    this.loraKernelA = this.addWeight({ name: 'lora_kernel_a', shape: [kernel.shape[0], r], initializer: options.aInitializer ?? 'he_uniform', regularizer: this.kernelRegularizer });
    this.loraKernelB = this.addWeight({ name: 'lora_kernel_b', shape: [r, this.units], initializer: options.bInitializer ?? 'zeros', regularizer: this.kernelRegularizer });
    kernel.trainable = false;
    this.loraRank = r;
    this.loraAlpha = options.loraAlpha ?? r;
  }

  /** The kernel the layer multiplies by: with LoRA, kernel + (loraAlpha / rank) · a · b. */
  effectiveKernel(): Tensor {
    const kernel = this.kernel as Variable;
    if (this.loraKernelA === undefined || this.loraKernelB === undefined) return kernel.value;
    const scale = (this.loraAlpha ?? (this.loraRank as number)) / (this.loraRank as number);
    return ops.add(kernel, ops.multiply(ops.matmul(this.loraKernelA, this.loraKernelB), scale));
  }

  /** With LoRA, the merged kernel and the bias, as Keras saves them; loading sets the kernel and zeros the factors. */
  saveableVariables(): SaveableVariable[] | undefined {
    const [kernel, a, b] = [this.kernel, this.loraKernelA, this.loraKernelB];
    if (kernel === undefined || a === undefined || b === undefined) return undefined;
    const merged: SaveableVariable = {
      path: kernel.path,
      shape: kernel.shape,
      dtype: kernel.dtype,
      dataSync: () => tidy(() => this.effectiveKernel().dataSync()),
      assign: (value: Tensor) => {
        kernel.assign(value);
        tidy(() => {
          a.assign(zeros(a.shape));
          b.assign(zeros(b.shape));
        });
      },
    };
    return this.bias === undefined ? [merged] : [merged, this.bias];
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
    if (this.loraRank !== null) this.enableLora(this.loraRank, { loraAlpha: this.loraAlpha });
  }

  call(inputs: Tensor): Tensor {
    let y = ops.matmul(inputs, this.loraEnabled ? this.effectiveKernel() : (this.kernel as Variable));
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
      ...(this.loraRank === null ? {} : { lora_rank: this.loraRank, lora_alpha: this.loraAlpha }),
    };
  }
}
