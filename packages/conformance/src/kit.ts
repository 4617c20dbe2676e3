/**
 * What every conformance case is, whatever its tier: a stable id, the matrix row it counts in, and
 * a `run` that throws when the backend under test disagrees. Runners (`registerBackendConformance`,
 * `runConformance`) wrap each run with the memory check, so no case repeats it.
 */
import type { Tolerance } from './compare.js';

/** The tiers, cheapest first. The memory check is not a tier of its own: it wraps every case. */
export const TIERS = ['ops', 'gradients', 'layers', 'training', 'agreement'] as const;
export type Tier = (typeof TIERS)[number];

export interface ConformanceOptions {
  /** Case ids to skip, each with the reason (it must name a case that exists). */
  skip?: Record<string, string>;
  /** Only cases whose id contains one of these strings (for a quick run). */
  only?: readonly string[];
  /** Only these tiers (default: all of them). */
  tiers?: readonly Tier[];
  /** Tolerance used when a vector case suggests none, and a floor for float32 backends (ONNX's atol 1e-7 is tighter than float32 allows near zero). */
  minimumTolerance?: Tolerance;
}

/** What a case is given when it runs. The backend under test is the current backend. */
export interface CaseContext {
  /** The name the backend under test is registered under. */
  readonly backendName: string;
  readonly options: ConformanceOptions;
}

export interface ConformanceCaseSpec {
  /** `<tier>/<name>`, or `ops/<source>/<case>` for a reference vector. Never renamed: skips name it. */
  readonly id: string;
  readonly tier: Tier;
  /** The row of the matrix it counts in: the tier, or `ops/<source>` and `ops/edge` for the ops tier. */
  readonly group: string;
  /** Why keras-ts itself cannot express the case yet; such a case is reported as skipped and never run. */
  readonly notCovered?: string;
  /** Runs the case on the current backend; throws (an Error whose message says what differs) on failure. */
  run(context: CaseContext): void | Promise<void>;
}

/** A failed comparison (as opposed to an exception thrown by a kernel or by core). */
export class Mismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Mismatch';
  }
}

export interface CaseResult {
  id: string;
  group: string;
  status: 'passed' | 'failed' | 'skipped';
  /** Why it failed, or why it was skipped. */
  message?: string;
}

/** The error of a case as the reports print it: a mismatch as is, anything else as what was thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Mismatch) return error.message;
  if (error instanceof Error) return `threw ${error.name}: ${error.message}`;
  return `threw ${String(error)}`;
}
