// Jest runs every file of a worker in one Node context but loads modules afresh per file, while
// tfjs keeps its kernel registry on the shared global: each later file re-registers tfjs's
// kernels and tfjs would log one "already registered" warning per kernel. tfjs's IS_TEST flag
// silences that log; it lives on the shared global, so setting it before each file covers all.
// tfjs-core is a dependency of backend-tfjs (pnpm does not hoist it), so it is resolved from there.
const path = require('node:path');
const tfjsCore = require.resolve('@tensorflow/tfjs-core', { paths: [path.join(__dirname, '..', 'packages', 'backend-tfjs')] });
require(tfjsCore).env().set('IS_TEST', true);
