import './quiet_tfjs.js';
import { describe } from '@jest/globals';
import { CPU_CASES, rows } from './helpers.js';
import { reductionTests } from './families/reduction.js';

describe.each(rows(CPU_CASES))('%s', (_name, c) => reductionTests(c));
