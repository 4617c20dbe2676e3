/**
 * @keras-ts/conformance: the reference vectors and tiers of cases (ops, gradients, layers,
 * training, agreement; the memory check wraps every case) that any keras-ts backend must pass,
 * as tests of your runner (`registerBackendConformance`) or as a report (`runConformance`).
 */
export { registerBackendConformance, groupCases, type TestRunner } from './suite.js';
export { runConformance, type ConformanceReport, type GroupReport, type RunOptions } from './runner.js';
export { TIERS, Mismatch, type Tier, type ConformanceOptions, type ConformanceCaseSpec, type CaseContext, type CaseResult } from './kit.js';
export { allCases, selectCases, parseTiers, skipProblems } from './tiers/index.js';
export { caseId } from './tiers/ops.js';
export { loadCases, vectorsDirectory, type ConformanceCase, type VectorTensor } from './vectors.js';
export { notCoveredReason } from './cases/index.js';
export { mismatch, valuesMismatch, type Tolerance } from './compare.js';
