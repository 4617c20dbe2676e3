/**
 * GRUCell: one step of a GRU (Cho et al., 2014), `(x_t, [h]) -> [h']`, with Keras 3's weights and
 * gate order (z, r, h along the last axis of kernel [in, 3u] and recurrent_kernel [u, 3u]).
 * With resetAfter (Keras's default) the reset gate multiplies the recurrent projection and the bias
 * is [2, 3u] (row 0 for the input, row 1 for the recurrent projection); without it the reset gate
 * multiplies h before the projection and the bias is [3u]. On its own it is called as
 * `cell.apply(x, { initialState: [h] })` and gives h'.
 */
import * as activations from '../../activations/index.js';
import { InputSpec } from '../../engine/input_spec.js';
import type { KerasTensor } from '../../engine/keras_tensor.js';
import type { Layer} from '../../engine/layer.js';
import { type CallOptions } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import { dropout as randomDropout } from '../../random/random.js';
import type { SeedGenerator} from '../../random/seed_generator.js';
import type { Variable } from '../../runtime/variable.js';
import { ones, zeros } from '../../tensor/create.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { BaseRecurrentCell, type RecurrentCellArgs, checkActivation, checkBoolean } from './base_recurrent_cell.js';

export { checkUnits, checkActivation } from './base_recurrent_cell.js';
import { registerCell } from './rnn.js';

export interface GRUCellArgs extends RecurrentCellArgs {
  recurrentActivation?: string | activations.Activation | null;
  /** Apply the reset gate after the recurrent matrix product (Keras's default, cuDNN-compatible). */
  resetAfter?: boolean;
}

/** The dropout masks of one sequence, drawn once and used at every step. */
export interface RecurrentDropoutMasks {
  input?: Tensor;
  recurrent?: Tensor;
}

/** One input mask and one recurrent mask per sequence (training only), as Keras's DropoutRNNCell. */
export function drawMasks(seed: SeedGenerator, batch: number, features: number, units: number, rate: number, recurrentRate: number, training: boolean): RecurrentDropoutMasks {
  const masks: RecurrentDropoutMasks = {};
  if (training && rate > 0) masks.input = randomDropout(ones([batch, features]), rate, { seed });
  if (training && recurrentRate > 0) masks.recurrent = randomDropout(ones([batch, units]), recurrentRate, { seed });
  return masks;
}

/** The features axis of one step's shape, which must be known. */
export function stepFeatures(inputShape: SymbolicShape | SymbolicShape[], layer: Layer): number {
  const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
  const features = shape[shape.length - 1];
  if (features === null || features === undefined) {
    throw new Error(`${layer.constructor.name} "${layer.name}": the features axis of the input ${formatShape(shape)} must be known to make the kernel. Fix: give the Input a fixed last size.`);
  }
  return features;
}

export class GRUCell extends BaseRecurrentCell<KerasTensor, Tensor> {
  readonly recurrentActivation: activations.NamedActivation;
  readonly resetAfter: boolean;

  constructor(args: GRUCellArgs, where = 'GRUCell') {
    super(args, where);
    this.recurrentActivation = checkActivation(args.recurrentActivation, 'sigmoid', 'recurrentActivation', where);
    this.resetAfter = checkBoolean(args.resetAfter ?? true, 'resetAfter', where);
  }

