/**
 * The conformance kit without a test runner: `runConformance` runs every selected case on one
 * backend and returns a report by matrix row. It never throws: a factory that throws or returns
 * something other than a Backend, a bad skip, a kernel that throws, each becomes a failed case
 * with its message. The `keras-ts conformance` command prints these reports as a matrix.
 */
import { backendInstance, describeCapabilities, type BackendFactory, type CapabilityReport } from '@keras-ts/core';
import { executeCase, missingKernels, startBackend } from './execute.js';
import { describeError, type CaseResult, type ConformanceCaseSpec, type ConformanceOptions } from './kit.js';
import { selectCases, skipProblems } from './tiers/index.js';

export interface GroupReport {
  /** The matrix row: 'setup', 'ops/onnx-node', 'ops/torch-ref', 'ops/edge', 'gradients', 'layers', 'training' or 'agreement'. */
  group: string;
  passed: number;
  failed: number;
  skipped: number;
  failures: { id: string; message: string }[];
  skips: { id: string; reason: string }[];
  milliseconds: number;
}

export interface ConformanceReport {
  backend: string;
  /** Rows in order; only 'setup' when the backend could not start. */
  groups: GroupReport[];
  /** What the backend runs natively and what core composes; absent when it could not start. */
  capabilities?: CapabilityReport;
  /** No case failed. */
  ok: boolean;
}

export interface RunOptions extends ConformanceOptions {
  /** Called after each case (for progress output). */
  onResult?: (result: CaseResult) => void;
}

function tally(groups: Map<string, GroupReport>, result: CaseResult, milliseconds: number): void {
  let row = groups.get(result.group);
  if (!row) {
    row = { group: result.group, passed: 0, failed: 0, skipped: 0, failures: [], skips: [], milliseconds: 0 };
    groups.set(result.group, row);
  }
  row[result.status]++;
  row.milliseconds += milliseconds;
  if (result.status === 'failed') row.failures.push({ id: result.id, message: result.message ?? 'failed' });
  if (result.status === 'skipped') row.skips.push({ id: result.id, reason: result.message ?? '' });
}

export async function runConformance(name: string, createBackend: BackendFactory, options: RunOptions = {}): Promise<ConformanceReport> {
  const groups = new Map<string, GroupReport>();
  const record = (result: CaseResult, milliseconds = 0) => {
    tally(groups, result, milliseconds);
    options.onResult?.(result);
  };
  const setup = (id: string, problem: string | undefined) => record({ id, group: 'setup', status: problem ? 'failed' : 'passed', message: problem });
  const report = (capabilities?: CapabilityReport): ConformanceReport => {
    const rows = [...groups.values()];
    return { backend: name, groups: rows, capabilities, ok: rows.every((r) => r.failed === 0) };
  };

  try {
    await startBackend(name, createBackend);
    setup('setup/start', undefined);
  } catch (error) {
    setup('setup/start', `backend '${name}' did not start: ${describeError(error)}`);
    return report();
  }
  let capabilities: CapabilityReport | undefined;
  try {
    capabilities = describeCapabilities(backendInstance());
    setup('setup/required-kernels', missingKernels());
  } catch (error) {
    setup('setup/required-kernels', describeError(error));
  }
  let problems: string[];
  try {
    problems = skipProblems(options);
  } catch (error) {
    problems = [describeError(error)];
  }
  setup('setup/skips', problems.length > 0 ? problems.join('; ') : undefined);

  let cases: ConformanceCaseSpec[] = [];
  try {
    cases = selectCases(options);
  } catch (error) {
    setup('setup/cases', `the kit could not list its cases: ${describeError(error)}`);
  }
  const context = { backendName: name, options };
  for (const c of cases) {
    const start = performance.now();
    let result: CaseResult;
    try {
      result = await executeCase(c, context);
    } catch (error) {
      result = { id: c.id, group: c.group, status: 'failed', message: describeError(error) };
    }
    record(result, performance.now() - start);
  }
  return report(capabilities);
}
