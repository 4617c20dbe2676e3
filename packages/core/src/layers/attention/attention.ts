/**
 * Attention: dot-product (Luong-style) attention, as Keras 3's Attention. Takes `[query, value]` or
 * `[query, value, key]` (key defaults to value): query (batch, Tq, dim), value (batch, Tv, dv), key
 * (batch, Tv, dim). scores = query · keyᵀ (scoreMode 'dot', times a learned scalar `scale` with useScale)
 * or concat_score_weight · Σ tanh(scale · (query + key)) (scoreMode 'concat'); the scores' softmax over
 * Tv weighs the values. Call options: `mask: [queryMask, valueMask]` (bool (batch, Tq) and (batch, Tv);
 * or the options `queryMask` and `valueMask`),
 * `useCausalMask` (a query step attends only to value steps up to its own), `returnAttentionScores`
 * (gives `[output, scores]`) and `training` (dropout of the attention weights).
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type CallOptions, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import { dropout as randomDropout } from '../../random/random.js';
import { SeedGenerator, checkSeed } from '../../random/seed_generator.js';
import type { Variable } from '../../runtime/variable.js';
import { tensor } from '../../tensor/create.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import { SymbolicTensor } from '../../tensor/symbolic.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkBoolean, checkRate } from '../rnn/lstm_cell.js';

export type ScoreMode = 'dot' | 'concat';

export interface AttentionArgs extends LayerArgs {
  /** Learn a scalar that scales the scores. */
  useScale?: boolean;
  /** 'dot' (default) or 'concat' (tanh of query + key, summed). */
  scoreMode?: ScoreMode;
  /** Fraction of the attention weights dropped (training only), in [0, 1). */
  dropout?: number;
  seed?: number | null;
}

/** A mask option: a tensor, or null / undefined for none. */
export function maskOf(value: unknown): Tensor | undefined {
  return value === null || value === undefined ? undefined : (value as Tensor);
}

export function asBool(mask: Tensor): Tensor {
  return mask.dtype === 'bool' ? mask : ops.notEqual(mask, 0);
}

/** A (1, tq, tv) bool mask, true where the query step may see the value step (row >= column). */
export function causalMask(tq: number, tv: number): Tensor {
  const data: boolean[] = [];
  for (let i = 0; i < tq; i++) for (let j = 0; j < tv; j++) data.push(i >= j);
  return tensor(data, [1, tq, tv], 'bool');
}

/** Softmax over the last axis with the masked scores pushed to -1e9 first, as Keras does. */
export function maskedSoftmax(scores: Tensor, mask: Tensor | undefined): Tensor {
  const s = mask ? ops.subtract(scores, ops.multiply(ops.cast(ops.logicalNot(mask), 'float32'), 1e9)) : scores;
  return ops.softmax(s, { axis: -1 });
}

export class Attention extends Layer {
  readonly useScale: boolean;
  readonly scoreMode: ScoreMode;
  readonly dropout: number;
  readonly seed: number | null;
  readonly seedGenerator: SeedGenerator;
  scale: Variable | undefined;
  concatScoreWeight: Variable | undefined;
  protected readonly where: string;

  constructor(args: AttentionArgs = {}, where = 'Attention') {
    super(args);
    if (!args || typeof args !== 'object') throw new TypeError(`${where}: expected an options object such as { useScale: true }, got ${JSON.stringify(args)}.`);
    this.where = where;
    this.useScale = checkBoolean(args.useScale ?? where === 'AdditiveAttention', 'useScale', where);
    const mode = args.scoreMode ?? 'dot';
    if (mode !== 'dot' && mode !== 'concat') {
      throw new Error(`${where}: scoreMode must be 'dot' or 'concat', got ${JSON.stringify(mode)}.`);
    }
    this.scoreMode = mode;
    this.dropout = checkRate(args.dropout ?? 0, 'dropout', where);
    this.seed = args.seed === undefined || args.seed === null ? null : checkSeed(args.seed, where);
    this.seedGenerator = new SeedGenerator(this.seed);
  }

