/**
 * BaseSeparableConv: what the separable convolution layers share (Keras's BaseSeparableConv): a
 * depthwise convolution (kernel (spatial..., channels, depthMultiplier)) followed by a pointwise one
 * (kernel (1[, 1], channels * depthMultiplier, filters)), then bias (filters) and the activation.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import * as activations from '../../activations/index.js';
import type { ImageDataFormat } from '../../backend/config.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import * as constraints from '../../constraints/index.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as ops from '../../ops/index.js';
import { InputSpec } from '../../engine/input_spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import type { Variable } from '../../runtime/variable.js';
import { channelsOf, explainMismatch, checkWindowFits, positiveInteger, readWindowArguments, unknownChannels, type WindowArguments } from './conv_arguments.js';

export interface BaseSeparableConvArgs extends LayerArgs {
  /** The number of output channels. */
  filters: number;
  kernelSize: number | readonly number[];
  strides?: number | readonly number[];
  /** 'valid' (default) or 'same', case-insensitive. */
  padding?: string;
  dataFormat?: ImageDataFormat | null;
  dilationRate?: number | readonly number[];
  /** Depthwise output channels per input channel. Default 1. */
  depthMultiplier?: number;
  activation?: string | activations.Activation | null;
  useBias?: boolean;
  depthwiseInitializer?: initializers.InitializerIdentifier;
  pointwiseInitializer?: initializers.InitializerIdentifier;
  biasInitializer?: initializers.InitializerIdentifier;
  depthwiseRegularizer?: regularizers.RegularizerIdentifier;
  pointwiseRegularizer?: regularizers.RegularizerIdentifier;
  biasRegularizer?: regularizers.RegularizerIdentifier;
  depthwiseConstraint?: constraints.ConstraintIdentifier;
  pointwiseConstraint?: constraints.ConstraintIdentifier;
  biasConstraint?: constraints.ConstraintIdentifier;
}

export abstract class BaseSeparableConv extends Layer<KerasTensor, Tensor> {
  readonly rank: number;
  readonly depthMultiplier: number;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: ImageDataFormat;
  readonly dilationRate: number[];
  readonly activation: activations.NamedActivation;
  readonly useBias: boolean;
  readonly depthwiseInitializer: initializers.InitializerIdentifier;
  readonly pointwiseInitializer: initializers.InitializerIdentifier;
  readonly biasInitializer: initializers.InitializerIdentifier;
  readonly depthwiseRegularizer: regularizers.Regularizer | null;
  readonly pointwiseRegularizer: regularizers.Regularizer | null;
  readonly biasRegularizer: regularizers.Regularizer | null;
  readonly depthwiseConstraint: constraints.Constraint | null;
  readonly pointwiseConstraint: constraints.Constraint | null;
  readonly biasConstraint: constraints.Constraint | null;
  depthwiseKernel: Variable | undefined;
  pointwiseKernel: Variable | undefined;
  bias: Variable | undefined;
  private readonly window: WindowArguments;

  protected constructor(rank: number, args: BaseSeparableConvArgs) {
    super(args ?? {});
    const where = new.target.name;
    if (!args || typeof args !== 'object') {
      throw new Error(`${where}: expected an arguments object such as { filters: 8, kernelSize: 3 }, got ${JSON.stringify(args)}.`);
    }
    this.rank = rank;
    this.filters = positiveInteger(where, 'filters', args.filters, undefined, 'the number of output channels');
    this.depthMultiplier = positiveInteger(where, 'depthMultiplier', args.depthMultiplier, 1, 'depthwise output channels per input channel');
    this.window = readWindowArguments(where, rank, args, `{ filters: ${this.filters}, kernelSize: ${rank === 1 ? '3' : '[3, 3]'} }`);
    this.kernelSize = this.window.kernelSize;
    this.strides = this.window.strides;
    this.dilationRate = this.window.dilationRate;
    this.padding = this.window.padding;
    this.dataFormat = this.window.dataFormat;
    this.activation = activations.get(args.activation);
    this.useBias = args.useBias ?? true;
    this.depthwiseInitializer = args.depthwiseInitializer ?? 'glorot_uniform';
    this.pointwiseInitializer = args.pointwiseInitializer ?? 'glorot_uniform';
    this.biasInitializer = args.biasInitializer ?? 'zeros';
    this.depthwiseRegularizer = regularizers.get(args.depthwiseRegularizer);
    this.pointwiseRegularizer = regularizers.get(args.pointwiseRegularizer);
    this.biasRegularizer = regularizers.get(args.biasRegularizer);
    this.depthwiseConstraint = constraints.get(args.depthwiseConstraint);
    this.pointwiseConstraint = constraints.get(args.pointwiseConstraint);
    this.biasConstraint = constraints.get(args.biasConstraint);
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
  }

