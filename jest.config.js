// One Jest run covers every package. Tests import the packages' TypeScript sources directly
// (moduleNameMapper), so they need no build; the pack test checks the built packages.
/** @type {import('jest').Config} */
export default {
  // onnxruntime-node rejects typed arrays from another realm; this environment runs tests in Node's own.
  testEnvironment: 'jest-environment-node-single-context',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.tests.json' }],
  },
  moduleNameMapper: {
    '^@keras-ts/core$': '<rootDir>/packages/core/src/index.ts',
    '^@keras-ts/backend-tfjs$': '<rootDir>/packages/backend-tfjs/src/index.ts',
    '^@keras-ts/backend-onnx$': '<rootDir>/packages/backend-onnx/src/index.ts',
    '^@keras-ts/backend-reference$': '<rootDir>/packages/backend-reference/src/index.ts',
    '^@keras-ts/conformance$': '<rootDir>/packages/conformance/src/index.ts',
    '^keras-ts$': '<rootDir>/packages/keras-ts/src/index.ts',
    '^@keras-ts/bench$': '<rootDir>/packages/bench/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/packages/*/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/scripts/summary_reporter.cjs'],
  setupFiles: ['<rootDir>/scripts/jest_setup.cjs'],
};
