import type { INestApplication, LoggerService } from '@nestjs/common';
import request from 'supertest';
import { TestIssuer } from '../src/testing';
import { startApp } from './support/apps';

describe('logging', () => {
  const lines: Array<{ level: string; message: string }> = [];
  const capture =
    (level: string) =>
    (...args: unknown[]) =>
      lines.push({ level, message: args.map((a) => String(a)).join(' ') });
  const logger: LoggerService = {
    log: capture('log'),
    error: capture('error'),
    warn: capture('warn'),
    debug: capture('debug'),
    verbose: capture('verbose'),
  };
  let issuer: TestIssuer;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    issuer = await TestIssuer.create();
    ({ app, url } = await startApp(issuer.moduleOptions()));
    app.useLogger(logger);
  });
  afterAll(() => app.close());

  it('logs each failure at debug level with its reason, and never the token', async () => {
    const tokens = [
      await issuer.sign({}, { expiresIn: -60 }),
      await issuer.sign({ aud: 'nope' }),
      await issuer.sign({}, { kid: 'nope' }),
      await issuer.sign({ sub: 'fine' }),
    ];
    for (const token of tokens) {
      await request(url).get('/me').set('Authorization', `Bearer ${token}`);
      await request(url).get('/admin').set('Authorization', `Bearer ${token}`);
      await request(url).get('/users/other/profile').set('Authorization', `Bearer ${token}`);
    }
    await request(url).get('/me').set('Authorization', 'Basic xyz');
    await request(url).get('/me');

    const debug = lines.filter((l) => l.level === 'debug').map((l) => l.message);
    for (const reason of [
      'token_expired',
      'wrong_audience',
      'unknown_key',
      'insufficient_role',
      'not_owner',
      'malformed_header',
      'missing_token',
    ]) {
      expect(debug.some((m) => m.includes(reason))).toBe(true);
    }
    const everything = lines.map((l) => l.message).join('\n');
    for (const token of tokens) {
      for (const part of token.split('.')) expect(everything).not.toContain(part);
    }
    expect(lines.filter((l) => l.level !== 'debug' && /AuthBridge/.test(l.message))).toEqual([]);
  });
});
