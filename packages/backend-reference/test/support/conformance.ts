/**
 * Loads the conformance vectors (format `keras-ts-conformance/v1`, see the README next to them)
 * from $KERAS_TS_CONFORMANCE_DIR, else the repository's copy in packages/conformance/vectors
 * (Jest runs from the root).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DType, Shape } from '@keras-ts/core';
import type { Tolerance } from './harness.js';

export interface CaseTensor {
  readonly name: string;
  readonly shape: Shape;
  readonly dtype: string;
  /** The values as numbers: "NaN"/"Infinity"/"-Infinity" and booleans converted. */
  readonly data: number[];
}

export interface ConformanceCase {
  readonly id: string;
  readonly op: string;
  readonly attributes: Record<string, unknown>;
  readonly inputs: readonly CaseTensor[];
  readonly outputs: readonly CaseTensor[];
  readonly tolerance: Tolerance;
}

interface RawTensor {
  name: string;
  shape: number[];
  dtype: string;
  data: (number | string | boolean)[];
}

interface RawCase {
  format: string;
  id: string;
  op: string;
  attributes?: Record<string, unknown>;
  inputs: RawTensor[];
  outputs: RawTensor[];
  tolerance: { rtol: number; atol: number };
}

const toNumber = (v: number | string | boolean): number => (typeof v === 'string' ? Number(v) : Number(v));

/** The conformance directory, or undefined when it is not there. */
export function conformanceDir(): string | undefined {
  const candidates = [
    process.env.KERAS_TS_CONFORMANCE_DIR,
    // The repository's own copy of the vectors, so a fresh clone has them.
    resolve(process.cwd(), 'packages/conformance/vectors'),
  ];
  return candidates.find((dir): dir is string => dir !== undefined && existsSync(join(dir, 'index.json')));
}

/** Every case of one source folder (e.g. 'torch-ref'), sorted by id. */
export function loadCases(dir: string, source: string): ConformanceCase[] {
  const folder = join(dir, source);
  return readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const raw = JSON.parse(readFileSync(join(folder, f), 'utf8')) as RawCase;
      if (raw.format !== 'keras-ts-conformance/v1') throw new Error(`${f}: unknown format ${raw.format}`);
      const tensor = (t: RawTensor): CaseTensor => ({ name: t.name, shape: t.shape, dtype: t.dtype, data: t.data.map(toNumber) });
      return {
        id: raw.id,
        op: raw.op,
        attributes: raw.attributes ?? {},
        inputs: raw.inputs.map(tensor),
        outputs: raw.outputs.map(tensor),
        tolerance: { rtol: raw.tolerance.rtol, atol: raw.tolerance.atol },
      };
    });
}

/** The named input or output of a case (throws when absent). */
export function tensorOf(c: ConformanceCase, name: string): CaseTensor {
  const t = c.inputs.find((x) => x.name === name) ?? c.outputs.find((x) => x.name === name);
  if (!t) throw new Error(`${c.id}: no tensor named '${name}'`);
  return t;
}

export function hasInput(c: ConformanceCase, name: string): boolean {
  return c.inputs.some((x) => x.name === name);
}

/** The keras-ts dtype a case tensor is uploaded as. */
export function dtypeOf(t: CaseTensor): DType {
  if (t.dtype === 'float32' || t.dtype === 'float64') return 'float32';
  if (t.dtype === 'int32' || t.dtype === 'int64') return 'int32';
  return 'bool';
}
