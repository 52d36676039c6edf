import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRepoRoot, loadRootEnv } from './root-env';

describe('root .env', () => {
  it('finds the repository root (the folder holding nx.json) from src/ and from dist/', () => {
    const root = path.resolve(__dirname, '../../..');
    expect(findRepoRoot(__dirname)).toBe(root);
    expect(findRepoRoot(path.join(root, 'backend/dist/config'))).toBe(root);
    expect(fs.existsSync(path.join(findRepoRoot()!, 'nx.json'))).toBe(true);
  });

  it('fills only what the process environment leaves unset or empty', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-env-'));
    fs.writeFileSync(
      path.join(dir, '.env'),
      'API_PORT=4000\nBETTER_AUTH_URL=http://from-file:3000\nCORS_ORIGINS=http://file\n# comment\n',
    );
    const env: NodeJS.ProcessEnv = { API_PORT: '5000', BETTER_AUTH_URL: '' };
    loadRootEnv(env, dir);
    expect(env).toEqual({
      API_PORT: '5000',
      BETTER_AUTH_URL: 'http://from-file:3000',
      CORS_ORIGINS: 'http://file',
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is a no-op without a .env file', () => {
    const env: NodeJS.ProcessEnv = { A: '1' };
    loadRootEnv(env, fs.mkdtempSync(path.join(os.tmpdir(), 'backend-env-')));
    expect(env).toEqual({ A: '1' });
  });
});
