/**
 * Runners for the PyTorch float64 cases (Keras layouts and semantics): forward outputs with ops,
 * gradients with `vjp` (each case's `dy` is the cotangent of L = sum(dy · y)).
 */
import { losses, ops, scalar, vjp, type Tensor } from '@keras-ts/core';
import { attr, type CaseOutputs, type CaseRunner } from './types.js';

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

/**
 * Keras's crossentropies: the per-sample loss from the function, the batch mean from the class
 * (reduction sum_over_batch_size) and dy_pred, the gradient of that mean with respect to y_pred.
 * Binary crossentropy's cases also hold the elementwise loss, averaged over the last axis per sample.
 */
function crossentropy(className: string, perSample: (yTrue: Tensor, yPred: Tensor, options: { fromLogits?: boolean }) => Tensor): CaseRunner {
  return (c, io): CaseOutputs => {
    const fromLogits = attr(c, 'from_logits', false);
    const yTrue = io.get('y_true');
    const yPred = io.get('y_pred');
    const loss = losses.get({ class_name: className, config: { from_logits: fromLogits } });
    const { outputs, grads } = vjp((p) => loss.apply(yTrue, p), [yPred], scalar(1));
    return { per_sample_loss: perSample(yTrue, yPred, { fromLogits }), loss: outputs[0], dy_pred: grads[0] };
  };
}

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
  categorical_crossentropy: crossentropy('CategoricalCrossentropy', losses.categoricalCrossentropy),
  sparse_categorical_crossentropy: crossentropy('SparseCategoricalCrossentropy', losses.sparseCategoricalCrossentropy),
  binary_crossentropy: crossentropy('BinaryCrossentropy', losses.binaryCrossentropy),
};
