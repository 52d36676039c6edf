// Two projects: fast unit specs next to the code (src/ and server/ **/*.spec.ts) and integration
// tests (test/**/*.test.ts) against the BUILT app (`next start`), the built backend and a
// fresh PostgreSQL database from tools/jest-postgres.cjs.
const preset = require('../jest.preset.cjs');

const shared = {
  ...preset,
  rootDir: __dirname,
  moduleNameMapper: {
    '^server-only$': '<rootDir>/test/support/empty-module.cjs',
    '^@/(.*)$': '<rootDir>/src/$1',
  },
};

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/../tools/jest-postgres.cjs',
  globalTeardown: '<rootDir>/../tools/jest-postgres.cjs',
  rootDir: __dirname,
  // Integration tests start real processes; Jest reads the timeout here, not per project.
  testTimeout: 60_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/server/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
    },
  ],
};
