import fs from 'node:fs';
import path from 'node:path';
import { addProjectConfiguration, type Tree } from '@nx/devkit';
import { createTree, createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { runSetup, setupGenerator, SetupRefusedError } from './setup.generator';
import { DEV_DEPENDENCY_VERSIONS } from './versions';

// Runs on Nx's own virtual tree (what `nx g` hands the generator); the consumer test runs the
// same code through the CLI on a real app.

const APP_MODULE = `import { Module } from '@nestjs/common';
import { AppController } from './app.controller';
import { AppService } from './app.service';

@Module({
  imports: [],
  controllers: [AppController],
  providers: [AppService],
})
export class AppModule {}
`;

const APP_CONTROLLER = `import { Controller, Get } from '@nestjs/common';
import { AppService } from './app.service';

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Get()
  getHello(): string {
    return this.appService.getHello();
  }
}
`;

const JEST_E2E = `{
  "moduleFileExtensions": ["js", "json", "ts"],
  "rootDir": ".",
  "testEnvironment": "node",
  "testRegex": ".e2e-spec.ts$",
  "transform": {
    "^.+\\\\.(t|j)s$": "ts-jest"
  }
}
`;

/** A fresh `nest new` app at `dir` of the tree. */
function nestApp(tree: Tree, dir = '.', manifest: Record<string, unknown> = {}) {
  const at = (file: string) => path.posix.join(dir, file);
  tree.write(
    at('package.json'),
    JSON.stringify(
      {
        name: 'api',
        scripts: { build: 'nest build' },
        dependencies: { '@nestjs/common': '^12.0.1', '@nestjs/core': '^12.0.1' },
        devDependencies: { jest: '^29.7.0', typescript: '^5.9.0' },
        ...manifest,
      },
      null,
      2,
    ),
  );
  tree.write(at('src/app.module.ts'), APP_MODULE);
  tree.write(at('src/app.controller.ts'), APP_CONTROLLER);
  tree.write(at('src/main.ts'), "import { NestFactory } from '@nestjs/core';\n");
  tree.write(at('test/jest-e2e.json'), JEST_E2E);
}

function files(tree: Tree): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of tree.children(dir)) {
      const file = dir === '.' ? name : `${dir}/${name}`;
      if (tree.isFile(file)) out[file] = tree.read(file, 'utf-8')!;
      else walk(file);
    }
  };
  walk('.');
  return out;
}

