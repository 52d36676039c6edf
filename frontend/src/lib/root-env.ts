import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';

/** The repository root is the nearest folder above `start` holding nx.json. */
export function findRepoRoot(start: string = process.cwd()): string | undefined {
  let dir = path.resolve(start);
  while (true) {
    if (fs.existsSync(path.join(dir, 'nx.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Fills `env` from the repository's root `.env` (one file serves both apps). The process
 * environment wins; a variable set to an empty string there counts as unset.
 */
export function loadRootEnv(
  env: NodeJS.ProcessEnv = process.env,
  start: string = process.cwd(),
): void {
  const root = findRepoRoot(start);
  const file = root && path.join(root, '.env');
  if (!file || !fs.existsSync(file)) return;
  for (const [key, value] of Object.entries(dotenv.parse(fs.readFileSync(file)))) {
    if (env[key] === undefined || env[key] === '') env[key] = value;
  }
}
