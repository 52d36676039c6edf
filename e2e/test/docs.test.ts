import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { codeBlocks } from './support/code-blocks';

// The docs' code cannot drift from the code: docs/testing.md's examples run as a user's app
// would run them, and the TypeScript blocks of the two libraries' READMEs type-check against
// the built libraries.

const REPO_ROOT = path.resolve(__dirname, '../..');
/** Inside the repository (so the workspace's node_modules resolve), git-ignored. */
const WORK_DIR = path.join(__dirname, '../test-results/docs');

describe('docs/testing.md', () => {
  it('its file blocks, written into a fresh app folder, pass under Jest with the kit preset', async () => {
    const dir = path.join(WORK_DIR, 'testing-example');
    fs.rmSync(dir, { recursive: true, force: true });
    const files = codeBlocks(path.join(REPO_ROOT, 'docs/testing.md')).filter((b) => b.file);
    expect(files.map((b) => b.file)).toEqual(
      expect.arrayContaining(['jest.config.json', 'test/notes.e2e-spec.ts']),
    );
    for (const block of files) {
      fs.mkdirSync(path.dirname(path.join(dir, block.file!)), { recursive: true });
      fs.writeFileSync(path.join(dir, block.file!), block.code);
    }
    const jest = path.join(REPO_ROOT, 'node_modules/jest/bin/jest.js');
    const child = spawn(process.execPath, [jest, '--config', 'jest.config.json', '--ci'], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`the example failed (exit ${code}):\n${output}`);
    expect(output).toMatch(/Tests:\s+6 passed, 6 total/);
  });
});

/**
 * Diagnostics a README snippet may have because it is a snippet: names defined in the text
 * around it, imports of the reader's own files (`../src/app.module`), unused names. What is
 * left is what drifts: a missing export, an unknown option, a wrong method or argument type.
 */
const SNIPPET_CODES = new Set([
  2304, // Cannot find name 'x' (defined in the surrounding prose or an earlier block)
  2552, // Cannot find name 'x'. Did you mean ...
  2307, // Cannot find module (only relative imports are allowed to be missing, checked below)
  2834, // Relative import paths need explicit file extensions (ESM)
  2835, // ... Did you mean './x.js'?
  6133, // declared but never read
  6192, // All imports in import declaration are unused
  2393, // Duplicate function implementation (several alternatives in one block)
  2451, // Cannot redeclare block-scoped variable (same)
  1308, // 'await' only in async functions (a snippet from inside one)
  18004, // No value exists in scope for the shorthand property (prose-defined)
]);

// A Nest app compiles as Node does (nodenext); a Next.js app through its bundler.
// Each file is checked from inside a package whose dependencies its blocks import.
describe.each([
  ['libs/nest-auth/README.md', 'nodenext', 'libs/nest-auth'],
  ['libs/web-auth/README.md', 'bundler', 'libs/web-auth'],
  ['docs/using-the-kit.md', 'bundler', 'libs/web-auth'],
] as const)('%s', (readme, resolution, home) => {
  it('every TypeScript block type-checks against the built libraries', () => {
    // Inside the library's own node_modules: its dependencies (better-auth...) resolve as
    // they do for the library, and no linter or formatter looks there.
    const dir = path.join(REPO_ROOT, home, 'node_modules/.readme-blocks', path.basename(readme));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const blocks = codeBlocks(path.join(REPO_ROOT, readme)).filter((b) =>
      ['ts', 'tsx', 'typescript'].includes(b.lang),
    );
    expect(blocks.length).toBeGreaterThan(0);
    const files = blocks.map((block) => {
      const file = path.join(dir, `line-${block.line}.${block.lang === 'tsx' ? 'tsx' : 'mts'}`);
      fs.writeFileSync(file, block.code);
      return { file, block };
    });
    const program = ts.createProgram(
      files.map((f) => f.file),
      {
        noEmit: true,
        strict: true,
        target: ts.ScriptTarget.ES2023,
        ...(resolution === 'nodenext'
          ? { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext }
          : { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }),
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        esModuleInterop: true,
        skipLibCheck: true,
        jsx: ts.JsxEmit.ReactJSX,
        lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
        types: ['node', 'jest'],
        typeRoots: [path.join(REPO_ROOT, 'node_modules/@types')],
      },
    );
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.some((f) => f.file === d.file!.fileName))
      .filter((d) => {
        if (!SNIPPET_CODES.has(d.code)) return true;
        if (d.code === 2307) {
          const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
          // The reader's own files (`../src/app.module`, `@/lib/auth-client`) may be missing;
          // a package that does not resolve is a problem.
          return !/'(\.{1,2}|@)\//.test(text);
        }
        return false;
      })
      .map((d) => {
        const { file, block } = files.find((f) => f.file === d.file!.fileName)!;
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${readme}:${block.line + 1 + line} (block at line ${block.line}, ${path.basename(file)}): TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      });
    expect(problems).toEqual([]);
  });
});
