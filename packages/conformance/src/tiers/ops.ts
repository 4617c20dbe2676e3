/**
 * The ops tier's vector cases: every reference vector that maps onto keras ops, one case each,
 * id `ops/<source>/<case>`. The case's own tolerance applies, raised to a float32 floor.
 */
import { tidy, type Tensor } from '@keras-ts/core';
import { mismatch, type Tolerance } from '../compare.js';
import { CaseInputs, NotCovered, notCoveredReason, runnerFor, sourceOf } from '../cases/index.js';
import { Mismatch, type CaseContext, type ConformanceCaseSpec } from '../kit.js';
import { loadCases, type ConformanceCase } from '../vectors.js';

/** The stable id of a vector case in the kit: `ops/<source>/<case>`. */
export const caseId = (c: ConformanceCase): string => `ops/${c.id}`;

const DEFAULT_FLOOR: Tolerance = { rtol: 1e-5, atol: 1e-5 };

function runVector(c: ConformanceCase, context: CaseContext): void {
  const runner = runnerFor(c);
  if (!runner) throw new Mismatch(`no runner for ${c.id}`);
  const floor = context.options.minimumTolerance ?? DEFAULT_FLOOR;
  const tolerance: Tolerance = {
    rtol: Math.max(c.tolerance?.rtol ?? floor.rtol, floor.rtol),
    atol: Math.max(c.tolerance?.atol ?? floor.atol, floor.atol),
  };
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
  if (problems.length > 0) throw new Mismatch(problems.join('; '));
}

/** One case per reference vector, in id order. */
export function vectorCases(): ConformanceCaseSpec[] {
  return loadCases().map((c) => ({
    id: caseId(c),
    tier: 'ops',
    group: `ops/${sourceOf(c)}`,
    notCovered: notCoveredReason(c),
    run: (context) => runVector(c, context),
  }));
}
