/**
 * Model: a layer made of layers. Given `inputs` and `outputs` it is a functional model (any DAG of
 * layers, several inputs and outputs, shared layers, models inside models); a class that extends
 * Model and defines `call` is a subclassed model, whose sub-layers are tracked from its properties.
 */
import { formatShape, type SymbolicShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { KerasTensor } from '../engine/keras_tensor.js';
import { Layer, type CallOptions, type LayerArgs, type LayerOutput, type SymbolicOutput } from '../engine/layer.js';
import { uniqueName } from '../engine/naming.js';
import { buildGraph, type Graph } from './functional.js';
import { summary, type SummaryOptions } from './summary.js';
import { writeModelConfig } from '../saving/config_writer.js';
import { exportModel, type ExportOptions } from '../saving/export_registry.js';
import type { Logs } from '../callbacks/callback.js';
import type { History } from '../callbacks/index.js';
import type { TrainingOptimizer } from '../optimizers/optimizer_interface.js';
import { resolveCompile, type CompileArgs, type CompileState } from '../trainers/compile_utils.js';
import { defaultPredictStep, defaultTestStep, defaultTrainStep, type Batch, type EvaluateOptions, type FitOptions, type PredictOptions } from '../trainers/trainer.js';
import { evaluate, fit, predict, predictOnBatch, testOnBatch, trainOnBatch } from '../trainers/loops.js';
import { releaseCompiledSteps } from '../runtime/compile.js';
import type { ArrayLikeData, BatchSource, DataInput } from '../trainers/data_adapter.js';

export interface ModelArgs {
  inputs?: KerasTensor | KerasTensor[];
  /** One output, or a list; a layer that returns several tensors may stand in the list as it is. */
  outputs?: SymbolicOutput | SymbolicOutput[];
  name?: string;
  trainable?: boolean;
}

/** `S`/`E`: what a symbolic/eager call returns (a Sequential model has one output, so one tensor). */
export class Model<S extends SymbolicOutput = SymbolicOutput, E extends LayerOutput = LayerOutput> extends Layer<S, E> {
  /** @internal the functional graph, when the model has one */
  protected graph: Graph | undefined;

  constructor(args: ModelArgs = {}) {
    const functional = args.inputs !== undefined || args.outputs !== undefined;
    super({ name: args.name ?? (functional ? uniqueName('Functional') : undefined), trainable: args.trainable } as LayerArgs);
    if (functional) {
      if (args.inputs === undefined || args.outputs === undefined) {
        throw new Error(
          `Model "${this.name}": a functional model needs both inputs and outputs; got only ${args.inputs === undefined ? 'outputs' : 'inputs'}. ` +
            `Fix: new Model({ inputs, outputs }), or extend Model and define call() for a subclassed model.`,
        );
      }
      this.graph = buildGraph(args.inputs, args.outputs, this.name);
      this.built = true;
    }
  }

  /** Whether the model is a graph of layers (functional or a built Sequential). */
  get isFunctional(): boolean {
    return this.graph !== undefined;
  }

  private requireGraph(what: string): Graph {
    if (!this.graph) {
      throw new Error(
        `Model "${this.name}" has no ${what} yet: it is ${this instanceof Model && Object.getPrototypeOf(this) !== Model.prototype && !('stackLayers' in this) ? 'a subclassed model, whose inputs are whatever its call receives' : 'not built'}. ` +
          `Fix: build a functional model from keras.Input, or give the first layer an inputShape, or call the model on data once.`,
      );
    }
    return this.graph;
  }

  /** The model's input KerasTensors. */
  get inputs(): KerasTensor[] {
    return [...this.requireGraph('inputs').inputs];
  }

  /** The model's output KerasTensors. */
  get outputs(): KerasTensor[] {
    return [...this.requireGraph('outputs').outputs];
  }

  /** Every layer: in graph order for a functional model (InputLayers included), else the tracked sub-layers. */
  get layers(): Layer[] {
    return this.graph ? [...this.graph.layers] : this.trackedLayers();
  }

  protected override trackedLayers(): Layer[] {
    return this.graph ? [...this.graph.layers] : super.trackedLayers();
  }

  /** Resets the states of every stateful layer (stateful RNNs, nested models), as Keras's reset_states. */
  resetStates(): void {
    for (const layer of this.layers) {
      const reset = (layer as unknown as { resetStates?: () => void }).resetStates;
      if (typeof reset !== 'function') continue;
      // A recurrent layer that is not stateful has no states to reset.
      if ((layer as unknown as { stateful?: boolean }).stateful === false) continue;
      reset.call(layer);
    }
  }

  /** A layer by name, or by its index in `layers`. */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    if (typeof nameOrIndex === 'number') {
      const layer = layers[nameOrIndex];
      if (!layer) throw new RangeError(`Model "${this.name}": was asked to retrieve layer at index ${nameOrIndex} but model only has ${layers.length} layers.`);
      return layer;
    }
    const layer = layers.find((l) => l.name === nameOrIndex);
    if (!layer) {
      throw new Error(`Model "${this.name}": no such layer: ${nameOrIndex}. Existing layers are: [${layers.map((l) => `'${l.name}'`).join(', ')}].`);
    }
    return layer;
  }

  /** Runs the graph on real tensors (or symbolic ones while tracing), node after node. */
  call(inputs: Tensor | Tensor[], options: CallOptions = {}): LayerOutput {
    const graph = this.requireGraph('graph to run');
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const values = new Map<KerasTensor, Tensor>();
    graph.inputs.forEach((t, i) => values.set(t, list[i]));
    for (const node of graph.nodes) {
      const args = node.inputTensors.map((t) => values.get(t) as Tensor);
      const mainCount = args.length - node.numStateInputs;
      const main = node.inputsAsList ? args.slice(0, mainCount) : args[0];
      const callOptions: CallOptions = { ...node.callArguments };
      if (node.callArguments.training === undefined && options.training !== undefined) callOptions.training = options.training;
      if (node.numStateInputs > 0) callOptions.initialState = args.slice(mainCount);
      const out = node.outboundLayer.apply(main, callOptions);
      const outList = Array.isArray(out) ? out : [out];
      node.outputTensors.forEach((t, i) => values.set(t, outList[i]));
    }
    const outputs = graph.outputs.map((t) => values.get(t) as Tensor);
    return outputs.length === 1 ? outputs[0] : outputs;
  }

  /** A functional model checks that its inputs fit the shapes of its Input tensors. */
  protected override checkInputs(shapes: readonly SymbolicShape[]): void {
    if (!this.graph) return super.checkInputs(shapes);
    const expected = this.graph.inputs;
    if (shapes.length !== expected.length) {
      throw new Error(
        `Model "${this.name}" expects ${expected.length} input(s) (${expected.map((t) => formatShape(t.shape)).join(', ')}), but it received ${shapes.length} input tensor(s). ` +
          `Fix: pass ${expected.length === 1 ? 'one tensor' : `a list of ${expected.length} tensors, one per input`}.`,
      );
    }
    shapes.forEach((shape, i) => {
      const want = expected[i].shape;
      const fits = shape.length === want.length && want.every((d, j) => d === null || shape[j] === null || d === shape[j]);
      if (!fits) {
        const batchHint =
          shape.length === want.length - 1 && want.slice(1).every((d, j) => d === null || d === shape[j])
            ? ` The first axis is the batch axis, even for one example: pass shape ${formatShape([1, ...shape])} (e.g. ops.expandDims(x, 0)).`
            : '';
        throw new Error(
          `Input ${i} of model "${this.name}" is incompatible with the model: expected shape ${formatShape(want)}, but got ${formatShape(shape)}.${batchHint}`,
        );
      }
    });
  }

  // --- training (Keras's Trainer) ---------------------------------------------------------------

  /** Set by compile. */
  compileState: CompileState | undefined;
  /** Set to true (e.g. by EarlyStopping) to end fit after the current batch. */
  stopTraining = false;

  get compiled(): boolean {
    return this.compileState !== undefined;
  }

  get optimizer(): TrainingOptimizer | undefined {
    return this.compileState?.optimizer;
  }

  /**
   * Configures training: the optimizer, a loss per output (or one for all), metrics, loss weights.
   *
   * ```ts
   * model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
   * ```
   */
  compile(args: CompileArgs = {}): void {
    // The compiled steps of the previous compile used its optimizer and metrics: free their graphs now.
    if (this.compileState) releaseCompiledSteps(this.compileState);
    const names = this.graph ? this.graph.outputs.map((t) => t.kerasHistory?.layer.name ?? t.name) : ['output'];
    const shapes = this.graph ? this.graph.outputs.map((t) => t.shape) : [];
    this.compileState = resolveCompile(args, names, shapes);
    // State made now, not during fit, so that fit leaves the tensor count where it was.
    const optimizer = this.compileState.optimizer as TrainingOptimizer & { build?: (variables: unknown[]) => void };
    if (this.built && optimizer.build && !optimizer.built) optimizer.build(this.trainableWeights);
  }

  /** Trains the model; returns the History (`history.history.loss` has one number per epoch). */
  fit(x: DataInput | BatchSource, y?: DataInput, options: FitOptions = {}): Promise<History> {
    return fit(this, x as DataInput, y, options);
  }

  /** The loss, or [loss, ...metrics] (a record with returnDict). */
  evaluate(x: DataInput, y: DataInput, options: EvaluateOptions = {}): Promise<number | number[] | Logs> {
    return evaluate(this, x, y, options);
  }

  /** The model's outputs on x, batch by batch with training off. The caller owns the tensors. */
  predict(x: DataInput, options: PredictOptions = {}): Promise<Tensor | Tensor[]> {
    return predict(this, x, options);
  }

  trainOnBatch(x: DataInput, y: DataInput, options: { sampleWeight?: ArrayLikeData; classWeight?: Record<number, number>; resetMetrics?: boolean; returnDict?: boolean } = {}): Promise<number | number[] | Logs> {
    return trainOnBatch(this, x, y, options);
  }

  testOnBatch(x: DataInput, y: DataInput, options: { sampleWeight?: ArrayLikeData; resetMetrics?: boolean; returnDict?: boolean } = {}): Promise<number | number[] | Logs> {
    return testOnBatch(this, x, y, options);
  }

  predictOnBatch(x: DataInput): Promise<Tensor | Tensor[]> {
    return predictOnBatch(this, x);
  }

  /** One training step; override it to customize fit (see defaultTrainStep for the parts to reuse). */
  trainStep(batch: Batch): Logs {
    return defaultTrainStep(this, batch);
  }

  /** One evaluation step; override it to customize evaluate. */
  testStep(batch: Batch): Logs {
    return defaultTestStep(this, batch);
  }

  /** One prediction step. */
  predictStep(x: Tensor[]): Tensor | Tensor[] {
    return defaultPredictStep(this, x);
  }

  /** Frees the weights and the compiled graphs of the model's steps. */
  override dispose(): void {
    releaseCompiledSteps(this);
    if (this.compileState) releaseCompiledSteps(this.compileState);
    super.dispose();
  }

  /** Prints (or passes to printFn) Keras's summary table. */
  summary(options: SummaryOptions = {}): void {
    summary(this, options);
  }

  /** The model's Keras 3 config as JSON text (Keras's to_json); `models.modelFromJSON` reads it back. */
  toJSON(): string {
    return JSON.stringify(writeModelConfig(this));
  }

  /**
   * Writes the model for another runtime, e.g. `await model.export('model.onnx', { format: 'onnx' })`
   * (the exporter comes from '@keras-ts/backend-onnx', which 'keras-ts' loads).
   */
  export(path: string, options: ExportOptions = {}): Promise<void> {
    return exportModel(this, path, options);
  }

  // The saving modules import the model classes, so they are loaded when first used, not at import.

  /**
   * Saves the model as a Keras 3 `.keras` archive (architecture, weights, optimizer state), atomically;
   * with `format: 'tfjs'`, as a TensorFlow.js layers model (model.json + weight shards) in the directory `path`.
   */
  async save(path: string, options: { overwrite?: boolean; format?: 'keras' | 'tfjs' } = {}): Promise<void> {
    const { saveModel } = await import('../saving/saving_api.js');
    return saveModel(this, path, options);
  }

  /** Saves the weights (and the optimizer state when compiled) to a Keras 3 `.weights.h5` file, atomically. */
  async saveWeights(path: string, options: { overwrite?: boolean } = {}): Promise<void> {
    const { saveWeights } = await import('../saving/saving_api.js');
    return saveWeights(this, path, options);
  }

  /** Loads weights from a `.weights.h5`, a Keras 2 `.h5` or a `.keras` file; `skipMismatch` skips layers that do not fit. */
  async loadWeights(path: string, options: { skipMismatch?: boolean } = {}): Promise<void> {
    const { loadWeights } = await import('../saving/saving_api.js');
    return loadWeights(this, path, options);
  }
}

