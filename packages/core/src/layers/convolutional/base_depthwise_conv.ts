/**
 * BaseDepthwiseConv: what the depthwise convolution layers share (Keras's BaseDepthwiseConv): each
 * input channel is convolved with its own `depthMultiplier` filters, `activation(depthwise_conv(
 * inputs, kernel) + bias)`, kernel (spatial..., channels, depthMultiplier), bias (channels * depthMultiplier).
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

export interface BaseDepthwiseConvArgs extends LayerArgs {
  /** The window: one size for every spatial axis, or one per axis. */
  kernelSize: number | readonly number[];
  /** Default 1. */
  strides?: number | readonly number[];
  /** 'valid' (default) or 'same', case-insensitive. */
  padding?: string;
  /** Output channels per input channel. Default 1. */
  depthMultiplier?: number;
  dataFormat?: ImageDataFormat | null;
  /** Default 1. */
  dilationRate?: number | readonly number[];
  activation?: string | activations.Activation | null;
  useBias?: boolean;
  depthwiseInitializer?: initializers.InitializerIdentifier;
  biasInitializer?: initializers.InitializerIdentifier;
  depthwiseRegularizer?: regularizers.RegularizerIdentifier;
  biasRegularizer?: regularizers.RegularizerIdentifier;
  depthwiseConstraint?: constraints.ConstraintIdentifier;
  biasConstraint?: constraints.ConstraintIdentifier;
}

export abstract class BaseDepthwiseConv extends Layer<KerasTensor, Tensor> {
  readonly rank: number;
  readonly depthMultiplier: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: ImageDataFormat;
  readonly dilationRate: number[];
  readonly activation: activations.NamedActivation;
  readonly useBias: boolean;
  readonly depthwiseInitializer: initializers.InitializerIdentifier;
  readonly biasInitializer: initializers.InitializerIdentifier;
  readonly depthwiseRegularizer: regularizers.Regularizer | null;
  readonly biasRegularizer: regularizers.Regularizer | null;
  readonly depthwiseConstraint: constraints.Constraint | null;
  readonly biasConstraint: constraints.Constraint | null;
  kernel: Variable | undefined;
  bias: Variable | undefined;
  private readonly window: WindowArguments;

  protected constructor(rank: number, args: BaseDepthwiseConvArgs) {
    super(args ?? {});
    const where = new.target.name;
    if (!args || typeof args !== 'object') {
      throw new Error(`${where}: expected an arguments object such as { kernelSize: 3 }, got ${JSON.stringify(args)}.`);
    }
    this.rank = rank;
    this.depthMultiplier = positiveInteger(where, 'depthMultiplier', args.depthMultiplier, 1, 'output channels per input channel');
    this.window = readWindowArguments(where, rank, args, `{ kernelSize: ${rank === 1 ? '3' : '[3, 3]'} }`);
    this.kernelSize = this.window.kernelSize;
    this.strides = this.window.strides;
    this.dilationRate = this.window.dilationRate;
    this.padding = this.window.padding;
    this.dataFormat = this.window.dataFormat;
    this.activation = activations.get(args.activation);
    this.useBias = args.useBias ?? true;
    this.depthwiseInitializer = args.depthwiseInitializer ?? 'glorot_uniform';
    this.biasInitializer = args.biasInitializer ?? 'zeros';
    this.depthwiseRegularizer = regularizers.get(args.depthwiseRegularizer);
    this.biasRegularizer = regularizers.get(args.biasRegularizer);
    this.depthwiseConstraint = constraints.get(args.depthwiseConstraint);
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
    this.kernel = this.addWeight({ name: 'kernel', shape: [...this.kernelSize, channels, this.depthMultiplier], initializer: this.depthwiseInitializer, regularizer: this.depthwiseRegularizer, constraint: this.depthwiseConstraint });
    if (this.useBias) this.bias = this.addWeight({ name: 'bias', shape: [channels * this.depthMultiplier], initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    this.inputSpec = new InputSpec({ ndim: this.rank + 2, axes: { [this.dataFormat === 'channels_first' ? 1 : -1]: channels } });
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    checkWindowFits(this.constructor.name, this.name, inputs.shape, this.window);
    let y = ops.depthwiseConv(inputs, this.kernel as Variable, this.options);
    if (this.bias) {
      const n = this.bias.shape[0];
      y = ops.add(y, this.dataFormat === 'channels_first' ? ops.reshape(this.bias, [1, n, ...new Array<number>(this.rank).fill(1)]) : this.bias);
    }
    return this.activation(y);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    const channels = channelsOf(this.constructor.name, this.name, inputShape, this.rank, this.window);
    checkWindowFits(this.constructor.name, this.name, inputShape, this.window);
    return ops.depthwiseConvOutputShape(inputShape, [...this.kernelSize, channels, this.depthMultiplier], this.options);
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    return explainMismatch(this.constructor.name, shape, this.rank, this.window, this.kernel?.shape[this.rank]);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      depth_multiplier: this.depthMultiplier,
      kernel_size: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      data_format: this.dataFormat,
      dilation_rate: [...this.dilationRate],
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      depthwise_initializer: initializers.serialize(initializers.get(this.depthwiseInitializer)),
      bias_initializer: initializers.serialize(initializers.get(this.biasInitializer)),
      depthwise_regularizer: regularizers.serialize(this.depthwiseRegularizer),
      bias_regularizer: regularizers.serialize(this.biasRegularizer),
      activity_regularizer: regularizers.serialize(this.activityRegularizer),
      depthwise_constraint: constraints.serialize(this.depthwiseConstraint),
      bias_constraint: constraints.serialize(this.biasConstraint),
    };
  }
}
