/**
 * RNN: runs a recurrent cell over a sequence (batch, timesteps, features), as Keras 3's RNN. The
 * cell is any layer with a `stateSize` (a number or a list, one per state) whose
 * `call(x, { initialState: states, training })` takes one step (batch, features) and returns the new
 * states (one tensor when there is one state); the step's output is the first new state.
 * LSTMCell, GRUCell and SimpleRNNCell work as they are (their dropout masks are drawn once per sequence).
 *
 * ```ts
 * const rnn = new layers.RNN({ cell: new layers.GRUCell({ units: 4 }), returnSequences: true });
 * rnn.apply(Input({ shape: [5, 3] }));   // [null, 5, 4]
 * ```
 */
import { InputSpec } from '../../engine/input_spec.js';
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type CallOptions, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import { zeros } from '../../tensor/create.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import { SymbolicTensor } from '../../tensor/symbolic.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../runtime/variable.js';
import { layerClass, serialize } from '../serialization.js';
import { dtypeFromConfig } from '../../saving/dtype_policy.js';
import { LSTMCell, checkBoolean } from './lstm_cell.js';
import { makeStateVariables, readStates, resetStateVariables, statefulBatchSize, storeStates } from './stateful.js';

export interface RNNBaseArgs extends LayerArgs {
  /** Return every step's output (batch, timesteps, units) rather than the last (batch, units). */
  returnSequences?: boolean;
  /** Also return the last states: `[output, ...states]`. */
  returnState?: boolean;
  /** Process the sequence from its end; the returned sequence is in processing order (reversed), as in Keras. */
  goBackwards?: boolean;
  /**
   * Carry the last states of each batch into the next (sample i of a batch continues sample i of the
   * previous one), as Keras. Needs a fixed batch size: Input({ batchShape }), or batchInputShape /
   * batchSize on the layer. `resetStates()` sets the states back to zeros.
   */
  stateful?: boolean;
  /** Accepted for Keras parity; keras-ts always runs the steps as a loop of ops. Needs a known number of timesteps, as in Keras. */
  unroll?: boolean;
  /** With a mask, masked steps output zeros instead of the previous output. */
  zeroOutputForMask?: boolean;
}

export interface RNNArgs extends RNNBaseArgs {
  /** The cell run at every step (a layer with `stateSize`), or a list of cells (stacked as StackedRNNCells). */
  cell: Layer | Layer[];
}

/** A cell that draws its dropout masks once per sequence and takes steps with them (GRUCell, SimpleRNNCell). */
export interface SteppingCell {
  dropoutMasks(batch: number, features: number, training: boolean): unknown;
  stepStates(x: Tensor, states: Tensor[], masks: unknown): Tensor[];
  /** The step's output from the new states; the first state when the cell does not say. */
  outputOf?(states: Tensor[]): Tensor;
}

type CellFactory = (config: Record<string, unknown>) => Layer;
const CELL_FACTORIES = new Map<string, CellFactory>();

/** Lets RNN.fromConfig rebuild cells of this class name (the built-in cells register themselves). */
export function registerCell(className: string, factory: CellFactory): void {
  CELL_FACTORIES.set(className, factory);
}

/** Serializes a cell (or a wrapped layer) as Keras 3 does: `{ module, class_name, config, registered_name }`. */
export function serializeCell(cell: Layer): Record<string, unknown> {
  return serialize(cell);
}

export function deserializeCell(value: unknown, where: string): Layer {
  if (value && typeof value === 'object' && 'class_name' in value) {
    const { class_name: className, config: given, registered_name: registeredName } = value as { class_name: string; config: Record<string, unknown>; registered_name?: unknown };
    const config = given && typeof given === 'object' && 'dtype' in given ? { ...given, dtype: dtypeFromConfig(given.dtype, String(given.name ?? className)) } : given;
    // A registered custom class is found by its registered name ('package>Name') first.
    const name = typeof registeredName === 'string' && layerClass(registeredName) ? registeredName : className;
    // Any layer class of the catalogue (or registered with registerLayerClass) can be rebuilt.
    const known = layerClass(name);
    const factory = CELL_FACTORIES.get(name) ?? (known ? (c: Record<string, unknown>) => known.fromConfig(c) : undefined);
    if (!factory) {
      throw new Error(`${where}: cannot rebuild a layer of class "${name}" from its config: it is not a keras-ts layer class. Fix: registerLayerClass('${name}', ${name}), or pass the layer object itself.`);
    }
    return factory(config);
  }
  return value as Layer;
}

