/** The conformance kit on the onnx backend, registered exactly as a backend author would register theirs. */
import { describe, it } from '@jest/globals';
import { registerBackendConformance } from '@keras-ts/conformance';
import { createOnnxBackend } from '../src/index.js';

registerBackendConformance('onnx', () => createOnnxBackend(), { describe, it });
