import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { TASK_TITLE_MAX } from './tasks';

const appDir = path.resolve(__dirname, '../..');

describe('the generated API types (src/lib/api-types.ts)', () => {
  it('are what backend/openapi.json produces (scripts/api-types.mjs --check)', () => {
    const check = spawnSync(process.execPath, ['scripts/api-types.mjs', '--check'], {
      cwd: appDir,
      encoding: 'utf8',
    });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it("take the title limit from the contract's maxLength", () => {
    expect(TASK_TITLE_MAX).toBe(200);
  });
});
