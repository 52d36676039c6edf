import {
  fromBetterAuthClient,
  TokenFetchError,
  type BetterAuthTokenClient,
} from './better-auth.js';

const clientAnswering = (answer: Awaited<ReturnType<BetterAuthTokenClient['token']>>) => ({
  token: jest.fn(async () => answer),
});

describe('fromBetterAuthClient', () => {
  it('returns data.token', async () => {
    const authClient = clientAnswering({ data: { token: 'jwt' }, error: null });
    expect(await fromBetterAuthClient(authClient)()).toBe('jwt');
    expect(authClient.token).toHaveBeenCalledTimes(1);
  });

  it('returns null when there is no session (401)', async () => {
    const authClient = clientAnswering({
      data: null,
      error: { status: 401, statusText: 'Unauthorized' },
    });
    expect(await fromBetterAuthClient(authClient)()).toBeNull();
  });

  it('returns null when data carries no token', async () => {
    const authClient = clientAnswering({ data: null, error: null });
    expect(await fromBetterAuthClient(authClient)()).toBeNull();
  });

  it('throws on any other error status, so an outage is not taken for a sign-out', async () => {
    const authClient = clientAnswering({
      data: null,
      error: {
        status: 500,
        statusText: 'Internal Server Error',
        message: 'Failed to decrypt private key',
      },
    });
    const error = await fromBetterAuthClient(authClient)().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenFetchError);
    expect(error).toMatchObject({ status: 500 });
    expect((error as Error).message).toContain('Failed to decrypt private key');
  });

  it('takes the bare { token } of a client made with fetchOptions: { throw: true }', async () => {
    const authClient = clientAnswering({ token: 'jwt' });
    expect(await fromBetterAuthClient(authClient)()).toBe('jwt');
  });

  it('returns null when such a client throws a 401, and lets other throws through', async () => {
    const noSession = Object.assign(new Error('Unauthorized'), { status: 401 });
    const down = Object.assign(new Error('Internal Server Error'), { status: 500 });
    expect(
      await fromBetterAuthClient({ token: async () => Promise.reject(noSession) })(),
    ).toBeNull();
    await expect(fromBetterAuthClient({ token: async () => Promise.reject(down) })()).rejects.toBe(
      down,
    );
  });

  it('lets a network failure (rejected fetch) through', async () => {
    const authClient = {
      token: jest.fn(async () => Promise.reject(new TypeError('fetch failed'))),
    };
    await expect(fromBetterAuthClient(authClient)()).rejects.toThrow('fetch failed');
  });
});
