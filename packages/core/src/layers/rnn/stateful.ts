/**
 * The states a stateful recurrent layer (RNN, GRU, SimpleRNN, LSTM with `stateful: true`) carries
 * from one batch to the next, as Keras 3: one zero-initialized, non-trainable variable per state,
 * made at build for the layer's fixed batch size. They are not weights: `weights`, getWeights and
 * setWeights do not include them. Each call starts from them (unless given an initialState) and,
 * when it runs on real tensors, stores its last states in them (values only: no gradient flows
 * from one batch into the next).
 */
import * as ops from '../../ops/index.js';
import { withoutRecording } from '../../runtime/engine.js';
import { identityCopy } from '../../runtime/identity.js';
import { tidy } from '../../runtime/tidy.js';
import { Variable } from '../../runtime/variable.js';
import { zeros } from '../../tensor/create.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import { SymbolicTensor } from '../../tensor/symbolic.js';
import { Tensor } from '../../tensor/tensor.js';

/** The batch size a stateful layer needs, or an error that says how to give it one. */
export function statefulBatchSize(batch: Dim, inputShape: SymbolicShape, where: string): number {
  if (batch === null || batch === undefined) {
    const example = formatShape([32, ...inputShape.slice(1).map((d) => d ?? 10)]).replace(/[()]/g, '');
    throw new Error(
      `${where}: a stateful RNN needs a fixed batch size (its states are kept per example of the batch), but the input ${formatShape(inputShape)} has an undefined batch axis. ` +
        `Fix: give the first layer the full batch shape, e.g. Input({ batchShape: [${example}] }), or batchInputShape / batchSize on the layer, and feed batches of exactly that size.`,
    );
  }
  return batch;
}

/** Makes the state variables (zeros of (batch, size), one per state), named `<layer>/state_<k>`. */
export function makeStateVariables(batch: number, sizes: readonly number[], owner: string, dtype: Tensor['dtype']): Variable[] {
  return makeStateVariablesOfShapes(sizes.map((size) => [batch, size]), owner, dtype);
}

/** Makes zero state variables of the given full shapes (ConvLSTM2D's are (batch, rows, cols, filters)). */
export function makeStateVariablesOfShapes(shapes: readonly (readonly number[])[], owner: string, dtype: Tensor['dtype']): Variable[] {
  return shapes.map((shape, k) =>
    tidy(() => new Variable(zeros([...shape], dtype), { name: `state_${k}`, path: `${owner}/state_${k}`, trainable: false })),
  );
}

/** The states a call starts from: copies of the stored values (the variables change after the call). */
export function readStates(variables: readonly Variable[], batch: Dim, where: string): Tensor[] {
  const expected = variables[0].shape[0];
  if (batch !== expected) {
    throw new Error(
      `${where}: this stateful layer was built for batches of ${expected} (its states are ${variables.map((v) => formatShape(v.shape)).join(', ')}), but got a batch of ${batch}. ` +
        `Fix: feed batches of exactly ${expected} examples (e.g. fit with batchSize: ${expected} and a number of samples divisible by it), or use stateful: false.`,
    );
  }
  return variables.map((v) => identityCopy(v.value));
}

/** Stores a call's last states, unless the call was a symbolic trace. */
export function storeStates(variables: readonly Variable[], states: readonly Tensor[]): void {
  if (states.some((s) => s instanceof SymbolicTensor)) return;
  withoutRecording(() => tidy(() => variables.forEach((v, k) => v.assign(states[k].dtype === v.dtype ? states[k] : ops.cast(states[k], v.dtype)))));
}

/** Sets the states back to zeros, or to the given values (one (batch, size) tensor per state). */
export function resetStateVariables(variables: readonly Variable[] | undefined, values: readonly Tensor[] | undefined, where: string): void {
  if (!variables) {
    throw new Error(`${where}: resetStates() needs a built stateful layer. Fix: create it with stateful: true and call it (or build it) with a fixed batch size first.`);
  }
  if (values === undefined) {
    tidy(() => variables.forEach((v) => v.assign(zeros([...v.shape], v.dtype))));
    return;
  }
  const expected = variables.map((v) => formatShape(v.shape)).join(', ');
  if (!Array.isArray(values) || values.length !== variables.length) {
    throw new Error(`${where}: resetStates(states) expects ${variables.length} tensor(s) of shape ${expected}, got ${Array.isArray(values) ? `${values.length} value(s)` : typeof values}.`);
  }
  values.forEach((value, k) => {
    const shape = variables[k].shape;
    if (!(value instanceof Tensor) || value.shape.length !== shape.length || value.shape.some((d, i) => d !== shape[i])) {
      throw new Error(
        `${where}: resetStates(states): state ${k} must be a tensor of shape ${formatShape(shape)}, got ${value instanceof Tensor ? formatShape(value.shape) : typeof value}. ` +
          `Fix: pass one tensor per state, of shapes ${expected}.`,
      );
    }
  });
  tidy(() => variables.forEach((v, k) => v.assign(values[k].dtype === v.dtype ? values[k] : ops.cast(values[k], v.dtype))));
}
