/**
 * The demo: trains a 784-128-10 network on real MNIST digits with keras-ts's ops and autodiff
 * (valueAndGrad and an Adam update written out), then reports test accuracy. It exits non-zero if
 * the network does not learn, so it doubles as a smoke test of the whole stack.
 *
 *   pnpm demo                      # the fastest installed backend
 *   KERAS_BACKEND=tfjs-cpu pnpm demo
 */
import * as keras from 'keras-ts';
import { loadDigits } from './mnist_data.js';

const { ops } = keras;
const TRAIN = 7000;
const TEST = 1500;
const BATCH = 100;
const EPOCHS = 6;
const LEARNING_RATE = 0.002;

await keras.ready();
keras.utils.setRandomSeed(42);
console.log(`keras-ts MNIST demo on backend '${keras.backend()}'`);

const { train, test } = loadDigits(TRAIN, TEST);
const glorot = keras.initializers.get('glorot_uniform');
// Variables keep a copy of their initial value; tidy frees the originals.
const params = keras.tidy(() => [
  new keras.Variable(glorot.call([784, 128]), { name: 'dense/kernel' }),
  new keras.Variable(keras.zeros([128]), { name: 'dense/bias' }),
  new keras.Variable(glorot.call([128, 10]), { name: 'dense_1/kernel' }),
  new keras.Variable(keras.zeros([10]), { name: 'dense_1/bias' }),
]);
const [w1, b1, w2, b2] = params;
const logitsOf = (x: keras.Tensor) => ops.add(ops.matmul(ops.relu(ops.add(ops.matmul(x, w1), b1)), w2), b2);

// Adam's moment estimates, one pair per parameter.
const m = keras.tidy(() => params.map((p) => new keras.Variable(keras.zeros([...p.shape]), { trainable: false })));
const v = keras.tidy(() => params.map((p) => new keras.Variable(keras.zeros([...p.shape]), { trainable: false })));
let step = 0;

function trainStep(x: keras.Tensor, y: keras.Tensor): number {
  const { value, grads } = keras.valueAndGrad(() => ops.mean(ops.softmaxCrossEntropy(logitsOf(x), y)), params);
  step++;
  keras.tidy(() => {
    const correction1 = 1 - 0.9 ** step;
    const correction2 = 1 - 0.999 ** step;
    params.forEach((p, i) => {
      m[i].assign(ops.add(ops.multiply(m[i], 0.9), ops.multiply(grads[i], 0.1)));
      v[i].assign(ops.add(ops.multiply(v[i], 0.999), ops.multiply(ops.square(grads[i]), 0.001)));
      const update = ops.divide(ops.divide(m[i], correction1), ops.add(ops.sqrt(ops.divide(v[i], correction2)), 1e-7));
      p.assign(ops.subtract(p, ops.multiply(update, LEARNING_RATE)));
    });
  });
  const loss = value.dataSync()[0];
  keras.dispose([value, grads]);
  return loss;
}

function accuracy(images: Float32Array, labels: Float32Array, count: number): number {
  return keras.tidy(() => {
    const predicted = ops.argmax(logitsOf(keras.tensor(images, [count, 784])), { axis: -1 });
    const truth = ops.argmax(keras.tensor(labels, [count, 10]), { axis: -1 });
    return ops.mean(ops.cast(ops.equal(predicted, truth), 'float32')).dataSync()[0];
  });
}

const started = performance.now();
for (let epoch = 1; epoch <= EPOCHS; epoch++) {
  let total = 0;
  for (let start = 0; start < TRAIN; start += BATCH) {
    total += keras.tidy(() =>
      trainStep(
        keras.tensor(train.images.subarray(start * 784, (start + BATCH) * 784), [BATCH, 784]),
        keras.tensor(train.labels.subarray(start * 10, (start + BATCH) * 10), [BATCH, 10]),
      ),
    );
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`epoch ${epoch}/${EPOCHS}  loss ${(total / (TRAIN / BATCH)).toFixed(4)}  test accuracy ${accuracy(test.images, test.labels, TEST).toFixed(4)}  (${seconds} s)`);
}

const final = accuracy(test.images, test.labels, TEST);
console.log(`live tensors: ${keras.memory().numTensors} (the 12 variables of the network and of Adam)`);
if (final < 0.9) {
  console.error(`The network reached only ${(final * 100).toFixed(1)}% test accuracy; expected at least 90%.`);
  process.exit(1);
}
console.log(`Done: ${(final * 100).toFixed(1)}% of ${TEST} unseen digits classified correctly.`);
