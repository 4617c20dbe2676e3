/** Every kernel family's tests (test/families) on tfjs-wasm. */
import './quiet_tfjs.js';
import { describe } from '@jest/globals';
import { wasmCase } from './helpers.js';
import { convTests } from './families/conv.js';
import { elementwiseTests } from './families/elementwise.js';
import { fusedTests } from './families/fused.js';
import { layoutTests } from './families/layout.js';
import { poolTests } from './families/pool.js';
import { reductionTests } from './families/reduction.js';

const wasm = await wasmCase();

describe('tfjs-wasm', () => {
  describe('elementwise', () => elementwiseTests(wasm));
  describe('reduction', () => reductionTests(wasm));
  describe('layout', () => layoutTests(wasm));
  describe('convolution', () => convTests(wasm));
  describe('pooling', () => poolTests(wasm));
  describe('fused', () => fusedTests(wasm));
});
