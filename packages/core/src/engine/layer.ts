/**
 * Layer: the nodes of the Keras graph. A layer makes its weights on the first call
 * (`build(inputShape)`), checks its input against `inputSpec` on every call, computes eagerly on
 * Tensors and builds the graph on KerasTensors (one Node per call), inferring its output shape
 * from `computeOutputShape` or, for a custom layer that does not define it, by tracing `call`.
 */
import { fromTypedArray } from '../tensor/create.js';
import type { DType } from '../tensor/dtype.js';
import { formatShape, shapesEqual, type Dim, type SymbolicShape } from '../tensor/shape.js';
import { SymbolicTensor } from '../tensor/symbolic.js';
import { Tensor } from '../tensor/tensor.js';
import { tidy } from '../runtime/tidy.js';
import { Variable } from '../runtime/variable.js';
import { castTo, toTensor, type TensorLike } from '../ops/convert.js';
import * as initializers from '../initializers/index.js';
import * as regularizers from '../regularizers/index.js';
import * as constraints from '../constraints/index.js';
import { identityCopy } from '../runtime/identity.js';
import type { InputSpec} from './input_spec.js';
import { inputSpecProblem } from './input_spec.js';
import { KerasTensor } from './keras_tensor.js';
import { Node } from './node.js';
import { uniqueName } from './naming.js';

export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  dtype?: DType;
  /** The input shape without the batch axis; lets a Sequential model build at once (Keras's input_shape). */
  inputShape?: readonly Dim[];
  /** The input shape with the batch axis (Keras's batch_input_shape). */
  batchInputShape?: readonly Dim[];
  batchSize?: number;
  /** A penalty on the layer's outputs added to the loss in training ('l1', 'l2', ...). */
  activityRegularizer?: regularizers.RegularizerIdentifier;
}

/** Options of a call. `training` switches dropout and batch-statistics behaviour. */
export interface CallOptions {
  training?: boolean;
  mask?: Tensor | null;
  /** Recurrent layers: initial states, `[h, c]` for LSTM (Keras's initial_state). */
  initialState?: readonly (Tensor | KerasTensor)[];
  [option: string]: unknown;
}

/** What a layer's call returns and apply gives back: one tensor or a list. */
export type LayerOutput = Tensor | Tensor[];
export type SymbolicOutput = KerasTensor | KerasTensor[];

export interface AddWeightOptions {
  name: string;
  shape: readonly number[];
  initializer?: initializers.InitializerIdentifier;
  trainable?: boolean;
  dtype?: DType;
  regularizer?: regularizers.RegularizerIdentifier;
  constraint?: constraints.ConstraintIdentifier;
}

/** How deep the current layer calls are nested (0 outside any call). */
let callDepth = 0;

/** Sizes that stand for an unknown dimension while a call is traced; two runs tell which output sizes follow them. */
const TRACE_SIZES = [83, 89];

type InputStructure = TensorLike | KerasTensor | SymbolicTensor | readonly (TensorLike | KerasTensor | SymbolicTensor)[];

function flatten(inputs: InputStructure): unknown[] {
  return Array.isArray(inputs) ? [...inputs] : [inputs];
}

/**
 * `S` is what a symbolic call returns and `E` what an eager call returns: one tensor for most
 * layers; layers with several outputs (LSTM with returnState, models) declare the union.
 */
export abstract class Layer<S extends SymbolicOutput = SymbolicOutput, E extends LayerOutput = LayerOutput> {
  name: string;
  /** Whether the layer's weights are updated by training. */
  trainable: boolean;
  built = false;
  readonly dtype: DType;
  /** Whether the layer passes its input's mask on to its output unchanged (Keras's supports_masking). */
  supportsMasking = false;
  /** Checked on every call; a list gives one spec per input. */
  inputSpec: InputSpec | (InputSpec | null)[] | null = null;
  readonly inboundNodes: Node[] = [];
  readonly outboundNodes: Node[] = [];
  /** Keras's batch_input_shape when the layer was given an input shape. */
  readonly batchInputShape: Dim[] | undefined;
  protected readonly ownTrainableWeights: Variable[] = [];
  protected readonly ownNonTrainableWeights: Variable[] = [];
  /** Penalty on the outputs (Keras's activity_regularizer). */
  activityRegularizer: regularizers.Regularizer | null;
  /** Losses added during the latest call (activity regularization, addLoss). */
  private readonly callLosses: Tensor[] = [];

