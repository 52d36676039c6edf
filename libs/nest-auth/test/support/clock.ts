const EVERYTHING_BUT_DATE = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

/**
 * Stops the clock that the module reads (`Date`), and only that one: timers, sockets and
 * promises still run for real, so an app can serve HTTP while the test decides what time it
 * is. Tokens are signed and verified on the same virtual clock. Call `restore()` after.
 *
 * @example
 * const clock = useVirtualClock();
 * clock.advance(30_000); // the JWKS cooldown is over, whatever the machine's speed
 */
export function useVirtualClock(start = Date.now()) {
  jest.useFakeTimers({ now: start, doNotFake: [...EVERYTHING_BUT_DATE] });
  return {
    advance(ms: number) {
      jest.setSystemTime(Date.now() + ms);
    },
    restore() {
      jest.useRealTimers();
    },
  };
}