  /** Keras's state_size: one state of `units`. */
  get stateSize(): number {
    return this.units;
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const features = stepFeatures(inputShape, this);
    const u = this.units;
    this.kernel = this.addWeight({ name: 'kernel', shape: [features, 3 * u], initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
    this.recurrentKernel = this.addWeight({ name: 'recurrent_kernel', shape: [u, 3 * u], initializer: this.recurrentInitializer, regularizer: this.recurrentRegularizer, constraint: this.recurrentConstraint });
    if (this.useBias) this.bias = this.addWeight({ name: 'bias', shape: this.resetAfter ? [2, 3 * u] : [3 * u], initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    this.inputSpec = new InputSpec({ ndim: 2, axes: { [-1]: features } });
    this.built = true;
  }

  dropoutMasks(batch: number, features: number, training: boolean): RecurrentDropoutMasks {
    return drawMasks(this.seedGenerator, batch, features, this.units, this.dropout, this.recurrentDropout, training);
  }

  /** One step: x [batch, features], h [batch, units] to h'. */
  step(x: Tensor, h: Tensor, masks: RecurrentDropoutMasks = {}): Tensor {
    const u = this.units;
    const kernel = this.kernel as Variable;
    const recurrentKernel = this.recurrentKernel as Variable;
    let inputBias: Tensor | Variable | undefined;
    let recurrentBias: Tensor | undefined;
    if (this.bias) {
      if (this.resetAfter) [inputBias, recurrentBias] = ops.split(this.bias, 2, { axis: 0 }).map((b) => ops.reshape(b, [3 * u]));
      else inputBias = this.bias;
    }
    const xm = masks.input ? ops.multiply(x, masks.input) : x;
    const hm = masks.recurrent ? ops.multiply(h, masks.recurrent) : h;
    let matrixX = ops.matmul(xm, kernel);
    if (inputBias) matrixX = ops.add(matrixX, inputBias);
    const [xz, xr, xh] = ops.split(matrixX, 3, { axis: -1 });
    let z: Tensor;
    let candidate: Tensor;
    if (this.resetAfter) {
      let inner = ops.matmul(hm, recurrentKernel);
      if (recurrentBias) inner = ops.add(inner, recurrentBias);
      const [rz, rr, rh] = ops.split(inner, 3, { axis: -1 });
      z = this.recurrentActivation(ops.add(xz, rz));
      const r = this.recurrentActivation(ops.add(xr, rr));
      candidate = this.activation(ops.add(xh, ops.multiply(r, rh)));
    } else {
      const [uz, ur, uh] = ops.split(recurrentKernel, 3, { axis: -1 });
      z = this.recurrentActivation(ops.add(xz, ops.matmul(hm, uz)));
      const r = this.recurrentActivation(ops.add(xr, ops.matmul(hm, ur)));
      candidate = this.activation(ops.add(xh, ops.matmul(ops.multiply(r, hm), uh)));
    }
    // h' = z * h + (1 - z) * candidate
    return ops.add(ops.multiply(z, h), ops.multiply(ops.subtract(1, z), candidate));
  }

  /** The RNN's step: the new states ([h']). */
  stepStates(x: Tensor, states: Tensor[], masks: unknown): Tensor[] {
    return [this.step(x, states[0], masks as RecurrentDropoutMasks)];
  }

  /** `apply(x, { initialState: [h], training })` gives h' (zeros when no state is given). */
  call(inputs: Tensor, options: CallOptions = {}): Tensor {
    const batch = inputs.shape[0];
    const states = options.initialState as Tensor[] | undefined;
    const where = `${this.constructor.name} "${this.name}"`;
    if (states !== undefined) checkOneState(states.map((s) => s.shape), batch, this.units, where);
    const h = states?.[0] ?? zeros([batch, this.units]);
    return this.step(inputs, h, this.dropoutMasks(batch, inputs.shape[1], options.training === true));
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] {
    return [inputShape[0], this.units];
  }

  protected override explainInputMismatch(shape: SymbolicShape): string | undefined {
    if (shape.length !== 2) return `${this.constructor.name} processes one timestep, (batch, features). Fix: for a whole sequence (batch, timesteps, features) use layers.GRU or layers.RNN.`;
    return undefined;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...this.cellConfig(),
      recurrent_activation: activations.serialize(this.recurrentActivation),
      reset_after: this.resetAfter,
    };
  }
}

/** Checks a one-state initialState `[h]` of shape (batch, units). */
export function checkOneState(shapes: readonly SymbolicShape[], batch: Dim, units: number, where: string): void {
  const s = shapes[0];
  const fits = shapes.length === 1 && s.length === 2 && (s[1] === null || s[1] === units) && (s[0] === null || batch === null || s[0] === batch);
  if (!fits) {
    throw new Error(
      `${where}: initialState must be [h], one tensor of shape ${formatShape([batch, units])}, got ${shapes.length} tensor(s) of shape ${shapes.map((x) => formatShape(x)).join(', ')}. ` +
        `Fix: pass initialState: [h] with h of shape (batch, ${units}).`,
    );
  }
}

registerCell('GRUCell', (config) => GRUCell.fromConfig(config));
