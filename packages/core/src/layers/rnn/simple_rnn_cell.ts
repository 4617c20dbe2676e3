/**
 * SimpleRNNCell: one step of a fully-connected RNN, `h' = activation(x · kernel + bias + h · recurrent_kernel)`,
 * with Keras 3's weights (kernel [in, u], recurrent_kernel [u, u], bias [u]). On its own it is called
 * as `cell.apply(x, { initialState: [h] })` and gives h'.
 */
import { InputSpec } from '../../engine/input_spec.js';
import type { KerasTensor } from '../../engine/keras_tensor.js';
import type { CallOptions } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import type { Variable } from '../../runtime/variable.js';
import { zeros } from '../../tensor/create.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkOneState, drawMasks, stepFeatures, type RecurrentDropoutMasks } from './gru_cell.js';
import { BaseRecurrentCell, type RecurrentCellArgs } from './base_recurrent_cell.js';
import { registerCell } from './rnn.js';

/** SimpleRNNCell takes only the common cell arguments. */
export type SimpleRNNCellArgs = RecurrentCellArgs;

export class SimpleRNNCell extends BaseRecurrentCell<KerasTensor, Tensor> {
  constructor(args: SimpleRNNCellArgs, where = 'SimpleRNNCell') {
    super(args, where);
  }

  /** Keras's state_size: one state of `units`. */
  get stateSize(): number {
    return this.units;
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const features = stepFeatures(inputShape, this);
    const u = this.units;
    this.kernel = this.addWeight({ name: 'kernel', shape: [features, u], initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
    this.recurrentKernel = this.addWeight({ name: 'recurrent_kernel', shape: [u, u], initializer: this.recurrentInitializer, regularizer: this.recurrentRegularizer, constraint: this.recurrentConstraint });
    if (this.useBias) this.bias = this.addWeight({ name: 'bias', shape: [u], initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    this.inputSpec = new InputSpec({ ndim: 2, axes: { [-1]: features } });
    this.built = true;
  }

  dropoutMasks(batch: number, features: number, training: boolean): RecurrentDropoutMasks {
    return drawMasks(this.seedGenerator, batch, features, this.units, this.dropout, this.recurrentDropout, training);
  }

  /** One step: x [batch, features], h [batch, units] to h'. */
  step(x: Tensor, h: Tensor, masks: RecurrentDropoutMasks = {}): Tensor {
    const xm = masks.input ? ops.multiply(x, masks.input) : x;
    const hm = masks.recurrent ? ops.multiply(h, masks.recurrent) : h;
    let z = ops.matmul(xm, this.kernel as Variable);
    if (this.bias) z = ops.add(z, this.bias);
    return this.activation(ops.add(z, ops.matmul(hm, this.recurrentKernel as Variable)));
  }

  /** The RNN's step: the new states ([h']). */
  stepStates(x: Tensor, states: Tensor[], masks: unknown): Tensor[] {
    return [this.step(x, states[0], masks as RecurrentDropoutMasks)];
  }

  /** `apply(x, { initialState: [h], training })` gives h' (zeros when no state is given). */
  call(inputs: Tensor, options: CallOptions = {}): Tensor {
    const batch = inputs.shape[0];
    const states = options.initialState as Tensor[] | undefined;
    if (states !== undefined) checkOneState(states.map((s) => s.shape), batch, this.units, `${this.constructor.name} "${this.name}"`);
    const h = states?.[0] ?? zeros([batch, this.units]);
    return this.step(inputs, h, this.dropoutMasks(batch, inputs.shape[1], options.training === true));
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [inputShape[0], this.units];
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    if (shape.length !== 2) return `${this.constructor.name} processes one timestep, (batch, features). Fix: for a whole sequence (batch, timesteps, features) use layers.SimpleRNN or layers.RNN.`;
    return undefined;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...this.cellConfig(),
    };
  }
}

registerCell('SimpleRNNCell', (config) => SimpleRNNCell.fromConfig(config));
