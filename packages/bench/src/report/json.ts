/** The JSON copy of the results: the same numbers as the table, every round's time included. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { BenchResults } from './results.js';

/** NaN and infinities (a ratio with no pair) become null, which JSON can hold. */
export function resultsToJson(results: BenchResults): string {
  return JSON.stringify(results, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2);
}

export function writeResultsJson(results: BenchResults, path: string): string {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${resultsToJson(results)}\n`);
  return file;
}