  constructor(args: LayerArgs = {}) {
    this.name = args.name ?? uniqueName(this.constructor.name);
    this.trainable = args.trainable ?? true;
    this.dtype = args.dtype ?? 'float32';
    if (args.batchInputShape) this.batchInputShape = [...args.batchInputShape];
    else if (args.inputShape) this.batchInputShape = [args.batchSize ?? null, ...args.inputShape];
    this.activityRegularizer = regularizers.get(args.activityRegularizer);
  }

  /** Adds a loss (a scalar Tensor) computed during a call, as Keras's add_loss; fit adds it to the loss. */
  addLoss(loss: Tensor): void {
    if (!(loss instanceof SymbolicTensor)) this.callLosses.push(loss);
  }

  /**
   * The layer's extra losses: each regularized weight's penalty (computed now) and the losses added
   * during the latest call, of this layer and its sub-layers.
   */
  get losses(): Tensor[] {
    const own: Tensor[] = [];
    for (const w of [...this.ownTrainableWeights, ...this.ownNonTrainableWeights]) if (w.regularizer) own.push(w.regularizer.call(w.value));
    return [...own, ...this.callLosses, ...this.trackedLayers().flatMap((l) => l.losses)];
  }

  /** Forgets the losses of previous calls (fit does this before each forward pass). */
  clearCallLosses(): void {
    this.callLosses.length = 0;
    for (const l of this.trackedLayers()) l.clearCallLosses();
  }

  /** Makes the layer's weights for an input of this shape. Called once, on the first call. */
  build(inputShape: SymbolicShape | SymbolicShape[]): void {
    void inputShape;
    this.built = true;
  }

  /** The computation, written with keras.ops; runs on Tensors (and on symbolic tensors while tracing). */
  abstract call(inputs: Tensor | Tensor[], options: CallOptions): LayerOutput;

