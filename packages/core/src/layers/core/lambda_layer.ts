/**
 * Lambda: a function of keras.ops wrapped as a layer, for quick expressions in Sequential and
 * functional models. Its output shape is found by tracing the function on symbolic tensors (the
 * same path a custom layer without computeOutputShape takes), unless `outputShape` is given.
 *
 * ```ts
 * const y = new layers.Lambda({ function: (x) => ops.concatenate([x, ops.square(x)], { axis: -1 }) }).apply(Input({ shape: [3] }));
 * y.shape;   // [null, 6]
 * ```
 *
 * A Lambda cannot be saved with its function: see getConfig. Prefer a Layer subclass for anything
 * that must be saved and loaded.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, configToArgs, type CallOptions, type LayerArgs, type LayerOutput } from '../../engine/layer.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import type { SymbolicTensor } from '../../tensor/symbolic.js';
import type { Tensor } from '../../tensor/tensor.js';

/** What the function receives after the inputs: the layer's `arguments`, and `training` from the call. */
export type LambdaCallArguments = Record<string, unknown> & { training?: boolean };

export type LambdaFunction = (inputs: Tensor | Tensor[], args: LambdaCallArguments) => Tensor | Tensor[];

/** A shape without the batch axis, a list of them (several outputs), or a function of the full input shape. */
export type LambdaOutputShape = readonly Dim[] | readonly (readonly Dim[])[] | ((inputShape: Dim[] | Dim[][]) => Dim[] | Dim[][]);

export interface LambdaArgs extends LayerArgs {
  /** The function, written with keras.ops; it gets the input (or the list of inputs) and `{ ...arguments, training }`. */
  function: LambdaFunction;
  /** The output shape; found by tracing when left out. A list gives the shape without the batch axis, which is the input's. */
  outputShape?: LambdaOutputShape | null;
  /** Extra named arguments passed to the function on every call (JSON values, so that getConfig can hold them). */
  arguments?: Record<string, unknown> | null;
  /** Masks are not supported yet: must be left out or null. */
  mask?: null;
}

function isShapeList(shape: readonly unknown[]): shape is readonly (readonly Dim[])[] {
  return shape.length > 0 && shape.every((s) => Array.isArray(s));
}

function checkDims(shape: readonly unknown[], where: string): void {
  const dims = isShapeList(shape) ? shape.flat() : shape;
  if (dims.some((d) => d !== null && (!Number.isInteger(d) || (d as number) < 0))) {
    throw new TypeError(`${where}: outputShape ${JSON.stringify(shape)} is not a shape (non-negative integers, or null for an unknown size). Fix: e.g. outputShape: [6] for (batch, 6).`);
  }
}

export class Lambda extends Layer {
  readonly function: LambdaFunction;
  readonly outputShapeArg: LambdaOutputShape | null;
  readonly arguments: Record<string, unknown>;

