/**
 * A custom training loop: the same kind of network as the demo's, trained with valueAndGrad and an
 * optimizer's applyGradients instead of fit. Runs on every backend.
 *
 *   node examples/dist/custom_training_loop.js [--backend tfjs-cpu]
 */
import * as keras from 'keras-ts';
import { loadDigits } from './mnist_data.js';

const { layers } = keras;
const i = process.argv.indexOf('--backend');
if (i >= 0) await keras.setBackend(process.argv[i + 1]);
else await keras.ready();
keras.utils.setRandomSeed(1);

const { train, test } = loadDigits(4000, 1000);
const model = new keras.Sequential([keras.Input({ shape: [784] }), new layers.Dense({ units: 128, activation: 'relu' }), new layers.Dense({ units: 10 })]);
const optimizer = new keras.optimizers.Adam({ learningRate: 0.002 });
const lossFn = new keras.losses.SparseCategoricalCrossentropy({ fromLogits: true });
const accuracy = new keras.metrics.SparseCategoricalAccuracy();

for (let epoch = 1; epoch <= 3; epoch++) {
  let total = 0;
  let batches = 0;
  for (let start = 0; start < train.count; start += 100) {
    total += keras.tidy(() => {
      const x = keras.tensor(train.images.subarray(start * 784, (start + 100) * 784), [100, 784]);
      const y = keras.tensor(train.labels.subarray(start, start + 100), [100], 'int32');
      const variables = model.trainableWeights;
      // The loss's gradient with respect to every trainable weight, then one update.
      const { value, grads } = keras.valueAndGrad(() => lossFn.apply(y, model.apply(x, { training: true })), variables);
      optimizer.applyGradients(grads.map((g, k) => [g, variables[k]]));
      return value.dataSync()[0];
    });
    batches++;
  }
  accuracy.resetState();
  keras.tidy(() => accuracy.updateState(keras.tensor(test.labels, [test.count], 'int32'), model.apply(keras.tensor(test.images, [test.count, 784]))));
  console.log(`epoch ${epoch}: loss ${(total / batches).toFixed(4)}, test accuracy ${((accuracy.result() as number) * 100).toFixed(2)}%`);
}
console.log(`backend '${keras.backend()}', live tensors: ${keras.memory().numTensors}`);

