/** @keras-ts/conformance: the reference vectors and the suite that runs them on any keras-ts backend. */
export { registerBackendConformance, runCase, selectCases, unknownSkips, caseId, type TestRunner, type ConformanceOptions, type CaseResult } from './suite.js';
export { loadCases, vectorsDirectory, type ConformanceCase, type VectorTensor } from './vectors.js';
export { notCoveredReason } from './cases/index.js';
export { mismatch, type Tolerance } from './compare.js';