  /**
   * The output shape for an input shape. Layers that can say it directly override this; otherwise
   * it is found by tracing `call` on symbolic tensors.
   */
  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): Dim[] | Dim[][] {
    const specs = this.traceCall(inputShape, {});
    return Array.isArray(specs) ? specs.map((s) => [...s.shape]) : [...specs.shape];
  }

  // --- weights ---------------------------------------------------------------------------------

  /** Creates a weight variable named `<layer>/<name>`, initialized in core (so one seed gives the same values on every backend). */
  addWeight(options: AddWeightOptions): Variable {
    const initializer = initializers.get(options.initializer ?? 'glorot_uniform');
    const variable = tidy(() => new Variable(initializer.call([...options.shape], options.dtype ?? this.dtype), {
      name: options.name,
      path: `${this.name}/${options.name}`,
      trainable: options.trainable ?? true,
    }));
    variable.regularizer = regularizers.get(options.regularizer);
    variable.constraint = constraints.get(options.constraint);
    if (variable.trainable) this.ownTrainableWeights.push(variable);
    else this.ownNonTrainableWeights.push(variable);
    return variable;
  }

  /** Sub-layers assigned to this layer's properties (alone or in arrays), tracked as Keras does. */
  protected trackedLayers(): Layer[] {
    const found: Layer[] = [];
    for (const [key, value] of Object.entries(this)) {
      if (key === 'inboundNodes' || key === 'outboundNodes') continue;
      if (value instanceof Layer && value !== this) found.push(value);
      else if (Array.isArray(value)) for (const v of value) if (v instanceof Layer && v !== this && !found.includes(v)) found.push(v);
    }
    return found;
  }

  get trainableWeights(): Variable[] {
    if (!this.trainable) return [];
    // A weight frozen after it was made (e.g. Dense's kernel under LoRA) is no longer trained, as in Keras.
    return unique([...this.ownTrainableWeights.filter((w) => w.trainable), ...this.trackedLayers().flatMap((l) => l.trainableWeights)]);
  }

  get nonTrainableWeights(): Variable[] {
    const own = this.trainable ? [...this.ownTrainableWeights.filter((w) => !w.trainable), ...this.ownNonTrainableWeights] : [...this.ownTrainableWeights, ...this.ownNonTrainableWeights];
    const nested = this.trackedLayers().flatMap((l) => (this.trainable ? l.nonTrainableWeights : l.weights));
    return unique([...own, ...nested]);
  }

  /** Every weight: own trainable, own non-trainable, then those of sub-layers (Keras's order). */
  get weights(): Variable[] {
    return unique([...this.ownTrainableWeights, ...this.ownNonTrainableWeights, ...this.trackedLayers().flatMap((l) => l.weights)]);
  }

  /** Copies of the weights' values, in `weights` order (the caller owns them). */
  getWeights(): Tensor[] {
    return this.weights.map((w) => identityCopy(w.value));
  }

  /** Sets every weight from a list in `weights` order (Tensors, nested arrays or typed arrays). */
  setWeights(values: readonly TensorLike[]): void {
    const weights = this.weights;
    if (!Array.isArray(values) || values.length !== weights.length) {
      throw new Error(
        `You called setWeights(weights) on layer "${this.name}" with a weight list of length ${Array.isArray(values) ? values.length : typeof values}, ` +
          `but the layer was expecting ${weights.length} weights (${weights.map((w) => `${w.path} ${formatShape(w.shape)}`).join(', ') || 'none: it is not built yet'}). ` +
          `Fix: pass one value per weight, in layer.weights order${weights.length === 0 ? ', after building the layer (call it once)' : ''}.`,
      );
    }
    tidy(() => {
      weights.forEach((w, i) => {
        const v = values[i];
        const t = ArrayBuffer.isView(v) ? fromTypedArray(v as never, w.shape, w.dtype) : toTensor(v, 'setWeights', w.dtype);
        if (!shapesEqual(t.shape, w.shape)) {
          throw new Error(
            `Layer ${this.name} weight shape ${formatShape(w.shape)} (${w.path}) is not compatible with provided weight shape ${formatShape(t.shape)}. Fix: pass a value of shape ${formatShape(w.shape)}.`,
          );
        }
        w.assign(castTo(t, w.dtype));
      });
    });
  }

  /** The number of weight values. */
  countParams(): number {
    if (!this.built) {
      throw new Error(
        `You tried to call countParams on layer '${this.name}', but the layer isn't built. ` +
          `You can build it manually via: layer.build(batchInputShape), or call it once on an input.`,
      );
    }
    return this.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  }

  // --- calling ---------------------------------------------------------------------------------

  /**
   * Calls the layer. On KerasTensors it adds a node to the graph and returns KerasTensors; on
   * Tensors (or arrays) it computes.
   */
  apply(inputs: KerasTensor | KerasTensor[], options?: CallOptions): S;
  apply(inputs: InputStructure, options?: CallOptions): E;
  apply(inputs: InputStructure, options: CallOptions = {}): E | S {
    // A call from user code (not from inside another layer's call) starts with no added losses, as in Keras.
    if (callDepth === 0) this.clearCallLosses();
    callDepth++;
    try {
      return this.applyAtDepth(inputs, options);
    } finally {
      callDepth--;
    }
  }

  private applyAtDepth(inputs: InputStructure, options: CallOptions): E | S {
    const flat = flatten(inputs);
    const states = options.initialState ?? [];
    const symbolic = [...flat, ...states].filter((t) => t instanceof KerasTensor);
    if (symbolic.length > 0) {
      if (symbolic.length !== flat.length + states.length) {
        throw new Error(
          `Layer "${this.name}" was called with a mix of KerasTensors and other values. ` +
            `Expected every input to be a KerasTensor (from keras.Input or another layer) when building a model, or none when computing. Fix: make every input come from Input().`,
        );
      }
      return this.applySymbolic(inputs as KerasTensor | KerasTensor[], options) as S;
    }
    return this.applyEager(inputs, options) as E;
  }

  private applyEager(inputs: InputStructure, options: CallOptions): LayerOutput {
    const isList = Array.isArray(inputs);
    const tensors = flatten(inputs).map((x) => toTensor(x as TensorLike, this.name));
    const shapes = tensors.map((t) => t.shape as SymbolicShape);
    this.checkInputs(shapes);
    this.maybeBuild(isList ? shapes : shapes[0]);
    const initialState = options.initialState?.map((s) => toTensor(s as TensorLike, this.name));
    // A mask travels with the tensor that a masking layer made, as Keras's _keras_mask does.
    const inputMask = options.mask ?? (isList ? undefined : tensors[0].kerasMask);
    const callOptions: CallOptions = { ...options, ...(initialState ? { initialState } : {}), ...(inputMask ? { mask: inputMask } : {}) };
    const outputs = this.call(isList ? tensors : tensors[0], callOptions);
    const outputMask = inputMask === undefined && !this.makesMask() ? null : this.computeMask(isList ? tensors : tensors[0], inputMask ?? null);
    if (outputMask) for (const out of Array.isArray(outputs) ? outputs : [outputs]) if (out instanceof Tensor) out.kerasMask = outputMask;
    if (this.activityRegularizer) {
      for (const out of Array.isArray(outputs) ? outputs : [outputs]) this.addLoss(this.activityRegularizer.call(out));
    }
    return outputs;
  }

  private applySymbolic(inputs: KerasTensor | KerasTensor[], options: CallOptions): SymbolicOutput {
    const isList = Array.isArray(inputs);
    const tensors = isList ? inputs : [inputs];
    const shapes = tensors.map((t) => t.shape);
    this.checkInputs(shapes);
    this.maybeBuild(isList ? shapes : shapes[0]);
    const states = (options.initialState ?? []) as KerasTensor[];
    const specs = this.computeOutputSpec(isList ? shapes : shapes[0], tensors, options);
    const list = Array.isArray(specs) ? specs : [specs];
    const outputs = list.map((s, i) => new KerasTensor(s.shape, s.dtype, list.length === 1 ? this.name : `${this.name}_${i}`));
    const callArguments: Record<string, unknown> = { ...options };
    delete callArguments.initialState;
    new Node({ layer: this, inputTensors: [...tensors, ...states], outputTensors: outputs, callArguments, inputsAsList: isList, numStateInputs: states.length });
    return Array.isArray(specs) ? outputs : outputs[0];
  }

  /** Output shape(s) and dtype(s) for a symbolic call. */
  protected computeOutputSpec(inputShape: SymbolicShape | SymbolicShape[], inputs: readonly KerasTensor[], options: CallOptions): SymbolicTensor | SymbolicTensor[] {
    const overridden = Object.getPrototypeOf(this).computeOutputShape !== Layer.prototype.computeOutputShape;
    if (!overridden) return this.traceCall(inputShape, options, inputs.map((t) => t.dtype));
    const shape = this.computeOutputShape(inputShape);
    const isList = Array.isArray(shape[0]);
    const dtype = this.outputDtype(inputs);
    return isList ? (shape as Dim[][]).map((s) => new SymbolicTensor(s, dtype)) : new SymbolicTensor(shape as Dim[], dtype);
  }

  /** The dtype of outputs whose shape comes from computeOutputShape: the layer's dtype. */
  protected outputDtype(inputs: readonly KerasTensor[]): DType {
    void inputs;
    return this.dtype;
  }

  /**
   * Keras's compute_output_spec: runs `call` twice on symbolic tensors, with the unknown sizes set
   * to two different numbers; an output size that changes between the runs is unknown.
   */
  protected traceCall(inputShape: SymbolicShape | SymbolicShape[], options: CallOptions, dtypes?: DType[]): SymbolicTensor | SymbolicTensor[] {
    const isList = Array.isArray(inputShape[0]);
    const shapes = (isList ? inputShape : [inputShape]) as SymbolicShape[];
    const runs = TRACE_SIZES.map((size) =>
      tidy(() => {
        const symbolic = shapes.map((s, i) => new SymbolicTensor(s.map((d) => (d === null ? size : d)), dtypes?.[i] ?? 'float32') as unknown as Tensor);
        const out = this.call(isList ? symbolic : symbolic[0], { ...options, initialState: undefined });
        const list = Array.isArray(out) ? out : [out];
        return { asList: Array.isArray(out), specs: list.map((t) => ({ shape: [...t.shape] as Dim[], dtype: t.dtype })) };
      }),
    );
    const [first, second] = runs;
    const merged = first.specs.map((spec, i) => new SymbolicTensor(spec.shape.map((d, j) => (d === second.specs[i].shape[j] ? d : null)), spec.dtype));
    return first.asList ? merged : merged[0];
  }

  private maybeBuild(inputShape: SymbolicShape | SymbolicShape[]): void {
    if (this.built) return;
    this.build(inputShape as SymbolicShape & SymbolicShape[]);
    this.built = true;
  }

  /** Checks each input against `inputSpec`; the error says what came, what was expected and the fix. */
  protected checkInputs(shapes: readonly SymbolicShape[]): void {
    if (!this.inputSpec) return;
    const specs = Array.isArray(this.inputSpec) ? this.inputSpec : shapes.map(() => this.inputSpec as InputSpec);
    shapes.forEach((shape, i) => {
      const spec = specs[i];
      if (!spec) return;
      const problem = inputSpecProblem(spec, shape);
      if (problem) {
        const hint = this.explainInputMismatch(shape, i);
        throw new Error(
          `Input ${i} of layer "${this.name}" is incompatible with the layer: ${problem}.` +
            (problem.includes('received input with shape') ? '' : ` Full shape received: ${formatShape(shape)}.`) +
            (hint ? ` ${hint}` : ''),
        );
      }
    });
  }

  /**
   * The mask of the outputs, from the inputs and their mask (Keras's compute_mask): by default the
   * input's mask passes through layers that support masking and stops elsewhere. Layers that make a
   * mask (Embedding with maskZero, Masking) override it.
   */
  computeMask(inputs: Tensor | Tensor[], mask: Tensor | null): Tensor | null {
    void inputs;
    return this.supportsMasking ? mask : null;
  }

  /** Whether computeMask is overridden, so the layer may make a mask from unmasked inputs. */
  private makesMask(): boolean {
    return Object.getPrototypeOf(this).computeMask !== Layer.prototype.computeMask;
  }

  /** A layer-specific explanation and fix for an input that fails its spec (in the user's terms). */
  protected explainInputMismatch(shape: SymbolicShape, inputIndex: number): string | undefined {
    void shape;
    void inputIndex;
    return undefined;
  }

  // --- the graph -------------------------------------------------------------------------------

  private nodeAttribute<T>(attribute: string, read: (node: Node) => T, same: (a: T, b: T) => boolean): T {
    if (this.inboundNodes.length === 0) {
      throw new Error(`The layer has never been called and thus has no defined ${attribute}. (layer "${this.name}")`);
    }
    const values = this.inboundNodes.map(read);
    if (values.some((v) => !same(v, values[0]))) {
      const method = attribute.includes('shape') ? (attribute.startsWith('input') ? 'getInputShapeAt' : 'getOutputShapeAt') : attribute === 'input' ? 'getInputAt' : 'getOutputAt';
      throw new Error(
        `The layer "${this.name}" has multiple inbound nodes, with different ${attribute}s. Hence the notion of "${attribute}" is ill-defined for the layer. ` +
          `Use \`${method}(nodeIndex)\` instead.`,
      );
    }
    return values[0];
  }

  private nodeAt(nodeIndex: number, attribute: string): Node {
    const node = this.inboundNodes[nodeIndex];
    if (!node) {
      throw new RangeError(
        this.inboundNodes.length === 0
          ? `The layer has never been called and thus has no defined ${attribute}. (layer "${this.name}")`
          : `Asked to get ${attribute} at node ${nodeIndex}, but the layer "${this.name}" has only ${this.inboundNodes.length} inbound nodes.`,
      );
    }
    return node;
  }

  private static unwrap<T>(list: readonly T[], node: Node | undefined, states = 0): T | T[] {
    const main = states > 0 ? list.slice(0, list.length - states) : list;
    return main.length === 1 && !node?.inputsAsList ? main[0] : [...main];
  }

  get input(): KerasTensor | KerasTensor[] {
    return this.nodeAttribute('input', (n) => Layer.unwrap(n.inputTensors, n, n.numStateInputs), (a, b) => a === b);
  }

  get output(): KerasTensor | KerasTensor[] {
    return this.nodeAttribute('output', (n) => Layer.unwrap(n.outputTensors, undefined), (a, b) => a === b);
  }

  get inputShape(): Dim[] | Dim[][] {
    return this.nodeAttribute('input shape', (n) => Layer.unwrap(n.inputShapes, n, n.numStateInputs) as Dim[] | Dim[][], sameShapes);
  }

  get outputShape(): Dim[] | Dim[][] {
    return this.nodeAttribute('output shape', (n) => Layer.unwrap(n.outputShapes, undefined) as Dim[] | Dim[][], sameShapes);
  }

  getInputAt(nodeIndex: number): KerasTensor | KerasTensor[] {
    const n = this.nodeAt(nodeIndex, 'input');
    return Layer.unwrap(n.inputTensors, n, n.numStateInputs);
  }

  getOutputAt(nodeIndex: number): KerasTensor | KerasTensor[] {
    return Layer.unwrap(this.nodeAt(nodeIndex, 'output').outputTensors, undefined);
  }

  getInputShapeAt(nodeIndex: number): Dim[] | Dim[][] {
    const n = this.nodeAt(nodeIndex, 'input shape');
    return Layer.unwrap(n.inputShapes, n, n.numStateInputs) as Dim[] | Dim[][];
  }

  getOutputShapeAt(nodeIndex: number): Dim[] | Dim[][] {
    return Layer.unwrap(this.nodeAt(nodeIndex, 'output shape').outputShapes, undefined) as Dim[] | Dim[][];
  }

  // --- serialization ---------------------------------------------------------------------------

  /** Keras's config: the constructor arguments, with Keras's snake_case keys. */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.batchInputShape) config.batch_input_shape = [...this.batchInputShape];
    if (this.activityRegularizer) config.activity_regularizer = regularizers.serialize(this.activityRegularizer);
    return config;
  }

  /** Makes a layer from its config (snake_case keys as Keras writes them). */
  static fromConfig<T extends Layer>(this: new (args: never) => T, config: Record<string, unknown>): T {
    return new this(configToArgs(config) as never);
  }

  toString(): string {
    return `<${this.constructor.name} name=${this.name}, built=${this.built}>`;
  }

  /** Frees the layer's weights. */
  dispose(): void {
    for (const w of this.weights) w.dispose();
  }
}

function unique<T>(list: T[]): T[] {
  return [...new Set(list)];
}

function sameShapes(a: Dim[] | Dim[][], b: Dim[] | Dim[][]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** snake_case config keys to the camelCase arguments of keras-ts constructors. */
export function configToArgs(config: Record<string, unknown>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const camel = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    args[camel] = value;
  }
  return args;
}

