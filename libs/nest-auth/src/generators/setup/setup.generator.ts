import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TS from 'typescript';
import type { GeneratorTree } from '../tree';
import type { SetupGeneratorSchema } from './schema';
import {
  addToModuleArray,
  findGetRoutes,
  markHealthPublic,
  usesJsExtensions,
  type ModuleEdit,
} from './source-edits';
import {
  authConfigFile,
  ENV_EXAMPLE_ENTRIES,
  healthControllerFile,
  sampleE2eFile,
} from './templates';
import { DEV_DEPENDENCY_VERSIONS } from './versions';

const PACKAGE_NAME = '@authbridge/nest-auth';
/** What only a Jest app needs: skipped in an app that tests with Vitest. */
const JEST_ONLY = new Set(['jest', '@swc/core', '@swc/jest', '@types/jest']);
const PRESET = '@authbridge/nest-auth';
/** The e2e Jest config `nest new` writes: ts-jest alone, which cannot load Nest 12 below Node 24.9. */
const NEST_TEMPLATE_TRANSFORM = JSON.stringify({ '^.+\\.(t|j)s$': 'ts-jest' });

/** Thrown when the generator will not touch the app; nothing has been written. */
export class SetupRefusedError extends Error {
  override readonly name = 'SetupRefusedError';
}

/** What a run decided, besides the files it wrote to the tree. */
export interface SetupResult {
  /** Lines for the user: what was kept, what to do by hand. */
  notes: string[];
  /** Folder of the package.json that gained dependencies, when one did. */
  installIn?: string;
}

const posix = (p: string) => p.split(path.sep).join('/');
const join = (...parts: string[]) => posix(path.posix.normalize(path.posix.join(...parts)));

function loadTypeScript(tree: GeneratorTree, appRoot: string): typeof TS {
  // The app's own compiler first (same version that compiles the code we edit), then ours.
  for (const from of [path.join(tree.root, appRoot, 'package.json'), __filename]) {
    try {
      return createRequire(from)('typescript') as typeof TS;
    } catch {
      // try the next one
    }
  }
  throw new SetupRefusedError(
    'the `typescript` package was not found; the generator parses your sources with it (npm i -D typescript).',
  );
}

function ownVersion(): string {
  const manifest = path.resolve(__dirname, '../../../package.json');
  return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}

function projectRoot(tree: GeneratorTree, project: string): string {
  // Only under `nx g`, where the `nx` package is installed: its own project graph knows the root.
  type Devkit = { readProjectConfiguration(tree: unknown, name: string): { root: string } };
  for (const from of [path.join(tree.root, 'package.json'), __filename]) {
    let devkit: Devkit;
    try {
      devkit = createRequire(from)('nx/src/devkit-exports') as Devkit;
    } catch {
      continue;
    }
    return devkit.readProjectConfiguration(tree, project).root;
  }
  throw new SetupRefusedError(
    `--project needs an Nx workspace; outside one pass --directory=<app folder> instead of --project=${project}.`,
  );
}

function sourceFiles(tree: GeneratorTree, dir: string): string[] {
  if (!tree.exists(dir) || tree.isFile(dir)) return [];
  return tree.children(dir).flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const child = join(dir, name);
    if (tree.isFile(child)) {
      return /\.ts$/.test(name) && !/\.(spec|test|e2e-spec)\.ts$/.test(name) ? [child] : [];
    }
    return sourceFiles(tree, child);
  });
}

