/**
 * GRU over a sequence (batch, timesteps, features), as Keras 3's GRU: a GRUCell named `gru_cell`
 * run over time (weights `gru/gru_cell/kernel`, `.../recurrent_kernel`, `.../bias`; gate order
 * z, r, h). resetAfter (the default) gives a bias of [2, 3u]; resetAfter false a bias of [3u].
 * Gives the last output, or every output with `returnSequences`, followed by the last h with `returnState`.
 *
 * ```ts
 * const seq = Input({ shape: [5, 4] });
 * new layers.GRU({ units: 10 }).apply(seq);                                  // [null, 10]
 * const [out, h] = new layers.GRU({ units: 10, returnState: true }).apply(seq) as KerasTensor[];
 * ```
 */
import type * as activations from '../../activations/index.js';
import * as regularizers from '../../regularizers/index.js';
import { GRUCell, type GRUCellArgs } from './gru_cell.js';
import { RNN, registerCell, type RNNBaseArgs } from './rnn.js';

export interface GRUArgs extends GRUCellArgs, RNNBaseArgs {}

const CELL_KEYS = [
  'units', 'activation', 'recurrentActivation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer', 'dropout', 'recurrentDropout', 'resetAfter', 'seed',
  'kernelRegularizer', 'recurrentRegularizer', 'biasRegularizer', 'kernelConstraint', 'recurrentConstraint', 'biasConstraint',
] as const;

export class GRU extends RNN {
  declare readonly cell: GRUCell;

  constructor(args: GRUArgs) {
    if (!args || typeof args !== 'object') {
      throw new TypeError(`GRU: expected an options object such as { units: 32 }, got ${JSON.stringify(args)}. Fix: new layers.GRU({ units: 32 }).`);
    }
    const cellArgs: Record<string, unknown> = {};
    for (const key of CELL_KEYS) if (args[key] !== undefined) cellArgs[key] = args[key];
    const cell = new GRUCell({ ...(cellArgs as unknown as GRUCellArgs), name: 'gru_cell', dtype: args.dtype, trainable: args.trainable }, 'GRU');
    const rnnArgs: Record<string, unknown> = { ...args };
    for (const key of CELL_KEYS) delete rnnArgs[key];
    super({ ...rnnArgs, cell }, 'GRU');
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
  get resetAfter(): boolean {
    return this.cell.resetAfter;
  }
  get dropout(): number {
    return this.cell.dropout;
  }
  get recurrentDropout(): number {
    return this.cell.recurrentDropout;
  }

  override getConfig(): Record<string, unknown> {
    const cell = this.cell.getConfig();
    return {
      ...this.rnnConfig(),
      units: cell.units,
      activation: cell.activation,
      recurrent_activation: cell.recurrent_activation,
      use_bias: cell.use_bias,
      kernel_initializer: cell.kernel_initializer,
      recurrent_initializer: cell.recurrent_initializer,
      bias_initializer: cell.bias_initializer,
      kernel_regularizer: cell.kernel_regularizer,
      recurrent_regularizer: cell.recurrent_regularizer,
      bias_regularizer: cell.bias_regularizer,
      activity_regularizer: regularizers.serialize(this.activityRegularizer),
      kernel_constraint: cell.kernel_constraint,
      recurrent_constraint: cell.recurrent_constraint,
      bias_constraint: cell.bias_constraint,
      dropout: cell.dropout,
      recurrent_dropout: cell.recurrent_dropout,
      reset_after: cell.reset_after,
      seed: cell.seed,
    };
  }
}

registerCell('GRU', (config) => GRU.fromConfig(config));
