import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import type { Environment } from './environment-error';

/**
 * The repository's one `.env` file, for every app and script. A separate entry point
 * (`@authbridge/config/root-env`) because it reads the file system: the rest of the package
 * also loads where `node:fs` does not exist.
 *
 * The file is parsed with Node's own `util.parseEnv` (Node 20.12+, the same parser as
 * `node --env-file`): no dependency, and it reads this repository's .env exactly as dotenv
 * does. `process.loadEnvFile` is not used because it keeps a variable that is set to an empty
 * string, and here an empty value counts as unset.
 */

/**
 * The repository root: the nearest folder at or above `start` holding nx.json. Undefined
 * outside a checkout (a deployed app without the repository): then there is no root .env.
 *
 * @example
 * findRepoRoot(__dirname); // '/home/me/authbridge', from backend/src/config or backend/dist
 */
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
 * Reads the root `.env` into `env` (default `process.env`). The process environment wins; a
 * variable set to an empty string there counts as unset, so the file's value applies. Without
 * a root or a .env file, nothing happens. Returns the path of the file read, if any.
 *
 * @param start where to look for the repository root (an app passes its own folder, so the
 *   working directory does not matter)
 * @example
 * loadRootEnv(process.env, __dirname);
 */
export function loadRootEnv(
  env: Environment = process.env,
  start: string = process.cwd(),
): string | undefined {
  const root = findRepoRoot(start);
  const file = root && path.join(root, '.env');
  if (!file || !fs.existsSync(file)) return undefined;
  for (const [key, value] of Object.entries(parseEnv(fs.readFileSync(file, 'utf8')))) {
    if (value !== undefined && (env[key] === undefined || env[key] === '')) env[key] = value;
  }
  return file;
}
