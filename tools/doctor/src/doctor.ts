import type { Environment } from '@authbridge/config';
import { runChecks, type DoctorDeps } from './checks';
import { readApps } from './environment';
import { formatCheck } from './report';
import { explainToken } from './token';

/** Exit codes of `npm run doctor`. */
export const EXIT = {
  /** Every check passed, or the token is accepted. */
  ok: 0,
  /** A check failed, or the token is refused. */
  failed: 1,
  /** The command line was wrong. */
  usage: 2,
} as const;

export const USAGE = `Usage: npm run doctor [-- --token <jwt>]
  (no option)     check the root .env, Better Auth, the JWKS, the database and CORS
  --token <jwt>   say whether the API accepts this token, and why (decoded without trust, then
                  verified exactly as the API does)`;

/** Parses the arguments after `npm run doctor --`. */
export function parseArgs(args: string[]): { token?: string } | { error: string } {
  const result: { token?: string } = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--token' || arg.startsWith('--token=')) {
      const value = arg === '--token' ? args[++i] : arg.slice('--token='.length);
      if (!value) return { error: '--token needs a value: the JWT, e.g. --token eyJhbGciOi...' };
      result.token = value;
    } else if (arg === '--help' || arg === '-h') {
      return { error: '' };
    } else {
      return { error: `unknown argument ${JSON.stringify(arg)}` };
    }
  }
  return result;
}

/**
 * The whole doctor: lines to print and the exit code. `env` is the process environment
 * already merged with the root .env (see cli.ts).
 */
export async function doctor(
  args: string[],
  env: Environment,
  deps: DoctorDeps,
): Promise<{ lines: string[]; code: number }> {
  const parsed = parseArgs(args);
  if ('error' in parsed) {
    return { lines: [parsed.error, USAGE].filter(Boolean), code: EXIT.usage };
  }
  const view = readApps(env);
  if (parsed.token !== undefined) {
    if (!('config' in view.api)) {
      return {
        lines: [`✗ env: the API cannot start, so it verifies nothing: ${view.api.error}`],
        code: EXIT.failed,
      };
    }
    const verdict = await explainToken(parsed.token, view.api.config, deps);
    const lines = [];
    if (verdict.header) lines.push(`header  ${JSON.stringify(verdict.header)}`);
    if (verdict.claims) lines.push(`claims  ${JSON.stringify(verdict.claims)}`);
    lines.push(`${verdict.accepted ? '✓' : '✗'} ${verdict.sentence}`);
    return { lines, code: verdict.accepted ? EXIT.ok : EXIT.failed };
  }
  const results = await runChecks(view, deps);
  const failed = results.filter((r) => r.status === 'fail').length;
  const lines = results.map(formatCheck);
  lines.push(
    failed === 0
      ? 'All checks passed.'
      : `${failed} check(s) failed; see docs/troubleshooting.md for each.`,
  );
  return { lines, code: failed === 0 ? EXIT.ok : EXIT.failed };
}