  constructor(args: LambdaArgs) {
    if (typeof args === 'function') {
      throw new TypeError('Lambda: expected an options object, got a function. Fix: new layers.Lambda({ function: (x) => ops.square(x) }).');
    }
    super(args);
    if (!args || typeof args.function !== 'function') {
      throw new TypeError(
        `Lambda: the function argument must be a function of the input tensor(s), got ${args ? typeof args.function : String(args)}. ` +
          `Fix: new layers.Lambda({ function: (x) => ops.square(x) }).`,
      );
    }
    if (args.mask !== undefined && args.mask !== null) {
      throw new Error('Lambda: the mask argument is not supported yet in keras-ts. Fix: leave mask out.');
    }
    const outputShape = args.outputShape ?? null;
    if (outputShape !== null && typeof outputShape !== 'function') {
      if (!Array.isArray(outputShape)) throw new TypeError(`Lambda: outputShape must be a list (the shape without the batch axis) or a function, got ${JSON.stringify(outputShape)}. Fix: e.g. outputShape: [6].`);
      checkDims(outputShape, 'Lambda');
    }
    if (args.arguments !== undefined && args.arguments !== null && (typeof args.arguments !== 'object' || Array.isArray(args.arguments))) {
      throw new TypeError(`Lambda: arguments must be an object of named values, got ${JSON.stringify(args.arguments)}. Fix: e.g. arguments: { axis: -1 }.`);
    }
    this.function = args.function;
    this.outputShapeArg = outputShape;
    this.arguments = { ...(args.arguments ?? {}) };
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], options: CallOptions = {}): LayerOutput {
    return this.function(inputs, { ...this.arguments, training: options.training });
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): Dim[] | Dim[][] {
    const shape = this.outputShapeArg;
    if (shape === null) return this.traced(inputShape, {}).shape;
    if (typeof shape === 'function') return shape(cloneShape(inputShape));
    const batch = (Array.isArray(inputShape[0]) ? (inputShape[0] as SymbolicShape)[0] : inputShape[0]) as Dim;
    return isShapeList(shape) ? shape.map((s) => [batch, ...s]) : [batch, ...(shape as readonly Dim[])];
  }

  /** Without outputShape the output (shapes and dtypes) is traced, so that e.g. a cast to int32 is seen. */
  protected override computeOutputSpec(inputShape: SymbolicShape | SymbolicShape[], inputs: readonly KerasTensor[], options: CallOptions): SymbolicTensor | SymbolicTensor[] {
    if (this.outputShapeArg === null) return this.traced(inputShape, options, inputs).spec;
    return super.computeOutputSpec(inputShape, inputs, options);
  }

  private traced(inputShape: SymbolicShape | SymbolicShape[], options: CallOptions, inputs?: readonly KerasTensor[]): { spec: SymbolicTensor | SymbolicTensor[]; shape: Dim[] | Dim[][] } {
    let spec: SymbolicTensor | SymbolicTensor[];
    try {
      spec = this.traceCall(inputShape, options, inputs?.map((t) => t.dtype));
    } catch (error) {
      const shown = Array.isArray(inputShape[0]) ? (inputShape as SymbolicShape[]).map((s) => formatShape(s)).join(', ') : formatShape(inputShape as SymbolicShape);
      throw new Error(
        `Lambda "${this.name}": could not infer the shape of the Lambda's output by tracing its function on symbolic inputs of shape ${shown}: ${(error as Error).message} ` +
          `Fix: write the function with keras.ops only (no dataSync/arraySync), or pass the outputShape argument.`,
        { cause: error },
      );
    }
    return { spec, shape: Array.isArray(spec) ? spec.map((s) => [...s.shape]) : [...spec.shape] };
  }

  /**
   * Keras's config keys. The function is code, not data, so it is NOT in the config (Keras stores
   * Python bytecode, which JavaScript cannot load, and keras-ts does not serialize JavaScript
   * source, which would mean evaluating code on load); nor is an outputShape given as a function.
   * fromConfig therefore needs the function passed back in: `Lambda.fromConfig({ ...config, function: fn })`.
   */
  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { ...super.getConfig() };
    if (this.outputShapeArg !== null && typeof this.outputShapeArg !== 'function') config.output_shape = JSON.parse(JSON.stringify(this.outputShapeArg));
    config.arguments = JSON.parse(JSON.stringify(this.arguments));
    return config;
  }

  static override fromConfig<T extends Layer>(this: new (args: never) => T, config: Record<string, unknown>): T {
    if (typeof config.function !== 'function') {
      throw new Error(
        `Lambda.fromConfig: the config has no function${config.function === undefined ? '' : ` (got ${JSON.stringify(config.function)})`}. ` +
          `keras-ts cannot save a Lambda's function in its config (a function is code, and a Python Lambda's bytecode cannot run here). ` +
          `Fix: pass the function back in, e.g. layers.Lambda.fromConfig({ ...config, function: (x) => ops.square(x) }), or write a Layer subclass with getConfig for layers that must be saved.`,
      );
    }
    return new this(configToArgs(config) as never);
  }
}

function cloneShape(shape: SymbolicShape | SymbolicShape[]): Dim[] | Dim[][] {
  return Array.isArray(shape[0]) ? (shape as SymbolicShape[]).map((s) => [...s]) : [...(shape as SymbolicShape)];
}
