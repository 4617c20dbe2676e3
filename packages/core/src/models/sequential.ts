/**
 * Sequential: a plain stack of layers, each with one input and one output. With an input shape
 * (an Input, or `inputShape` on the first layer) it is a functional graph at once; without one it
 * builds on the first call, from the data's shape.
 */
import type { Dim, SymbolicShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { KerasTensor } from '../engine/keras_tensor.js';
import { Layer, type CallOptions, type LayerOutput } from '../engine/layer.js';
import { uniqueName } from '../engine/naming.js';
import { InputLayer } from '../layers/core/input_layer.js';
import { buildGraph } from './functional.js';
import { Model } from './model.js';

export interface SequentialArgs {
  name?: string;
  trainable?: boolean;
}

export class Sequential extends Model<KerasTensor, Tensor> {
  /** The layers added with `add`, in order (the InputLayer is not among them, as in Keras). */
  private readonly stackLayers: Layer[] = [];
  private inputLayer: InputLayer | undefined;

  constructor(layers: readonly (Layer | KerasTensor)[] = [], args: SequentialArgs = {}) {
    super({ name: args.name ?? uniqueName('Sequential'), trainable: args.trainable });
    if (!Array.isArray(layers)) {
      throw new TypeError(`Sequential: expected a list of layers, got ${typeof layers}. Fix: new Sequential([new layers.Dense({ units: 10 })]).`);
    }
    for (const layer of layers) this.add(layer);
  }

  /** Adds a layer on top of the stack (or an Input, which sets the input shape). */
  add(layer: Layer | KerasTensor): void {
    if (layer instanceof KerasTensor) {
      const source = layer.kerasHistory?.layer;
      if (!(source instanceof InputLayer)) throw new Error('Sequential.add: a KerasTensor can be added only when it comes from keras.Input.');
      this.setInput(source);
      return;
    }
    if (!(layer instanceof Layer)) {
      throw new TypeError(`Sequential.add: expected a Layer, got ${layer === null ? 'null' : typeof layer}. Fix: model.add(new layers.Dense({ units: 10 })).`);
    }
    if (layer instanceof InputLayer) {
      this.setInput(layer);
      return;
    }
    if (this.stackLayers.includes(layer)) throw new Error(`Sequential.add: layer "${layer.name}" is already in the model.`);
    this.stackLayers.push(layer);
    if (!this.inputLayer && this.stackLayers.length === 1 && layer.batchInputShape) {
      this.inputLayer = new InputLayer({ batchShape: layer.batchInputShape });
    }
    this.rebuild();
  }

  /** Removes the last layer. */
  pop(): Layer {
    const layer = this.stackLayers.pop();
    if (!layer) throw new Error(`Sequential.pop: there are no layers in the model "${this.name}".`);
    this.rebuild();
    return layer;
  }

  override get layers(): Layer[] {
    return [...this.stackLayers];
  }

  protected override trackedLayers(): Layer[] {
    return [...this.stackLayers];
  }

  private setInput(input: InputLayer): void {
    if (this.stackLayers.length > 0 || this.inputLayer) {
      throw new Error('Sequential.add: an Input can only be the first thing added to a Sequential model.');
    }
    this.inputLayer = input;
    this.rebuild();
  }

  /** Connects the stack to the input when the input shape is known. */
  private rebuild(): void {
    this.graph = undefined;
    this.built = false;
    if (!this.inputLayer) return;
    let x: KerasTensor = this.inputLayer.outputTensor;
    for (const layer of this.stackLayers) {
      const out = layer.apply(x);
      if (Array.isArray(out)) {
        throw new Error(
          `All layers in a Sequential model should have a single output tensor; layer "${layer.name}" returns ${out.length}. ` +
            `Fix: use the functional API (new Model({ inputs, outputs })) for layers with several outputs.`,
        );
      }
      x = out;
    }
    this.graph = buildGraph(this.inputLayer.outputTensor, x, this.name);
    this.built = true;
  }

  /** Deferred build: makes the Input from the first input's shape, batch axis unknown. */
  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    if (this.graph) return;
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Dim[];
    this.inputLayer = new InputLayer({ batchShape: [null, ...shape.slice(1)] });
    this.rebuild();
  }

  override call(inputs: Tensor | Tensor[], options: CallOptions = {}): LayerOutput {
    if (!this.graph) this.build((Array.isArray(inputs) ? inputs[0] : inputs).shape);
    return super.call(inputs, options);
  }
}
