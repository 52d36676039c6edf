const base64Url = (value: object): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned-looking compact JWT with the given claims; only its payload matters here. */
export function makeJwt(claims: Record<string, unknown>): string {
  return `${base64Url({ alg: 'EdDSA', kid: 'test' })}.${base64Url(claims)}.c2lnbmF0dXJl`;
}

/** A Better Auth-like token: issued at `iatSeconds`, valid 15 minutes. */
export function betterAuthLikeJwt(sub: string, iatSeconds: number, lifetimeSeconds = 900): string {
  return makeJwt({ sub, iat: iatSeconds, exp: iatSeconds + lifetimeSeconds });
}
