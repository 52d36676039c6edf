// Entry point of `npm run doctor` (through run.mjs, which builds the libraries first).
import { loadRootEnv } from '@authbridge/config/root-env';
import { defaultDeps } from './checks';
import { doctor } from './doctor';

async function main(): Promise<void> {
  const env = { ...process.env };
  loadRootEnv(env, __dirname);
  const { lines, code } = await doctor(process.argv.slice(2), env, defaultDeps);
  for (const line of lines) console.log(line);
  process.exitCode = code;
}

main().catch((error: unknown) => {
  console.error(`doctor: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
  process.exitCode = 3;
});
