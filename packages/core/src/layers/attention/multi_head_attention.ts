/**
 * MultiHeadAttention (Vaswani et al., 2017), as Keras 3's MultiHeadAttention. Takes `[query, value]`
 * or `[query, value, key]` (key defaults to value), each (batch, T, dim), or of any higher rank
 * (batch, <axes>, dim) with `attentionAxes` naming the axes attended over (all but the batch and
 * the last by default; the scores are normalized jointly over the key's); `outputShape` may name
 * several output axes. Weights as Keras 3 names
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
import { attentionEquations, projectionEquation } from './attention_equations.js';

/** Softmax over the last `count` axes jointly (masked where `mask`, broadcast to the scores, is false). */
function softmaxOverLast(scores: Tensor, count: number, mask: Tensor | undefined): Tensor {
  if (count === 1) return maskedSoftmax(scores, mask);
  const shape = scores.shape;
  const flat = [...shape.slice(0, -count), shape.slice(-count).reduce((a, b) => a * b, 1)];
  const flatMask = mask === undefined ? undefined : ops.reshape(ops.broadcastTo(mask, shape), flat);
  return ops.reshape(maskedSoftmax(ops.reshape(scores, flat), flatMask), shape);
}

export interface MultiHeadAttentionArgs extends LayerArgs {
  numHeads: number;
  /** Size of each head for query and key. */
  keyDim: number;
  /** Size of each head for value; keyDim when left out. */
  valueDim?: number | null;
  /** Fraction of the attention weights dropped (training only), in [0, 1). */
  dropout?: number;
  useBias?: boolean;
  /** The output's last axis size, or sizes of several last axes; the query's last size when left out. */
  outputShape?: number | readonly number[] | null;
  /** The axes attended over (of the inputs, without the batch and the last); all of them when null. */
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
  /** The `outputShape` argument as a list of the output's last axes, or null for the query's last size. */
  readonly outputDims: readonly number[] | null;
  /** The `attentionAxes` argument as a list, or null for every axis but the batch and the last. */
  readonly attentionAxes: readonly number[] | null;
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
    if (out === undefined || out === null) this.outputDims = null;
    else if (typeof out === 'number') this.outputDims = [positiveInteger(out, 'outputShape')];
    else if (Array.isArray(out) && out.length > 0) this.outputDims = out.map((d) => positiveInteger(d, 'outputShape'));
    else throw new Error(`MultiHeadAttention: outputShape must be a positive integer or a list of them, got ${JSON.stringify(out)}. Fix: e.g. outputShape: 64.`);
    const axes = args.attentionAxes;
    if (axes === undefined || axes === null) this.attentionAxes = null;
    else {
      const list = typeof axes === 'number' ? [axes] : Array.isArray(axes) ? axes : [];
      if (list.length === 0 || list.some((a) => !Number.isInteger(a) || a === 0)) {
        throw new Error(`MultiHeadAttention: attentionAxes must be a nonzero integer or a list of them (axes of the inputs other than the batch), got ${JSON.stringify(axes)}. Fix: e.g. attentionAxes: [1, 2] for images.`);
      }
      this.attentionAxes = [...list];
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
    if (q.length < 3 || v.length !== q.length || k.length !== q.length) {
      throw new Error(`MultiHeadAttention "${this.name}": query, value and key must be (batch, timesteps, dim), or all of one higher rank (batch, <axes>, dim), got ${[q, v, k].map((s) => formatShape(s)).join(', ')}.`);
    }
    if (v.slice(1, -1).some((d, i) => d !== null && k[i + 1] !== null && d !== k[i + 1])) {
      throw new Error(`MultiHeadAttention "${this.name}": value and key must have the same number of timesteps, got ${formatShape(v)} and ${formatShape(k)}.`);
    }
    return [q, v, k];
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const [q, v, k] = this.shapesOf(inputShape);
    const dims = [q[q.length - 1], k[k.length - 1], v[v.length - 1]];
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
    // Bad attentionAxes are an error here, when the model is built, not at the first call.
    this.attendedAxes(q.length);
    const out = this.outputDims ?? [dq];
    this.projections = {
      query: make('query', [dq, h, this.keyDim], [h, this.keyDim]),
      key: make('key', [dk, h, this.keyDim], [h, this.keyDim]),
      value: make('value', [dv, h, this.valueDim], [h, this.valueDim]),
      attention_output: make('attention_output', [h, this.valueDim, ...out], [...out]),
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
    if (this.isGeneral(query.rank)) return this.attendOverAxes(query, value, key, p, options);
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
    return [...q.slice(0, -1), ...(this.outputDims ?? [q[q.length - 1]])];
  }

  protected override computeOutputSpec(inputShape: SymbolicShape | SymbolicShape[], inputs: readonly KerasTensor[], options: CallOptions): SymbolicTensor | SymbolicTensor[] {
    const out = new SymbolicTensor(this.computeOutputShape(inputShape), this.dtype);
    if (options.returnAttentionScores !== true) return out;
    const [q, v] = this.shapesOf(inputShape);
    if (!this.isGeneral(q.length)) return [out, new SymbolicTensor([q[0], this.numHeads, q[1], v[1]], this.dtype)];
    // (<batch axes>, <query attention axes>, <key attention axes>), the batch axes holding the heads.
    const axes = this.attendedAxes(q.length);
    const projected = (s: SymbolicShape): Dim[] => [...s.slice(0, -1), this.numHeads, null];
    const [pq, pv] = [projected(q), projected(v)];
    const batchAxes = pq.map((_, i) => i).filter((i) => !axes.includes(i) && i !== pq.length - 1);
    return [out, new SymbolicTensor([...batchAxes.map((i) => pq[i]), ...axes.map((i) => pq[i]), ...axes.map((i) => pv[i])], this.dtype)];
  }

  /**
   * The attention axes of inputs of rank `inputRank`, in the projected tensors' coordinates (the
   * same numbers: the heads axis goes in before the last), negative ones counted from the input's end.
   */
  private attendedAxes(inputRank: number): number[] {
    if (this.attentionAxes === null) return Array.from({ length: inputRank - 2 }, (_, i) => i + 1);
    const axes = this.attentionAxes.map((a) => (a < 0 ? inputRank + a : a));
    if (axes.some((a) => a < 1 || a > inputRank - 2) || new Set(axes).size !== axes.length) {
      throw new Error(
        `MultiHeadAttention "${this.name}": attentionAxes ${JSON.stringify(this.attentionAxes)} must name distinct axes of the inputs between the batch and the last (1 to ${inputRank - 2} for rank ${inputRank}). Fix: e.g. attentionAxes: [${Array.from({ length: inputRank - 2 }, (_, i) => i + 1).join(', ')}].`,
      );
    }
    return axes;
  }

  /** Whether the call needs the einsum form: not the (batch, T, dim) attention over T with one output axis. */
  private isGeneral(inputRank: number): boolean {
    const axes = this.attendedAxes(inputRank);
    return inputRank !== 3 || axes.length !== 1 || axes[0] !== 1 || (this.outputDims !== null && this.outputDims.length !== 1);
  }

  /** Attention over `attentionAxes` of inputs of any rank, with Keras's einsum equations (attention_equations.ts). */
  private attendOverAxes(query: Tensor, value: Tensor, key: Tensor, p: Record<'query' | 'key' | 'value' | 'attention_output', Projection>, options: CallOptions): Tensor | Tensor[] {
    const where = `MultiHeadAttention "${this.name}"`;
    const masks = Array.isArray(options.mask) ? options.mask : [];
    if ([options.queryMask, options.valueMask, options.keyMask, ...masks].some((m) => m !== undefined && m !== null) || options.useCausalMask === true) {
      throw new Error(`${where}: query, value and key masks and useCausalMask apply to (batch, timesteps, dim) inputs attending over the timesteps; with attentionAxes or inputs of rank ${query.rank}, pass attentionMask. Fix: build the mask and pass it as attentionMask.`);
    }
    const rank = query.rank + 1;
    const axes = this.attendedAxes(query.rank);
    const equations = attentionEquations(rank, axes);
    const project = (x: Tensor, projection: Projection): Tensor => {
      const y = ops.einsum(projectionEquation(x.rank - 1, 1, 2), x, projection.kernel);
      return projection.bias ? ops.add(y, projection.bias) : y;
    };
    const q = ops.multiply(project(query, p.query), 1 / Math.sqrt(this.keyDim));
    const k = project(key, p.key);
    const v = project(value, p.value);
    const scores = ops.einsum(equations.dot, k, q);
    let mask = maskOf(options.attentionMask);
    if (mask !== undefined) {
      // As Keras: size-1 axes go in before the query's attention axes (where the heads are) until the ranks agree.
      if (mask.rank > scores.rank) {
        throw new Error(`${where}: attentionMask has shape ${formatShape(mask.shape)}, more axes than the scores ${formatShape(scores.shape)}. Fix: pass a mask of shape (batch, <query attention axes>, <key attention axes>).`);
      }
      mask = asBool(mask);
      while (mask.rank < scores.rank) mask = ops.expandDims(mask, -2 * axes.length - 1);
    }
    let weights = softmaxOverLast(scores, axes.length, mask);
    const returned = weights;
    if (options.training === true && this.dropout > 0) weights = randomDropout(weights, this.dropout, { seed: this.seedGenerator });
    const attended = ops.einsum(equations.combine, weights, v);
    const outputAxes = p.attention_output.kernel.shape.length - 2;
    let output = ops.einsum(projectionEquation(attended.rank - 2, 2, outputAxes), attended, p.attention_output.kernel);
    if (p.attention_output.bias) output = ops.add(output, p.attention_output.bias);
    return options.returnAttentionScores === true ? [output, returned] : output;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      num_heads: this.numHeads,
      key_dim: this.keyDim,
      value_dim: this.valueDimGiven ? this.valueDim : null,
      dropout: this.dropout,
      use_bias: this.useBias,
      output_shape: this.outputDims === null ? null : this.outputDims.length === 1 ? this.outputDims[0] : [...this.outputDims],
      attention_axes: this.attentionAxes === null ? null : [...this.attentionAxes],
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
