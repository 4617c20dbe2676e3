/**
 * Rescaling: `inputs · scale + offset`, e.g. scale 1/255 maps [0, 255] pixels to [0, 1].
 * The shape is unchanged; the output has the layer's dtype.
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface RescalingArgs extends LayerArgs {
  /** The factor every value is multiplied by. */
  scale: number;
  /** Added after scaling; default 0. */
  offset?: number;
}

export class Rescaling extends Layer<KerasTensor, Tensor> {
  readonly scale: number;
  readonly offset: number;

  constructor(args: RescalingArgs) {
    super(args ?? {});
    if (typeof args?.scale !== 'number' || !Number.isFinite(args.scale)) {
      throw new Error(`Rescaling: scale must be a finite number, got ${JSON.stringify(args?.scale)}. Fix: new layers.Rescaling({ scale: 1 / 255 }).`);
    }
    const offset = args.offset ?? 0;
    if (typeof offset !== 'number' || !Number.isFinite(offset)) {
      throw new Error(`Rescaling: offset must be a finite number, got ${JSON.stringify(args.offset)}. Fix: leave it out for 0, or pass e.g. offset: -1.`);
    }
    this.scale = args.scale;
    this.offset = offset;
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    const x = ops.cast(inputs, this.dtype);
    return ops.add(ops.multiply(x, this.scale), this.offset);
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}
