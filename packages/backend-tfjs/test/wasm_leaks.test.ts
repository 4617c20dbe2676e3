/** The leak checks of every kernel (test/families/leaks.ts) on tfjs-wasm. */
import './quiet_tfjs.js';
import { describe } from '@jest/globals';
import { wasmCase } from './helpers.js';
import { leakTests } from './families/leaks.js';

const wasm = await wasmCase();

describe('tfjs-wasm', () => leakTests(wasm));
