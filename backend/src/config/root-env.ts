import { loadRootEnv as loadRootEnvFrom } from '@authbridge/config/root-env';

/**
 * Fills `process.env` from the repository's root `.env` (the process environment wins; empty
 * values count as unset). The root is found from this file's folder, src/config or
 * dist/config, so the working directory does not matter.
 */
export function loadRootEnv(env: NodeJS.ProcessEnv = process.env): void {
  loadRootEnvFrom(env, __dirname);
}
