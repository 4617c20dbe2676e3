/**
 * LSTMCell: one step of an LSTM, `(x_t, [h, c]) -> [h', c']`, with Keras's weights and gate order
 * (i, f, c, o along the last axis of kernel [in, 4u], recurrent_kernel [u, 4u] and bias [4u]).
 * The LSTM layer runs it over time; on its own it is called as
 * `cell.apply(x, { initialState: [h, c] })` and gives `[h', c']` (h' is also the step's output).
 */
import * as activations from '../../activations/index.js';
import * as initializers from '../../initializers/index.js';
import { InputSpec } from '../../engine/input_spec.js';
import type { CallOptions } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import { dropout as randomDropout } from '../../random/random.js';
import { isRecording } from '../../runtime/engine.js';
import type { Variable } from '../../runtime/variable.js';
import { ones, zeros } from '../../tensor/create.js';
import type { DType } from '../../tensor/dtype.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import { SymbolicTensor } from '../../tensor/symbolic.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface LSTMCellArgs extends RecurrentCellArgs {
  recurrentActivation?: string | activations.Activation | null;
  /** Adds 1 to the forget gate's bias at initialization (Jozefowicz et al.). */
  unitForgetBias?: boolean;
}

/** The dropout masks of one sequence: drawn once and used at every step, as Keras does. */
export interface LSTMStepMasks {
  /** One mask [batch, features] for the input, or four (one per gate) when recurrent dropout is on. */
  input?: Tensor[];
  /** Four masks [batch, units], one per gate. */
  recurrent?: Tensor[];
}

/** Keras's unit_forget_bias: the bias initializer's values with ones in the forget block [u, 2u). */
class UnitForgetBias extends initializers.Initializer {
  static override readonly className = 'UnitForgetBias';

  constructor(private readonly base: initializers.Initializer, private readonly units: number) {
    super();
  }

  call(_shape: readonly number[], dtype?: DType | string): Tensor {
    const u = this.units;
    return ops.concatenate([this.base.call([u], dtype), ones([u]), this.base.call([2 * u], dtype)], { axis: 0 });
  }
}

import { BaseRecurrentCell, type RecurrentCellArgs, checkBoolean } from './base_recurrent_cell.js';

export { checkRate, checkBoolean } from './base_recurrent_cell.js';

export class LSTMCell extends BaseRecurrentCell {
  readonly recurrentActivation: activations.NamedActivation;
  readonly unitForgetBias: boolean;

  constructor(args: LSTMCellArgs, where = 'LSTMCell') {
    super(args, where);
    this.recurrentActivation = activations.get(args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation);
    this.unitForgetBias = checkBoolean(args.unitForgetBias ?? true, 'unitForgetBias', where);
  }

