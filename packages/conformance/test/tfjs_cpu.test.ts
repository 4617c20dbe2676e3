/** The conformance kit on tfjs-cpu, registered exactly as a backend author would register theirs. */
import { describe, it } from '@jest/globals';
import { registerBackendConformance } from '@keras-ts/conformance';
import { createTfjsCpuBackend } from '@keras-ts/backend-tfjs';

registerBackendConformance('tfjs-cpu', () => createTfjsCpuBackend(), { describe, it });