/** The sizes of a cell's states: LSTMCell has [units, units]; other cells say `stateSize`. */
export function cellStateSizes(cell: Layer, where: string): number[] {
  if (cell instanceof LSTMCell) return [cell.units, cell.units];
  const size = (cell as unknown as { stateSize?: unknown }).stateSize;
  const sizes = typeof size === 'number' ? [size] : Array.isArray(size) ? (size as unknown[]) : undefined;
  if (!sizes || sizes.length === 0 || !sizes.every((s) => Number.isInteger(s) && (s as number) > 0)) {
    throw new TypeError(
      `${where}: the cell ${cell.constructor.name} "${cell.name}" must have a stateSize (a positive integer, or a list of them, one per state), got ${JSON.stringify(size)}. ` +
        `Fix: give the cell a property stateSize, e.g. stateSize = 8 for one state of 8 units.`,
    );
  }
  return sizes as number[];
}

/** The size of a cell's output: `outputSize` when it has one, else the first state's size. */
export function cellOutputSize(cell: Layer, where: string): number {
  const size = (cell as unknown as { outputSize?: unknown }).outputSize;
  return typeof size === 'number' ? size : cellStateSizes(cell, where)[0];
}

function isStepping(cell: Layer): cell is Layer & SteppingCell {
  const c = cell as unknown as Partial<SteppingCell>;
  return typeof c.dropoutMasks === 'function' && typeof c.stepStates === 'function';
}

/** One step function for a whole sequence: the dropout masks are drawn here, once. */
export function makeStepper(cell: Layer, batch: number, features: number, training: boolean): (x: Tensor, states: Tensor[]) => Tensor[] {
  if (cell instanceof LSTMCell) {
    const masks = cell.dropoutMasks(batch, features, training);
    return (x, [h, c]) => cell.step(x, h, c, masks);
  }
  if (isStepping(cell)) {
    const masks = cell.dropoutMasks(batch, features, training);
    return (x, states) => cell.stepStates(x, states, masks);
  }
  return (x, states) => {
    const out = cell.call(x, { initialState: states, training });
    return Array.isArray(out) ? out : [out];
  };
}

/** Builds a cell for steps of (batch, features) and names its weights `<layer>/<cell>/<weight>`. */
export function buildCell(cell: Layer, batch: Dim, features: number, owner: string): void {
  if (!cell.built) {
    cell.build([batch, features]);
    cell.built = true;
    // addWeight named them `<cell>/<weight>` (a stack of cells `<stack>/<cell>/<weight>`): prefix the owner.
    for (const w of cell.weights) w.path = `${owner}/${w.path}`;
  }
}

export class RNN extends Layer {
  readonly cell: Layer;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  readonly zeroOutputForMask: boolean;
  /** The class name used in errors ("RNN", "GRU", ...). */
  protected readonly where: string;
  /** A stateful layer's states (made at build, one (batch, size) variable per state); not weights. */
  private stateVariables: Variable[] | undefined;

  constructor(args: RNNArgs, where = 'RNN') {
    super(args);
    if (!args || typeof args !== 'object') {
      throw new TypeError(`${where}: expected an options object such as { units: 32 }, got ${JSON.stringify(args)}.`);
    }
    this.where = where;
    rejectCellArguments(args, where);
    this.returnSequences = checkBoolean(args.returnSequences ?? false, 'returnSequences', where);
    this.returnState = checkBoolean(args.returnState ?? false, 'returnState', where);
    this.goBackwards = checkBoolean(args.goBackwards ?? false, 'goBackwards', where);
    this.stateful = checkBoolean(args.stateful ?? false, 'stateful', where);
    this.unroll = checkBoolean(args.unroll ?? false, 'unroll', where);
    this.zeroOutputForMask = checkBoolean(args.zeroOutputForMask ?? false, 'zeroOutputForMask', where);
    let cell: Layer;
    if (Array.isArray(args.cell)) {
      const stacked = CELL_FACTORIES.get('StackedRNNCells');
      if (!stacked) throw new Error(`${where}: a list of cells needs StackedRNNCells. Fix: pass new layers.StackedRNNCells({ cells }).`);
      cell = stacked({ cells: args.cell });
    } else {
      cell = deserializeCell(args.cell, where);
    }
    if (!(cell instanceof Layer)) {
      throw new TypeError(`${where}: cell must be a layer with a stateSize and call(x, { initialState }), e.g. new layers.GRUCell({ units: 4 }), got ${typeof cell === 'object' ? JSON.stringify(cell) : String(cell)}.`);
    }
    cellStateSizes(cell, where);
    this.cell = cell;
    this.inputSpec = new InputSpec({ ndim: 3 });
  }

