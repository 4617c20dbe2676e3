/**
 * MultiHeadAttention (Vaswani et al., 2017), as Keras 3's MultiHeadAttention. Takes `[query, value]`
 * or `[query, value, key]` (key defaults to value), each (batch, T, dim). Weights as Keras 3 names
 * them: `<layer>/query/kernel` (dim_q, heads, keyDim) and `/query/bias` (heads, keyDim), the same for
 * `key` and `value` (valueDim), and `<layer>/attention_output/kernel` (heads, valueDim, out) with
 * `/attention_output/bias` (out), where out is `outputShape` or the query's last size.
 * Call options: `attentionMask` (bool (batch, Tq, Tv)), `queryMask`, `valueMask`, `keyMask` (or `mask: [q, v, k]`),
 * `useCausalMask`, `returnAttentionScores` (gives `[output, scores (batch, heads, Tq, Tv)]`), `training`.
 */
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import * as constraints from '../../constraints/index.js';
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type CallOptions, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import { dropout as randomDropout } from '../../random/random.js';
import { SeedGenerator, checkSeed } from '../../random/seed_generator.js';
import type { Variable } from '../../runtime/variable.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import { SymbolicTensor } from '../../tensor/symbolic.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkBoolean, checkRate } from '../rnn/lstm_cell.js';
import { asBool, causalMask, maskOf, maskedSoftmax } from './attention.js';

export interface MultiHeadAttentionArgs extends LayerArgs {
  numHeads: number;
  /** Size of each head for query and key. */
  keyDim: number;
  /** Size of each head for value; keyDim when left out. */
  valueDim?: number | null;
  /** Fraction of the attention weights dropped (training only), in [0, 1). */
  dropout?: number;
  useBias?: boolean;
  /** The output's last size; the query's last size when left out. */
  outputShape?: number | readonly number[] | null;
  /** Only the default (null: attend over the timesteps axis) is supported. */
  attentionAxes?: number | readonly number[] | null;
  /** Accepted for Keras parity (null or false); keras-ts computes attention with plain ops. */
  flashAttention?: boolean | null;
  kernelInitializer?: initializers.InitializerIdentifier;
  biasInitializer?: initializers.InitializerIdentifier;
  kernelRegularizer?: regularizers.RegularizerIdentifier;
  biasRegularizer?: regularizers.RegularizerIdentifier;
  kernelConstraint?: constraints.ConstraintIdentifier;
  biasConstraint?: constraints.ConstraintIdentifier;
  seed?: number | null;
}

function positiveInteger(value: unknown, name: string): number {
  if (!Number.isInteger(value) || (value as number) <= 0) {
    throw new Error(`MultiHeadAttention: ${name} must be a positive integer, got ${JSON.stringify(value)}. Fix: e.g. new layers.MultiHeadAttention({ numHeads: 2, keyDim: 16 }).`);
  }
  return value as number;
}

interface Projection {
  kernel: Variable;
  bias?: Variable;
}

export class MultiHeadAttention extends Layer {
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  /** The `outputShape` argument: the output's last size, or null for the query's (Layer.outputShape is the graph's). */
  readonly outputSize: number | null;
  readonly kernelInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  readonly kernelRegularizer: regularizers.Regularizer | null;
  readonly biasRegularizer: regularizers.Regularizer | null;
  readonly kernelConstraint: constraints.Constraint | null;
  readonly biasConstraint: constraints.Constraint | null;
  readonly seed: number | null;
  readonly seedGenerator: SeedGenerator;
  private readonly valueDimGiven: boolean;
  private projections: Record<'query' | 'key' | 'value' | 'attention_output', Projection> | undefined;

