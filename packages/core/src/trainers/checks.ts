/** Checks of the data that run before the first step, so a mistake is reported in the user's terms. */
import { formatShape, type Dim } from '../tensor/shape.js';
import type { Model } from '../models/model.js';
import type { CompileState } from './compile_utils.js';
import type { HostArray } from './data_adapter.js';
import * as losses from '../losses/index.js';

function state(model: Model): CompileState | undefined {
  return (model as unknown as { compileState?: CompileState }).compileState;
}

/** Label shapes and dtypes against each output's loss (e.g. one-hot labels with a sparse loss). */
export function checkLabels(model: Model, ys: readonly HostArray[]): void {
  const compiled = state(model);
  if (!compiled) return;
  const outputs = model.isFunctional ? model.outputs : undefined;
  ys.forEach((y, i) => {
    const loss = compiled.losses[i];
    if (!loss) return;
    const predShape: Dim[] | undefined = outputs?.[i] ? [y.shape[0], ...outputs[i].shape.slice(1)] : undefined;
    if (predShape) losses.checkLossShapes(loss.loss, y.shape, predShape);
    const sparse = loss.loss.name.startsWith('sparse_');
    if (sparse && y.dtype === 'float32') {
      for (let k = 0; k < y.values.length; k++) {
        if (!Number.isInteger(y.values[k])) {
          throw new Error(
            `${loss.loss.name} needs integer class indices as labels, but y${ys.length > 1 ? `[${i}]` : ''} ${formatShape(y.shape)} holds ${y.values[k]} (at index ${k}). ` +
              `Fix: pass the class index of each sample (e.g. Int32Array), or use ${loss.loss.name.replace('sparse_', '')} with one-hot labels.`,
          );
        }
      }
    }
  });
}

/** NaN or infinities in the data, named by array and position. */
export function checkNumerics(arrays: readonly { name: string; array: HostArray }[]): void {
  for (const { name, array } of arrays) {
    if (array.dtype !== 'float32') continue;
    for (let k = 0; k < array.values.length; k++) {
      const v = array.values[k];
      if (!Number.isFinite(v)) {
        const row = Math.floor(k / Math.max(1, array.values.length / array.shape[0]));
        throw new Error(
          `${name} holds ${v} at sample ${row} (flat index ${k}) of ${formatShape(array.shape)}. Expected finite numbers: training on it would make the loss NaN. ` +
            `Fix: clean or impute the data (checkNumerics found it before the first step).`,
        );
      }
    }
  }
}