function readJson<T>(tree: GeneratorTree, file: string): T {
  try {
    return JSON.parse(tree.read(file, 'utf-8')!) as T;
  } catch (error) {
    throw new SetupRefusedError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function writeIfChanged(tree: GeneratorTree, file: string, text: string): void {
  if (tree.read(file, 'utf-8') !== text) tree.write(file, text);
}

function moduleEditOrRefuse(edit: ModuleEdit, file: string, what: string): string | null {
  if (edit.status === 'refused') {
    throw new SetupRefusedError(
      `${file}: ${edit.reason}, so ${what} could not be added safely. Add it by hand (see the README of ${PACKAGE_NAME}, "Five-minute setup").`,
    );
  }
  return edit.status === 'changed' ? edit.text : null;
}

type Manifest = {
  type?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

const sorted = (deps: Record<string, string>) =>
  Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));

/**
 * Adds `@authbridge/nest-auth` to an existing NestJS app, in `tree`:
 * - `AuthModule.forRootAsync(...)` in the root module, with options read from `BETTER_AUTH_URL`
 *   and `AUTH_JWKS_URL` by a new `src/auth.config.ts` (the same variables as the authbridge
 *   backend), checked at start-up;
 * - `@Public()` on the health route (a `GET .../health`), or a new public `HealthController`;
 * - the variables in `.env.example`, a sample e2e test with the test issuer, the Jest preset
 *   in `test/jest-e2e.json`, and the missing dependencies in package.json.
 *
 * Idempotent: a second run changes nothing. It never overwrites a file it did not write: an
 * existing test, config or code it cannot recognise is kept and reported in `notes`, and a root
 * module it cannot edit safely stops the run with a {@link SetupRefusedError} before any write.
 */
export function runSetup(tree: GeneratorTree, schema: SetupGeneratorSchema = {}): SetupResult {
  const notes: string[] = [];
  const appRoot = schema.project
    ? projectRoot(tree, schema.project)
    : join(posix(schema.directory ?? '.'));

  // package.json: the app's own, or the workspace root's (Nx integrated repos have one).
  const manifestPath = [join(appRoot, 'package.json'), 'package.json'].find((p) => tree.exists(p));
  if (!manifestPath) throw new SetupRefusedError(`no package.json in ${appRoot} or its workspace.`);
  const manifest = readJson<Manifest>(tree, manifestPath);
  const declared = { ...manifest.dependencies, ...manifest.devDependencies };
  if (!declared['@nestjs/core']) {
    throw new SetupRefusedError(
      `${manifestPath} has no @nestjs/core dependency: run the generator on a NestJS app.`,
    );
  }

  const modulePath = join(appRoot, schema.module ?? 'src/app.module.ts');
  const moduleSource = tree.read(modulePath, 'utf-8');
  if (moduleSource === null) {
    throw new SetupRefusedError(`${modulePath} not found: pass --module=<root module file>.`);
  }
  const ts = loadTypeScript(tree, appRoot);
  const srcDir = path.posix.dirname(modulePath);
  const ext =
    manifest.type === 'module' || usesJsExtensions(ts, modulePath, moduleSource) ? '.js' : '';
  const sources = sourceFiles(tree, join(appRoot, 'src'));
  // `nest new` makes ESM apps with Vitest, CommonJS ones with Jest.
  const usesVitest = !!declared.vitest && !declared.jest;

  // 1. The module, configured from the environment.
  const alreadyConfigured = sources.some((file) =>
    /\bAuthModule\s*\.\s*forRoot(Async)?\s*\(/.test(tree.read(file, 'utf-8') ?? ''),
  );
  if (alreadyConfigured) {
    notes.push('AuthModule is already configured: the root module was left as it is.');
  } else {
    const configPath = join(srcDir, 'auth.config.ts');
    const existing = tree.read(configPath, 'utf-8');
    if (existing !== null && !/\bauthOptionsFromEnv\b/.test(existing)) {
      throw new SetupRefusedError(
        `${configPath} exists and does not export authOptionsFromEnv; rename it, or add AuthModule by hand.`,
      );
    }
    const edited = moduleEditOrRefuse(
      addToModuleArray(ts, modulePath, moduleSource, {
        className: 'AppModule',
        property: 'imports',
        element: 'AuthModule.forRootAsync({ useFactory: () => authOptionsFromEnv() })',
        marker: /\bAuthModule\b/,
        imports: [
          { name: 'AuthModule', from: PACKAGE_NAME },
          { name: 'authOptionsFromEnv', from: `./auth.config${ext}` },
        ],
      }),
      modulePath,
      'AuthModule',
    );
    if (existing === null) tree.write(configPath, authConfigFile());
    if (edited !== null) tree.write(modulePath, edited);
    const testDir = join(appRoot, 'test');
    const otherE2e = tree.exists(testDir)
      ? tree.children(testDir).filter((f) => /e2e-spec\.ts$/.test(f) && f !== 'auth.e2e-spec.ts')
      : [];
    for (const file of otherE2e) {
      notes.push(
        `${join(testDir, file)}: routes without @Public() now answer 401 without a token; give its requests one as test/auth.e2e-spec.ts does (TestIssuer).`,
      );
    }
  }

  // 2. The health route stays reachable without a token (and without the JWKS).
  let publicPath: string | undefined;
  for (const file of sources) {
    const text = tree.read(file, 'utf-8')!;
    if (!/health/i.test(text)) continue;
    const marked = markHealthPublic(ts, file, text);
    if (!marked) continue;
    publicPath ??= marked.paths[0];
    writeIfChanged(tree, file, marked.text);
  }
  if (!publicPath) {
    const controllerPath = join(srcDir, 'health.controller.ts');
    if (tree.exists(controllerPath)) {
      notes.push(`${controllerPath} exists but has no GET .../health route: mark yours @Public().`);
    } else {
      const moduleText = tree.read(modulePath, 'utf-8')!;
      const edited = moduleEditOrRefuse(
        addToModuleArray(ts, modulePath, moduleText, {
          className: 'AppModule',
          property: 'controllers',
          element: 'HealthController',
          marker: /\bHealthController\b/,
          imports: [{ name: 'HealthController', from: `./health.controller${ext}` }],
        }),
        modulePath,
        'HealthController',
      );
      tree.write(controllerPath, healthControllerFile());
      if (edited !== null) tree.write(modulePath, edited);
      publicPath = '/health';
    }
  }

  // 3. The variables, documented where the app documents its environment.
  const envPath = join(appRoot, '.env.example');
  let envText = tree.read(envPath, 'utf-8') ?? '';
  for (const [name, entry] of Object.entries(ENV_EXAMPLE_ENTRIES)) {
    if (new RegExp(`^\\s*(export\\s+)?${name}\\s*=`, 'm').test(envText)) continue;
    envText += `${envText && !envText.endsWith('\n') ? '\n' : ''}${envText ? '\n' : ''}${entry}`;
  }
  writeIfChanged(tree, envPath, envText);

  // 4. A sample e2e test of the whole app, with the test issuer.
  const testDir = join(appRoot, 'test');
  const samplePath = join(testDir, 'auth.e2e-spec.ts');
  if (tree.exists(samplePath)) {
    notes.push(`${samplePath} exists: kept as it is.`);
  } else {
    const routes = sources.flatMap((file) => findGetRoutes(ts, file, tree.read(file, 'utf-8')!));
    const guarded = routes.find((r) => !r.isPublic && !r.path.includes(':'));
    const relative = posix(path.posix.relative(testDir, modulePath)).replace(/\.ts$/, ext);
    tree.write(
      samplePath,
      sampleE2eFile({
        appModuleImport: relative.startsWith('.') ? relative : `./${relative}`,
        publicPath: publicPath ?? '/health',
        protectedPath: guarded?.path ?? '/',
        vitest: usesVitest,
      }),
    );
    if (!guarded) notes.push(`${samplePath}: no GET route found to protect; it calls GET /.`);
  }

  // 5. Jest: the preset compiles Nest 12's ESM for Jest (ts-jest alone fails below Node 24.9).
  //    An app on Vitest (`nest new`'s ESM template) loads ES modules itself: nothing to set.
  const jestE2ePath = join(testDir, 'jest-e2e.json');
  if (usesVitest) {
    // the sample test imports its globals from 'vitest'
  } else if (tree.exists(jestE2ePath)) {
    const config = readJson<Record<string, unknown>>(tree, jestE2ePath);
    if (config.preset !== PRESET) {
      if (
        config.transform === undefined ||
        JSON.stringify(config.transform) === NEST_TEMPLATE_TRANSFORM
      ) {
        const { transform: _replaced, ...rest } = config;
        writeIfChanged(
          tree,
          jestE2ePath,
          `${JSON.stringify({ preset: PRESET, ...rest }, null, 2)}\n`,
        );
      } else {
        notes.push(
          `${jestE2ePath} has its own transform: kept. Set "preset": "${PRESET}" there, or transform @nestjs/* and jose to CommonJS yourself.`,
        );
      }
    }
  } else {
    writeIfChanged(
      tree,
      jestE2ePath,
      `${JSON.stringify({ preset: PRESET, rootDir: '.', testRegex: '.e2e-spec.ts$' }, null, 2)}\n`,
    );
  }

  // 6. Dependencies: only the missing ones, never a version the app already chose.
  const dependencies = { ...manifest.dependencies };
  const devDependencies = { ...manifest.devDependencies };
  let added = false;
  if (!declared[PACKAGE_NAME]) {
    dependencies[PACKAGE_NAME] = `^${ownVersion()}`;
    added = true;
  }
  for (const [name, range] of Object.entries(DEV_DEPENDENCY_VERSIONS)) {
    if (declared[name] || (usesVitest && JEST_ONLY.has(name))) continue;
    devDependencies[name] = range;
    added = true;
  }
  const scripts = { ...manifest.scripts };
  if (!scripts['test:e2e'] && !usesVitest) {
    scripts['test:e2e'] = 'jest --config ./test/jest-e2e.json';
  }
  const nextManifest = {
    ...manifest,
    scripts,
    dependencies: sorted(dependencies),
    devDependencies: sorted(devDependencies),
  };
  writeIfChanged(tree, manifestPath, `${JSON.stringify(nextManifest, null, 2)}\n`);

  return { notes, installIn: added ? path.posix.dirname(manifestPath) : undefined };
}

/** Runs the app's package manager (from its lock file) in `dir` of `root`. */
export function installPackages(root: string, dir: string): void {
  const at = (file: string) =>
    [path.join(root, dir, file), path.join(root, file)].some((p) => fs.existsSync(p));
  const manager = at('pnpm-lock.yaml')
    ? 'pnpm'
    : at('yarn.lock')
      ? 'yarn'
      : at('bun.lock') || at('bun.lockb')
        ? 'bun'
        : 'npm';
  const result = spawnSync(manager, ['install'], {
    cwd: path.join(root, dir),
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) {
    throw new Error(`${manager} install failed in ${dir}; run it yourself to finish the set-up.`);
  }
}

/**
 * The Nx generator (`nx g @authbridge/nest-auth:setup`): {@link runSetup}, then, unless
 * `skipInstall`, the package manager once Nx has written the files.
 *
 * @example
 * // nx g @authbridge/nest-auth:setup --project=api
 * await setupGenerator(tree, { project: 'api' });
 */
export async function setupGenerator(
  tree: GeneratorTree,
  schema: SetupGeneratorSchema,
): Promise<(() => void) | undefined> {
  const { notes, installIn } = runSetup(tree, schema);
  for (const note of notes) console.log(`NOTE ${note}`);
  if (!installIn || schema.skipInstall) return undefined;
  return () => installPackages(tree.root, installIn);
}

export default setupGenerator;
