/** The names --only accepts: the workloads, then the dispatch and matmul measurements. */
import { WORKLOAD_NAMES, type WorkloadName } from './workloads/workload.js';

export const EXTRA_SECTIONS = ['dispatch', 'matmul'] as const;
export type SectionName = WorkloadName | (typeof EXTRA_SECTIONS)[number];
export const SECTION_NAMES: readonly SectionName[] = [...WORKLOAD_NAMES, ...EXTRA_SECTIONS];
