import { ApiError, isApiError, kindOfStatus, toApiError } from './api-error.js';

describe('ApiError', () => {
  it('is an Error with name, kind, status, code and messages', () => {
    const error = new ApiError({ kind: 'forbidden', status: 403, message: 'No.' });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'ApiError',
      kind: 'forbidden',
      status: 403,
      code: null,
      messages: ['No.'],
      fieldErrors: [],
    });
  });

  it('isApiError recognises one from another copy of the package, and nothing else', () => {
    const foreign = Object.assign(new Error('x'), { name: 'ApiError', kind: 'server' });
    expect(isApiError(foreign)).toBe(true);
    expect(isApiError(new Error('x'))).toBe(false);
    expect(isApiError({ name: 'ApiError', kind: 'server' })).toBe(false);
    expect(isApiError(null)).toBe(false);
  });

  it('toApiError passes an ApiError through and wraps anything else as unknown', () => {
    const error = new ApiError({ kind: 'server', message: 'x' });
    expect(toApiError(error)).toBe(error);
    const wrapped = toApiError(new RangeError('bug'));
    expect(wrapped).toMatchObject({ kind: 'unknown', status: null });
    expect(wrapped.cause).toBeInstanceOf(RangeError);
  });

  it.each([
    [400, 'validation'],
    [401, 'unauthenticated'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'conflict'],
    [418, 'unknown'],
    [422, 'validation'],
    [429, 'rate_limited'],
    [500, 'server'],
    [503, 'server'],
  ])('status %i is %s', (status, kind) => {
    expect(kindOfStatus(status)).toBe(kind);
  });
});
