/**
 * StackedRNNCells: several cells run as one, as Keras 3's StackedRNNCells. Each step feeds the
 * output of one cell to the next; the states are those of every cell in order, and the output is
 * the last cell's.
 *
 * ```ts
 * const cells = [new layers.GRUCell({ units: 4 }), new layers.SimpleRNNCell({ units: 2 })];
 * new layers.RNN({ cell: new layers.StackedRNNCells({ cells }) }).apply(Input({ shape: [5, 3] }));   // [null, 2]
 * ```
 */
import type { KerasTensor } from '../../engine/keras_tensor.js';
import { Layer, type CallOptions, type LayerArgs } from '../../engine/layer.js';
import { zeros } from '../../tensor/create.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { stepFeatures } from './gru_cell.js';
import { cellOutputSize, cellStateSizes, deserializeCell, makeStepper, registerCell, serializeCell, type SteppingCell } from './rnn.js';

export interface StackedRNNCellsArgs extends LayerArgs {
  /** The cells, first to last (objects, or their `{ class_name, config }` from a config). */
  cells: readonly (Layer | Record<string, unknown>)[];
}

type Stepper = (x: Tensor, states: Tensor[]) => Tensor[];

export class StackedRNNCells extends Layer<KerasTensor, Tensor> implements SteppingCell {
  readonly cells: Layer[];

  constructor(args: StackedRNNCellsArgs) {
    super(args);
    if (!args || typeof args !== 'object' || !Array.isArray(args.cells) || args.cells.length === 0) {
      throw new TypeError(
        `StackedRNNCells: cells must be a non-empty list of cells, got ${args && typeof args === 'object' ? JSON.stringify((args as { cells?: unknown }).cells) : JSON.stringify(args)}. ` +
          'Fix: new layers.StackedRNNCells({ cells: [new layers.GRUCell({ units: 4 }), new layers.GRUCell({ units: 4 })] }).',
      );
    }
    this.cells = args.cells.map((c) => deserializeCell(c, 'StackedRNNCells'));
    this.cells.forEach((c) => {
      if (!(c instanceof Layer)) throw new TypeError(`StackedRNNCells: every cell must be a layer with a stateSize, got ${JSON.stringify(c)}.`);
      cellStateSizes(c, 'StackedRNNCells');
    });
  }

  /** The states of every cell, in order. */
  get stateSize(): number[] {
    return this.cells.flatMap((c) => cellStateSizes(c, 'StackedRNNCells'));
  }

  /** The last cell's output size. */
  get outputSize(): number {
    return cellOutputSize(this.cells[this.cells.length - 1], 'StackedRNNCells');
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    let features = stepFeatures(inputShape, this);
    const batch = ((Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape)[0];
    for (const cell of this.cells) {
      if (!cell.built) {
        cell.build([batch, features]);
        cell.built = true;
        for (const w of cell.weights) w.path = `${this.name}/${w.path}`;
      }
      features = cellOutputSize(cell, 'StackedRNNCells');
    }
    this.built = true;
  }

  /** One step function per cell for a sequence (each draws its dropout masks once). */
  dropoutMasks(batch: number, features: number, training: boolean): Stepper[] {
    let f = features;
    return this.cells.map((cell) => {
      const stepper = makeStepper(cell, batch, f, training);
      f = cellOutputSize(cell, 'StackedRNNCells');
      return stepper;
    });
  }

  stepStates(x: Tensor, states: Tensor[], masks: unknown): Tensor[] {
    const steppers = masks as Stepper[];
    const next: Tensor[] = [];
    let input = x;
    let offset = 0;
    this.cells.forEach((cell, k) => {
      const n = cellStateSizes(cell, 'StackedRNNCells').length;
      const out = steppers[k](input, states.slice(offset, offset + n));
      offset += n;
      next.push(...out);
      input = out[0];
    });
    return next;
  }

  outputOf(states: Tensor[]): Tensor {
    const last = this.cells[this.cells.length - 1];
    return states[states.length - cellStateSizes(last, 'StackedRNNCells').length];
  }

  /** `apply(x, { initialState })` gives the new states of every cell, in order. */
  call(inputs: Tensor, options: CallOptions = {}): Tensor[] {
    const batch = inputs.shape[0];
    const sizes = this.stateSize;
    const given = options.initialState as Tensor[] | undefined;
    if (given !== undefined && given.length !== sizes.length) {
      throw new Error(`StackedRNNCells "${this.name}": initialState must be ${sizes.length} tensor(s) of shape ${sizes.map((s) => formatShape([batch, s])).join(', ')}, got ${given.length}.`);
    }
    const states = given ?? sizes.map((s) => zeros([batch, s]));
    return this.stepStates(inputs, states, this.dropoutMasks(batch, inputs.shape[1], options.training === true));
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[][] {
    return this.stateSize.map((s) => [inputShape[0], s]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cells: this.cells.map((c) => serializeCell(c)) };
  }
}

registerCell('StackedRNNCells', (config) => StackedRNNCells.fromConfig(config));
