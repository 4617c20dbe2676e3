/**
 * Imported first by every test file. The root Jest config runs all files of a worker in one Node
 * context (jest-environment-node-single-context) but evaluates modules afresh per file, while tfjs
 * keeps its kernel registry and engine on the shared global: each file after the first re-registers
 * tfjs's kernels (tfjs-cpu's, and tfjs-wasm's once loaded) and would print one "already registered" warning per kernel (about 170 lines).
 * tfjs's own IS_TEST flag silences its log; set by the first file on the shared engine, it is
 * already set when later files register again (Jest evaluates CommonJS imports before this module
 * runs, so setting it here cannot help the file's own registration, only the next ones').
 */
import { env } from '@tensorflow/tfjs-core';

env().set('IS_TEST', true);
