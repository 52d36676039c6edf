/** @type {import('jest').Config} */
module.exports = {
  ...require('../jest.preset.cjs'),
  rootDir: __dirname,
  globalSetup: '<rootDir>/../tools/jest-postgres.cjs',
  globalTeardown: '<rootDir>/../tools/jest-postgres.cjs',
  testTimeout: 30_000,
};
