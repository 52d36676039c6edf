// Unit tests of the harness's statistics only: the benchmark itself is `npm run bench`,
// never part of the test suite (it prints numbers, it asserts nothing about speed).
/** @type {import('jest').Config} */
module.exports = {
  ...require('../jest.preset.cjs'),
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.spec.ts'],
};
