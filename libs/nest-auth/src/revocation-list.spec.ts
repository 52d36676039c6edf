import { RevocationList } from './revocation-list';
import { parseRevocation } from './revocation.interface';

const RETENTION = 905_000; // 900 s of token lifetime + 5 s of clock tolerance
const claims = (sub: string, sid: string | undefined, iatMs: number) => ({
  sub,
  sid,
  iat: Math.floor(iatMs / 1000),
});

describe('RevocationList', () => {
  let now: number;
  let list: RevocationList;
  beforeEach(() => {
    now = 1_700_000_000_000;
    list = new RevocationList(RETENTION, () => now);
  });

  it('refuses a revoked session and only that one', () => {
    list.add({ kind: 'session', id: 's1', at: now });
    expect(list.check(claims('u1', 's1', now - 1_000))?.reason).toBe('session_revoked');
    expect(list.check(claims('u1', 's2', now - 1_000))).toBeUndefined();
    expect(list.check(claims('u2', undefined, now - 1_000))).toBeUndefined();
  });

  it('refuses a revoked user for tokens issued at or before the revocation, not after', () => {
    list.add({ kind: 'user', id: 'u1', at: now });
    expect(list.check(claims('u1', 's1', now - 60_000))?.reason).toBe('user_revoked');
    expect(list.check(claims('u1', 's1', now))?.reason).toBe('user_revoked');
    expect(list.check(claims('u1', 's9', now + 1_000))).toBeUndefined();
    expect(list.check(claims('u2', 's2', now - 60_000))).toBeUndefined();
  });

  it('keeps the later of two user revocations', () => {
    list.add({ kind: 'user', id: 'u1', at: now });
    list.add({ kind: 'user', id: 'u1', at: now - 100_000 });
    expect(list.check(claims('u1', 's', now - 1))?.reason).toBe('user_revoked');
  });

  it('forgets a revocation once every token it could refuse has expired', () => {
    list.add({ kind: 'session', id: 's1', at: now });
    now += RETENTION - 1;
    expect(list.check(claims('u1', 's1', now - RETENTION))?.reason).toBe('session_revoked');
    now += 1;
    expect(list.check(claims('u1', 's1', now - RETENTION))).toBeUndefined();
    // a write sweeps the expired entries out of memory
    now += 60_000;
    list.add({ kind: 'session', id: 's2', at: now });
    expect(list.size).toBe(1);
  });

  it('ignores a revocation that is already older than the retention', () => {
    list.add({ kind: 'session', id: 'old', at: now - RETENTION });
    expect(list.size).toBe(0);
  });

  it('refuses tokens issued before an outage while told to, then stops', () => {
    list.refuseIssuedBefore(now);
    const stale = list.check(claims('u1', 's1', now - 10_000));
    expect(stale?.reason).toBe('token_expired');
    expect(list.check(claims('u1', 's1', now + 1_000))).toBeUndefined();
    list.refuseIssuedBefore(undefined);
    expect(list.check(claims('u1', 's1', now - 10_000))).toBeUndefined();
  });
});

describe('parseRevocation', () => {
  it('reads the JSON a publisher sends', () => {
    expect(parseRevocation('{"kind":"session","id":"s1","at":5}')).toEqual({
      kind: 'session',
      id: 's1',
      at: 5,
    });
    expect(parseRevocation({ kind: 'user', id: 'u', at: '2026-01-01T00:00:00.000Z' })).toEqual({
      kind: 'user',
      id: 'u',
      at: Date.parse('2026-01-01T00:00:00.000Z'),
    });
  });

  it.each([
    ['not json', '{'],
    ['unknown kind', '{"kind":"all","id":"x","at":1}'],
    ['empty id', '{"kind":"session","id":"","at":1}'],
    ['bad time', '{"kind":"session","id":"s","at":"soon"}'],
    ['null', 'null'],
  ])('refuses %s', (_name, text) => {
    expect(parseRevocation(text)).toBeUndefined();
  });
});
