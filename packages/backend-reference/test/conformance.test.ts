/**
 * The reference backend against the shared conformance vectors: torch-ref (PyTorch float64, Keras
 * layouts) and the ONNX node tests of ops that are single kernels, each case under its own
 * tolerance |a − e| <= atol + rtol·|e|. Prints a pass count per op at the end.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { conformanceDir, loadCases, type ConformanceCase } from './support/conformance.js';
import { expectClose, Harness } from './support/harness.js';
import { ONNX_RUNNERS, onnxSkipReason } from './support/onnx_node.js';
import { skipReason, TORCH_REF_RUNNERS, type Outputs } from './support/torch_ref.js';

const dir = conformanceDir();
const tally = new Map<string, { passed: number; failed: number; skipped: number; outputs: Set<string> }>();

/** Counts a case's outcome under its source and op, e.g. 'torch-ref conv2d'. */
function count(c: ConformanceCase, outcome: 'passed' | 'failed' | 'skipped', outputs: string[] = []): void {
  const op = `${c.id.split('/')[0]} ${c.op}`;
  const entry = tally.get(op) ?? { passed: 0, failed: 0, skipped: 0, outputs: new Set<string>() };
  entry[outcome]++;
  for (const o of outputs) entry.outputs.add(o);
  tally.set(op, entry);
}

/** Runs one case and compares every output its runner computes. */
function runCase(c: ConformanceCase, run: (h: Harness) => Outputs): void {
  const h = new Harness();
  let names: string[] = [];
  try {
    const result = run(h);
    names = Object.keys(result);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const expected = c.outputs.find((o) => o.name === name);
      if (!expected) throw new Error(`${c.id}: the runner made '${name}', which the case does not have`);
      expectClose(result[name], expected.data, c.tolerance, `${c.id} ${name}`);
    }
  } catch (error) {
    count(c, 'failed', names);
    throw error;
  } finally {
    h.backend.close();
  }
  count(c, 'passed', names);
}

if (dir === undefined) {
  describe('conformance vectors', () => {
    it('are found in packages/conformance/vectors', () => {
      throw new Error('conformance vectors not found: expected packages/conformance/vectors (or $KERAS_TS_CONFORMANCE_DIR) to hold index.json.');
    });
  });
} else {
  const cases = loadCases(dir, 'torch-ref').filter((c) => c.op in TORCH_REF_RUNNERS);

  describe(`torch-ref conformance (${dir})`, () => {
    for (const c of cases) {
      const reason = skipReason(c);
      if (reason === undefined) {
        it(c.id, () => runCase(c, (h) => TORCH_REF_RUNNERS[c.op](h, c)));
      } else {
        count(c, 'skipped');
        it.skip(`${c.id} (${reason})`, () => undefined);
      }
    }

    it('covers every op the kernels implement', () => {
      for (const op of Object.keys(TORCH_REF_RUNNERS)) expect(cases.some((c) => c.op === op)).toBe(true);
    });
  });

  const onnxCases = loadCases(dir, 'onnx-node').filter((c) => c.op in ONNX_RUNNERS);

  describe('onnx-node conformance (ops that are single kernels)', () => {
    for (const c of onnxCases) {
      const reason = onnxSkipReason(c);
      if (reason === undefined) {
        it(c.id, () => runCase(c, (h) => ({ [c.outputs[0].name]: ONNX_RUNNERS[c.op](h, c) })));
      } else {
        count(c, 'skipped');
        it.skip(`${c.id} (${reason})`, () => undefined);
      }
    }
  });

  afterAll(() => {
    const lines = [...tally.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([op, t]) => `${op.padEnd(44)} ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped   [${[...t.outputs].join(', ')}]`);
    const total = [...tally.values()].reduce((s, t) => s + t.passed, 0);
    console.log(`conformance, ${total} cases passed:\n${lines.join('\n')}`);
  });
}
