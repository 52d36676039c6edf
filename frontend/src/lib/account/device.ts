import Bowser from 'bowser';

/**
 * "Chrome 153 on Linux (desktop)" from a User-Agent header, for the sessions list. A missing
 * or unreadable one is "Unknown device": the list must render whatever a client sent.
 *
 * @example
 * deviceLabel('Mozilla/5.0 (X11; Linux x86_64) ... Chrome/153.0.0.0 Safari/537.36');
 * // 'Chrome 153 on Linux (desktop)'
 */
export function deviceLabel(userAgent: string | null | undefined): string {
  if (!userAgent) return 'Unknown device';
  try {
    const { browser, os, platform } = Bowser.parse(userAgent);
    const name = browser.name
      ? `${browser.name}${browser.version ? ` ${browser.version.split('.')[0]}` : ''}`
      : 'Unknown browser';
    const system = os.name ? ` on ${os.name}` : '';
    const kind = platform.type ? ` (${platform.type})` : '';
    return `${name}${system}${kind}`;
  } catch {
    return 'Unknown device';
  }
}
