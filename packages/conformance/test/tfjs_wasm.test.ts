/** The conformance kit on tfjs-wasm, registered exactly as a backend author would register theirs (its factory is async). */
import { describe, it } from '@jest/globals';
import { registerBackendConformance } from '@keras-ts/conformance';
import { createTfjsWasmBackend } from '@keras-ts/backend-tfjs';

registerBackendConformance('tfjs-wasm', () => createTfjsWasmBackend(), { describe, it });
