/**
 * The demo: a small CNN learns real MNIST digits with model.fit, on the default backend (the
 * fastest installed) or the one `--backend` names. It prints the model's summary, Keras's
 * progress bar and the test accuracy, and exits non-zero below 97%, so it doubles as a check of
 * the whole stack.
 *
 *   npm run demo                                  # from the repository root
 *   node examples/dist/mnist_demo.js --backend tfjs-cpu
 */
import * as keras from 'keras-ts';
import { loadDigits } from './mnist_data.js';

const { layers } = keras;
const TRAIN = 8000;
const TEST = 2000;
const EPOCHS = 8;
const BATCH = 64;
const TARGET = 0.97;

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const chosen = argument('backend');
if (chosen) await keras.setBackend(chosen);
else await keras.ready();
keras.utils.setRandomSeed(42);
console.log(`keras-ts MNIST demo on backend '${keras.backend()}': ${TRAIN} digits to learn from, ${TEST} to test on\n`);

const { train, test } = loadDigits(TRAIN, TEST);
const images = (d: typeof train) => ({ data: d.images, shape: [d.count, 28, 28, 1] });

const model = new keras.Sequential([
  keras.Input({ shape: [28, 28, 1] }),
  new layers.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }),
  new layers.MaxPooling2D({ poolSize: 2 }),
  new layers.Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }),
  new layers.MaxPooling2D({ poolSize: 2 }),
  new layers.Flatten(),
  new layers.Dropout({ rate: 0.3 }),
  new layers.Dense({ units: 10, activation: 'softmax' }),
]);
model.summary();
model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });

const started = performance.now();
await model.fit(images(train), { data: train.labels, shape: [train.count] }, { epochs: EPOCHS, batchSize: BATCH, validationSplit: 0.1 });
const seconds = (performance.now() - started) / 1000;

const [loss, accuracy] = (await model.evaluate(images(test), { data: test.labels, shape: [test.count] }, { verbose: 0 })) as number[];
console.log(`\nTest loss ${loss.toFixed(4)}, test accuracy ${(accuracy * 100).toFixed(2)}% on ${TEST} unseen digits; training took ${seconds.toFixed(1)} s.`);
console.log(`Live tensors: ${keras.memory().numTensors} (the model's weights and the optimizer's and metrics' state).`);
if (accuracy < TARGET) {
  console.error(`Expected at least ${TARGET * 100}% test accuracy.`);
  process.exit(1);
}
