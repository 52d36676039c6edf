import { resolveClientAddress, resolveProtocol, stampClientAddress } from './client-address.mjs';
import type { IncomingMessage } from 'node:http';

function request(socket: string | undefined, headers: Record<string, string> = {}) {
  return { socket: { remoteAddress: socket }, headers: { ...headers } };
}

describe('resolveClientAddress', () => {
  it.each([
    // [socket, X-Forwarded-For, trusted hops, client]
    ['203.0.113.7', undefined, 0, '203.0.113.7'],
    ['203.0.113.7', '6.6.6.6', 0, '203.0.113.7'],
    ['203.0.113.7', '6.6.6.6, 7.7.7.7', 0, '203.0.113.7'],
    ['::ffff:127.0.0.1', '6.6.6.6', 0, '::ffff:127.0.0.1'],
    ['2001:db8::1', 'unknown', 0, '2001:db8::1'],
    // one proxy: the entry it appended, whatever the client put before it
    ['10.0.0.2', '198.51.100.4', 1, '198.51.100.4'],
    ['10.0.0.2', '6.6.6.6, 198.51.100.4', 1, '198.51.100.4'],
    ['10.0.0.2', '6.6.6.6,198.51.100.4', 1, '198.51.100.4'],
    ['10.0.0.2', ' 6.6.6.6 , 2001:db8::5 ', 1, '2001:db8::5'],
    // two proxies: the second entry from the right
    ['10.0.0.2', '6.6.6.6, 198.51.100.4, 10.0.0.9', 2, '198.51.100.4'],
    // a chain shorter than the hops: its left-most address (proxy-addr's rule)
    ['10.0.0.2', undefined, 1, '10.0.0.2'],
    ['10.0.0.2', '198.51.100.4', 3, '198.51.100.4'],
  ])('socket %s, X-Forwarded-For %j, %i hop(s) → %s', (socket, xff, hops, client) => {
    const headers: Record<string, string> = xff === undefined ? {} : { 'x-forwarded-for': xff };
    expect(resolveClientAddress(request(socket, headers), hops)).toBe(client);
  });

  it.each([
    [undefined, '198.51.100.4', 1],
    ['10.0.0.2', 'unknown', 1],
    ['10.0.0.2', '6.6.6.6, unknown', 1],
    ['10.0.0.2', '198.51.100.4:1234', 1],
    ['10.0.0.2', '<script>', 1],
    ['10.0.0.2', 'unknown, 10.0.0.9', 2],
  ])('socket %s, X-Forwarded-For %j, %i hop(s) → no address', (socket, xff, hops) => {
    expect(resolveClientAddress(request(socket, { 'x-forwarded-for': xff }), hops)).toBeNull();
  });
});

describe('resolveProtocol', () => {
  it.each([
    [0, undefined, false, 'http'],
    [0, 'https', false, 'http'],
    [0, 'http', true, 'https'],
    [1, 'https', false, 'https'],
    [1, 'HTTPS, http', false, 'https'],
    [1, 'http', true, 'http'],
    [1, 'gopher', false, 'http'],
    [1, undefined, true, 'https'],
  ])('%i hop(s), X-Forwarded-Proto %j, TLS socket %s → %s', (hops, proto, tls, expected) => {
    const req = {
      socket: { remoteAddress: '10.0.0.2', encrypted: tls },
      headers: proto === undefined ? {} : { 'x-forwarded-proto': proto },
    };
    expect(resolveProtocol(req, hops)).toBe(expected);
  });
});

describe('stampClientAddress', () => {
  const stamp = (req: ReturnType<typeof request>, hops: number) => {
    stampClientAddress(req as unknown as IncomingMessage, hops);
    return req.headers;
  };

  it('overwrites what a client claims, when no proxy is trusted', () => {
    const headers = stamp(
      request('203.0.113.7', {
        'x-forwarded-for': '6.6.6.6',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-port': '443',
        forwarded: 'for=6.6.6.6',
      }),
      0,
    );
    expect(headers).toEqual({ 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'http' });
  });

  it('keeps one address and the proxy headers behind a trusted proxy', () => {
    const headers = stamp(
      request('10.0.0.2', {
        'x-forwarded-for': '6.6.6.6, 198.51.100.4',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'app.example',
      }),
      1,
    );
    expect(headers).toEqual({
      'x-forwarded-for': '198.51.100.4',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'app.example',
    });
  });

  it('writes "unknown", never nothing, when there is no address', () => {
    // Left empty, Next would fill it with the socket's peer: behind a proxy, the proxy.
    const headers = stamp(request('10.0.0.2', { 'x-forwarded-for': 'unknown' }), 1);
    expect(headers['x-forwarded-for']).toBe('unknown');
  });
});
