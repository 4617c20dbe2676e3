/**
 * Embedding: maps int indices in [0, inputDim) to rows of a learned (inputDim, outputDim) matrix:
 * (batch, ...) -> (batch, ..., outputDim). With `maskZero`, index 0 is padding: `computeMask`
 * gives true where the index is not 0 (and inputDim must then count the padding index).
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import * as constraints from '../../constraints/index.js';
import type { TensorLike } from '../../ops/convert.js';
import * as ops from '../../ops/index.js';
import type { Variable } from '../../runtime/variable.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface EmbeddingArgs extends LayerArgs {
  /** The vocabulary size: indices go from 0 to inputDim - 1. */
  inputDim: number;
  /** The size of each embedding vector. */
  outputDim: number;
  /** Default 'uniform' (RandomUniform in [-0.05, 0.05]). */
  embeddingsInitializer?: initializers.InitializerIdentifier;
  embeddingsRegularizer?: regularizers.RegularizerIdentifier;
  embeddingsConstraint?: constraints.ConstraintIdentifier;
  /** Treat index 0 as padding and mask it. Default false. */
  maskZero?: boolean;
}

export class Embedding extends Layer<KerasTensor, Tensor> {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: initializers.InitializerIdentifier;
  readonly embeddingsRegularizer: regularizers.Regularizer | null;
  readonly embeddingsConstraint: constraints.Constraint | null;
  readonly maskZero: boolean;
  embeddings: Variable | undefined;

  constructor(args: EmbeddingArgs) {
    super(args ?? ({} as EmbeddingArgs));
    for (const key of ['inputDim', 'outputDim'] as const) {
      const v = args?.[key];
      if (!Number.isInteger(v) || (v as number) <= 0) {
        throw new RangeError(
          `Embedding: ${key} must be a positive integer (${key === 'inputDim' ? 'the vocabulary size' : 'the size of each vector'}); received ${key}=${JSON.stringify(v)}. ` +
            `Fix: e.g. new layers.Embedding({ inputDim: 1000, outputDim: 64 }).`,
        );
      }
    }
    this.inputDim = args.inputDim;
    this.outputDim = args.outputDim;
    this.embeddingsInitializer = args.embeddingsInitializer ?? 'uniform';
    initializers.get(this.embeddingsInitializer);
    this.embeddingsRegularizer = regularizers.get(args.embeddingsRegularizer);
    this.embeddingsConstraint = constraints.get(args.embeddingsConstraint);
    this.maskZero = args.maskZero ?? false;
  }

  override build(inputShape: SymbolicShape): void {
    void inputShape;
    this.embeddings = this.addWeight({ name: 'embeddings', shape: [this.inputDim, this.outputDim], initializer: this.embeddingsInitializer, regularizer: this.embeddingsRegularizer, constraint: this.embeddingsConstraint });
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    // take casts float indices itself, and checks their range on the given inputs (so a compiled step
    // can check each later batch before it runs).
    const indices = inputs.dtype === 'int32' || inputs.dtype === 'float32' ? inputs : ops.cast(inputs, 'int32');
    return ops.take(this.embeddings as Variable, indices, { axis: 0 });
  }

  /** Keras's compute_mask: null without maskZero, else true where the index is not 0. */
  override computeMask(inputs: TensorLike | Tensor[]): Tensor | null {
    if (!this.maskZero) return null;
    return ops.notEqual(ops.convertToTensor(inputs as TensorLike, this.name), 0);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape, this.outputDim];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      input_dim: this.inputDim,
      output_dim: this.outputDim,
      embeddings_initializer: initializers.serialize(initializers.get(this.embeddingsInitializer)),
      embeddings_regularizer: regularizers.serialize(this.embeddingsRegularizer),
      activity_regularizer: regularizers.serialize(this.activityRegularizer),
      embeddings_constraint: constraints.serialize(this.embeddingsConstraint),
      mask_zero: this.maskZero,
    };
  }
}
