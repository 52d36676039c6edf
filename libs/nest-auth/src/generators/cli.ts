#!/usr/bin/env node
// `npx @authbridge/nest-auth setup`: the Nx generator `@authbridge/nest-auth:setup`, for apps that
// are not Nx workspaces (e.g. made with `nest new`). Same code, on a FileTree over the disk.
import { parseArgs } from 'node:util';
import { FileTree } from './tree';
import { installPackages, runSetup, SetupRefusedError } from './setup/setup.generator';

const USAGE = `Usage: npx @authbridge/nest-auth setup [options]

Adds @authbridge/nest-auth to the NestJS app in the current folder: AuthModule.forRootAsync
from BETTER_AUTH_URL / AUTH_JWKS_URL, a public health route, .env.example entries, a sample
e2e test with the test issuer, and the missing dependencies. Safe to run again.

Options:
  --directory <dir>   root of the Nest app (default: .)
  --module <file>     root module, relative to the app (default: src/app.module.ts)
  --skip-install      edit package.json but do not run the package manager
  --dry-run           print what would change, write nothing
  -h, --help          this text`;

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      directory: { type: 'string', default: '.' },
      module: { type: 'string' },
      'skip-install': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals[0] !== 'setup' || positionals.length > 1) {
    console.log(USAGE);
    return values.help ? 0 : 1;
  }

  const tree = new FileTree(process.cwd());
  const { notes, installIn } = runSetup(tree, {
    directory: values.directory,
    module: values.module,
  });
  const changes = values['dry-run'] ? tree.listChanges() : tree.flush();
  for (const change of changes) console.log(`${change.type} ${change.path}`);
  if (changes.length === 0) console.log('Nothing to change: the app is already set up.');
  for (const note of notes) console.log(`NOTE ${note}`);
  if (values['dry-run']) {
    console.log('Dry run: nothing was written.');
  } else if (installIn && !values['skip-install']) {
    installPackages(tree.root, installIn);
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof SetupRefusedError) && !(error instanceof TypeError)) throw error;
  // TypeError: parseArgs's unknown or malformed option
  console.error(`@authbridge/nest-auth setup: ${(error as Error).message}`);
  process.exitCode = 1;
}
