import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';

/**
 * The repository root is the folder holding nx.json. Walking up from this file finds it
 * both from src/config (tests, typecheck) and from dist/config (the built app).
 */
export function findRepoRoot(start = __dirname): string | undefined {
  let dir = path.resolve(start);
  while (true) {
    if (fs.existsSync(path.join(dir, 'nx.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Fills process.env from the root `.env` without overriding what the process already has.
 * An empty value in the process environment counts as unset, so the file's value applies.
 */
export function loadRootEnv(
  env: NodeJS.ProcessEnv = process.env,
  root: string | undefined = findRepoRoot(),
): void {
  if (!root) return;
  const file = path.join(root, '.env');
  if (!fs.existsSync(file)) return;
  const parsed = dotenv.parse(fs.readFileSync(file));
  for (const [key, value] of Object.entries(parsed)) {
    if (env[key] === undefined || env[key] === '') env[key] = value;
  }
}
