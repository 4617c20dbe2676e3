/**
 * Running one case, the same way under every runner: skipped with its reason, or run on the
 * backend under test with the memory check around it (every case must leave the backend's live
 * tensor count where it found it). Nothing a case or a kernel throws escapes: it becomes the
 * case's failure message.
 */
import { backendInstance, describeCapabilities, memory, registerBackend, setBackend, type BackendFactory } from '@keras-ts/core';
import { describeError, type CaseContext, type CaseResult, type ConformanceCaseSpec } from './kit.js';

/** Why a case is skipped in this run (the caller's skip first, then what keras-ts cannot express), or undefined. */
export function skipReasonOf(c: ConformanceCaseSpec, context: Pick<CaseContext, 'options'>): string | undefined {
  return context.options.skip?.[c.id] ?? c.notCovered;
}

export async function executeCase(c: ConformanceCaseSpec, context: CaseContext): Promise<CaseResult> {
  const base = { id: c.id, group: c.group };
  const reason = skipReasonOf(c, context);
  if (reason) return { ...base, status: 'skipped', message: reason };
  const problems: string[] = [];
  let before: number;
  try {
    await setBackend(context.backendName);
    before = memory(context.backendName).numTensors;
  } catch (error) {
    return { ...base, status: 'failed', message: `the backend could not be made current: ${describeError(error)}` };
  }
  try {
    await c.run(context);
  } catch (error) {
    problems.push(describeError(error));
  }
  const change = memory(context.backendName).numTensors - before;
  if (change > 0) problems.push(`memory: ${change} tensor${change === 1 ? '' : 's'} leaked (the live tensor count must end where it started)`);
  if (change < 0) problems.push(`memory: ${-change} more tensor${change === -1 ? '' : 's'} freed than made (a tensor was disposed twice)`);
  return problems.length === 0 ? { ...base, status: 'passed' } : { ...base, status: 'failed', message: problems.join('; ') };
}

/** Registers the backend under `name` and makes it current; the error says why it could not start. */
export async function startBackend(name: string, createBackend: BackendFactory): Promise<void> {
  registerBackend(name, createBackend);
  await setBackend(name);
}

/** The required kernels the current backend lacks, as a failure message, or undefined. */
export function missingKernels(): string | undefined {
  const { missing } = describeCapabilities(backendInstance());
  return missing.length > 0 ? `the backend lacks required kernels: ${missing.join(', ')}` : undefined;
}
