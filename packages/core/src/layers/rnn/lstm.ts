/**
 * LSTM (Hochreiter & Schmidhuber, 1997) over a sequence (batch, timesteps, features), as Keras 3's
 * LSTM: an LSTMCell named `lstm_cell` run over time (weights `lstm/lstm_cell/kernel`,
 * `.../recurrent_kernel`, `.../bias`, gate order i, f, c, o). Gives the last output, or every
 * output with `returnSequences`, followed by the last h and c with `returnState`.
 *
 * ```ts
 * const seq = Input({ shape: [5, 4] });
 * new layers.LSTM({ units: 10 }).apply(seq);                            // [null, 10]
 * new layers.LSTM({ units: 10, returnSequences: true }).apply(seq);     // [null, 5, 10]
 * const [out, h, c] = new layers.LSTM({ units: 10, returnState: true }).apply(seq) as KerasTensor[];
 * ```
 */
import type * as activations from '../../activations/index.js';
import { InputSpec } from '../../engine/input_spec.js';
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type CallOptions } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import * as regularizers from '../../regularizers/index.js';
import { zeros } from '../../tensor/create.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import { SymbolicTensor } from '../../tensor/symbolic.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../runtime/variable.js';
import { LSTMCell, checkBoolean, type LSTMCellArgs } from './lstm_cell.js';
import { makeStateVariables, readStates, resetStateVariables, statefulBatchSize, storeStates } from './stateful.js';

export interface LSTMArgs extends LSTMCellArgs {
  /** Return every step's output (batch, timesteps, units) rather than the last (batch, units). */
  returnSequences?: boolean;
  /** Also return the last h and c: `[output, h, c]`. */
  returnState?: boolean;
  /** Process the sequence from its end; the returned sequence is in processing order (reversed), as in Keras. */
  goBackwards?: boolean;
  /**
   * Carry the last h and c of each batch into the next, as Keras. Needs a fixed batch size:
   * Input({ batchShape }), or batchInputShape / batchSize on the layer. `resetStates()` sets them back to zeros.
   */
  stateful?: boolean;
  /** Accepted for Keras parity; keras-ts always runs the steps as a loop of ops. Needs a known number of timesteps, as in Keras. */
  unroll?: boolean;
  /** With a mask, masked steps output zeros instead of the previous output. */
  zeroOutputForMask?: boolean;
}

export class LSTM extends Layer {
  readonly cell: LSTMCell;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  readonly zeroOutputForMask: boolean;
  /** A stateful layer's h and c (made at build, (batch, units) each); not weights. */
  private stateVariables: Variable[] | undefined;

  constructor(args: LSTMArgs) {
    super(args);
    if (!args || typeof args !== 'object') {
      throw new TypeError(`LSTM: expected an options object such as { units: 32 }, got ${JSON.stringify(args)}. Fix: new layers.LSTM({ units: 32 }).`);
    }
    this.returnSequences = checkBoolean(args.returnSequences ?? false, 'returnSequences', 'LSTM');
    this.returnState = checkBoolean(args.returnState ?? false, 'returnState', 'LSTM');
    this.goBackwards = checkBoolean(args.goBackwards ?? false, 'goBackwards', 'LSTM');
    this.stateful = checkBoolean(args.stateful ?? false, 'stateful', 'LSTM');
    this.unroll = checkBoolean(args.unroll ?? false, 'unroll', 'LSTM');
    this.zeroOutputForMask = checkBoolean(args.zeroOutputForMask ?? false, 'zeroOutputForMask', 'LSTM');
    // The cell is named as Keras names it, so the weights' paths are 'lstm/lstm_cell/kernel' etc.
    this.cell = new LSTMCell({ ...cellArgs(args), name: 'lstm_cell', dtype: this.dtype, trainable: this.trainable }, 'LSTM');
    this.inputSpec = new InputSpec({ ndim: 3 });
  }

  get units(): number {
    return this.cell.units;
  }
  get activation(): activations.NamedActivation {
    return this.cell.activation;
  }
  get recurrentActivation(): activations.NamedActivation {
    return this.cell.recurrentActivation;
  }
  get useBias(): boolean {
    return this.cell.useBias;
  }
  get unitForgetBias(): boolean {
    return this.cell.unitForgetBias;
  }
  get dropout(): number {
    return this.cell.dropout;
  }
  get recurrentDropout(): number {
    return this.cell.recurrentDropout;
  }

