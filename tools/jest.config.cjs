// Tests of the workspace's own scripts (tools/*.mjs). They drive the scripts as processes,
// as `npm run dev` does, because the scripts are ESM with top-level await.
/** @type {import('jest').Config} */
module.exports = {
  ...require('../jest.preset.cjs'),
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: [...require('../jest.preset.cjs').testPathIgnorePatterns, '/consumer/'],
  testTimeout: 120_000,
};
