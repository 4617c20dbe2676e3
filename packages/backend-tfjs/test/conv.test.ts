import './quiet_tfjs.js';
import { describe } from '@jest/globals';
import { CPU_CASES, rows } from './helpers.js';
import { convTests } from './families/conv.js';

describe.each(rows(CPU_CASES))('%s', (_name, c) => convTests(c));
