/**
 * BaseConv: what the N-D convolution layers share (Keras's BaseConv). `activation(conv(inputs,
 * kernel) + bias)` with kernel (spatial..., inChannels / groups, filters) and bias (filters),
 * channels_last or channels_first. The rank-specific classes (Conv2D) only fix the rank.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import * as activations from '../../activations/index.js';
import type { ImageDataFormat } from '../../backend/config.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import * as constraints from '../../constraints/index.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as ops from '../../ops/index.js';
import { InputSpec } from '../../engine/input_spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import type { Variable } from '../../runtime/variable.js';
import { dataFormatSource, explainSpatialRank, standardizeDataFormat, standardizePadding, standardizeTuple } from './spatial_input.js';

export interface BaseConvArgs extends LayerArgs {
  /** The number of output channels (filters). */
  filters: number;
  /** The window: one size for every spatial axis, or one per axis. */
  kernelSize: number | readonly number[];
  /** Default 1. Strides above 1 cannot be combined with a dilation rate above 1. */
  strides?: number | readonly number[];
  /** 'valid' (default, no padding) or 'same' (output size ceil(input / stride)), case-insensitive. */
  padding?: string;
  /** Where the channels are; default `keras.config.imageDataFormat()`. */
  dataFormat?: ImageDataFormat | null;
  /** Default 1. */
  dilationRate?: number | readonly number[];
  /** Channel groups convolved separately; input channels and filters must be divisible by it. Default 1. */
  groups?: number;
  activation?: string | activations.Activation | null;
  useBias?: boolean;
  kernelInitializer?: initializers.InitializerIdentifier;
  biasInitializer?: initializers.InitializerIdentifier;
  kernelRegularizer?: regularizers.RegularizerIdentifier;
  biasRegularizer?: regularizers.RegularizerIdentifier;
  kernelConstraint?: constraints.ConstraintIdentifier;
  biasConstraint?: constraints.ConstraintIdentifier;
}

/** Config keys Keras writes that keras-ts reads but does not implement: accepted only when null. */
const UNSUPPORTED = ['loraRank', 'doraRank'];

export function rejectUnsupported(where: string, args: object, names: readonly string[]): void {
  for (const name of names) {
    const value = (args as Record<string, unknown>)[name];
    if (value !== null && value !== undefined && value !== false) {
      throw new Error(`${where}: ${name} is not supported by keras-ts yet; received ${name}=${JSON.stringify(value)}. Fix: leave it out (or null).`);
    }
  }
}

export abstract class BaseConv extends Layer<KerasTensor, Tensor> {
  readonly rank: number;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: ImageDataFormat;
  readonly dilationRate: number[];
  readonly groups: number;
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
  /** Whether dataFormat came from the layer's arguments (else from keras.config). */
  private readonly dataFormatGiven: boolean;