  /** kernel [features, 4u], recurrent_kernel [u, 4u], bias [4u], from the shape of one step, (batch, features). */
  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    const features = shape[shape.length - 1];
    if (features === null || features === undefined) {
      throw new Error(`${this.constructor.name} "${this.name}": the features axis of the input ${formatShape(shape)} must be known to make the kernel. Fix: give the Input a fixed last size.`);
    }
    const u = this.units;
    this.kernel = this.addWeight({ name: 'kernel', shape: [features, 4 * u], initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
    this.recurrentKernel = this.addWeight({ name: 'recurrent_kernel', shape: [u, 4 * u], initializer: this.recurrentInitializer, regularizer: this.recurrentRegularizer, constraint: this.recurrentConstraint });
    if (this.useBias) {
      const initializer = this.unitForgetBias ? new UnitForgetBias(this.biasInitializer, u) : this.biasInitializer;
      this.bias = this.addWeight({ name: 'bias', shape: [4 * u], initializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    }
    this.inputSpec = new InputSpec({ ndim: 2, axes: { [-1]: features } });
    this.built = true;
  }

  /**
   * The masks for one call, as Keras's DropoutRNNCell makes them: with recurrent dropout the gates
   * get four masks each (Keras's implementation 1), else the input gets one. Only in training.
   */
  dropoutMasks(batch: number, features: number, training: boolean): LSTMStepMasks {
    const masks: LSTMStepMasks = {};
    const count = this.recurrentDropout > 0 ? 4 : 1;
    const draw = (shape: number[], rate: number): Tensor[] =>
      Array.from({ length: count }, () => randomDropout(ones(shape), rate, { seed: this.seedGenerator }));
    if (training && this.dropout > 0) masks.input = draw([batch, features], this.dropout);
    if (training && this.recurrentDropout > 0) masks.recurrent = draw([batch, this.units], this.recurrentDropout);
    return masks;
  }

  /**
   * Whether the step can use ops.lstmCell (the backend's fused kernel where it has one). Not while a
   * gradient tape records: the fused kernel's gradient recomputes the step's forward pass (and the
   * data's gradient), about 1.6x the matmuls of the plain ops, whose own tape keeps what they computed.
   */
  private fusedOk(tensors: readonly Tensor[]): boolean {
    return (
      !isRecording() &&
      this.activation.activationName === 'tanh' &&
      this.recurrentActivation.activationName === 'sigmoid' &&
      this.bias !== undefined &&
      !tensors.some((t) => (t as unknown) instanceof SymbolicTensor)
    );
  }

  /** One step: x [batch, features], h and c [batch, units] to [h', c']. */
  step(x: Tensor, h: Tensor, c: Tensor, masks: LSTMStepMasks = {}): [Tensor, Tensor] {
    const kernel = this.kernel as Variable;
    const recurrentKernel = this.recurrentKernel as Variable;
    let zs: Tensor[];
    if (masks.recurrent || (masks.input && masks.input.length === 4)) {
      // Keras's implementation 1: each gate sees its own masked input and masked state.
      const kernels = ops.split(kernel, 4, { axis: 1 });
      const recurrents = ops.split(recurrentKernel, 4, { axis: 1 });
      const biases = this.bias ? ops.split(this.bias, 4, { axis: 0 }) : undefined;
      zs = kernels.map((k, g) => {
        const xg = masks.input ? ops.multiply(x, masks.input[g]) : x;
        const hg = masks.recurrent ? ops.multiply(h, masks.recurrent[g]) : h;
        let z = ops.add(ops.matmul(xg, k), ops.matmul(hg, recurrents[g]));
        if (biases) z = ops.add(z, biases[g]);
        return z;
      });
    } else {
      const xm = masks.input ? ops.multiply(x, masks.input[0]) : x;
      if (this.fusedOk([xm, h, c])) return ops.lstmCell(xm, h, c, kernel, recurrentKernel, this.bias as Variable);
      let z = ops.add(ops.matmul(xm, kernel), ops.matmul(h, recurrentKernel));
      if (this.bias) z = ops.add(z, this.bias);
      zs = ops.split(z, 4, { axis: -1 });
    }
    const [zi, zf, zc, zo] = zs;
    const i = this.recurrentActivation(zi);
    const f = this.recurrentActivation(zf);
    const cNext = ops.add(ops.multiply(f, c), ops.multiply(i, this.activation(zc)));
    const o = this.recurrentActivation(zo);
    return [ops.multiply(o, this.activation(cNext)), cNext];
  }

  /** Checks `[h, c]` against a step of `batch` examples; the error names what came and what is expected. */
  checkStates(shapes: readonly SymbolicShape[] | undefined, batch: Dim, where: string): void {
    const u = this.units;
    const expected = `[h, c], two tensors of shape ${formatShape([batch, u])}`;
    if (!Array.isArray(shapes) || shapes.length !== 2) {
      throw new Error(
        `${where}: initialState must be ${expected}, got ${Array.isArray(shapes) ? `${shapes.length} tensor(s) of shape ${shapes.map((s) => formatShape(s)).join(', ')}` : typeof shapes}. ` +
          `Fix: pass initialState: [h, c] (an LSTM has two states, the hidden state h and the carry c).`,
      );
    }
    shapes.forEach((s, k) => {
      const fits = s.length === 2 && (s[1] === null || s[1] === u) && (s[0] === null || batch === null || s[0] === batch);
      if (!fits) {
        throw new Error(
          `${where}: initial state ${k === 0 ? 'h' : 'c'} has shape ${formatShape(s)}, but it must be (batch, units) = ${formatShape([batch, u])}: initialState must be ${expected}. ` +
            `Fix: make each state (batch, ${u}), e.g. Input({ shape: [${u}] }) in a functional model.`,
        );
      }
    });
  }

  /** `apply(x, { initialState: [h, c], training })` gives `[h', c']` (zeros when no state is given). */
  call(inputs: Tensor, options: CallOptions = {}): Tensor[] {
    const batch = inputs.shape[0];
    const states = options.initialState as Tensor[] | undefined;
    if (states !== undefined) this.checkStates(states.map((s) => s.shape), batch, `${this.constructor.name} "${this.name}"`);
    const [h, c] = states ?? [zeros([batch, this.units]), zeros([batch, this.units])];
    return this.step(inputs, h, c, this.dropoutMasks(batch, inputs.shape[1], options.training === true));
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[][] {
    return [[inputShape[0], this.units], [inputShape[0], this.units]];
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    if (shape.length !== 2) {
      return `${this.constructor.name} processes one timestep, (batch, features). Fix: for a whole sequence (batch, timesteps, features) use layers.LSTM instead.`;
    }
    const expected = this.kernel?.shape[0];
    return expected !== undefined ? `This cell was built for ${expected} input features; it cannot take ${shape[1]}. Fix: use a new cell, or feed inputs whose last axis is ${expected}.` : undefined;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...this.cellConfig(),
      recurrent_activation: activations.serialize(this.recurrentActivation),
      unit_forget_bias: this.unitForgetBias,
    };
  }
}
