import { VerifiedTokenCache } from './verified-token-cache';

const user = (id: string) => ({ id, claims: { sub: id } });

describe('VerifiedTokenCache', () => {
  it('returns a cached user until its expiry, checked on every hit', () => {
    let now = 1_000;
    const cache = new VerifiedTokenCache(10, () => now);
    cache.set('t1', user('a'), 2_000);
    expect(cache.get('t1')?.id).toBe('a');
    now = 1_999;
    expect(cache.get('t1')?.id).toBe('a');
    now = 2_000;
    expect(cache.get('t1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('is bounded: the oldest entry goes first', () => {
    const cache = new VerifiedTokenCache(2, () => 0);
    cache.set('t1', user('a'), 10);
    cache.set('t2', user('b'), 10);
    cache.set('t2', user('b2'), 10); // update, no eviction
    expect(cache.size).toBe(2);
    cache.set('t3', user('c'), 10);
    expect(cache.size).toBe(2);
    expect(cache.get('t1')).toBeUndefined();
    expect(cache.get('t2')?.id).toBe('b2');
    expect(cache.get('t3')?.id).toBe('c');
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('uses the wall clock by default', () => {
    const cache = new VerifiedTokenCache(1);
    cache.set('t', user('a'), Date.now() + 60_000);
    expect(cache.get('t')?.id).toBe('a');
  });
});
