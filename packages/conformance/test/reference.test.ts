/** The conformance kit on the reference backend: the readable definition must pass every case it covers. */
import { describe, it } from '@jest/globals';
import { registerBackendConformance } from '@keras-ts/conformance';
import { createReferenceBackend } from '@keras-ts/backend-reference';

registerBackendConformance('reference', () => createReferenceBackend(), { describe, it });
