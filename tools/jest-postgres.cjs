// Jest globalSetup/globalTeardown for suites that need PostgreSQL:
//   globalSetup: '<rootDir>/../tools/jest-postgres.cjs' (same file for teardown)
// Sets process.env.DATABASE_URL (inherited by the workers) to a fresh database: on
// the server of an outer DATABASE_URL when one is set, else on a throw-away
// embedded PostgreSQL. The suite's own label comes from its folder name.
const path = require('node:path');

module.exports = async function jestPostgres(globalConfig) {
  if (globalThis.__AUTHBRIDGE_TEST_DB__) {
    await globalThis.__AUTHBRIDGE_TEST_DB__.teardown();
    globalThis.__AUTHBRIDGE_TEST_DB__ = undefined;
    return;
  }
  const { useTestDatabase } = await import('./postgres.mjs');
  const label = path.basename(globalConfig.rootDir);
  const db = await useTestDatabase(label);
  process.env.DATABASE_URL = db.url;
  globalThis.__AUTHBRIDGE_TEST_DB__ = db;
};
