/** tfjs-cpu against the reference backend, kernel by kernel and op tag by op tag (the same checks as tfjs-wasm's). */
import './quiet_tfjs.js';
import { describe } from '@jest/globals';
import { CPU_CASES, rows } from './helpers.js';
import { elementwiseVersusReference } from './families/versus_reference_elementwise.js';
import { kernelsVersusReference } from './families/versus_reference_kernels.js';

describe.each(rows(CPU_CASES))('%s against the reference backend', (_name, c) => {
  describe('elementwise and reductions', () => elementwiseVersusReference(c));
  describe('every other kernel', () => kernelsVersusReference(c));
});
