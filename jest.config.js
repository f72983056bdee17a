// ESM + ts-jest in transpile-only mode: type errors are caught by `npm run typecheck`,
// which keeps the test run fast on 2 cores.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }]
  },
  testMatch: ['**/__tests__/**/*.test.ts'],
  testTimeout: 30000,
  // Temporary files of the whole run go to one folder that is removed at the end.
  globalSetup: '<rootDir>/scripts/jest/tmpdir-setup.mjs',
  globalTeardown: '<rootDir>/scripts/jest/tmpdir-teardown.mjs',
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.cjs']
};
