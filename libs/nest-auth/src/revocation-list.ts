import type { JWTPayload } from 'jose';
import { TokenRejectedError } from './auth.errors';
import type { Revocation, RevocationSink } from './revocation.interface';

/** How often expired entries are swept, at most (on a write). */
const SWEEP_EVERY_MS = 60_000;

/**
 * The revoked sessions and users an API instance knows of, in memory, each kept for
 * `retentionMs` after it happened (token lifetime + clock tolerance): by then every token it
 * refuses has expired. Checking a token is two Map lookups, cheap enough for every request,
 * the verified-token cache's hits included.
 */
export class RevocationList implements RevocationSink {
  private readonly sessions = new Map<string, number>();
  private readonly users = new Map<string, number>();
  private staleBefore: number | undefined;
  private nextSweepAt = 0;

  constructor(
    readonly retentionMs: number,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  now(): number {
    return this.clock();
  }

  get size(): number {
    return this.sessions.size + this.users.size;
  }

  add({ kind, id, at }: Revocation): void {
    const now = this.clock();
    if (at + this.retentionMs <= now) return;
    const entries = kind === 'session' ? this.sessions : this.users;
    // A user revoked twice: the later time refuses more tokens.
    if ((entries.get(id) ?? -Infinity) < at) entries.set(id, at);
    if (now >= this.nextSweepAt) this.sweep(now);
  }

  refuseIssuedBefore(at: number | undefined): void {
    this.staleBefore = at;
  }

  /** Why these verified claims must be refused now, or `undefined` when they may pass. */
  check(claims: JWTPayload): TokenRejectedError | undefined {
    if (this.sessions.size > 0 && typeof claims.sid === 'string') {
      const at = this.sessions.get(claims.sid);
      if (at !== undefined && this.live(at)) {
        return new TokenRejectedError(
          'session_revoked',
          'The session of this token was signed out or revoked; sign in again.',
        );
      }
    }
    const iatMs = typeof claims.iat === 'number' ? claims.iat * 1000 : 0;
    if (this.users.size > 0 && typeof claims.sub === 'string') {
      const at = this.users.get(claims.sub);
      // iat has whole seconds: a token of the same second as the revocation is refused too.
      if (at !== undefined && this.live(at) && iatMs <= at) {
        return new TokenRejectedError(
          'user_revoked',
          "Every session of this token's user was revoked (signed out everywhere, banned or deleted); sign in again.",
        );
      }
    }
    if (this.staleBefore !== undefined && iatMs <= this.staleBefore) {
      return new TokenRejectedError(
        'token_expired',
        'The token was issued before the revocation channel went down, so it cannot be checked; get a fresh one from /api/auth/token.',
      );
    }
    return undefined;
  }

  private live(at: number): boolean {
    return at + this.retentionMs > this.clock();
  }

  private sweep(now: number): void {
    this.nextSweepAt = now + SWEEP_EVERY_MS;
    for (const entries of [this.sessions, this.users]) {
      for (const [id, at] of entries) if (at + this.retentionMs <= now) entries.delete(id);
    }
  }
}
