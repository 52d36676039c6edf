import type { CheckResult } from './checks';

const MARK = { pass: '✓', fail: '✗', skip: '-' } as const;

/** One line per check: mark, id, what was found, and for a failure what to do. */
export function formatCheck(result: CheckResult): string {
  const fix = result.fix ? `. Fix: ${result.fix}` : '';
  return `${MARK[result.status]} ${result.id.padEnd(15)} ${result.message}${fix}`;
}
