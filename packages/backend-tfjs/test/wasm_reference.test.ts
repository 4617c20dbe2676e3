/** tfjs-wasm against the reference backend, kernel by kernel and op tag by op tag. */
import './quiet_tfjs.js';
import { describe } from '@jest/globals';
import { wasmCase } from './helpers.js';
import { elementwiseVersusReference } from './families/versus_reference_elementwise.js';
import { kernelsVersusReference } from './families/versus_reference_kernels.js';

const wasm = await wasmCase();

describe('tfjs-wasm against the reference backend', () => {
  describe('elementwise and reductions', () => elementwiseVersusReference(wasm));
  describe('every other kernel', () => kernelsVersusReference(wasm));
});
