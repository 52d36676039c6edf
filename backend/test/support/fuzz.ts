import fc from 'fast-check';

/**
 * Jest timeout of a whole fuzz run. A run does a fixed amount of work (thousands of requests),
 * so how long it takes depends only on the machine: seconds when idle, minutes on a loaded
 * 2-core box. The bound exists to end a hung run, never to judge speed.
 */
export const FUZZ_RUN_TIMEOUT_MS = 10 * 60_000;

/**
 * The fuzz suites' seed: fixed, so a run is repeatable; `FUZZ_SEED=<n>` replays or explores
 * another. Printed when the suite starts, and fast-check names it again in any failure.
 */
export function fuzzSeed(suite: string): number {
  const given = process.env.FUZZ_SEED;
  const seed = given !== undefined && given !== '' ? Number(given) : 0x9_5ec;
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${given}`);
  process.stdout.write(`[fuzz] ${suite}: seed ${seed} (replay with FUZZ_SEED=${seed})\n`);
  return seed;
}

/**
 * Runs a batched property and fails with a short report: the seed, the run and what went
 * wrong (each batch names its own bad inputs). No shrinking: the property's message already
 * names the exact input, and replaying a 50-request batch hundreds of times costs more
 * than it tells.
 */
export async function checkFuzz<T>(
  property: fc.IAsyncProperty<T>,
  seed: number,
  numRuns: number,
): Promise<void> {
  const result = await fc.check(property, { seed, numRuns, endOnFailure: true });
  if (result.failed) {
    const cause = result.errorInstance instanceof Error ? result.errorInstance.message : '';
    throw new Error(
      `fuzz failed after ${result.numRuns} run(s), seed ${seed} (FUZZ_SEED=${seed} replays it):\n${cause}`,
    );
  }
}

/** Fails with up to five of the batch's bad answers, each with the input that caused it. */
export function failBatch(failures: string[]): void {
  if (failures.length) {
    throw new Error(
      `${failures.length} bad answer(s) in the batch:\n${failures.slice(0, 5).join('\n')}`,
    );
  }
}

/** The characters a header value may carry (printable Latin-1, as Node's client allows). */
export const HEADER_SAFE = /^[\x20-\x7e\xa0-\xff]*$/;
