/**
 * The conformance kit: one function that registers every case as a test of the runner a backend
 * author already uses (Jest, node:test, Vitest: anything with describe/it).
 *
 * ```ts
 * import { describe, it } from '@jest/globals';
 * registerBackendConformance('my-backend', () => new MyBackend(), { describe, it });
 * ```
 */
import { memory, registerBackend, setBackend, tidy, type BackendFactory, type Tensor } from '@keras-ts/core';
import { mismatch, type Tolerance } from './compare.js';
import { CaseInputs, NotCovered, notCoveredReason, runnerFor } from './cases/index.js';
import { loadCases, type ConformanceCase } from './vectors.js';

type TestFunction = () => void | Promise<void>;

export interface TestRunner {
  describe(name: string, fn: () => void): void;
  it: ((name: string, fn: TestFunction) => void) & { skip?: (name: string, fn: TestFunction) => void };
}

export interface ConformanceOptions {
  /** Case ids to skip, each with the reason (it must name a case that exists). */
  skip?: Record<string, string>;
  /** Only cases whose id contains one of these strings (for a quick run). */
  only?: readonly string[];
  /** Tolerance used when a case suggests none, and a floor for float32 backends (ONNX's atol 1e-7 is tighter than float32 allows near zero). */
  minimumTolerance?: Tolerance;
}

/** The stable id of a vector case in the kit: `ops/<source>/<case>`. */
export const caseId = (c: ConformanceCase): string => `ops/${c.id}`;

export interface CaseResult {
  id: string;
  status: 'passed' | 'failed' | 'skipped';
  message?: string;
}

const DEFAULT_FLOOR: Tolerance = { rtol: 1e-5, atol: 1e-5 };

/** Runs one case on the current backend; throws nothing, reports instead. */
export function runCase(c: ConformanceCase, options: ConformanceOptions = {}): CaseResult {
  const id = caseId(c);
  const reason = options.skip?.[id] ?? notCoveredReason(c);
  if (reason) return { id, status: 'skipped', message: reason };
  const runner = runnerFor(c);
  if (!runner) return { id, status: 'skipped', message: 'no runner' };
  const floor = options.minimumTolerance ?? DEFAULT_FLOOR;
  const tolerance: Tolerance = {
    rtol: Math.max(c.tolerance?.rtol ?? floor.rtol, floor.rtol),
    atol: Math.max(c.tolerance?.atol ?? floor.atol, floor.atol),
  };
  const before = memory().numTensors;
  try {
    const problems = tidy(() => {
      const result = runner(c, new CaseInputs(c));
      if (result instanceof NotCovered) return [`not covered: ${result.reason}`];
      const found: string[] = [];
      let compared = 0;
      for (const expected of c.outputs) {
        const actual: Tensor | undefined = result[expected.name];
        if (!actual) continue;
        compared++;
        const problem = mismatch(actual, expected, tolerance);
        if (problem) found.push(problem);
      }
      if (compared === 0) found.push(`the runner produced none of the outputs ${c.outputs.map((o) => o.name).join(', ')}`);
      return found;
    });
    const leaked = memory().numTensors - before;
    if (leaked !== 0) problems.push(`${leaked} tensors leaked`);
    return problems.length === 0 ? { id, status: 'passed' } : { id, status: 'failed', message: problems.join('; ') };
  } catch (error) {
    return { id, status: 'failed', message: `threw: ${(error as Error).message}` };
  }
}

/** Checks that every skip names a case that exists; returns the unknown ids. */
export function unknownSkips(options: ConformanceOptions, cases: readonly ConformanceCase[] = loadCases()): string[] {
  const ids = new Set(cases.map(caseId));
  return Object.keys(options.skip ?? {}).filter((id) => !ids.has(id));
}

/** The cases of the ops tier, filtered by `only`. */
export function selectCases(options: ConformanceOptions = {}): ConformanceCase[] {
  const cases = loadCases();
  return options.only ? cases.filter((c) => options.only?.some((s) => c.id.includes(s))) : cases;
}

/**
 * Registers the conformance suite for a backend as tests of `runner`. Each case is one test named
 * by its stable id; a case keras-ts cannot express, or one in `skip`, is a skipped test with its reason.
 */
export function registerBackendConformance(name: string, createBackend: BackendFactory, runner: TestRunner, options: ConformanceOptions = {}): void {
  let started: Promise<void> | undefined;
  const activate = async () => {
    started ??= (async () => {
      registerBackend(name, createBackend);
      await setBackend(name);
    })();
    await started;
    await setBackend(name);
  };
  runner.describe(`${name}: conformance`, () => {
    runner.it('every skip names a case that exists and gives a reason', () => {
      const unknown = unknownSkips(options);
      const unexplained = Object.entries(options.skip ?? {}).filter(([, reason]) => typeof reason !== 'string' || reason.trim() === '');
      if (unknown.length > 0 || unexplained.length > 0) {
        throw new Error(
          [unknown.length > 0 ? `unknown skip ids: ${unknown.join(', ')}` : '', unexplained.length > 0 ? `skips without a reason: ${unexplained.map(([id]) => id).join(', ')}` : '']
            .filter(Boolean)
            .join('; '),
        );
      }
    });
    runner.describe('ops', () => {
      for (const c of selectCases(options)) {
        const reason = options.skip?.[caseId(c)] ?? notCoveredReason(c);
        if (reason) {
          const skipped = runner.it.skip ?? ((title: string, fn: TestFunction) => runner.it(title, fn));
          skipped(`${caseId(c)} (skipped: ${reason})`, () => undefined);
          continue;
        }
        runner.it(caseId(c), async () => {
          await activate();
          const result = runCase(c, options);
          if (result.status === 'failed') throw new Error(`${result.id}: ${result.message}`);
        });
      }
    });
  });
}