describe('setup generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTree();
  });

  it('adds AuthModule from the environment, a public health route, env, test, preset and deps', () => {
    nestApp(tree);
    const { notes, installIn } = runSetup(tree, {});

    const module = tree.read('src/app.module.ts', 'utf-8')!;
    expect(module).toBe(`import { Module } from '@nestjs/common';
import { AppController } from './app.controller';
import { AppService } from './app.service';
import { AuthModule } from '@authbridge/nest-auth';
import { authOptionsFromEnv } from './auth.config';
import { HealthController } from './health.controller';

@Module({
  imports: [AuthModule.forRootAsync({ useFactory: () => authOptionsFromEnv() })],
  controllers: [AppController, HealthController],
  providers: [AppService],
})
export class AppModule {}
`);
    expect(tree.read('src/auth.config.ts', 'utf-8')).toContain('BETTER_AUTH_URL');
    expect(tree.read('src/health.controller.ts', 'utf-8')).toContain('@Public()\n  @Get()');
    expect(tree.read('.env.example', 'utf-8')).toMatch(
      /^BETTER_AUTH_URL=http:\/\/localhost:3000$/m,
    );
    expect(tree.read('.env.example', 'utf-8')).toMatch(/^AUTH_JWKS_URL=$/m);

    const sample = tree.read('test/auth.e2e-spec.ts', 'utf-8')!;
    expect(sample).toContain("import { AppModule } from '../src/app.module';");
    expect(sample).toContain(".get('/health').expect(200)");
    expect(sample).toContain(".get('/').expect(401)");
    expect(sample).toContain(
      'issuer\n      .overrideAuth(Test.createTestingModule({ imports: [AppModule] }))',
    );

    expect(JSON.parse(tree.read('test/jest-e2e.json', 'utf-8')!)).toEqual({
      preset: '@authbridge/nest-auth',
      moduleFileExtensions: ['js', 'json', 'ts'],
      rootDir: '.',
      testEnvironment: 'node',
      testRegex: '.e2e-spec.ts$',
    });

    const manifest = JSON.parse(tree.read('package.json', 'utf-8')!);
    expect(manifest.dependencies['@authbridge/nest-auth']).toMatch(/^\^\d+\.\d+\.\d+/);
    expect(manifest.devDependencies).toMatchObject({
      '@swc/core': DEV_DEPENDENCY_VERSIONS['@swc/core'],
      '@swc/jest': DEV_DEPENDENCY_VERSIONS['@swc/jest'],
      supertest: DEV_DEPENDENCY_VERSIONS.supertest,
      jest: '^29.7.0', // the app's own choice stays
      typescript: '^5.9.0',
    });
    expect(manifest.scripts['test:e2e']).toBe('jest --config ./test/jest-e2e.json');
    expect(installIn).toBe('.');
    expect(notes).toEqual([]);
  });

  it('is idempotent: a second run changes nothing and installs nothing', () => {
    nestApp(tree);
    runSetup(tree, {});
    const after = files(tree);
    const second = runSetup(tree, {});
    expect(files(tree)).toEqual(after);
    expect(second.installIn).toBeUndefined();
  });

  it("marks an existing @Controller('health') public instead of adding one", () => {
    nestApp(tree);
    tree.write(
      'src/health/health.controller.ts',
      `import { Controller, Get } from '@nestjs/common';
import { CurrentUser } from '@authbridge/nest-auth';

@Controller('health')
export class HealthController {
  @Get()
  check() {
    return { ok: true };
  }
}
`,
    );
    runSetup(tree, {});
    expect(tree.read('src/health/health.controller.ts', 'utf-8'))
      .toBe(`import { Controller, Get } from '@nestjs/common';
import { CurrentUser, Public } from '@authbridge/nest-auth';

@Public()
@Controller('health')
export class HealthController {
  @Get()
  check() {
    return { ok: true };
  }
}
`);
    expect(tree.exists('src/health.controller.ts')).toBe(false);
    expect(tree.read('src/app.module.ts', 'utf-8')).not.toContain('HealthController');
  });

  it('marks a GET .../health method public and tests it at its full path', () => {
    nestApp(tree);
    tree.write(
      'src/app.controller.ts',
      APP_CONTROLLER.replace('@Controller()', "@Controller('api')").replace(
        '  @Get()',
        "  @Get('health')\n  health() {\n    return 'ok';\n  }\n\n  @Get()",
      ),
    );
    runSetup(tree, {});
    const controller = tree.read('src/app.controller.ts', 'utf-8')!;
    expect(controller).toContain("  @Public()\n  @Get('health')\n  health()");
    expect(controller).toContain("import { Public } from '@authbridge/nest-auth';");
    const sample = tree.read('test/auth.e2e-spec.ts', 'utf-8')!;
    expect(sample).toContain(".get('/api/health').expect(200)");
    expect(sample).toContain(".get('/api').expect(401)");
  });

  it('writes .js in relative imports of an ESM app', () => {
    nestApp(tree, '.', { type: 'module' });
    tree.write('src/app.module.ts', APP_MODULE.replace(/'\.\/app\.(\w+)'/g, "'./app.$1.js'"));
    runSetup(tree, {});
    const module = tree.read('src/app.module.ts', 'utf-8')!;
    expect(module).toContain("import { authOptionsFromEnv } from './auth.config.js';");
    expect(module).toContain("import { HealthController } from './health.controller.js';");
    expect(tree.read('test/auth.e2e-spec.ts', 'utf-8')).toContain("from '../src/app.module.js'");
  });

  it("fits an app that tests with Vitest (nest new's ESM template): no Jest config or packages", () => {
    nestApp(tree, '.', {
      type: 'module',
      scripts: { 'test:e2e': 'vitest run --config ./vitest.config.e2e.ts' },
      devDependencies: { vitest: '^4.1.2', typescript: '^6.0.2' },
    });
    tree.delete('test/jest-e2e.json');
    runSetup(tree, {});
    const sample = tree.read('test/auth.e2e-spec.ts', 'utf-8')!;
    expect(
      sample.startsWith("import { afterAll, beforeAll, describe, expect, it } from 'vitest';"),
    ).toBe(true);
    expect(sample).toContain("from '../src/app.module.js'");
    expect(tree.exists('test/jest-e2e.json')).toBe(false);
    const manifest = JSON.parse(tree.read('package.json', 'utf-8')!);
    expect(Object.keys(manifest.devDependencies).sort()).toEqual([
      '@nestjs/testing',
      '@types/supertest',
      'supertest',
      'typescript',
      'vitest',
    ]);
    expect(manifest.scripts['test:e2e']).toBe('vitest run --config ./vitest.config.e2e.ts');
  });

  it('adds an imports array to a @Module() without one', () => {
    nestApp(tree);
    tree.write('src/app.module.ts', APP_MODULE.replace('  imports: [],\n', ''));
    runSetup(tree, {});
    expect(tree.read('src/app.module.ts', 'utf-8')).toContain(
      '@Module({\n  imports: [AuthModule.forRootAsync({ useFactory: () => authOptionsFromEnv() })],\n  controllers: [',
    );
  });

  it('refuses, writing nothing, a root module it cannot edit safely', () => {
    nestApp(tree);
    tree.write('src/app.module.ts', APP_MODULE.replace('imports: []', 'imports: sharedImports'));
    const before = tree.listChanges().length;
    expect(() => runSetup(tree, {})).toThrow(SetupRefusedError);
    expect(() => runSetup(tree, {})).toThrow(/imports \}\) is not an array literal.*by hand/);
    expect(tree.listChanges()).toHaveLength(before);
  });

  it('refuses an app that is not a Nest app', () => {
    tree.write('package.json', JSON.stringify({ name: 'web', dependencies: { next: '16.0.0' } }));
    expect(() => runSetup(tree, {})).toThrow('has no @nestjs/core dependency');
  });

  it('refuses an auth.config.ts it did not write', () => {
    nestApp(tree);
    tree.write('src/auth.config.ts', 'export const secret = 1;\n');
    expect(() => runSetup(tree, {})).toThrow('src/auth.config.ts exists and does not export');
  });

  it("keeps the user's own test, Jest transform and env entries, and says so", () => {
    nestApp(tree);
    tree.write('test/auth.e2e-spec.ts', '// mine\n');
    tree.write('test/jest-e2e.json', JSON.stringify({ transform: { x: 'babel-jest' } }));
    tree.write('.env.example', 'BETTER_AUTH_URL=https://auth.example.com');
    const { notes } = runSetup(tree, {});
    expect(tree.read('test/auth.e2e-spec.ts', 'utf-8')).toBe('// mine\n');
    expect(JSON.parse(tree.read('test/jest-e2e.json', 'utf-8')!)).toEqual({
      transform: { x: 'babel-jest' },
    });
    expect(tree.read('.env.example', 'utf-8')).toBe(
      "BETTER_AUTH_URL=https://auth.example.com\n\n# Where the API fetches Better Auth's public keys. Default: ${BETTER_AUTH_URL}/api/auth/jwks\nAUTH_JWKS_URL=\n",
    );
    expect(notes.join('\n')).toMatch(/auth\.e2e-spec\.ts exists: kept/);
    expect(notes.join('\n')).toMatch(/jest-e2e\.json has its own transform: kept/);
  });

  it("keeps the app's own test:e2e script (Nest 12's --experimental-vm-modules one works with the preset)", () => {
    const template =
      'node --experimental-vm-modules ./node_modules/jest/bin/jest.js --config ./test/jest-e2e.json';
    nestApp(tree, '.', { scripts: { 'test:e2e': template } });
    runSetup(tree, {});
    expect(JSON.parse(tree.read('package.json', 'utf-8')!).scripts['test:e2e']).toBe(template);
  });

  it('leaves an app that already configures AuthModule alone', () => {
    nestApp(tree);
    tree.write(
      'src/core.module.ts',
      "@Module({ imports: [AuthModule.forRoot({ issuer: 'https://auth.example.com' })] })\nexport class CoreModule {}\n",
    );
    const { notes } = runSetup(tree, {});
    expect(tree.read('src/app.module.ts', 'utf-8')).not.toContain('AuthModule');
    expect(tree.exists('src/auth.config.ts')).toBe(false);
    expect(notes).toContain('AuthModule is already configured: the root module was left as it is.');
  });

  it('finds an Nx project by name (nx g @authbridge/nest-auth:setup --project=api)', async () => {
    const workspace = createTreeWithEmptyWorkspace();
    addProjectConfiguration(workspace, 'api', { root: 'apps/api', sourceRoot: 'apps/api/src' });
    nestApp(workspace, 'apps/api');
    const install = await setupGenerator(workspace, { project: 'api', skipInstall: true });
    expect(install).toBeUndefined();
    expect(workspace.read('apps/api/src/app.module.ts', 'utf-8')).toContain(
      'AuthModule.forRootAsync',
    );
    expect(workspace.exists('apps/api/test/auth.e2e-spec.ts')).toBe(true);
  });

  it('returns an install step unless skipInstall', async () => {
    nestApp(tree);
    expect(typeof (await setupGenerator(tree, {}))).toBe('function');
  });
});

describe('versions the generator adds', () => {
  it('are the ones this workspace tests with', () => {
    const root = path.resolve(__dirname, '../../../../..');
    const manifests = ['package.json', 'libs/nest-auth/package.json'].map((file) =>
      JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')),
    );
    for (const [name, range] of Object.entries(DEV_DEPENDENCY_VERSIONS)) {
      const used = manifests.map((m) => m.devDependencies?.[name]).find(Boolean);
      expect({ name, range }).toEqual({ name, range: used });
    }
  });
});