  private get options(): ops.ConvOptions {
    return { strides: this.strides, padding: this.padding, dataFormat: this.dataFormat, dilationRate: this.dilationRate };
  }

  override build(inputShape: SymbolicShape): void {
    const channels = channelsOf(this.constructor.name, this.name, inputShape, this.rank, this.window);
    if (channels === null) throw unknownChannels(this.constructor.name, this.name, inputShape, this.window);
    checkWindowFits(this.constructor.name, this.name, inputShape, this.window);
    const ones = new Array<number>(this.rank).fill(1);
    this.depthwiseKernel = this.addWeight({ name: 'depthwise_kernel', shape: [...this.kernelSize, channels, this.depthMultiplier], initializer: this.depthwiseInitializer, regularizer: this.depthwiseRegularizer, constraint: this.depthwiseConstraint });
    this.pointwiseKernel = this.addWeight({ name: 'pointwise_kernel', shape: [...ones, channels * this.depthMultiplier, this.filters], initializer: this.pointwiseInitializer, regularizer: this.pointwiseRegularizer, constraint: this.pointwiseConstraint });
    if (this.useBias) this.bias = this.addWeight({ name: 'bias', shape: [this.filters], initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    this.inputSpec = new InputSpec({ ndim: this.rank + 2, axes: { [this.dataFormat === 'channels_first' ? 1 : -1]: channels } });
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    checkWindowFits(this.constructor.name, this.name, inputs.shape, this.window);
    let y = ops.separableConv(inputs, this.depthwiseKernel as Variable, this.pointwiseKernel as Variable, this.options);
    if (this.bias) {
      y = ops.add(y, this.dataFormat === 'channels_first' ? ops.reshape(this.bias, [1, this.filters, ...new Array<number>(this.rank).fill(1)]) : this.bias);
    }
    return this.activation(y);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    const channels = channelsOf(this.constructor.name, this.name, inputShape, this.rank, this.window);
    checkWindowFits(this.constructor.name, this.name, inputShape, this.window);
    const depthwise = ops.depthwiseConvOutputShape(inputShape, [...this.kernelSize, channels, this.depthMultiplier], this.options);
    const axis = this.dataFormat === 'channels_first' ? 1 : depthwise.length - 1;
    return depthwise.map((d, i) => (i === axis ? this.filters : d));
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    return explainMismatch(this.constructor.name, shape, this.rank, this.window, this.depthwiseKernel?.shape[this.rank]);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      depth_multiplier: this.depthMultiplier,
      filters: this.filters,
      kernel_size: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      data_format: this.dataFormat,
      dilation_rate: [...this.dilationRate],
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      depthwise_initializer: initializers.serialize(initializers.get(this.depthwiseInitializer)),
      pointwise_initializer: initializers.serialize(initializers.get(this.pointwiseInitializer)),
      bias_initializer: initializers.serialize(initializers.get(this.biasInitializer)),
      depthwise_regularizer: regularizers.serialize(this.depthwiseRegularizer),
      pointwise_regularizer: regularizers.serialize(this.pointwiseRegularizer),
      bias_regularizer: regularizers.serialize(this.biasRegularizer),
      activity_regularizer: regularizers.serialize(this.activityRegularizer),
      depthwise_constraint: constraints.serialize(this.depthwiseConstraint),
      pointwise_constraint: constraints.serialize(this.pointwiseConstraint),
      bias_constraint: constraints.serialize(this.biasConstraint),
    };
  }
}
