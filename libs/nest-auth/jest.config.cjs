// Unit specs sit next to the code (src/**/*.spec.ts); end-to-end apps live in test/.
// The real Better Auth suite needs PostgreSQL: the shared global setup gives it a
// fresh database (embedded, or on the server of an outer DATABASE_URL).
const preset = require('../../jest.preset.cjs');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  globalSetup: '<rootDir>/../../tools/jest-postgres.cjs',
  globalTeardown: '<rootDir>/../../tools/jest-postgres.cjs',
  collectCoverageFrom: ['<rootDir>/src/**/*.ts', '!<rootDir>/src/**/*.spec.ts'],
  coverageReporters: ['text-summary', 'text', 'lcov'],
  testTimeout: 30_000,
};
