/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.cjs'),
  rootDir: __dirname,
  // Sources are ESM with `.js` in relative imports (nodenext); Jest resolves the `.ts` file.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};
