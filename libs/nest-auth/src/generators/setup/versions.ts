/**
 * Versions the setup generator adds when the app lacks the package: the ones this package is
 * tested with (a spec checks them against the workspace's own package.json files).
 */
export const DEV_DEPENDENCY_VERSIONS: Record<string, string> = {
  '@nestjs/testing': '^12.1.1',
  '@swc/core': '^1.16.22',
  '@swc/jest': '^0.2.39',
  '@types/jest': '^30.0.0',
  '@types/supertest': '^7.2.1',
  jest: '^30.5.2',
  supertest: '^7.3.2',
};