  constructor(args: MultiHeadAttentionArgs) {
    super(args);
    if (!args || typeof args !== 'object') {
      throw new TypeError(`MultiHeadAttention: expected an options object such as { numHeads: 2, keyDim: 16 }, got ${JSON.stringify(args)}.`);
    }
    this.numHeads = positiveInteger(args.numHeads, 'numHeads');
    this.keyDim = positiveInteger(args.keyDim, 'keyDim');
    this.valueDimGiven = args.valueDim !== undefined && args.valueDim !== null;
    this.valueDim = this.valueDimGiven ? positiveInteger(args.valueDim, 'valueDim') : this.keyDim;
    this.dropout = checkRate(args.dropout ?? 0, 'dropout', 'MultiHeadAttention');
    this.useBias = checkBoolean(args.useBias ?? true, 'useBias', 'MultiHeadAttention');
    const out = args.outputShape;
    if (out === undefined || out === null) this.outputSize = null;
    else if (Array.isArray(out) && out.length === 1) this.outputSize = positiveInteger(out[0], 'outputShape');
    else if (typeof out === 'number') this.outputSize = positiveInteger(out, 'outputShape');
    else throw new Error(`MultiHeadAttention: outputShape must be a positive integer (or [n]), got ${JSON.stringify(out)}; several output axes are not supported yet in keras-ts.`);
    const axes = args.attentionAxes;
    if (axes !== undefined && axes !== null && !(axes === 1 || (Array.isArray(axes) && axes.length === 1 && axes[0] === 1))) {
      throw new Error(`MultiHeadAttention: attentionAxes ${JSON.stringify(axes)} is not supported yet in keras-ts; only null (attend over the timesteps axis, 1) is. Fix: leave attentionAxes out.`);
    }
    if (args.flashAttention === true) throw new Error('MultiHeadAttention: flashAttention true is not supported in keras-ts. Fix: leave it out (null).');
    this.kernelInitializer = initializers.get(args.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = initializers.get(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = regularizers.get(args.kernelRegularizer);
    this.biasRegularizer = regularizers.get(args.biasRegularizer);
    this.kernelConstraint = constraints.get(args.kernelConstraint);
    this.biasConstraint = constraints.get(args.biasConstraint);
    this.seed = args.seed === undefined || args.seed === null ? null : checkSeed(args.seed, 'MultiHeadAttention');
    this.seedGenerator = new SeedGenerator(this.seed);
  }

  private shapesOf(inputShape: SymbolicShape | SymbolicShape[]): [SymbolicShape, SymbolicShape, SymbolicShape] {
    const list = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as SymbolicShape[];
    if (list.length !== 2 && list.length !== 3) {
      throw new Error(`MultiHeadAttention "${this.name}": inputs must be [query, value] or [query, value, key], got ${list.length} input(s). Fix: layer.apply([query, value]); for self-attention layer.apply([x, x]).`);
    }
    const [q, v, k = v] = list;
    if (q.length !== 3 || v.length !== 3 || k.length !== 3) {
      throw new Error(`MultiHeadAttention "${this.name}": query, value and key must be (batch, timesteps, dim), got ${[q, v, k].map((s) => formatShape(s)).join(', ')}.`);
    }
    if (v[1] !== null && k[1] !== null && v[1] !== k[1]) {
      throw new Error(`MultiHeadAttention "${this.name}": value and key must have the same number of timesteps, got ${formatShape(v)} and ${formatShape(k)}.`);
    }
    return [q, v, k];
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const [q, v, k] = this.shapesOf(inputShape);
    const dims = [q[2], k[2], v[2]];
    if (dims.some((d) => d === null)) throw new Error(`MultiHeadAttention "${this.name}": the last axes of query, value and key must be known, got ${[q, v, k].map((s) => formatShape(s)).join(', ')}.`);
    const [dq, dk, dv] = dims as number[];
    const h = this.numHeads;
    const make = (name: string, kernelShape: number[], biasShape: number[]): Projection => {
      const kernel = this.addWeight({ name: 'kernel', shape: kernelShape, initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
      kernel.path = `${this.name}/${name}/kernel`;
      let bias: Variable | undefined;
      if (this.useBias) {
        bias = this.addWeight({ name: 'bias', shape: biasShape, initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
        bias.path = `${this.name}/${name}/bias`;
      }
      return { kernel, bias };
    };
    const out = this.outputSize ?? dq;
    this.projections = {
      query: make('query', [dq, h, this.keyDim], [h, this.keyDim]),
      key: make('key', [dk, h, this.keyDim], [h, this.keyDim]),
      value: make('value', [dv, h, this.valueDim], [h, this.valueDim]),
      attention_output: make('attention_output', [h, this.valueDim, out], [out]),
    };
    this.built = true;
  }

  /** x (batch, T, d) projected to (batch, heads, T, size). */
  private project(x: Tensor, p: Projection, size: number): Tensor {
    const [batch, steps, d] = x.shape;
    const h = this.numHeads;
    let y = ops.matmul(x, ops.reshape(p.kernel, [d, h * size]));
    if (p.bias) y = ops.add(y, ops.reshape(p.bias, [h * size]));
    return ops.transpose(ops.reshape(y, [batch, steps, h, size]), { axes: [0, 2, 1, 3] });
  }

  call(inputs: Tensor | Tensor[], options: CallOptions = {}): Tensor | Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    this.shapesOf(list.map((t) => t.shape));
    const [query, value, key = value] = list;
    const p = this.projections as NonNullable<typeof this.projections>;
    const [batch, tq] = query.shape;
    const tv = value.shape[1];
    const h = this.numHeads;
    const q = ops.multiply(this.project(query, p.query, this.keyDim), 1 / Math.sqrt(this.keyDim));
    const k = this.project(key, p.key, this.keyDim);
    const v = this.project(value, p.value, this.valueDim);
    const scores = ops.matmul(q, ops.transpose(k, { axes: [0, 1, 3, 2] })); // (batch, heads, Tq, Tv)
    const mask = this.attentionMask(options, batch, tq, tv);
    let weights = maskedSoftmax(scores, mask ? ops.expandDims(mask, 1) : undefined);
    const returned = weights;
    if (options.training === true && this.dropout > 0) weights = randomDropout(weights, this.dropout, { seed: this.seedGenerator });
    const attended = ops.reshape(ops.transpose(ops.matmul(weights, v), { axes: [0, 2, 1, 3] }), [batch, tq, h * this.valueDim]);
    const outSize = p.attention_output.kernel.shape[2];
    let output = ops.matmul(attended, ops.reshape(p.attention_output.kernel, [h * this.valueDim, outSize]));
    if (p.attention_output.bias) output = ops.add(output, p.attention_output.bias);
    return options.returnAttentionScores === true ? [output, returned] : output;
  }

  /** The (batch, Tq, Tv) bool mask from attentionMask, the query/value/key masks and useCausalMask, as Keras combines them. */
  private attentionMask(options: CallOptions, batch: number, tq: number, tv: number): Tensor | undefined {
    const where = `MultiHeadAttention "${this.name}"`;
    const masks = (Array.isArray(options.mask) ? options.mask : []) as unknown[];
    const check = (m: Tensor, name: string, expected: number[]): Tensor => {
      if (m.shape.length !== expected.length || m.shape.some((d, i) => d !== expected[i] && !(i === 0 && d === 1))) {
        throw new Error(`${where}: ${name} has shape ${formatShape(m.shape)}, but it must be ${formatShape(expected)}.`);
      }
      return asBool(m);
    };
    let mask: Tensor | undefined;
    const and = (m: Tensor): void => {
      mask = mask ? ops.logicalAnd(mask, m) : m;
    };
    const queryMask = maskOf(options.queryMask ?? masks[0]);
    const valueMask = maskOf(options.valueMask ?? masks[1]);
    const keyMask = maskOf(options.keyMask ?? masks[2]);
    if (queryMask) and(ops.expandDims(check(queryMask, 'the query mask', [batch, tq]), -1));
    if (valueMask) and(ops.expandDims(check(valueMask, 'the value mask', [batch, tv]), -2));
    if (keyMask) and(ops.expandDims(check(keyMask, 'the key mask', [batch, tv]), -2));
    if (checkBoolean(options.useCausalMask ?? false, 'useCausalMask', where)) and(causalMask(tq, tv));
    const given = maskOf(options.attentionMask);
    if (given) and(check(given, 'attentionMask', [batch, tq, tv]));
    return mask;
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): Dim[] {
    const [q] = this.shapesOf(inputShape);
    return [q[0], q[1], this.outputSize ?? q[2]];
  }

  protected override computeOutputSpec(inputShape: SymbolicShape | SymbolicShape[], inputs: readonly KerasTensor[], options: CallOptions): SymbolicTensor | SymbolicTensor[] {
    const out = new SymbolicTensor(this.computeOutputShape(inputShape), this.dtype);
    if (options.returnAttentionScores !== true) return out;
    const [q, v] = this.shapesOf(inputShape);
    return [out, new SymbolicTensor([q[0], this.numHeads, q[1], v[1]], this.dtype)];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      num_heads: this.numHeads,
      key_dim: this.keyDim,
      value_dim: this.valueDimGiven ? this.valueDim : null,
      dropout: this.dropout,
      use_bias: this.useBias,
      output_shape: this.outputSize,
      attention_axes: null,
      kernel_initializer: initializers.serialize(this.kernelInitializer),
      bias_initializer: initializers.serialize(this.biasInitializer),
      kernel_regularizer: regularizers.serialize(this.kernelRegularizer),
      bias_regularizer: regularizers.serialize(this.biasRegularizer),
      activity_regularizer: regularizers.serialize(this.activityRegularizer),
      kernel_constraint: constraints.serialize(this.kernelConstraint),
      bias_constraint: constraints.serialize(this.biasConstraint),
      seed: this.seed,
    };
  }
}
