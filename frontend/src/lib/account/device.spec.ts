import { deviceLabel } from './device';

describe('deviceLabel', () => {
  it('names browser, major version, OS and kind', () => {
    expect(
      deviceLabel(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/153.0.0.0 Safari/537.36',
      ),
    ).toBe('Chrome 153 on Linux (desktop)');
    expect(
      deviceLabel(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari 17 on iOS (mobile)');
  });

  it('says "Unknown" for a missing or meaningless user agent', () => {
    expect(deviceLabel(null)).toBe('Unknown device');
    expect(deviceLabel('')).toBe('Unknown device');
    expect(deviceLabel('curl-ish/∞')).toMatch(/^Unknown browser/);
  });
});
