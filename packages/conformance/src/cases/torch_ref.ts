/**
 * Runners for the PyTorch float64 cases (Keras layouts and semantics): forward outputs with ops,
 * gradients with `vjp` (each case's `dy` is the cotangent of L = sum(dy · y)).
 */
import { ops, vjp, type Tensor } from '@keras-ts/core';
import { attr, NotCovered, type CaseOutputs, type CaseRunner } from './types.js';

type Unary = (x: Tensor) => Tensor;

/** y and dx of an elementwise function from x and dy. */
const elementwise = (f: Unary): CaseRunner => (_c, io) => {
  const { outputs, grads } = vjp((x) => f(x), [io.get('x')], io.get('dy'));
  return { y: outputs[0], dx: grads[0] };
};

/** y, da and db of a binary function from a, b and dy. */
const binary = (f: (a: Tensor, b: Tensor) => Tensor): CaseRunner => (_c, io) => {
  const { outputs, grads } = vjp((a, b) => f(a, b), [io.get('a'), io.get('b')], io.get('dy'));
  return { y: outputs[0], da: grads[0], db: grads[1] };
};

const reduction = (f: (x: Tensor, options: ops.ReduceOptions) => Tensor): CaseRunner => (c, io) => {
  const options = { axis: attr<number[] | null>(c, 'axes', null), keepdims: attr(c, 'keepdims', false) };
  const { outputs, grads } = vjp((x) => f(x, options), [io.get('x')], io.get('dy'));
  return { y: outputs[0], dx: grads[0] };
};

export const TORCH_REF_RUNNERS: Record<string, CaseRunner> = {
  relu: elementwise(ops.relu),
  relu6: elementwise(ops.relu6),
  sigmoid: elementwise(ops.sigmoid),
  tanh: elementwise(ops.tanh),
  elu: (c, io) => elementwise((x) => ops.elu(x, { alpha: attr(c, 'alpha', 1) }))(c, io),
  selu: elementwise(ops.selu),
  gelu: elementwise((x) => ops.gelu(x, { approximate: false })),
  gelu_tanh: elementwise((x) => ops.gelu(x, { approximate: true })),
  softplus: elementwise(ops.softplus),
  softsign: elementwise(ops.softsign),
  leaky_relu: (c, io) => elementwise((x) => ops.leakyRelu(x, { negativeSlope: attr(c, 'negative_slope', 0.2) }))(c, io),
  silu: elementwise(ops.silu),
  hard_sigmoid: elementwise(ops.hardSigmoid),
  mish: elementwise(ops.mish),
  exp: elementwise(ops.exp),
  log: elementwise(ops.log),
  sqrt: elementwise(ops.sqrt),
  erf: elementwise(ops.erf),
  add: binary(ops.add),
  subtract: binary(ops.subtract),
  multiply: binary(ops.multiply),
  divide: binary(ops.divide),
  matmul: binary(ops.matmul),
  reduce_sum: reduction(ops.sum),
  reduce_mean: reduction(ops.mean),
  reduce_max: reduction(ops.max),
  softmax: (c, io) => elementwise((x) => ops.softmax(x, { axis: attr(c, 'axis', -1) }))(c, io),
  log_softmax: (c, io) => elementwise((x) => ops.logSoftmax(x, { axis: attr(c, 'axis', -1) }))(c, io),
  moments: (c, io): CaseOutputs => {
    const { mean, variance } = ops.moments(io.get('x'), attr<number[]>(c, 'axes', [0]), { keepdims: attr(c, 'keepdims', false) });
    return { mean, variance };
  },
  lstm_step: (_c, io): CaseOutputs => {
    const [hNew, cNew] = ops.lstmCell(io.get('x'), io.get('h'), io.get('c'), io.get('kernel'), io.get('recurrent_kernel'), io.get('bias'));
    return { h_new: hNew, c_new: cNew };
  },
  categorical_crossentropy: () => new NotCovered('losses arrive with the training milestone (keras.losses)'),
  sparse_categorical_crossentropy: () => new NotCovered('losses arrive with the training milestone (keras.losses)'),
  binary_crossentropy: () => new NotCovered('losses arrive with the training milestone (keras.losses)'),
};