  protected constructor(rank: number, args: BaseConvArgs) {
    super(args);
    const where = `${new.target.name}`;
    if (!args || typeof args !== 'object') {
      throw new Error(`${where}: expected an arguments object such as { filters: 32, kernelSize: 3 }, got ${JSON.stringify(args)}.`);
    }
    rejectUnsupported(where, args, UNSUPPORTED);
    if (!Number.isInteger(args.filters) || args.filters <= 0) {
      throw new Error(`${where}: filters must be a positive integer (the number of output channels); received filters=${JSON.stringify(args.filters)}. Fix: e.g. { filters: 32, kernelSize: 3 }.`);
    }
    const groups = args.groups ?? 1;
    if (!Number.isInteger(groups) || groups <= 0) {
      throw new Error(`${where}: the number of groups must be a positive integer; received groups=${JSON.stringify(args.groups)}. Fix: leave groups at 1, or pass a divisor of the input channels.`);
    }
    if (args.filters % groups !== 0) {
      throw new Error(`${where}: the number of filters must be evenly divisible by the number of groups; received groups=${groups}, filters=${args.filters}. Fix: use a multiple of ${groups} filters.`);
    }
    if (args.kernelSize === undefined) {
      throw new Error(`${where}: kernelSize is required (the window size); received none. Fix: e.g. { filters: ${args.filters}, kernelSize: ${rank === 1 ? '3' : '[3, 3]'} }.`);
    }
    this.rank = rank;
    this.filters = args.filters;
    this.groups = groups;
    this.kernelSize = standardizeTuple(where, 'kernelSize', args.kernelSize, rank);
    this.strides = standardizeTuple(where, 'strides', args.strides ?? 1, rank);
    this.dilationRate = standardizeTuple(where, 'dilationRate', args.dilationRate ?? 1, rank);
    this.padding = standardizePadding(where, args.padding ?? 'valid');
    this.dataFormatGiven = args.dataFormat !== null && args.dataFormat !== undefined;
    this.dataFormat = standardizeDataFormat(where, args.dataFormat);
    if (Math.max(...this.strides) > 1 && Math.max(...this.dilationRate) > 1) {
      throw new Error(
        `${where}: strides > 1 not supported in conjunction with dilationRate > 1; received strides=${JSON.stringify(this.strides)} and dilationRate=${JSON.stringify(this.dilationRate)}. ` +
          `Fix: use strides 1 with a dilation, or dilation 1 with strides (e.g. a dilated layer followed by a pooling layer).`,
      );
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

  private get channelAxis(): number {
    return this.dataFormat === 'channels_first' ? 1 : -1;
  }

  private get className(): string {
    return this.constructor.name;
  }

  /** The input's channels, after checking the rank (with the user-terms explanation). */
  private inputChannels(inputShape: SymbolicShape): Dim {
    if (inputShape.length !== this.rank + 2) {
      throw new Error(`Layer "${this.name}": ${explainSpatialRank(this.className, inputShape, this.rank, this.dataFormat, this.dataFormatGiven)}`);
    }
    return this.dataFormat === 'channels_first' ? inputShape[1] : inputShape[inputShape.length - 1];
  }

  /** With padding 'valid' the dilated window must fit the input, or the output would be empty. */
  private checkWindowFits(inputShape: SymbolicShape): void {
    if (this.padding !== 'valid') return;
    const spatial = this.dataFormat === 'channels_first' ? inputShape.slice(2) : inputShape.slice(1, -1);
    const spans = this.kernelSize.map((k, i) => (k - 1) * this.dilationRate[i] + 1);
    const out = spatial.map((d, i) => (d === null ? null : Math.floor((d - spans[i]) / this.strides[i]) + 1));
    if (out.some((d) => d !== null && d < 1)) {
      const x = (list: readonly (number | null)[]): string => list.map((d) => (d === null ? 'None' : String(d))).join('x');
      const dilated = this.dilationRate.some((d) => d > 1) ? ` with dilationRate ${x(this.dilationRate)} spans ${x(spans)} cells and` : '';
      throw new Error(
        `${this.className} "${this.name}": the ${x(this.kernelSize)} kernel${dilated} is larger than the ${x(spatial)} input ` +
          `(the spatial axes of ${formatShape(inputShape)}) with padding 'valid', so the output would be empty (spatial sizes ${x(out)}). ` +
          `Fix: use padding: 'same', a smaller kernelSize${dilated ? ' or dilationRate' : ''}, or a larger input.`,
      );
    }
  }

  /** The kernel's shape for an input with `channels` channels (null when unknown). */
  private kernelShape(channels: Dim): Dim[] {
    return [...this.kernelSize, channels === null ? null : channels / this.groups, this.filters];
  }

  private checkGroups(channels: Dim, inputShape: SymbolicShape): void {
    if (channels !== null && channels % this.groups !== 0) {
      throw new Error(
        `${this.className} "${this.name}": the number of input channels must be evenly divisible by the number of groups. Received groups=${this.groups}, ` +
          `but the input has ${channels} channels (full input shape is ${formatShape(inputShape)}). Fix: use groups that divide ${channels}, or check dataFormat ('${this.dataFormat}').`,
      );
    }
  }

  override build(inputShape: SymbolicShape): void {
    const channels = this.inputChannels(inputShape);
    if (channels === null) {
      throw new Error(
        `${this.className} "${this.name}": the channel axis (axis ${this.channelAxis}, ${dataFormatSource(this.dataFormat, this.dataFormatGiven)}) of the input ${formatShape(inputShape)} ` +
          `must be known to make the kernel. Fix: give the Input a fixed number of channels, e.g. Input({ shape: ${this.dataFormat === 'channels_first' ? '[3, null, null]' : '[null, null, 3]'} }).`,
      );
    }
    this.checkGroups(channels, inputShape);
    this.checkWindowFits(inputShape);
    this.kernel = this.addWeight({ name: 'kernel', shape: this.kernelShape(channels) as number[], initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
    if (this.useBias) this.bias = this.addWeight({ name: 'bias', shape: [this.filters], initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    this.inputSpec = new InputSpec({ ndim: this.rank + 2, axes: { [this.channelAxis]: channels } });
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    this.checkWindowFits(inputs.shape);
    let y = ops.conv(inputs, this.kernel as Variable, { strides: this.strides, padding: this.padding, dataFormat: this.dataFormat, dilationRate: this.dilationRate });
    if (this.bias) {
      const bias = this.dataFormat === 'channels_first' ? ops.reshape(this.bias, [1, this.filters, ...new Array<number>(this.rank).fill(1)]) : this.bias;
      y = ops.add(y, bias);
    }
    return this.activation(y);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    const channels = this.inputChannels(inputShape);
    this.checkGroups(channels, inputShape);
    this.checkWindowFits(inputShape);
    return ops.convOutputShape(inputShape, this.kernelShape(channels), {
      strides: this.strides, padding: this.padding, dataFormat: this.dataFormat, dilationRate: this.dilationRate,
    });
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    if (shape.length !== this.rank + 2) return explainSpatialRank(this.className, shape, this.rank, this.dataFormat, this.dataFormatGiven);
    const built = this.kernel ? (this.kernel.shape[this.rank] as number) * this.groups : undefined;
    if (built === undefined) return undefined;
    const got = this.dataFormat === 'channels_first' ? shape[1] : shape[shape.length - 1];
    const other = this.dataFormat === 'channels_first' ? shape[shape.length - 1] : shape[1];
    const swapped = other === built ? ` The input looks ${this.dataFormat === 'channels_first' ? 'channels_last' : 'channels_first'}: it has ${built} on axis ${this.dataFormat === 'channels_first' ? -1 : 1}.` : '';
    return (
      `This ${this.className} was built for inputs with ${built} channels (axis ${this.channelAxis}, ${dataFormatSource(this.dataFormat, this.dataFormatGiven)}); it cannot take ${got}.${swapped} ` +
      `Fix: use a new ${this.className} layer for this input, feed it inputs with ${built} channels, or pass the dataFormat that matches the data.`
    );
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernel_size: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      data_format: this.dataFormat,
      dilation_rate: [...this.dilationRate],
      groups: this.groups,
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
