import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRepoRoot, loadRootEnv } from './root-env';

function tempRepo(dotenv?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authbridge-config-'));
  fs.writeFileSync(path.join(dir, 'nx.json'), '{}');
  fs.mkdirSync(path.join(dir, 'app/dist'), { recursive: true });
  if (dotenv !== undefined) fs.writeFileSync(path.join(dir, '.env'), dotenv);
  return dir;
}

describe('root .env', () => {
  const made: string[] = [];
  afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('finds the repository root (the folder holding nx.json) from below it', () => {
    const repo = tempRepo();
    made.push(repo);
    expect(findRepoRoot(path.join(repo, 'app/dist'))).toBe(repo);
    expect(findRepoRoot(repo)).toBe(repo);
    expect(fs.existsSync(path.join(findRepoRoot(__dirname)!, 'nx.json'))).toBe(true);
  });

  it('fills only what the process environment leaves unset or empty', () => {
    const repo = tempRepo(
      '# comment\nAPI_PORT=4000\nBETTER_AUTH_URL=http://from-file:3000\n' +
        'CORS_ORIGINS="http://a, http://b" # both\nEMPTY=\n',
    );
    made.push(repo);
    const env: Record<string, string | undefined> = { API_PORT: '5000', BETTER_AUTH_URL: '' };
    expect(loadRootEnv(env, path.join(repo, 'app/dist'))).toBe(path.join(repo, '.env'));
    expect(env).toEqual({
      API_PORT: '5000',
      BETTER_AUTH_URL: 'http://from-file:3000',
      CORS_ORIGINS: 'http://a, http://b',
      EMPTY: '',
    });
  });

  it('is a no-op without a .env file', () => {
    const repo = tempRepo();
    made.push(repo);
    const env = { A: '1' };
    expect(loadRootEnv(env, repo)).toBeUndefined();
    expect(env).toEqual({ A: '1' });
  });
});
