import { spawn } from 'node:child_process';
import path from 'node:path';
import { TEST_SECRET } from '../../../frontend/test/support/processes';
import type { Stack } from './stack';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO_ROOT, 'tools/doctor/src/cli.ts');

/** The .env a user of this stack would have. */
export function stackEnv(stack: Stack, extra: Record<string, string> = {}) {
  return {
    BETTER_AUTH_SECRET: TEST_SECRET,
    BETTER_AUTH_URL: stack.web.url,
    WEB_PORT: String(stack.web.port),
    NEXT_PUBLIC_API_URL: stack.api.url,
    API_PORT: String(stack.api.port),
    DATABASE_URL: stack.databaseUrl,
    ...extra,
  };
}

/**
 * `npm run doctor -- <args>` as a process (src/cli.ts under tsx: what run.mjs runs once the
 * libraries are built), with only `env` and PATH: its lines and exit code.
 */
export async function runDoctorCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; lines: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, lines: output.trim().split('\n') };
}
