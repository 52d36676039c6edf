import type { AuthUser } from './auth-user.interface';

/**
 * Tokens that already verified, keyed by the whole token string, with their expiry.
 * A plain insertion-ordered Map evicting its oldest entry: a few lines, no dependency, and
 * an entry is never trusted past `exp` (+ clock tolerance), which is checked on every hit.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { user: AuthUser; expiresAtMs: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(token: string): AuthUser | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (this.now() >= entry.expiresAtMs) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.user;
  }

  set(token: string, user: AuthUser, expiresAtMs: number): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(token)) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    this.entries.set(token, { user, expiresAtMs });
  }

  clear(): void {
    this.entries.clear();
  }
}
