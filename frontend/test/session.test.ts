import { CookieJar, clientInit, postAuth, uniqueEmail, uniqueIp } from './support/http';
import { expectNoSecretsLogged } from './support/logs';
import { startPgQueryLog, type PgQueryLog } from './support/pg-query-log';
import { runMigrate, startWeb, type Running } from './support/processes';

// One session look-up per page: the layout and the page both need the signed-in user,
// and React's cache() (lib/session.ts) makes them share one answer per request. Counted
// where it costs: the statements that reach PostgreSQL, read off the wire by a relay
// between the built app and the database.
const databaseUrl = () => process.env.DATABASE_URL!;
let web: Running;
let queries: PgQueryLog;

beforeAll(async () => {
  const migrated = await runMigrate(databaseUrl());
  expect({ code: migrated.code, output: migrated.output }).toMatchObject({ code: 0 });
  queries = await startPgQueryLog(databaseUrl());
  web = await startWeb({ databaseUrl: queries.url, trustProxyHops: 1 });
}, 120_000);

afterAll(async () => {
  await web?.stop();
  await queries?.close();
});

/** Statements that read the session table (Better Auth's session look-up). */
const sessionReads = () =>
  queries.statements().filter((sql) => /^\s*select\b[\s\S]*\bfrom\s+"session"/i.test(sql));

describe('the session, once per page', () => {
  const jar = new CookieJar();
  const ip = uniqueIp();
  const name = 'Once Only';
  const email = uniqueEmail('session');

  beforeAll(async () => {
    const signUp = await postAuth(
      web.url,
      '/sign-up/email',
      { email, password: 'a long enough password', name },
      { ip, jar },
    );
    expect(signUp.status).toBe(200);
  });

  it.each(['/dashboard', '/'])('%s: layout and page both use it, one look-up', async (path) => {
    queries.clear();
    const init = clientInit({ ip, jar });
    const response = await fetch(`${web.url}${path}`, init);
    expect(response.status).toBe(200);
    const html = await response.text();
    // The layout read it (the name in the header)...
    expect(html).toContain(name);
    // ...and so did the page: the dashboard shows the email, home its signed-in button.
    expect(html).toContain(path === '/dashboard' ? email : 'Go to your tasks');
    expect(sessionReads()).toHaveLength(1);
  });

  it('a signed-out page asks too, and finds no session without a query', async () => {
    queries.clear();
    const response = await fetch(`${web.url}/`, clientInit({ ip }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Create an account');
    expect(sessionReads()).toHaveLength(0);
  });
});

describe('logs', () => {
  it('no password, session cookie, token or secret of these tests is in the app output', () => {
    expectNoSecretsLogged();
  });
});
