// Jest preset for NestJS 12 apps that use @authbridge/nest-auth: `preset: '@authbridge/nest-auth'`.
//
// Nest 12 and jose are ESM-only. Jest loads test files as CommonJS, and on Node < 24.9 it
// cannot require() an ES module ("Must use import to load ES Module: @nestjs/testing"), so
// ts-jest alone fails. This preset compiles TypeScript (decorators and their metadata, which
// Nest's injection needs) and those ESM packages to CommonJS with @swc/jest, the set-up this
// repository's own suites run on. Needs `npm i -D jest @swc/core @swc/jest` in the app.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // ESM-only packages a Nest 12 app loads: add yours inside the group if Jest names another.
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|jose|@authbridge/web-auth)/)'],
  // Sources written for `module: nodenext` import `./x.js` while the file is `x.ts`.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};
