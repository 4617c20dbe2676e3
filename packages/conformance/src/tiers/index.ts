/** Every case of the kit, tier by tier (cheapest first), and the selection a run makes from them. */
import { TIERS, type ConformanceCaseSpec, type ConformanceOptions, type Tier } from '../kit.js';
import { agreementCases } from './agreement.js';
import { edgeCases } from './edge_cases.js';
import { gradientCases } from './gradients.js';
import { layerCases } from './layers.js';
import { vectorCases } from './ops.js';
import { trainingCases } from './training.js';

const BUILDERS: Record<Tier, () => ConformanceCaseSpec[]> = {
  ops: () => [...vectorCases(), ...edgeCases()],
  gradients: gradientCases,
  layers: layerCases,
  training: trainingCases,
  agreement: agreementCases,
};

let catalogue: ConformanceCaseSpec[] | undefined;

/** Every case of every tier, in tier order. Ids are unique (checked here, once). */
export function allCases(): ConformanceCaseSpec[] {
  if (catalogue) return catalogue;
  const cases = TIERS.flatMap((tier) => BUILDERS[tier]());
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.id)) throw new Error(`@keras-ts/conformance: two cases have the id '${c.id}' (an internal error in the kit).`);
    seen.add(c.id);
  }
  catalogue = cases;
  return cases;
}

/** The cases a run covers: the chosen tiers (all by default), filtered by `only`. */
export function selectCases(options: ConformanceOptions = {}): ConformanceCaseSpec[] {
  const tiers = new Set<Tier>(options.tiers ?? TIERS);
  return allCases().filter((c) => tiers.has(c.tier) && (!options.only || options.only.some((s) => c.id.includes(s))));
}

/** The tiers' names, checked: an unknown one is an error that lists the real ones. */
export function parseTiers(names: readonly string[]): Tier[] {
  const unknown = names.filter((n) => !(TIERS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`unknown tier${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')}; the tiers are ${TIERS.join(', ')}.`);
  return names as Tier[];
}

/** The problems with `skip`: ids that name no case, and skips without a reason. */
export function skipProblems(options: ConformanceOptions): string[] {
  const ids = new Set(allCases().map((c) => c.id));
  const entries = Object.entries(options.skip ?? {});
  const unknown = entries.filter(([id]) => !ids.has(id)).map(([id]) => id);
  const unexplained = entries.filter(([, reason]) => typeof reason !== 'string' || reason.trim() === '').map(([id]) => id);
  return [
    ...(unknown.length > 0 ? [`unknown skip ids (no case has them): ${unknown.join(', ')}`] : []),
    ...(unexplained.length > 0 ? [`skips without a reason: ${unexplained.join(', ')}`] : []),
  ];
}
