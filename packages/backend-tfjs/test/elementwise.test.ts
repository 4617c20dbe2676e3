import './quiet_tfjs.js';
import { describe } from '@jest/globals';
import { CPU_CASES, rows } from './helpers.js';
import { elementwiseTests } from './families/elementwise.js';

describe.each(rows(CPU_CASES))('%s', (_name, c) => elementwiseTests(c));