  /** The sizes of the states, one per state. */
  get stateSize(): number[] {
    return cellStateSizes(this.cell, this.where);
  }

  override build(inputShape: SymbolicShape): void {
    const [batch, steps, features] = inputShape;
    if (this.unroll && steps === null) {
      throw new Error(
        `${this.where} "${this.name}": cannot unroll an RNN whose time dimension is undefined (input ${formatShape(inputShape)}). ` +
          `Fix: give the Input a fixed number of timesteps, or leave unroll false.`,
      );
    }
    if (features === null) {
      throw new Error(`${this.where} "${this.name}": the features axis of the input ${formatShape(inputShape)} must be known to make the kernel. Fix: give the Input a fixed last size, e.g. Input({ shape: [null, 8] }).`);
    }
    if (this.stateful && !this.stateVariables) {
      const size = statefulBatchSize(batch, inputShape, `${this.where} "${this.name}"`);
      this.stateVariables = makeStateVariables(size, this.stateSize, this.name, this.dtype);
    }
    buildCell(this.cell, batch, features, this.name);
    this.inputSpec = new InputSpec({ ndim: 3, axes: { [-1]: features } });
    this.built = true;
  }

  /** A stateful layer's state variables (undefined until built, or when not stateful). */
  get states(): Variable[] | undefined {
    return this.stateVariables ? [...this.stateVariables] : undefined;
  }

  /** Sets a stateful layer's states back to zeros, or to `states` (one (batch, size) tensor per state). */
  resetStates(states?: Tensor[]): void {
    resetStateVariables(this.stateVariables, states, `${this.where} "${this.name}"`);
  }

  /** Checks initial states against the cell's state sizes; the error names what came and what is expected. */
  checkStates(shapes: readonly SymbolicShape[] | undefined, batch: Dim, where: string): void {
    const sizes = this.stateSize;
    const expected = `${sizes.length} tensor(s) of shape ${sizes.map((s) => formatShape([batch, s])).join(', ')}`;
    if (!Array.isArray(shapes) || shapes.length !== sizes.length) {
      throw new Error(
        `${where}: initialState must be ${expected}, got ${Array.isArray(shapes) ? `${shapes.length} tensor(s)${shapes.length ? ` of shape ${shapes.map((s) => formatShape(s)).join(', ')}` : ''}` : typeof shapes}. ` +
          `Fix: pass one (batch, size) tensor per state of the cell.`,
      );
    }
    shapes.forEach((s, k) => {
      const fits = s.length === 2 && (s[1] === null || s[1] === sizes[k]) && (s[0] === null || batch === null || s[0] === batch);
      if (!fits) {
        throw new Error(`${where}: initial state ${k} has shape ${formatShape(s)}, but it must be ${formatShape([batch, sizes[k]])}: initialState must be ${expected}.`);
      }
    });
  }

