/** @type {import('jest').Config} */
module.exports = {
  ...require('../jest.preset.cjs'),
  rootDir: __dirname,
  globalSetup: '<rootDir>/../tools/jest-postgres.cjs',
  globalTeardown: '<rootDir>/../tools/jest-postgres.cjs',
  // Every suite: fail on any statement that reaches the tasks table without an owner filter.
  setupFilesAfterEnv: ['<rootDir>/test/support/tasks-query-guard.setup.ts'],
  testTimeout: 30_000,
  // The load test runs on its own: `npm run test:load` (jest.load.config.cjs).
  testPathIgnorePatterns: [...require('../jest.preset.cjs').testPathIgnorePatterns, '/test/load/'],
};
