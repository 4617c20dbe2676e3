/**
 * Runners for the torch-ref cases of whole computations Keras layers perform: LSTM and GRU over a
 * sequence and batch normalization, composed from ops exactly as the layers will compose them.
 */
import { ops, vjp, zeros, type Tensor } from '@keras-ts/core';
import { attr, type CaseOutputs, type CaseRunner } from './types.js';

/** Runs an LSTM over x [b, t, in] with lstmCell; returns [sequences, h, c]. */
export function lstmSequence(x: Tensor, h0: Tensor, c0: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor, goBackwards = false): Tensor[] {
  const steps = x.shape[1];
  let h = h0;
  let c = c0;
  const outputs: Tensor[] = [];
  for (let s = 0; s < steps; s++) {
    const t = goBackwards ? steps - 1 - s : s;
    const xt = ops.reshape(ops.slice(x, [0, t, 0], [x.shape[0], 1, x.shape[2]]), [x.shape[0], x.shape[2]]);
    [h, c] = ops.lstmCell(xt, h, c, kernel, recurrentKernel, bias);
    outputs.push(h);
  }
  return [ops.stack(outputs, { axis: 1 }), h, c];
}

/** One Keras GRU step (gates z, r, h); bias is [2, 3u] when resetAfter, else [3u]. */
export function gruStep(x: Tensor, h: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor, resetAfter: boolean): Tensor {
  const units = h.shape[1];
  const [inputBias, recurrentBias] = resetAfter ? ops.split(bias, 2, { axis: 0 }).map((b) => ops.reshape(b, [3 * units])) : [bias, undefined];
  const [xz, xr, xh] = ops.split(ops.add(ops.matmul(x, kernel), inputBias), 3, { axis: -1 });
  const [uz, ur, uh] = ops.split(recurrentKernel, 3, { axis: -1 });
  let candidate: Tensor;
  let z: Tensor;
  if (resetAfter) {
    const recurrent = ops.add(ops.matmul(h, recurrentKernel), recurrentBias as Tensor);
    const [rz, rr, rh] = ops.split(recurrent, 3, { axis: -1 });
    z = ops.sigmoid(ops.add(xz, rz));
    const r = ops.sigmoid(ops.add(xr, rr));
    candidate = ops.tanh(ops.add(xh, ops.multiply(r, rh)));
  } else {
    z = ops.sigmoid(ops.add(xz, ops.matmul(h, uz)));
    const r = ops.sigmoid(ops.add(xr, ops.matmul(h, ur)));
    candidate = ops.tanh(ops.add(xh, ops.matmul(ops.multiply(r, h), uh)));
  }
  return ops.add(ops.multiply(z, h), ops.multiply(ops.subtract(1, z), candidate));
}

export function gruSequence(x: Tensor, h0: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor, resetAfter: boolean): Tensor[] {
  let h = h0;
  const outputs: Tensor[] = [];
  for (let t = 0; t < x.shape[1]; t++) {
    const xt = ops.reshape(ops.slice(x, [0, t, 0], [x.shape[0], 1, x.shape[2]]), [x.shape[0], x.shape[2]]);
    h = gruStep(xt, h, kernel, recurrentKernel, bias, resetAfter);
    outputs.push(h);
  }
  return [ops.stack(outputs, { axis: 1 }), h];
}

export const TORCH_REF_LAYER_RUNNERS: Record<string, CaseRunner> = {
  lstm_sequence: (c, io): CaseOutputs => {
    const x = io.get('x');
    const units = io.get('recurrent_kernel').shape[0];
    const hasInitial = io.has('initial_h');
    const h0 = hasInitial ? io.get('initial_h') : zeros([x.shape[0], units]);
    const c0 = hasInitial ? io.get('initial_c') : zeros([x.shape[0], units]);
    const goBackwards = attr(c, 'go_backwards', false);
    const sources = [x, io.get('kernel'), io.get('recurrent_kernel'), io.get('bias'), ...(hasInitial ? [h0, c0] : [])];
    const { outputs, grads } = vjp(
      (xs, k, r, b, h, cc) => lstmSequence(xs, h ?? h0, cc ?? c0, k, r, b, goBackwards),
      sources,
      [io.get('d_sequences'), io.get('d_h'), io.get('d_c')],
    );
    const result: CaseOutputs = { sequences: outputs[0], h: outputs[1], c: outputs[2], dx: grads[0], dkernel: grads[1], drecurrent_kernel: grads[2], dbias: grads[3] };
    if (hasInitial) Object.assign(result, { dinitial_h: grads[4], dinitial_c: grads[5] });
    return result;
  },
  gru_sequence: (c, io): CaseOutputs => {
    const x = io.get('x');
    const units = io.get('recurrent_kernel').shape[0];
    const h0 = io.has('initial_h') ? io.get('initial_h') : zeros([x.shape[0], units]);
    const [sequences, h] = gruSequence(x, h0, io.get('kernel'), io.get('recurrent_kernel'), io.get('bias'), attr(c, 'reset_after', true));
    return { sequences, h };
  },
  batch_normalization: (c, io): CaseOutputs => {
    const training = attr(c, 'training', false);
    const epsilon = attr(c, 'epsilon', 1e-3);
    const momentum = attr(c, 'momentum', 0.99);
    const x = io.get('x');
    const axes = attr<number[]>(c, 'reduction_axes', [...Array(x.shape.length - 1).keys()]);
    const movingMean = io.get('moving_mean');
    const movingVariance = io.get('moving_variance');
    const result: CaseOutputs = {};
    const normalize = (xs: Tensor, gamma: Tensor, beta: Tensor): Tensor => {
      let mean = movingMean;
      let variance = movingVariance;
      if (training) ({ mean, variance } = ops.moments(xs, axes));
      return ops.add(ops.multiply(ops.divide(ops.subtract(xs, mean), ops.sqrt(ops.add(variance, epsilon))), gamma), beta);
    };
    const { outputs, grads } = vjp(normalize, [x, io.get('gamma'), io.get('beta')], io.get('dy'));
    Object.assign(result, { y: outputs[0], dx: grads[0], dgamma: grads[1], dbeta: grads[2] });
    if (training) {
      const { mean, variance } = ops.moments(x, axes);
      Object.assign(result, {
        batch_mean: mean,
        batch_variance: variance,
        new_moving_mean: ops.add(ops.multiply(movingMean, momentum), ops.multiply(mean, 1 - momentum)),
        new_moving_variance: ops.add(ops.multiply(movingVariance, momentum), ops.multiply(variance, 1 - momentum)),
      });
    }
    return result;
  },
};
