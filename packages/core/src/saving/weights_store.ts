/**
 * Keras 3's `model.weights.h5` (H5IOStore) both ways: every saveable gets a `<path>/vars` group,
 * with datasets "0", "1", ... holding its variables in order. Groups are made even for objects
 * without variables, as Keras 3.3 writes them (komei_lstm.keras has `layers/dropout/vars`).
 */
import { fromTypedArray } from '../tensor/create.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { tidy } from '../runtime/tidy.js';
import type { SaveableEntry, SaveableVariable } from './weights_walk.js';
import type { TypedArray } from '../tensor/dtype.js';
import { childDataset, childGroup, datasetValues, type H5Group, type H5Writer } from './h5_file.js';

/** Writes each entry's variables at `<path>/vars/<i>`; the optimizer's iteration counter is stored as Keras's int64. */
export function writeSaveables(writer: H5Writer, entries: readonly SaveableEntry[]): void {
  for (const entry of entries) {
    const varsPath = entry.path ? `${entry.path}/vars` : 'vars';
    writer.group(varsPath);
    entry.variables.forEach((variable, i) => {
      const values = variable.dataSync() as TypedArray;
      let data: Float32Array | Int32Array | BigInt64Array;
      if (entry.path === 'optimizer' && i === 0) {
        // Keras keeps `iterations` in int64; keras-ts counts in int32 (it has no int64 tensors).
        data = BigInt64Array.from(Array.from(values as ArrayLike<number>, (v) => BigInt(Math.round(v))));
      } else if (values instanceof Float32Array || values instanceof Int32Array) {
        data = values;
      } else {
        data = Float32Array.from(values as ArrayLike<number>);
      }
      writer.dataset(varsPath, String(i), data, variable.shape);
    });
  }
}

/** One weight whose saved shape differs from the model's, or a saveable whose variable count differs. */
export interface WeightMismatch {
  label: string;
  path: string;
  detail: string;
}

function toTypedArray(values: ArrayLike<number | bigint>, variable: SaveableVariable): TypedArray {
  const length = values.length;
  if (variable.dtype === 'int32') {
    const out = new Int32Array(length);
    for (let i = 0; i < length; i++) out[i] = Number(values[i]);
    return out;
  }
  if (values instanceof Float32Array && variable.dtype === 'float32') return values;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = Number(values[i]);
  return out;
}

/** Assigns saved values to a variable (converting dtype), after its shape was checked. */
export function assignSaved(variable: SaveableVariable, values: ArrayLike<number | bigint>, shape: readonly number[]): void {
  const data = toTypedArray(values, variable);
  tidy(() => variable.assign(fromTypedArray(data, [...shape], variable.dtype === 'int32' ? 'int32' : variable.dtype)));
}

/** The `vars` group of an entry in a Keras 3 file, with the Keras 2.13 fallback name for `layers`. */
function varsGroupOf(root: H5Group, path: string): H5Group | undefined {
  if (!path) return childGroup(root, 'vars');
  return childGroup(root, `${path}/vars`) ?? (path.startsWith('layers/') ? childGroup(root, `_layer_checkpoint_dependencies/${path.slice('layers/'.length)}/vars`) : undefined);
}

/**
 * Reads every entry's variables from a Keras 3 weights file. Mismatched entries are listed, not
 * assigned; entries that match are assigned unless `checkOnly`.
 */
export function readSaveables(root: H5Group, entries: readonly SaveableEntry[], what: string, checkOnly = false): WeightMismatch[] {
  const mismatches: WeightMismatch[] = [];
  const plans: { variable: SaveableVariable; values: ArrayLike<number | bigint>; shape: number[] }[][] = [];
  for (const entry of entries) {
    const group = varsGroupOf(root, entry.path);
    const savedCount = group ? group.keys().length : 0;
    if (savedCount !== entry.variables.length) {
      if (entry.variables.length === 0 && !group) continue;
      mismatches.push({
        label: entry.label,
        path: entry.path,
        detail: `the file has ${savedCount} variable(s) at '${entry.path ? `${entry.path}/` : ''}vars' but the model's ${entry.label} has ${entry.variables.length} (${entry.variables.map((v) => `${v.path} ${formatShape(v.shape)}`).join(', ') || 'none'})`,
      });
      continue;
    }
    const plan: { variable: SaveableVariable; values: ArrayLike<number | bigint>; shape: number[] }[] = [];
    let bad = false;
    entry.variables.forEach((variable, i) => {
      const dataset = group ? childDataset(group, String(i)) : undefined;
      if (!dataset) {
        bad = true;
        mismatches.push({ label: entry.label, path: entry.path, detail: `the file has no dataset '${entry.path}/vars/${i}' for ${variable.path}` });
        return;
      }
      const shape = dataset.shape ?? [];
      if (!shapesEqual(shape, variable.shape)) {
        bad = true;
        mismatches.push({ label: entry.label, path: entry.path, detail: `${variable.path} has shape ${formatShape(variable.shape)} in the model but ${formatShape(shape)} in the file (${entry.path}/vars/${i})` });
        return;
      }
      plan.push({ variable, values: checkOnly ? [] : datasetValues(dataset, what).values, shape });
    });
    if (!bad) plans.push(plan);
  }
  if (!checkOnly) for (const plan of plans) for (const { variable, values, shape } of plan) assignSaved(variable, values, shape);
  return mismatches;
}

/** The error for mismatches, naming each layer and shape. */
export function mismatchError(mismatches: readonly WeightMismatch[], what: string): Error {
  const lines = mismatches.map((m) => `  - layer '${m.label}' (${m.path || 'the model itself'}): ${m.detail}`);
  return new Error(
    `Cannot load the weights of ${what}: ${mismatches.length} layer(s) do not match the model:\n${lines.join('\n')}\n` +
      `Fix: build the model with the same architecture as the one saved, or pass { skipMismatch: true } to load the matching layers and skip these.`,
  );
}
