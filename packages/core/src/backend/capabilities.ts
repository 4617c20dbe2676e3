/** The capability report a user can print: which kernels a backend runs natively and which core composes. */
import { OPTIONAL_KERNELS, REQUIRED_KERNELS, type Backend } from './backend.js';

export interface CapabilityReport {
  backend: string;
  /** Kernels the backend runs itself (required ones and the optional ones it has). */
  native: string[];
  /** Optional kernels the backend lacks, which core composes from required kernels. */
  composed: string[];
  /** Required kernels the backend lacks: it cannot run every op until it has them. */
  missing: string[];
  notes: string[];
}

export function describeCapabilities(backend: Backend): CapabilityReport {
  const own = backend.capabilities?.() ?? {};
  const has = (name: string) => typeof (backend as unknown as Record<string, unknown>)[name] === 'function';
  const native: string[] = [...REQUIRED_KERNELS.filter(has), ...OPTIONAL_KERNELS.filter(has)];
  for (const extra of own.native ?? []) if (!native.includes(extra)) native.push(extra);
  const composed: string[] = OPTIONAL_KERNELS.filter((k) => !has(k));
  for (const extra of own.composed ?? []) if (!composed.includes(extra)) composed.push(extra);
  return {
    backend: backend.name,
    native,
    composed,
    missing: REQUIRED_KERNELS.filter((k) => !has(k)),
    notes: [...(own.notes ?? [])],
  };
}
