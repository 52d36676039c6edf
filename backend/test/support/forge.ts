import { createHmac, createPublicKey, KeyObject, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

// Token forgery for the attack suites: every way RFC 8725 and the JWT attack literature
// know to make a server accept a token it should not.

export type Json = Record<string, unknown>;

export const b64 = (value: string | Uint8Array | Json | unknown[]): string =>
  Buffer.from(
    typeof value === 'string' || value instanceof Uint8Array ? value : JSON.stringify(value),
  ).toString('base64url');

export const unb64 = (segment: string): Buffer => Buffer.from(segment, 'base64url');

export function segments(token: string): [string, string, string] {
  const [header, payload, signature] = token.split('.');
  return [header, payload, signature];
}

export const headerOf = (token: string): Json => JSON.parse(unb64(segments(token)[0]).toString());
export const payloadOf = (token: string): Json => JSON.parse(unb64(segments(token)[1]).toString());

/** `header.payload.signature` from parts, each JSON-encoded unless already a string. */
export function compact(header: Json | string, payload: Json | string, signature = ''): string {
  const enc = (part: Json | string) => (typeof part === 'string' ? part : b64(part));
  return `${enc(header)}.${enc(payload)}.${signature}`;
}

/** HMAC over `header.payload` keyed with `secret`: the algorithm-confusion forgery. */
export function hmacToken(alg: string, header: Json, payload: Json, secret: string | Buffer) {
  const input = compact(header, payload).slice(0, -1);
  const mac = createHmac(`sha${alg.slice(2)}`, secret)
    .update(input)
    .digest();
  return `${input}.${mac.toString('base64url')}`;
}

/**
 * A really signed EdDSA JWS over any header and payload bytes, built by hand: jose refuses to
 * produce the malformed headers (unknown `crit`, non-JSON payloads) a forger would send.
 */
export function signRaw(key: CryptoKey, header: Json, payload: string | Uint8Array): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const signature = sign(null, Buffer.from(input), KeyObject.from(key as never));
  return `${input}.${signature.toString('base64url')}`;
}

/**
 * The TestIssuer's private keys, which it keeps to itself: the hygiene check looks for them
 * in the logs, and a few forgeries need a real signature over malformed content.
 */
export function privateKeysOf(issuer: object): CryptoKey[] {
  const keys = (issuer as { keys: Array<{ privateKey: CryptoKey }> }).keys;
  return keys.map((k) => k.privateKey);
}

/** An attacker's own EdDSA key pair, with its public JWK. */
export async function attackerKey(kid = 'attacker'): Promise<{
  privateKey: CryptoKey;
  publicJwk: JWK;
}> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA' } };
}

/** The bytes an HMAC forger would try as the "secret": the issuer's public key, every spelling. */
export function publicKeySpellings(jwk: JWK): Array<[string, string | Buffer]> {
  const pem = createPublicKey({ key: jwk as never, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
  const der = createPublicKey({ key: jwk as never, format: 'jwk' }).export({
    type: 'spki',
    format: 'der',
  });
  return [
    ['the raw public key bytes', unb64(jwk.x as string)],
    ['the base64url "x" of the JWK', jwk.x as string],
    ['the PEM (SPKI)', pem],
    ['the PEM without its trailing newline', pem.trimEnd()],
    ['the DER (SPKI)', der],
    ['the JWK as JSON', JSON.stringify(jwk)],
    ['the JWKS as JSON', JSON.stringify({ keys: [jwk] })],
  ];
}

/** Flips one bit of a segment's decoded bytes and re-encodes it canonically. */
export function flipBit(token: string, segment: 0 | 1 | 2, bit: number): string {
  const parts = segments(token);
  const bytes = unb64(parts[segment]);
  const index = Math.floor(bit / 8) % bytes.length;
  bytes[index] ^= 1 << (bit % 8);
  parts[segment] = bytes.toString('base64url');
  return parts.join('.');
}

/**
 * The same signature bytes spelled differently: a different last character whose extra
 * (unused) bits are set. Decoders that ignore those bits read the identical signature.
 */
export function nonCanonicalSignature(token: string): string {
  const parts = segments(token);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const sig = parts[2];
  const unusedBits = (6 - ((unb64(sig).length * 8) % 6)) % 6;
  if (unusedBits === 0) throw new Error('this signature length has no unused bits');
  const last = alphabet.indexOf(sig.at(-1)!);
  parts[2] = sig.slice(0, -1) + alphabet[last | ((1 << unusedBits) - 1)];
  if (parts[2] === sig) parts[2] = sig.slice(0, -1) + alphabet[last ^ 1];
  return parts.join('.');
}

/** A local HTTP server that counts requests: a `jku`/`x5u` must never make the API call it. */
export async function countingServer(body: string): Promise<{
  url: string;
  readonly requests: number;
  close(): Promise<void>;
}> {
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
