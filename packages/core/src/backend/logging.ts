/** Verbose logging, off unless `config.setVerbose(true)` or KERAS_TS_VERBOSE=1. Each message is said once. */
import { environmentVariable } from './node_environment.js';

let verbose: boolean | undefined;
const said = new Set<string>();

export function setVerbose(value: boolean): void {
  verbose = value;
}

export function isVerbose(): boolean {
  if (verbose === undefined) verbose = environmentVariable('KERAS_TS_VERBOSE') === '1';
  return verbose;
}

export function logVerbose(message: string): void {
  if (!isVerbose() || said.has(message)) return;
  said.add(message);
  console.warn(`keras-ts: ${message}`);
}
