import { isoTime, printableUntrusted, quoteUntrusted } from './untrusted-text';

describe('quoteUntrusted', () => {
  it.each([
    ['ключ', '"ключ"'],
    ['🔑', '"🔑"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['a\u2028b\u2029c', '"a\\u2028b\\u2029c"'],
    ['k\r\nSet-Cookie: x', '"k\\u000d\\u000aSet-Cookie: x"'],
    ['abc\u202edef', '"abc\\u202edef"'],
    ['\u0085\u009b', '"\\u0085\\u009b"'],
    ['lone \ud800 surrogate', '"lone \\ud800 surrogate"'],
    [undefined, 'none'],
    [42, '"42"'],
    [['a', 'b'], '"[\\"a\\",\\"b\\"]"'],
  ])('quotes %j as %s', (value, expected) => {
    expect(quoteUntrusted(value)).toBe(expected);
  });

  it('cuts long values by code point, saying how long they were', () => {
    expect(quoteUntrusted('k'.repeat(10_240), 8)).toBe('"kkkkkkkk…" (10240 characters)');
    // 8 emoji are 16 UTF-16 units: never cut inside a surrogate pair.
    expect(quoteUntrusted('😀'.repeat(10), 8)).toBe(`"${'😀'.repeat(8)}…" (20 characters)`);
    expect(quoteUntrusted('ж'.repeat(64))).toBe(`"${'ж'.repeat(64)}"`);
  });

  it('survives values JSON cannot write', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(quoteUntrusted(loop)).toBe('"[object Object]"');
    expect(quoteUntrusted(10n)).toBe('"10"');
  });
});

describe('printableUntrusted', () => {
  it('escapes what breaks a line, keeps quotes, and cuts', () => {
    expect(printableUntrusted('Parameter "a\nb" is not recognized')).toBe(
      'Parameter "a\\u000ab" is not recognized',
    );
    expect(printableUntrusted('x'.repeat(500), 10)).toBe(`${'x'.repeat(10)}…`);
  });
});

describe('isoTime', () => {
  it('formats NumericDates and survives values out of the Date range', () => {
    expect(isoTime(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(isoTime(1e300)).toBe('1e+300 s since the epoch');
    expect(isoTime(-1e300)).toBe('-1e+300 s since the epoch');
    expect(isoTime('soon')).toBe('an unknown time');
    expect(isoTime(Number.NaN)).toBe('an unknown time');
  });
});
