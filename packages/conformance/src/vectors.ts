/**
 * The reference vectors this package carries (vectors/, copied from the project's shared set with
 * their licenses): ONNX backend node tests and PyTorch float64 cases in Keras layouts. Format:
 * vectors/README.md (`keras-ts-conformance/v1`).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export type VectorDType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool';

export interface VectorTensor {
  name: string;
  shape: number[];
  dtype: VectorDType;
  data: (number | string | boolean)[];
}

export interface ConformanceCase {
  id: string;
  op: string;
  attributes: Record<string, unknown>;
  inputs: VectorTensor[];
  outputs: VectorTensor[];
  node_inputs?: string[];
  node_outputs?: string[];
  tolerance?: { rtol: number; atol: number };
  layout?: string;
  notes?: string;
  opset?: number;
  keras_compatible?: boolean;
}

/** The folder holding the vectors, next to this package's dist/ or src/. */
export function vectorsDirectory(): string {
  return fileURLToPath(new URL('../vectors/', import.meta.url));
}

let cache: ConformanceCase[] | undefined;

/** Every case, ordered by id. */
export function loadCases(): ConformanceCase[] {
  if (cache) return cache;
  const root = vectorsDirectory();
  const cases: ConformanceCase[] = [];
  for (const source of ['onnx-node', 'torch-ref']) {
    for (const file of readdirSync(join(root, source)).filter((f) => f.endsWith('.json')).sort()) {
      cases.push(JSON.parse(readFileSync(join(root, source, file), 'utf8')) as ConformanceCase);
    }
  }
  cache = cases;
  return cases;
}

/** Numbers of a vector tensor, with "NaN"/"Infinity" strings and booleans converted. */
export function numbersOf(t: VectorTensor): number[] {
  return t.data.map((v) => (typeof v === 'string' ? Number(v) : Number(v)));
}
