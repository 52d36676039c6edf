/**
 * Every secret value a test file used: passwords it typed, cookies and tokens it was
 * given, the app's secrets. The helpers of ./http remember them as they go; a last test
 * per file checks that none of them ever reached the app's own output (its logs).
 */
const secrets = new Set<string>();

/** Remembers `value` (and its URL-decoded form) as a secret; short values are ignored. */
export function rememberSecret(value: string | null | undefined): void {
  if (!value || value.length < 8) return;
  secrets.add(value);
  try {
    const decoded = decodeURIComponent(value);
    if (decoded.length >= 8) secrets.add(decoded);
  } catch {
    /* not URL-encoded */
  }
}

export function rememberedSecrets(): string[] {
  return [...secrets];
}

/** The remembered secrets that occur in `text`. */
export function secretsIn(text: string): string[] {
  return [...secrets].filter((secret) => text.includes(secret));
}
