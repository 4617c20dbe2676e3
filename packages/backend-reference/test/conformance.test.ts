/**
 * The reference backend against the shared conformance vectors (torch-ref: PyTorch float64,
 * Keras layouts), each case under its own tolerance |a − e| <= atol + rtol·|e|. Prints a pass
 * count per op at the end.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { conformanceDir, loadCases, type ConformanceCase } from './support/conformance.js';
import { expectClose, Harness } from './support/harness.js';
import { skipReason, TORCH_REF_RUNNERS } from './support/torch_ref.js';

const dir = conformanceDir();
const tally = new Map<string, { passed: number; failed: number; skipped: number; outputs: Set<string> }>();

function count(op: string, outcome: 'passed' | 'failed' | 'skipped', outputs: string[] = []): void {
  const entry = tally.get(op) ?? { passed: 0, failed: 0, skipped: 0, outputs: new Set<string>() };
  entry[outcome]++;
  for (const o of outputs) entry.outputs.add(o);
  tally.set(op, entry);
}

/** Runs one case and compares every output its runner computes. */
function runCase(c: ConformanceCase): void {
  const h = new Harness();
  const result = TORCH_REF_RUNNERS[c.op](h, c);
  const names = Object.keys(result);
  try {
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const expected = c.outputs.find((o) => o.name === name);
      if (!expected) throw new Error(`${c.id}: the runner made '${name}', which the case does not have`);
      expectClose(result[name], expected.data, c.tolerance, `${c.id} ${name}`);
    }
  } catch (error) {
    count(c.op, 'failed', names);
    throw error;
  }
  count(c.op, 'passed', names);
  h.backend.close();
}

if (dir === undefined) {
  describe('conformance vectors', () => {
    it.skip('not found: set KERAS_TS_CONFORMANCE_DIR to the folder holding index.json', () => undefined);
  });
} else {
  const cases = loadCases(dir, 'torch-ref').filter((c) => c.op in TORCH_REF_RUNNERS);

  describe(`torch-ref conformance (${dir})`, () => {
    for (const c of cases) {
      const reason = skipReason(c);
      if (reason === undefined) {
        it(c.id, () => runCase(c));
      } else {
        count(c.op, 'skipped');
        it.skip(`${c.id} (${reason})`, () => undefined);
      }
    }

    it('covers every op the kernels implement', () => {
      for (const op of Object.keys(TORCH_REF_RUNNERS)) expect(cases.some((c) => c.op === op)).toBe(true);
    });
  });

  afterAll(() => {
    const lines = [...tally.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([op, t]) => `${op.padEnd(34)} ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped   [${[...t.outputs].join(', ')}]`);
    const total = [...tally.values()].reduce((s, t) => s + t.passed, 0);
    console.log(`torch-ref conformance, ${total} cases passed:\n${lines.join('\n')}`);
  });
}
