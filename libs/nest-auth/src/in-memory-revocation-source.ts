import type {
  Revocation,
  RevocationSink,
  RevocationSource,
  RevocationStatus,
} from './revocation.interface';

/**
 * A {@link RevocationSource} held in this process: revocations made with
 * {@link revokeSession} / {@link revokeUser} reach every application started on it at once
 * (several test apps can share one, like several API instances share a database). For tests
 * and single-process setups; nothing survives a restart. The testing kit's `TestIssuer` has
 * one (`issuer.revocations`).
 *
 * @example
 * const revocations = new InMemoryRevocationSource();
 * AuthModule.forRoot({ issuer, revocation: revocations });
 * revocations.revokeSession(sid); // the next request with a token of that session gets 401
 */
export class InMemoryRevocationSource implements RevocationSource {
  private readonly sinks = new Set<RevocationSink>();
  private readonly history: Revocation[] = [];
  private state: RevocationStatus = { source: 'memory', channel: 'starting', since: iso() };

  async start(sink: RevocationSink): Promise<void> {
    for (const revocation of this.history) sink.add(revocation);
    this.sinks.add(sink);
    this.state = { source: 'memory', channel: 'up', since: iso() };
  }

  async stop(): Promise<void> {
    this.sinks.clear();
    this.state = { source: 'memory', channel: 'stopped', since: iso() };
  }

  status(): RevocationStatus {
    return { ...this.state };
  }

  /**
   * Revokes one session: tokens whose `sid` is `sessionId` are refused (`session_revoked`).
   *
   * @example
   * revocations.revokeSession(user.claims.sid as string);
   */
  revokeSession(sessionId: string, at = Date.now()): void {
    this.publish({ kind: 'session', id: sessionId, at });
  }

  /**
   * Revokes every session of a user so far: tokens with that `sub` issued at or before `at`
   * are refused (`user_revoked`); tokens issued later pass.
   *
   * @example
   * revocations.revokeUser('user-1');
   */
  revokeUser(userId: string, at = Date.now()): void {
    this.publish({ kind: 'user', id: userId, at });
  }

  /** Delivers a revocation to every started application, and to those started later. */
  publish(revocation: Revocation): void {
    this.history.push(revocation);
    for (const sink of this.sinks) sink.add(revocation);
  }
}

function iso(): string {
  return new Date().toISOString();
}
