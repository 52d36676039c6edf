// Shared Jest settings. ts-jest cannot load Nest 12 (ESM-only); @swc/jest transpiles
// TypeScript with decorator metadata to CommonJS, and ESM-only packages in
// node_modules (@nestjs/*, jose, better-auth...) are transformed as well.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)sx?$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true, tsx: true },
          transform: {
            legacyDecorator: true,
            decoratorMetadata: true,
            react: { runtime: 'automatic' },
          },
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|jose|better-auth|@better-auth|better-call|@better-fetch|nanostores|rou3|defu|uncrypto|kysely|@noble|zod)/)',
  ],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.next/'],
};
