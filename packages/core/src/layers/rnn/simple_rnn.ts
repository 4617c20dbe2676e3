/**
 * SimpleRNN over a sequence (batch, timesteps, features), as Keras 3's SimpleRNN: a SimpleRNNCell
 * named `simple_rnn_cell` run over time (weights `simple_rnn/simple_rnn_cell/kernel`, `.../recurrent_kernel`, `.../bias`).
 *
 * ```ts
 * new layers.SimpleRNN({ units: 4, returnSequences: true }).apply(Input({ shape: [5, 3] }));   // [null, 5, 4]
 * ```
 */
import type * as activations from '../../activations/index.js';
import * as regularizers from '../../regularizers/index.js';
import { RNN, registerCell, type RNNBaseArgs } from './rnn.js';
import { SimpleRNNCell, type SimpleRNNCellArgs } from './simple_rnn_cell.js';

export interface SimpleRNNArgs extends SimpleRNNCellArgs, RNNBaseArgs {}

const CELL_KEYS = [
  'units', 'activation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer', 'dropout', 'recurrentDropout', 'seed',
  'kernelRegularizer', 'recurrentRegularizer', 'biasRegularizer', 'kernelConstraint', 'recurrentConstraint', 'biasConstraint',
] as const;

export class SimpleRNN extends RNN {
  declare readonly cell: SimpleRNNCell;

  constructor(args: SimpleRNNArgs) {
    if (!args || typeof args !== 'object') {
      throw new TypeError(`SimpleRNN: expected an options object such as { units: 32 }, got ${JSON.stringify(args)}. Fix: new layers.SimpleRNN({ units: 32 }).`);
    }
    const cellArgs: Record<string, unknown> = {};
    for (const key of CELL_KEYS) if (args[key] !== undefined) cellArgs[key] = args[key];
    const cell = new SimpleRNNCell({ ...(cellArgs as unknown as SimpleRNNCellArgs), name: 'simple_rnn_cell', dtype: args.dtype, trainable: args.trainable }, 'SimpleRNN');
    const rnnArgs: Record<string, unknown> = { ...args };
    for (const key of CELL_KEYS) delete rnnArgs[key];
    super({ ...rnnArgs, cell }, 'SimpleRNN');
  }

  get units(): number {
    return this.cell.units;
  }
  get activation(): activations.NamedActivation {
    return this.cell.activation;
  }
  get useBias(): boolean {
    return this.cell.useBias;
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
      seed: cell.seed,
    };
  }
}

registerCell('SimpleRNN', (config) => SimpleRNN.fromConfig(config));
