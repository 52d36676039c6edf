import { postgresRevocationTableSql as publisherTableSql } from '../../web-auth/src/revocation-publisher';
import { PostgresRevocationSource, postgresRevocationTableSql } from './postgres-revocation-source';
import { RedisRevocationSource } from './redis-revocation-source';

describe('PostgresRevocationSource options', () => {
  const connectionString = 'postgres://u:p@127.0.0.1:5432/db';

  it('starts in "starting", with nothing connected yet', () => {
    expect(new PostgresRevocationSource({ connectionString }).status()).toMatchObject({
      source: 'postgres',
      channel: 'starting',
    });
  });

  it.each([
    [{ connectionString: '' }, /connectionString is required/],
    [
      { connectionString, table: 'Robert"; DROP TABLE x' },
      /table must be a lower-case SQL identifier/,
    ],
    [{ connectionString, channel: 'a-b' }, /channel must be a lower-case SQL identifier/],
    [{ connectionString, onOutage: 'ignore' as never }, /onOutage must be "poll" or "refuse"/],
    [{ connectionString, pollIntervalMs: 0 }, /pollIntervalMs must be a positive number/],
  ])('refuses %o', (options, message) => {
    expect(() => new PostgresRevocationSource(options)).toThrow(message);
  });

  it('creates the same table the publisher (web-auth) writes: one contract', () => {
    expect(postgresRevocationTableSql()).toBe(publisherTableSql());
    expect(postgresRevocationTableSql('revoked')).toBe(publisherTableSql('revoked'));
  });
});

describe('RedisRevocationSource options', () => {
  it.each([
    [{ url: 'http://localhost:6379' }, /url must be a redis/],
    [{ url: 'redis://localhost:6379', onOutage: 'later' as never }, /onOutage must be/],
  ])('refuses %o', (options, message) => {
    expect(() => new RedisRevocationSource(options)).toThrow(message);
  });
});
