/**
 * Imported first by every test file. The root Jest config runs all files in one Node context
 * (jest-environment-node-single-context) but evaluates modules afresh per file, while tfjs keeps its
 * kernel registry and engine on the shared global: each file after the first would re-register
 * tfjs-cpu's kernels and print one "already registered" warning per kernel. tfjs's own IS_TEST flag,
 * set on that shared engine, silences its log.
 */
import { env } from '@tensorflow/tfjs-core';

env().set('IS_TEST', true);
