/**
 * BaseConvTranspose: what the transposed convolution layers share (Keras's BaseConvTranspose):
 * `activation(conv_transpose(inputs, kernel) + bias)` with kernel (spatial..., filters, inChannels)
 * and bias (filters). The output size follows Keras's rule ('same': input * stride; 'valid':
 * (input - 1) * stride + max(span, stride); an outputPadding p adds p rows at the end).
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
import { channelsOf, explainMismatch, positiveInteger, readWindowArguments, unknownChannels, type WindowArguments } from './conv_arguments.js';

export interface BaseConvTransposeArgs extends LayerArgs {
  /** The number of output channels. */
  filters: number;
  /** The window: one size for every spatial axis, or one per axis. */
  kernelSize: number | readonly number[];
  /** Default 1 (the upsampling factor). */
  strides?: number | readonly number[];
  /** 'valid' (default) or 'same', case-insensitive. */
  padding?: string;
  /** Extra cells at the end of each spatial axis of the output, each below its stride; null (default) lets Keras's rule choose. */
  outputPadding?: number | readonly number[] | null;
  /** Where the channels are; default `keras.config.imageDataFormat()`. */
  dataFormat?: ImageDataFormat | null;
  /** Default 1. */
  dilationRate?: number | readonly number[];
  activation?: string | activations.Activation | null;
  useBias?: boolean;
  kernelInitializer?: initializers.InitializerIdentifier;
  biasInitializer?: initializers.InitializerIdentifier;
  kernelRegularizer?: regularizers.RegularizerIdentifier;
  biasRegularizer?: regularizers.RegularizerIdentifier;
  kernelConstraint?: constraints.ConstraintIdentifier;
  biasConstraint?: constraints.ConstraintIdentifier;
}

export abstract class BaseConvTranspose extends Layer<KerasTensor, Tensor> {
  readonly rank: number;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly outputPadding: number[] | null;
  readonly dataFormat: ImageDataFormat;
  readonly dilationRate: number[];
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
  private readonly window: WindowArguments;

  protected constructor(rank: number, args: BaseConvTransposeArgs) {
    super(args ?? {});
    const where = new.target.name;
    if (!args || typeof args !== 'object') {
      throw new Error(`${where}: expected an arguments object such as { filters: 8, kernelSize: 3 }, got ${JSON.stringify(args)}.`);
    }
    this.rank = rank;
    this.filters = positiveInteger(where, 'filters', args.filters, undefined, 'the number of output channels');
    this.window = readWindowArguments(where, rank, args, `{ filters: ${this.filters}, kernelSize: ${rank === 1 ? '3' : '[3, 3]'} }`);
    this.kernelSize = this.window.kernelSize;
    this.strides = this.window.strides;
    this.dilationRate = this.window.dilationRate;
    this.padding = this.window.padding;
    this.dataFormat = this.window.dataFormat;
    const op = args.outputPadding;
    if (op === null || op === undefined) {
      this.outputPadding = null;
    } else {
      const list = typeof op === 'number' ? new Array<number>(rank).fill(op) : Array.isArray(op) ? [...(op as number[])] : [];
      if (list.length !== rank || list.some((p) => !Number.isInteger(p) || p < 0)) {
        throw new Error(`${where}: outputPadding must be a non-negative integer or a list of ${rank}; received outputPadding=${JSON.stringify(op)}. Fix: e.g. outputPadding: 1, or leave it null.`);
      }
      list.forEach((p, i) => {
        if (p >= this.strides[i]) {
          throw new Error(
            `${where}: outputPadding must be smaller than the stride on every axis; received outputPadding=${JSON.stringify(op)} with strides=${JSON.stringify(this.strides)}. ` +
              `Fix: use outputPadding below the stride, or leave it null.`,
          );
        }
      });
      this.outputPadding = list;
    }
    this.activation = activations.get(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = args.kernelInitializer ?? 'glorot_uniform';
    this.biasInitializer = args.biasInitializer ?? 'zeros';
    this.kernelRegularizer = regularizers.get(args.kernelRegularizer);
    this.biasRegularizer = regularizers.get(args.biasRegularizer);
    this.kernelConstraint = constraints.get(args.kernelConstraint);
    this.biasConstraint = constraints.get(args.biasConstraint);
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
  }

  private get options(): ops.ConvTransposeOptions {
    return { strides: this.strides, padding: this.padding, dataFormat: this.dataFormat, dilationRate: this.dilationRate, outputPadding: this.outputPadding };
  }

  override build(inputShape: SymbolicShape): void {
    const channels = channelsOf(this.constructor.name, this.name, inputShape, this.rank, this.window);
    if (channels === null) throw unknownChannels(this.constructor.name, this.name, inputShape, this.window);
    this.kernel = this.addWeight({ name: 'kernel', shape: [...this.kernelSize, this.filters, channels], initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
    if (this.useBias) this.bias = this.addWeight({ name: 'bias', shape: [this.filters], initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    this.inputSpec = new InputSpec({ ndim: this.rank + 2, axes: { [this.dataFormat === 'channels_first' ? 1 : -1]: channels } });
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    let y = ops.convTranspose(inputs, this.kernel as Variable, this.options);
    if (this.bias) {
      const bias = this.dataFormat === 'channels_first' ? ops.reshape(this.bias, [1, this.filters, ...new Array<number>(this.rank).fill(1)]) : this.bias;
      y = ops.add(y, bias);
    }
    return this.activation(y);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    const channels = channelsOf(this.constructor.name, this.name, inputShape, this.rank, this.window);
    return ops.convTransposeOutputShape(inputShape, [...this.kernelSize, this.filters, channels], this.options);
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    return explainMismatch(this.constructor.name, shape, this.rank, this.window, this.kernel?.shape[this.rank + 1]);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernel_size: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      output_padding: this.outputPadding ? [...this.outputPadding] : null,
      data_format: this.dataFormat,
      dilation_rate: [...this.dilationRate],
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
