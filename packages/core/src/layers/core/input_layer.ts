/**
 * InputLayer and Input: where a Keras graph starts. `Input({ shape: [10] })` is a KerasTensor of
 * shape [null, 10] (the batch axis first, unknown), made by an InputLayer.
 */
import { parseDType, type DType } from '../../tensor/dtype.js';
import { formatShape, type Dim } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer } from '../../engine/layer.js';
import { Node } from '../../engine/node.js';
import { uniqueName } from '../../engine/naming.js';

export interface InputLayerArgs {
  /** The shape of one example, without the batch axis (null for a size that varies). */
  shape?: readonly Dim[];
  /** The full shape, batch axis first. */
  batchShape?: readonly Dim[];
  batchSize?: number;
  dtype?: DType | string;
  name?: string;
  /** Keras 2 spellings, accepted when loading old configs. */
  inputShape?: readonly Dim[];
  batchInputShape?: readonly Dim[];
}

function checkDims(dims: readonly unknown[], what: string): Dim[] {
  if (!Array.isArray(dims) || dims.some((d) => d !== null && (!Number.isInteger(d) || (d as number) < 0))) {
    throw new TypeError(`Input: ${what} ${JSON.stringify(dims)} is not a list of non-negative integers (or null for an unknown size). Fix: pass e.g. { shape: [28, 28, 1] }.`);
  }
  return dims as Dim[];
}

export class InputLayer extends Layer<KerasTensor, Tensor> {
  readonly batchShape: Dim[];
  readonly inputDtype: DType;

  constructor(args: InputLayerArgs = {}) {
    const shape = args.shape ?? args.inputShape;
    const batchShape = args.batchShape ?? args.batchInputShape;
    if (shape !== undefined && batchShape !== undefined) {
      throw new Error(
        `Input: you passed both shape ${formatShape(checkDims(shape, 'shape'))} and batchShape ${formatShape(checkDims(batchShape, 'batchShape'))}. ` +
          `Expected only one: shape is one example's shape, batchShape includes the batch axis. Fix: keep one of them.`,
      );
    }
    if (shape === undefined && batchShape === undefined) {
      throw new Error('Input: you must pass a `shape` argument (the shape of one example, e.g. { shape: [10] }) or a `batchShape` (with the batch axis first).');
    }
    const full = batchShape !== undefined ? checkDims(batchShape, 'batchShape') : [args.batchSize ?? null, ...checkDims(shape as Dim[], 'shape')];
    super({ name: args.name ?? uniqueName('InputLayer'), dtype: 'float32' });
    this.batchShape = [...full];
    this.inputDtype = parseDType(args.dtype ?? 'float32', 'Input');
    this.built = true;
    const tensor = new KerasTensor(this.batchShape, this.inputDtype, this.name);
    new Node({ layer: this, inputTensors: [], outputTensors: [tensor] });
  }

  /** The KerasTensor this layer makes. */
  get outputTensor(): KerasTensor {
    return this.inboundNodes[0].outputTensors[0];
  }

  call(inputs: Tensor | Tensor[]): Tensor | Tensor[] {
    return inputs;
  }

  override getConfig(): Record<string, unknown> {
    return { batch_shape: [...this.batchShape], dtype: this.inputDtype, sparse: false, name: this.name };
  }
}

/**
 * Makes a KerasTensor to start a model from.
 *
 * ```ts
 * const x = Input({ shape: [10] });            // shape [null, 10]
 * const y = Input({ batchShape: [32, 10] });   // shape [32, 10]
 * ```
 */
export function Input(args: InputLayerArgs): KerasTensor {
  return new InputLayer(args).outputTensor;
}
