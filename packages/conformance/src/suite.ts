/**
 * The conformance kit as tests of the runner a backend author already uses (Jest, node:test,
 * Vitest: anything with describe/it). One describe block per matrix row (setup, ops/onnx-node,
 * ops/torch-ref, ops/edge, gradients, layers, training, agreement); one test per case, named by
 * its stable id.
 *
 * ```ts
 * import { describe, it } from '@jest/globals';        // or: from 'node:test'
 * registerBackendConformance('my-backend', () => new MyBackend(), { describe, it });
 * ```
 */
import { setBackend, type BackendFactory } from '@keras-ts/core';
import { executeCase, missingKernels, skipReasonOf, startBackend } from './execute.js';
import type { ConformanceCaseSpec, ConformanceOptions } from './kit.js';
import { selectCases, skipProblems } from './tiers/index.js';

type TestFunction = () => void | Promise<void>;

export interface TestRunner {
  describe(name: string, fn: () => void): unknown;
  it: ((name: string, fn: TestFunction) => unknown) & { skip?: (name: string, fn: TestFunction) => unknown };
}

/** The cases grouped by matrix row, in order of first appearance. */
export function groupCases(cases: readonly ConformanceCaseSpec[]): Map<string, ConformanceCaseSpec[]> {
  const groups = new Map<string, ConformanceCaseSpec[]>();
  for (const c of cases) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  return groups;
}

/**
 * Registers every selected case as a test of `runner`. A case keras-ts cannot express, or one in
 * `skip`, is a skipped test whose title gives the reason. A skip that names no case, or gives no
 * reason, fails the 'setup/skips' test, which names the id.
 */
export function registerBackendConformance(name: string, createBackend: BackendFactory, runner: TestRunner, options: ConformanceOptions = {}): void {
  let started: Promise<void> | undefined;
  const activate = async () => {
    started ??= startBackend(name, createBackend);
    await started;
    await setBackend(name);
  };
  const context = { backendName: name, options };
  const skipTest = runner.it.skip ?? ((title: string) => runner.it(title, () => undefined));
  runner.describe(`${name}: conformance`, () => {
    runner.describe('setup', () => {
      runner.it('setup/start', activate);
      runner.it('setup/skips', () => {
        const problems = skipProblems(options);
        if (problems.length > 0) throw new Error(problems.join('; '));
      });
      runner.it('setup/required-kernels', async () => {
        await activate();
        const problem = missingKernels();
        if (problem) throw new Error(problem);
      });
    });
    for (const [group, cases] of groupCases(selectCases(options))) {
      runner.describe(group, () => {
        for (const c of cases) {
          const reason = skipReasonOf(c, context);
          if (reason) {
            skipTest(`${c.id} (skipped: ${reason})`, () => undefined);
            continue;
          }
          runner.it(c.id, async () => {
            await activate();
            const result = await executeCase(c, context);
            if (result.status === 'failed') throw new Error(`${result.id}: ${result.message}`);
          });
        }
      });
    }
  });
}
