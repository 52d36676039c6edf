// The built web app (`npm start -w frontend`) and the built API (`node backend/dist/main.js`)
// together, on a fresh database per run (tools/jest-postgres.cjs). Each file starts its apps
// once, in beforeAll, and shares them between its tests.
const preset = require('../jest.preset.cjs');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  rootDir: __dirname,
  globalSetup: '<rootDir>/../tools/jest-postgres.cjs',
  globalTeardown: '<rootDir>/../tools/jest-postgres.cjs',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // Generous backstops only: these tests start processes on a loaded machine.
  testTimeout: 120_000,
  // Both files start a web app and an API: one file at a time keeps a 2-core machine usable.
  maxWorkers: 1,
};
