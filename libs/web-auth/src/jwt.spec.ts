import { makeJwt } from '../test/jwt.js';
import { decodeJwtPayload } from './jwt.js';

describe('decodeJwtPayload', () => {
  it('reads the payload of a compact JWT, without verifying it', () => {
    const token = makeJwt({ sub: 'u1', exp: 1_900_000_000, name: 'Zoë ✓' });
    expect(decodeJwtPayload(token)).toEqual({ sub: 'u1', exp: 1_900_000_000, name: 'Zoë ✓' });
  });

  it('decodes base64url payloads whose length needs padding and uses - and _', () => {
    for (let n = 0; n < 4; n++) {
      const claims = { exp: 1, pad: 'x'.repeat(n), bytes: '>>>???' };
      expect(decodeJwtPayload(makeJwt(claims))).toEqual(claims);
    }
  });

  it.each([
    ['not a jwt', 'opaque'],
    ['two parts', 'a.b'],
    ['bad base64', 'a.%%%.c'],
    ['not JSON', `a.${Buffer.from('nope').toString('base64url')}.c`],
    ['JSON array', `a.${Buffer.from('[1]').toString('base64url')}.c`],
    ['JSON null', `a.${Buffer.from('null').toString('base64url')}.c`],
  ])('returns null for %s', (_label, token) => {
    expect(decodeJwtPayload(token)).toBeNull();
  });
});