  override build(inputShape: SymbolicShape): void {
    const [batch, steps, features] = inputShape;
    if (this.unroll && steps === null) {
      throw new Error(
        `LSTM "${this.name}": cannot unroll an RNN whose time dimension is undefined (input ${formatShape(inputShape)}). ` +
          `Fix: give the Input a fixed number of timesteps, e.g. Input({ shape: [10, ${features ?? 'features'}] }), or leave unroll false.`,
      );
    }
    if (features === null) {
      throw new Error(`LSTM "${this.name}": the features axis of the input ${formatShape(inputShape)} must be known to make the kernel. Fix: give the Input a fixed last size, e.g. Input({ shape: [null, 8] }).`);
    }
    if (this.stateful && !this.stateVariables) {
      const size = statefulBatchSize(batch, inputShape, `LSTM "${this.name}"`);
      this.stateVariables = makeStateVariables(size, [this.units, this.units], this.name, this.dtype);
    }
    if (!this.cell.built) {
      this.cell.build([batch, features]);
      this.cell.built = true;
      for (const w of this.cell.weights) w.path = `${this.name}/${this.cell.name}/${w.name}`;
    }
    this.inputSpec = new InputSpec({ ndim: 3, axes: { [-1]: features } });
    this.built = true;
  }

  /** A stateful layer's state variables [h, c] (undefined until built, or when not stateful). */
  get states(): Variable[] | undefined {
    return this.stateVariables ? [...this.stateVariables] : undefined;
  }

  /** Sets a stateful layer's h and c back to zeros, or to `states` ([h, c], each (batch, units)). */
  resetStates(states?: Tensor[]): void {
    resetStateVariables(this.stateVariables, states, `LSTM "${this.name}"`);
  }

  call(inputs: Tensor, options: CallOptions = {}): Tensor | Tensor[] {
    const [batch, steps, features] = inputs.shape;
    if (steps === 0) {
      throw new Error(`LSTM "${this.name}": the input ${formatShape(inputs.shape)} has no timesteps. Expected (batch, timesteps, features) with at least one timestep.`);
    }
    const where = `LSTM "${this.name}"`;
    const states = options.initialState as Tensor[] | undefined;
    if (states !== undefined) this.cell.checkStates(states.map((s) => s.shape), batch, where);
    const kept = this.stateful && !(inputs instanceof SymbolicTensor) ? this.stateVariables : undefined;
    let [h, c] = states ?? (kept ? readStates(kept, batch, where) : [zeros([batch, this.units]), zeros([batch, this.units])]);
    const masks = this.cell.dropoutMasks(batch, features, options.training === true);
    const stepMasks = this.timestepMasks(options.mask, batch, steps, where);

    const xs = (steps === 1 ? [inputs] : ops.split(inputs, steps, { axis: 1 })).map((x) => ops.reshape(x, [batch, features]));
    const order = Array.from({ length: steps }, (_, s) => (this.goBackwards ? steps - 1 - s : s));
    const outputs: Tensor[] = [];
    let previous: Tensor | undefined;
    for (const t of order) {
      const [hNext, cNext] = this.cell.step(xs[t], h, c, masks);
      const keep = stepMasks?.[t];
      if (keep) {
        // A masked step keeps the states and repeats the previous output (zeros with zeroOutputForMask), as Keras's rnn.
        previous ??= zeros([batch, this.units]);
        const output = ops.where(keep, hNext, this.zeroOutputForMask ? 0 : previous);
        h = ops.where(keep, hNext, h);
        c = ops.where(keep, cNext, c);
        previous = output;
        outputs.push(output);
      } else {
        [h, c] = [hNext, cNext];
        outputs.push(hNext);
      }
    }
    if (kept) storeStates(kept, [h, c]);
    const output = this.returnSequences ? ops.stack(outputs, { axis: 1 }) : outputs[outputs.length - 1];
    return this.returnState ? [output, h, c] : output;
  }

  /** A (batch, timesteps) mask as one (batch, 1) bool tensor per step, or undefined without a mask. */
  private timestepMasks(mask: unknown, batch: number, steps: number, where: string): Tensor[] | undefined {
    if (mask === null || mask === undefined) return undefined;
    const m = mask as Tensor;
    if (typeof m !== 'object' || !Array.isArray(m.shape)) {
      throw new TypeError(`${where}: mask must be a tensor of shape ${formatShape([batch, steps])}. Fix: pass a bool tensor, true where a timestep is used.`);
    }
    if (m.shape.length !== 2 || m.shape[0] !== batch || m.shape[1] !== steps) {
      throw new Error(
        `${where}: the mask has shape ${formatShape(m.shape)}, but it must be (batch, timesteps) = ${formatShape([batch, steps])}. ` +
          `Fix: pass one bool per example and timestep, true where the timestep is used.`,
      );
    }
    const bool = m.dtype === 'bool' ? m : ops.notEqual(m, 0);
    return (steps === 1 ? [bool] : ops.split(bool, steps, { axis: 1 })).map((s) => ops.reshape(s, [batch, 1]));
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] | Dim[][] {
    const [batch, steps] = inputShape;
    const output: Dim[] = this.returnSequences ? [batch, steps, this.units] : [batch, this.units];
    return this.returnState ? [output, [batch, this.units], [batch, this.units]] : output;
  }