  call(inputs: Tensor, options: CallOptions = {}): Tensor | Tensor[] {
    const [batch, steps, features] = inputs.shape;
    const where = `${this.where} "${this.name}"`;
    if (steps === 0) {
      throw new Error(`${where}: the input ${formatShape(inputs.shape)} has no timesteps. Expected (batch, timesteps, features) with at least one timestep.`);
    }
    const sizes = this.stateSize;
    const given = options.initialState as Tensor[] | undefined;
    if (given !== undefined) this.checkStates(given.map((s) => s.shape), batch, where);
    const symbolic = inputs instanceof SymbolicTensor;
    const kept = this.stateful && !symbolic ? this.stateVariables : undefined;
    let states = given ? [...given] : kept ? readStates(kept, batch, where) : sizes.map((s) => zeros([batch, s]));
    const step = makeStepper(this.cell, batch, features, options.training === true);
    const stepMasks = timestepMasks(options.mask, batch, steps, where);
    const outputSize = cellOutputSize(this.cell, this.where);
    const cell = this.cell as Layer & Partial<SteppingCell>;
    const outputOf = (next: Tensor[]): Tensor => (typeof cell.outputOf === 'function' ? cell.outputOf(next) : next[0]);

    const xs = (steps === 1 ? [inputs] : ops.split(inputs, steps, { axis: 1 })).map((x) => ops.reshape(x, [batch, features]));
    const order = Array.from({ length: steps }, (_, s) => (this.goBackwards ? steps - 1 - s : s));
    const outputs: Tensor[] = [];
    let previous: Tensor | undefined;
    for (const t of order) {
      const next = step(xs[t], states);
      const stepOutput = outputOf(next);
      const keep = stepMasks?.[t];
      if (keep) {
        // A masked step keeps the states and repeats the previous output (zeros with zeroOutputForMask), as Keras's rnn.
        previous ??= zeros([batch, outputSize]);
        const output = ops.where(keep, stepOutput, this.zeroOutputForMask ? 0 : previous);
        states = next.map((s, k) => ops.where(keep, s, states[k]));
        previous = output;
        outputs.push(output);
      } else {
        states = next;
        outputs.push(stepOutput);
      }
    }
    if (kept) storeStates(kept, states);
    const output = this.returnSequences ? ops.stack(outputs, { axis: 1 }) : outputs[outputs.length - 1];
    return this.returnState ? [output, ...states] : output;
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] | Dim[][] {
    const [batch, steps] = inputShape;
    const units = cellOutputSize(this.cell, this.where);
    const output: Dim[] = this.returnSequences ? [batch, steps, units] : [batch, units];
    return this.returnState ? [output, ...this.stateSize.map((s) => [batch, s])] : output;
  }

  /** Checks symbolic initial states when the graph is built, so a wrong state shape is reported there. */
  protected override computeOutputSpec(inputShape: SymbolicShape | SymbolicShape[], inputs: readonly KerasTensor[], options: CallOptions): SymbolicTensor | SymbolicTensor[] {
    const states = options.initialState;
    if (states !== undefined) {
      this.checkStates(Array.isArray(states) ? states.map((s) => s.shape) : undefined, (inputShape as SymbolicShape)[0], `${this.where} "${this.name}"`);
    }
    return super.computeOutputSpec(inputShape, inputs, options);
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    if (shape.length !== 3) {
      return `${this.where} expects (batch, timesteps, features); the first axis is the batch axis. Fix: reshape the data to (batch, timesteps, features), e.g. Input({ shape: [timesteps, features] }).`;
    }
    return `This ${this.where} was built for a different number of features per timestep; it cannot take ${shape[2]}. Fix: use a new layer, or feed inputs with the features it was built for.`;
  }

  /** The RNN's own keys (Keras's base RNN config). */
  protected rnnConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      return_sequences: this.returnSequences,
      return_state: this.returnState,
      go_backwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      zero_output_for_mask: this.zeroOutputForMask,
    };
  }

  override getConfig(): Record<string, unknown> {
    return { ...this.rnnConfig(), cell: serializeCell(this.cell) };
  }
}

/** A (batch, timesteps) mask as one (batch, 1) bool tensor per step, or undefined without a mask. */
export function timestepMasks(mask: unknown, batch: number, steps: number, where: string): Tensor[] | undefined {
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

registerCell('RNN', (config) => RNN.fromConfig(config));

/** Weight regularizers and constraints belong to the cell: a bare RNN given one would silently drop it. */
const CELL_WEIGHT_ARGUMENTS = ['kernelRegularizer', 'recurrentRegularizer', 'biasRegularizer', 'kernelConstraint', 'recurrentConstraint', 'biasConstraint'];

function rejectCellArguments(args: object, where: string): void {
  for (const key of CELL_WEIGHT_ARGUMENTS) {
    const value = (args as Record<string, unknown>)[key];
    if (value !== null && value !== undefined) {
      throw new Error(`${where}: ${key} is an argument of the cell, not of the RNN wrapper (got ${JSON.stringify(value)}). Fix: pass it to the cell, e.g. new layers.LSTMCell({ units: 8, ${key}: ... }).`);
    }
  }
}
