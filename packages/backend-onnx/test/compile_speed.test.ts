/**
 * A speed sanity check (printed, not asserted beyond "compiled is not slower"): one training epoch
 * of the MLP 784-256-128-10 (Adam, batch 128, 64 steps) and of an LSTM(64) (batch 64, 64 steps),
 * and predict of a small CNN, eager (jitCompile: false) against compiled, on onnx.
 */
import { beforeAll, expect, it } from '@jest/globals';
import { layers, registerBackend, Sequential, setBackend, tensor, type Tensor } from '@keras-ts/core';
import { createOnnxBackend } from '../src/index.js';

beforeAll(async () => {
  registerBackend('onnx', () => createOnnxBackend());
  await setBackend('onnx');
});

const data = (n: number, shape: number[]): Tensor => {
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor(Float32Array.from({ length: n * size }, (_, i) => Math.sin(i * 0.37)), [n, ...shape]);
};

const labels = (n: number, classes: number): Tensor => {
  const values = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) values[i * classes + (i % classes)] = 1;
  return tensor(values, [n, classes]);
};

/** One epoch's seconds, after a first epoch (whose third step already runs compiled). */
async function epochSeconds(model: Sequential, x: Tensor, y: Tensor, batchSize: number): Promise<number> {
  await model.fit(x, y, { epochs: 1, batchSize, verbose: 0 });
  const start = performance.now();
  await model.fit(x, y, { epochs: 1, batchSize, verbose: 0 });
  return (performance.now() - start) / 1000;
}

it('MLP and LSTM training and CNN predict: compiled is not slower than eager (times printed)', async () => {
  const lines: string[] = [];
  const x = data(128 * 64, [784]);
  const y = labels(128 * 64, 10);
  const times: Record<string, number> = {};
  for (const jitCompile of [false, true]) {
    const model = new Sequential([
      layers.Input({ shape: [784] }), new layers.Dense({ units: 256, activation: 'relu' }), new layers.Dense({ units: 128, activation: 'relu' }),
      new layers.Dense({ units: 10, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'], jitCompile });
    times[`mlp ${jitCompile}`] = await epochSeconds(model, x, y, 128);
    lines.push(`MLP 784-256-128-10 Adam batch 128, 64 steps: ${jitCompile ? 'compiled' : 'eager'} ${times[`mlp ${jitCompile}`].toFixed(3)} s`);
  }
  x.dispose();
  y.dispose();
  const images = data(2048, [28, 28, 1]);
  for (const jitCompile of [false, true]) {
    const model = new Sequential([
      layers.Input({ shape: [28, 28, 1] }), new layers.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }), new layers.MaxPooling2D({ poolSize: 2 }),
      new layers.Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }), new layers.MaxPooling2D({ poolSize: 2 }), new layers.Flatten(),
      new layers.Dense({ units: 10, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', jitCompile });
    ((await model.predict(images, { batchSize: 256 })) as Tensor).dispose();
    const start = performance.now();
    ((await model.predict(images, { batchSize: 256 })) as Tensor).dispose();
    times[`cnn ${jitCompile}`] = (performance.now() - start) / 1000;
    lines.push(`CNN predict of 2048 samples, batch 256: ${jitCompile ? 'compiled' : 'eager'} ${times[`cnn ${jitCompile}`].toFixed(3)} s`);
  }
  images.dispose();
  const trainers: [string, () => Sequential, number[], number][] = [
    ['LSTM(64) over [20, 8], batch 64, 64 steps', () => new Sequential([layers.Input({ shape: [20, 8] }), new layers.LSTM({ units: 64 }), new layers.Dense({ units: 10, activation: 'softmax' })]), [20, 8], 64 * 64],
  ];
  for (const [label, build, shape, count] of trainers) {
    const tx = data(count, shape);
    const ty = labels(count, 10);
    for (const jitCompile of [false, true]) {
      const model = build();
      model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'], jitCompile });
      times[`${label} ${jitCompile}`] = await epochSeconds(model, tx, ty, 64);
      lines.push(`${label}: ${jitCompile ? 'compiled' : 'eager'} ${times[`${label} ${jitCompile}`].toFixed(3)} s`);
    }
    tx.dispose();
    ty.dispose();
  }
  console.log(lines.join('\n'));
  expect(times['mlp true']).toBeLessThan(times['mlp false'] * 1.5);
  expect(times['cnn true']).toBeLessThan(times['cnn false'] * 1.5);
}, 300000);