  /** Checks symbolic initial states when the graph is built, so a wrong state shape is reported there. */
  protected override computeOutputSpec(inputShape: SymbolicShape | SymbolicShape[], inputs: readonly KerasTensor[], options: CallOptions): SymbolicTensor | SymbolicTensor[] {
    const states = options.initialState;
    if (states !== undefined) {
      const shape = inputShape as SymbolicShape;
      this.cell.checkStates(Array.isArray(states) ? states.map((s) => s.shape) : undefined, shape[0], `LSTM "${this.name}"`);
    }
    return super.computeOutputSpec(inputShape, inputs, options);
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    const rank = shape.length;
    if (rank === 2) {
      const n = shape[1];
      const values = n === null ? 'a variable number of values' : `${n} values`;
      const size = n === null ? 'null' : String(n);
      return (
        `LSTM expects (batch, timesteps, features), but each example here is a flat vector of ${values} (the first axis is the batch axis). ` +
        `Fix: if they are timesteps of one feature each, use Input({ shape: [${size}, 1] }) and reshape the data to (batch, ${n ?? 'timesteps'}, 1); ` +
        `if they are the features of a single timestep, use Input({ shape: [1, ${size}] }).`
      );
    }
    if (rank < 2) {
      return `LSTM expects (batch, timesteps, features); the first axis is the batch axis, even for one example. Fix: add the batch axis (e.g. ops.expandDims(x, 0)) and a features axis.`;
    }
    if (rank > 3) {
      const perExample = shape.slice(1);
      const rest = perExample.slice(1);
      const flat = rest.some((d) => d === null) ? 'features' : String(rest.reduce((a, b) => (a as number) * (b as number), 1));
      return (
        `LSTM expects (batch, timesteps, features), but each example here has ${rank - 1} axes ${formatShape(perExample)}. ` +
        `Fix: merge the axes after the timesteps into one features axis, e.g. reshape to (batch, ${perExample[0] ?? 'timesteps'}, ${flat}) and use Input({ shape: [${perExample[0] ?? 'null'}, ${flat}] }).`
      );
    }
    const expected = this.cell.kernel?.shape[0];
    return expected !== undefined
      ? `This LSTM was built for ${expected} features per timestep; it cannot take ${shape[2]}. Fix: use a new LSTM layer, or feed it inputs whose last axis is ${expected}.`
      : undefined;
  }

  override getConfig(): Record<string, unknown> {
    const cell = this.cell.getConfig();
    return {
      ...super.getConfig(),
      return_sequences: this.returnSequences,
      return_state: this.returnState,
      go_backwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      zero_output_for_mask: this.zeroOutputForMask,
      units: cell.units,
      activation: cell.activation,
      recurrent_activation: cell.recurrent_activation,
      use_bias: cell.use_bias,
      kernel_initializer: cell.kernel_initializer,
      recurrent_initializer: cell.recurrent_initializer,
      bias_initializer: cell.bias_initializer,
      unit_forget_bias: cell.unit_forget_bias,
      kernel_regularizer: cell.kernel_regularizer,
      recurrent_regularizer: cell.recurrent_regularizer,
      bias_regularizer: cell.bias_regularizer,
      activity_regularizer: regularizers.serialize(this.activityRegularizer),
      kernel_constraint: cell.kernel_constraint,
      recurrent_constraint: cell.recurrent_constraint,
      bias_constraint: cell.bias_constraint,
      dropout: cell.dropout,
      recurrent_dropout: cell.recurrent_dropout,
      seed: cell.seed,
    };
  }
}

/** The cell's share of the LSTM's arguments. */
function cellArgs(args: LSTMArgs): LSTMCellArgs {
  const keys = [
    'units', 'activation', 'recurrentActivation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer', 'unitForgetBias', 'dropout', 'recurrentDropout', 'seed',
    'kernelRegularizer', 'recurrentRegularizer', 'biasRegularizer', 'kernelConstraint', 'recurrentConstraint', 'biasConstraint',
  ] as const;
  const out: Record<string, unknown> = {};
  for (const key of keys) if (args[key] !== undefined) out[key] = args[key];
  return out as unknown as LSTMCellArgs;
}