  /** [query, value, key] shapes, checked: (batch, T, dim), value and key with the same Tv, query and key with the same dim. */
  protected shapesOf(inputShape: SymbolicShape | SymbolicShape[]): [SymbolicShape, SymbolicShape, SymbolicShape] {
    const list = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as SymbolicShape[];
    if (list.length !== 2 && list.length !== 3) {
      throw new Error(`${this.where} "${this.name}": inputs must be [query, value] or [query, value, key], got ${list.length} input(s). Fix: layer.apply([query, value]).`);
    }
    const [q, v, k = v] = list;
    if (q.length !== 3 || v.length !== 3 || k.length !== 3) {
      throw new Error(
        `${this.where} "${this.name}": query, value and key must be (batch, timesteps, dim), got ${[q, v, k].map((s) => formatShape(s)).join(', ')}.`,
      );
    }
    const dq = q[2];
    const dk = k[2];
    if (dq !== null && dk !== null && dq !== dk) {
      throw new Error(`${this.where} "${this.name}": query's last axis (${dq}) must equal key's (${dk}) to score them. Fix: project them to the same size, e.g. with a Dense layer.`);
    }
    if (v[1] !== null && k[1] !== null && v[1] !== k[1]) {
      throw new Error(`${this.where} "${this.name}": value and key must have the same number of timesteps, got ${formatShape(v)} and ${formatShape(k)}.`);
    }
    return [q, v, k];
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    this.shapesOf(inputShape);
    if (this.useScale) this.scale = this.addWeight({ name: 'scale', shape: [], initializer: 'ones' });
    if (this.scoreMode === 'concat') this.concatScoreWeight = this.addWeight({ name: 'concat_score_weight', shape: [], initializer: 'ones' });
    this.built = true;
  }

  /** Scores (batch, Tq, Tv) of query (batch, Tq, d) against key (batch, Tv, d). */
  protected scores(query: Tensor, key: Tensor): Tensor {
    if (this.scoreMode === 'dot') {
      const s = ops.matmul(query, ops.transpose(key, { axes: [0, 2, 1] }));
      return this.scale ? ops.multiply(s, this.scale) : s;
    }
    const q = ops.expandDims(query, -2); // (batch, Tq, 1, d)
    const k = ops.expandDims(key, -3); // (batch, 1, Tv, d)
    let sum = ops.add(q, k);
    if (this.scale) sum = ops.multiply(sum, this.scale);
    return ops.multiply(ops.sum(ops.tanh(sum), { axis: -1 }), this.concatScoreWeight as Variable);
  }

  call(inputs: Tensor | Tensor[], options: CallOptions = {}): Tensor | Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    this.shapesOf(list.map((t) => t.shape));
    const [query, value, key = value] = list;
    const masks = (Array.isArray(options.mask) ? options.mask : [undefined, options.mask]) as unknown[];
    const queryMask = maskOf(options.queryMask ?? masks[0]);
    const valueMask = maskOf(options.valueMask ?? masks[1]);
    const where = `${this.where} "${this.name}"`;
    const [batch, tq] = query.shape;
    const tv = value.shape[1];
    if (queryMask && (queryMask.shape.length !== 2 || queryMask.shape[0] !== batch || queryMask.shape[1] !== tq)) {
      throw new Error(`${where}: the query mask has shape ${formatShape(queryMask.shape)}, but it must be (batch, Tq) = ${formatShape([batch, tq])}.`);
    }
    if (valueMask && (valueMask.shape.length !== 2 || valueMask.shape[0] !== batch || valueMask.shape[1] !== tv)) {
      throw new Error(`${where}: the value mask has shape ${formatShape(valueMask.shape)}, but it must be (batch, Tv) = ${formatShape([batch, tv])}.`);
    }
    const causal = checkBoolean(options.useCausalMask ?? false, 'useCausalMask', where);
    const scores = this.scores(query, key);
    let mask = valueMask ? ops.expandDims(asBool(valueMask), -2) : undefined; // (batch, 1, Tv)
    if (causal) mask = mask ? ops.logicalAnd(mask, causalMask(tq, tv)) : causalMask(tq, tv);
    let weights = maskedSoftmax(scores, mask);
    if (options.training === true && this.dropout > 0) weights = randomDropout(weights, this.dropout, { seed: this.seedGenerator });
    let result = ops.matmul(weights, value);
    if (queryMask) result = ops.multiply(result, ops.expandDims(ops.cast(asBool(queryMask), 'float32'), -1));
    return options.returnAttentionScores === true ? [result, weights] : result;
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): Dim[] {
    const [q, v] = this.shapesOf(inputShape);
    return [q[0], q[1], v[2]];
  }

  protected override computeOutputSpec(inputShape: SymbolicShape | SymbolicShape[], inputs: readonly KerasTensor[], options: CallOptions): SymbolicTensor | SymbolicTensor[] {
    const out = new SymbolicTensor(this.computeOutputShape(inputShape), this.dtype);
    if (options.returnAttentionScores !== true) return out;
    const [q, v] = this.shapesOf(inputShape);
    return [out, new SymbolicTensor([q[0], q[1], v[1]], this.dtype)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), use_scale: this.useScale, score_mode: this.scoreMode, dropout: this.dropout, seed: this.seed };
  }
}
