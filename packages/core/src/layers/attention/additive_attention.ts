/**
 * AdditiveAttention: Bahdanau-style attention, as Keras 3's AdditiveAttention. Inputs and call
 * options as Attention's; the scores are Σ_d scale_d · tanh(query_d + key_d), with a learned vector
 * `scale` of the query's last size (useScale, the default) or 1.
 */
import type { LayerArgs } from '../../engine/layer.js';
import type { Variable } from '../../runtime/variable.js';
import type { SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as ops from '../../ops/index.js';
import { Attention } from './attention.js';

export interface AdditiveAttentionArgs extends LayerArgs {
  /** Learn a vector `scale` (default true). */
  useScale?: boolean;
  /** Fraction of the attention weights dropped (training only), in [0, 1). */
  dropout?: number;
  seed?: number | null;
}

export class AdditiveAttention extends Attention {
  constructor(args: AdditiveAttentionArgs = {}) {
    if (args && typeof args === 'object' && 'scoreMode' in args) {
      throw new Error(`AdditiveAttention: scoreMode is not an option (the scores are always additive), got ${JSON.stringify((args as { scoreMode: unknown }).scoreMode)}. Fix: leave it out, or use layers.Attention({ scoreMode }).`);
    }
    super({ ...args, scoreMode: 'dot' }, 'AdditiveAttention');
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const [q] = this.shapesOf(inputShape);
    const dim = q[2];
    if (dim === null) throw new Error(`AdditiveAttention "${this.name}": the query's last axis must be known to make the scale, got ${JSON.stringify(q)}.`);
    if (this.useScale) this.scale = this.addWeight({ name: 'scale', shape: [dim], initializer: 'glorot_uniform' });
    this.built = true;
  }

  protected override scores(query: Tensor, key: Tensor): Tensor {
    const q = ops.expandDims(query, -2); // (batch, Tq, 1, d)
    const k = ops.expandDims(key, -3); // (batch, 1, Tv, d)
    const t = ops.tanh(ops.add(q, k));
    return ops.sum(this.scale ? ops.multiply(t, this.scale as Variable) : t, { axis: -1 });
  }

  override getConfig(): Record<string, unknown> {
    const config = super.getConfig();
    delete config.score_mode;
    return config;
  }
}
