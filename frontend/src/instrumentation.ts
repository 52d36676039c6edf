/**
 * Runs once when a server instance starts, before it serves a request: brings Better
 * Auth's schema up to date and makes sure a JWT signing key exists (the same work as
 * `npm run migrate`, under the same advisory lock), so `next start` alone works on an
 * empty database and no two first requests race to create signing keys.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { prepareOnStartup } = await import('./lib/startup');
  await prepareOnStartup();
}
