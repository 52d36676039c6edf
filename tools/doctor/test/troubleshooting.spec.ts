import { symmetricEncrypt } from 'better-auth/crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TestIssuer } from '@authbridge/nest-auth/testing';
import { expectedMigrations, BETTER_AUTH_TABLES } from '../src/checks';
import {
  envFor,
  lineOf,
  migratedDatabase,
  randomSecret,
  runDoctor,
  startFakeWebApp,
  type FakeWebApp,
} from './support/harness';

/**
 * docs/troubleshooting.md, entry by entry: each one's failure is produced for real and the
 * doctor's output must contain the words the entry quotes, on the line the entry names.
 * An entry without a scenario here, or a scenario without an entry, fails the suite.
 */

interface Entry {
  title: string;
  /** A check id, or `--token`. */
  line: string;
  words: string;
}

function readEntries(): Entry[] {
  const text = fs.readFileSync(path.join(__dirname, '../../../docs/troubleshooting.md'), 'utf8');
  return text
    .split(/^### /m)
    .slice(1)
    .map((section) => {
      const title = section.split('\n')[0].trim();
      const doctor = /^- \*\*Doctor:\*\* `([^`]+)`[^"]*"(.+)"\s*$/m.exec(section);
      if (!doctor)
        throw new Error(`entry "${title}" has no "- **Doctor:** \`line\` says "..."" line`);
      return { title, line: doctor[1], words: doctor[2] };
    });
}

type Outcome = { lines: string[]; code: number };
type Scenario = (web: FakeWebApp) => Promise<Outcome>;

const now = () => Math.floor(Date.now() / 1000);

/** A token signed by `issuer`, checked by the doctor against `web`'s environment. */
async function tokenVerdict(
  web: FakeWebApp,
  token: string,
  at: number,
  env = envFor(web),
): Promise<Outcome> {
  return runDoctor(['--token', token], env, { now: at * 1000 });
}

const encryptedKey = async (secret: string) =>
  JSON.stringify(await symmetricEncrypt({ key: secret, data: '{"kty":"OKP"}' }));

const SCENARIOS: Record<string, Scenario> = {
  'The token has expired (`token_expired`)': async (web) => {
    const iat = now() - 1080;
    const token = await web.issuer.sign({ sub: 'u1' }, { issuedAt: iat, expiresIn: 900 });
    return tokenVerdict(web, token, iat + 1080);
  },
  'The token comes from the future (`invalid_claim`, clock skew)': async (web) => {
    const at = now();
    return tokenVerdict(web, await web.issuer.sign({ sub: 'u1' }, { issuedAt: at + 600 }), at);
  },
  'The token is not valid yet (`token_not_yet_valid`)': async (web) => {
    const at = now();
    return tokenVerdict(web, await web.issuer.sign({ sub: 'u1' }, { notBefore: at + 300 }), at);
  },
  'Issuer mismatch (`wrong_issuer`)': async (web) =>
    tokenVerdict(web, await web.issuer.sign({ iss: 'http://127.0.0.1:3000' }), now()),
  'Audience mismatch (`wrong_audience`)': async (web) =>
    tokenVerdict(web, await web.issuer.sign({ aud: 'https://other-api.example.com' }), now()),
  'Algorithm not allowed (`algorithm_not_allowed`)': async (web) => {
    const rsa = await TestIssuer.create({ issuer: web.origin, alg: 'RS256' });
    return tokenVerdict(web, await rsa.sign(), now());
  },
  'Algorithm changed, but Better Auth still signs with the old key (`algorithm_not_allowed`)':
    async (web) => runDoctor([], envFor(web, { AUTH_JWT_ALGORITHM: 'RS256' })),
  'Key not in the JWKS (`unknown_key`)': async (web) => {
    const other = await TestIssuer.create({ issuer: web.origin, kid: 'staging-key' });
    return tokenVerdict(web, await other.sign(), now());
  },
  'Bad signature (`invalid_signature`)': async (web) => {
    const other = await TestIssuer.create({ issuer: web.origin, kid: web.issuer.kid });
    return tokenVerdict(web, await other.sign(), now());
  },
  'Malformed token (`malformed_token`, `malformed_header`)': async (web) =>
    tokenVerdict(web, 'not-a-jwt', now()),
  'The token has no `sid` (`missing_claim`)': async (web) =>
    tokenVerdict(web, await web.issuer.sign({ sid: undefined }), now()),
  'The token lives longer than the API remembers revocations (`invalid_claim`)': async (web) => {
    const at = now();
    const token = await web.issuer.sign({}, { issuedAt: at, expiresIn: 3600 });
    return tokenVerdict(web, token, at);
  },
  'Better Auth refuses sign-in with `INVALID_ORIGIN` after a port change': async (web) =>
    runDoctor([], envFor(web, { WEB_PORT: String(web.port === 3005 ? 3006 : 3005) })),
  "The dashboard's calls are blocked by CORS": async (web) =>
    runDoctor([], envFor(web, { CORS_ORIGINS: 'https://admin.example.com' })),
  'The dashboard cannot reach the API after a port change': async (web) =>
    runDoctor([], envFor(web, { API_PORT: '4001' })),
  '`Failed to decrypt private key` after changing `BETTER_AUTH_SECRET`': async (web) => {
    const jwks = [{ id: 'key-1', privateKey: await encryptedKey(randomSecret()) }];
    return runDoctor([], envFor(web), { database: migratedDatabase({ jwks }) });
  },
  'The database is unreachable (web 500, API 503 "The database is unavailable")': async (web) =>
    runDoctor([], envFor(web), { database: 'down' }),
  'Tables missing (`relation "user" does not exist`, `relation "tasks" does not exist`)': async (
    web,
  ) => runDoctor([], envFor(web), { database: migratedDatabase({ tables: [], migrations: [] }) }),
  'The API cannot fetch its keys (`jwks_unavailable`)': async (web) =>
    runDoctor([], envFor(web, { AUTH_JWKS_URL: 'http://127.0.0.1:1/api/auth/jwks' })),
  'Wrong JWKS path (`jwks_unavailable`)': async (web) =>
    runDoctor([], envFor(web, { AUTH_JWKS_URL: `${web.origin}/.well-known/jwks.json` })),
  'Better Auth is not where `BETTER_AUTH_URL` says': async (web) => {
    const url = 'http://127.0.0.1:1';
    return runDoctor([], envFor(web, { BETTER_AUTH_URL: url, WEB_PORT: '1' }));
  },
  '`Invalid environment: ...`': async (web) =>
    runDoctor([], { ...envFor(web), BETTER_AUTH_URL: '' }),
  'A weak `BETTER_AUTH_SECRET`': async (web) =>
    runDoctor([], envFor(web, { BETTER_AUTH_SECRET: 'short' })),
};

describe('docs/troubleshooting.md: each entry is a failure the doctor names', () => {
  const entries = readEntries();
  let web: FakeWebApp;

  beforeAll(async () => {
    web = await startFakeWebApp();
  });
  afterAll(() => web.close());

  it('has a scenario for every entry, and an entry for every scenario', () => {
    expect(entries.map((e) => e.title).sort()).toEqual(Object.keys(SCENARIOS).sort());
  });

  it.each(entries.map((e) => [e.title, e] as const))('%s', async (_title, entry) => {
    const scenario = SCENARIOS[entry.title];
    if (!scenario) throw new Error(`no scenario for "${entry.title}"`);
    const { lines, code } = await scenario(web);
    expect(code).toBe(1);
    const line = entry.line === '--token' ? lines[lines.length - 1] : lineOf(lines, entry.line);
    expect(line.startsWith('✗ ')).toBe(true);
    expect(line).toContain(entry.words);
  });

  it('the same set-up, left alone, passes every check (so each failure above is the scenario)', async () => {
    const { lines, code } = await runDoctor([], envFor(web));
    expect(lines.filter((l) => !l.startsWith('✓ '))).toEqual(['All checks passed.']);
    expect(code).toBe(0);
    expect(BETTER_AUTH_TABLES.length).toBeGreaterThan(0);
    expect(expectedMigrations().length).toBeGreaterThan(0);
  });
});
