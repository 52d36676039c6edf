import { exportJWK, exportPKCS8 } from 'jose';
import type { TestIssuer } from '@authbridge/nest-auth/testing';
import type { LogLevel } from '@nestjs/common';
import { privateKeysOf } from './forge';

/** Every Nest log level: the attack suites run the app at its most talkative. */
export const ALL_LOG_LEVELS: LogLevel[] = ['log', 'error', 'warn', 'debug', 'verbose', 'fatal'];

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** A JWT header or payload segment starts with the base64url of `{"`. */
const JWT_SEGMENT = /eyJ[A-Za-z0-9_-]{8,}/;
/** Shortest piece of a secret that counts as leaked when it appears on its own. */
const MIN_PIECE = 16;

/**
 * Captures everything the process writes while a suite runs (Nest's ConsoleLogger writes to
 * process.stdout/stderr; the app's own `console.*` goes through Jest's console) and checks
 * that none of the secrets the suite handled shows up in it: the tokens and cookies it sent,
 * the issuer's private keys, the database password.
 *
 * Call at the top level of a spec file: it starts capturing before the file's own
 * `beforeAll` hooks (so app start-up is included) and stops after its `afterAll` hooks.
 *
 * @example
 * const hygiene = captureLogsForHygiene();
 * // ...tests that attack the API...
 * it('writes no secret to the logs', () => hygiene.assertClean());
 */
export function captureLogsForHygiene() {
  const chunks: string[] = [];
  const secrets = new Set<string>();
  const restore: Array<() => void> = [];
  const reports: string[] = [];
  let capturing = false;

  const start = () => {
    if (capturing) return;
    capturing = true;
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write;
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Buffer).toString());
        const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      }) as typeof stream.write;
      restore.push(() => {
        stream.write = original;
      });
    }
    for (const method of CONSOLE_METHODS) {
      const original = console[method];
      console[method] = (...args: unknown[]) => {
        chunks.push(args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' '));
      };
      restore.push(() => {
        console[method] = original;
      });
    }
  };
  const stop = () => {
    restore.splice(0).forEach((undo) => undo());
    capturing = false;
    if (reports.length) process.stdout.write(`${reports.splice(0).join('\n')}\n`);
  };

  beforeAll(start);
  afterAll(stop);

  return {
    /** Remember a secret to look for (a token sent, a cookie, a password). */
    secret(value: string | undefined) {
      if (value) secrets.add(value);
    },
    /** Remember an issuer's private keys (JWK `d` and friends, and the PKCS#8 PEM). */
    async issuerKeys(issuer: TestIssuer) {
      for (const key of privateKeysOf(issuer)) {
        const jwk = await exportJWK(key);
        for (const field of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) this.secret(jwk[field]);
        const pem = await exportPKCS8(key);
        this.secret(pem);
        this.secret(pem.split('\n')[1]);
      }
    },
    /** A line for the person running the tests (counts, rates), printed when capture ends. */
    report(line: string) {
      reports.push(line);
    },
    /** Everything captured so far. */
    text: () => chunks.join('\n'),
    /** Lines captured so far; to assert that capturing works at all. */
    get lineCount() {
      return chunks.length;
    },
    /** How many distinct secrets are being looked for. */
    get secretCount() {
      return secrets.size;
    },
    /**
     * Fails when a secret, or a piece of one (a JWT segment, a line of a PEM), appears in the
     * captured output, or when anything shaped like a JWT segment does.
     */
    assertClean() {
      const text = chunks.join('\n');
      const leaks: string[] = [];
      const jwtLike = JWT_SEGMENT.exec(text);
      if (jwtLike) leaks.push(`something shaped like a JWT: ${excerpt(text, jwtLike.index)}`);
      // Whole runs of token characters in the output, so each secret is one Set lookup
      // instead of a scan of the whole text (the fuzz suites send tens of thousands).
      const runs = new Set(text.split(/[^A-Za-z0-9_-]+/).filter((r) => r.length >= MIN_PIECE));
      for (const value of secrets) {
        const pieces = value.split(/[^A-Za-z0-9_-]+/).filter((p) => p.length >= MIN_PIECE);
        if (pieces.length) {
          const piece = pieces.find((p) => runs.has(p));
          if (piece) leaks.push(`a piece of a secret: ${piece.slice(0, 12)}...`);
        } else if (value.length >= 8 && text.includes(value)) {
          leaks.push(`a secret: ${value.slice(0, 12)}...`);
        }
      }
      if (leaks.length) {
        throw new Error(
          `The logs hold ${leaks.length} secret(s):\n${leaks.slice(0, 10).join('\n')}`,
        );
      }
    },
  };
}

export type LogHygiene = ReturnType<typeof captureLogsForHygiene>;

function inspect(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}\n${value.stack ?? ''}`;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function excerpt(text: string, index: number): string {
  return JSON.stringify(text.slice(Math.max(0, index - 40), index + 20));
}
