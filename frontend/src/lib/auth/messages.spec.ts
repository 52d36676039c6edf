import { AUTH_MESSAGES, formatWait } from './messages';

describe('formatWait', () => {
  it.each([
    [0, '1 s'],
    [0.2, '1 s'],
    [7, '7 s'],
    [119, '119 s'],
    [120, '2 min'],
    [121, '2 min 1 s'],
    [899, '14 min 59 s'],
    [900, '15 min'],
  ])('%s s reads %s', (seconds, text) => {
    expect(formatWait(seconds)).toBe(text);
  });

  it('is what the "too many attempts" message says', () => {
    expect(AUTH_MESSAGES.tooManyAttempts(900)).toBe('Too many attempts, try again in 15 min.');
    expect(AUTH_MESSAGES.tooManyAttempts(9)).toBe('Too many attempts, try again in 9 s.');
  });
});
