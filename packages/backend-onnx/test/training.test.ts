/**
 * End to end through core: a small CNN (conv, relu, max and average pooling, dense, softmax
 * cross-entropy) trained by gradient descent with core's autodiff, on the onnx backend and on
 * the reference backend. The losses must agree step by step, and the whole run must need only
 * a few dozen sessions.
 */
import { expect, it } from '@jest/globals';
import { ops, registerBackend, setBackend, tensor, tidy, valueAndGrad, Variable, type Tensor } from '@keras-ts/core';
import { createReferenceBackend } from '@keras-ts/backend-reference';
import { createOnnxBackend, type OnnxBackend } from '../src/index.js';

const BATCH = 8;
const STEPS = 5;

const values = (shape: number[], seed: number, scale: number): Tensor =>
  tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 12.9898 + seed) * scale), shape);

async function train(backendName: string): Promise<number[]> {
  await setBackend(backendName);
  const [k1, k2, w, b] = [
    new Variable(values([3, 3, 1, 8], 1, 0.3)),
    new Variable(values([3, 3, 8, 16], 2, 0.1)),
    new Variable(values([16 * 7 * 7, 10], 3, 0.05)),
    new Variable(tensor(new Array(10).fill(0), [10])),
  ];
  const params = [k1, k2, w, b];
  const x = values([BATCH, 28, 28, 1], 10, 1);
  const labels = ops.oneHot(tensor(Array.from({ length: BATCH }, (_, i) => i % 10), [BATCH], 'int32'), 10);
  const losses: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    tidy(() => {
      const { value, grads } = valueAndGrad(() => {
        let h = ops.maxPool(ops.relu(ops.conv(x, k1, { padding: 'same' })), 2);
        h = ops.averagePool(ops.relu(ops.conv(h, k2, { padding: 'same' })), 2);
        const logits = ops.add(ops.matmul(ops.reshape(h, [BATCH, 16 * 7 * 7]), w), b);
        return ops.mean(ops.softmaxCrossEntropy(logits, labels));
      }, params);
      losses.push(value.dataSync()[0]);
      params.forEach((p, i) => p.assign(ops.subtract(p.value, ops.multiply(grads[i], 0.1))));
    });
  }
  return losses;
}

it('a CNN trains step by step as on the reference backend, with a few dozen sessions', async () => {
  let onnx: OnnxBackend | undefined;
  registerBackend('onnx-training', () => (onnx = createOnnxBackend()));
  registerBackend('reference-training', () => createReferenceBackend());
  const got = await train('onnx-training');
  const want = await train('reference-training');
  got.forEach((loss, i) => expect(Math.abs(loss - want[i])).toBeLessThan(1e-4));
  expect(got[STEPS - 1]).toBeLessThan(got[0]);
  expect(onnx?.sessionCacheSize()).toBeLessThan(50);
});
