/**
 * The function behind `model.toJSON()`. serialization_lib.ts sets it when it loads: models/model.ts
 * cannot import serialization_lib.ts itself, which imports Sequential, a subclass of Model.
 */
import type { Model } from '../models/model.js';

let writer: ((model: Model) => unknown) | undefined;

export function setModelConfigWriter(write: (model: Model) => unknown): void {
  writer = write;
}

export function writeModelConfig(model: Model): unknown {
  if (!writer) {
    throw new Error(`model.toJSON(): the config writer is not loaded. Fix: import the model classes from '@keras-ts/core' (or 'keras-ts'), which loads it.`);
  }
  return writer(model);
}
