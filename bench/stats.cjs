// The harness's arithmetic, kept apart so it is unit-tested (stats.spec.ts) and the
// benchmark itself only prints what these functions return.
'use strict';

/** The middle value (mean of the two middle values for an even count). */
function median(values) {
  if (!Array.isArray(values) || values.length === 0) {
    throw new RangeError('median needs at least one value');
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Has throughput settled? True when the last `window` rates are all within `tolerance`
 * (a fraction) of their median. Warm-up repeats short runs until this holds.
 */
function isStable(rates, { window = 3, tolerance = 0.05 } = {}) {
  if (rates.length < window) return false;
  const last = rates.slice(-window);
  const mid = median(last);
  if (!(mid > 0)) return false;
  return last.every((rate) => Math.abs(rate - mid) / mid <= tolerance);
}

/**
 * One scenario from its alternated runs: `pairs` is a list of `{ base, run }`, each a
 * measurement `{ rps, p50, p99, cpuUs? }` (latencies in milliseconds, `cpuUs` the server's
 * CPU time per request), the baseline taken right before the
 * scenario. The ratio is taken within each pair (so a machine that slows down between
 * pairs does not bias it), and the median of those ratios is reported with its spread
 * (half the range of the ratios).
 */
function summarizePairs(pairs) {
  if (!Array.isArray(pairs) || pairs.length === 0) {
    throw new RangeError('summarizePairs needs at least one pair');
  }
  for (const { base, run } of pairs) {
    if (!(base?.rps > 0)) throw new RangeError('every baseline needs a positive rps');
    if (!(run?.rps >= 0)) throw new RangeError('every run needs an rps');
  }
  const ratios = pairs.map(({ base, run }) => run.rps / base.rps);
  const cpu = pairs.every(({ base, run }) => base.cpuUs > 0 && run.cpuUs > 0);
  return {
    rps: median(pairs.map(({ run }) => run.rps)),
    p50Ms: median(pairs.map(({ run }) => run.p50)),
    p99Ms: median(pairs.map(({ run }) => run.p99)),
    baseRps: median(pairs.map(({ base }) => base.rps)),
    ratioToPublic: median(ratios),
    ratioSpread: (Math.max(...ratios) - Math.min(...ratios)) / 2,
    ratios,
    // Server CPU per request, when measured: far less sensitive to a busy machine than req/s.
    cpuUs: cpu ? median(pairs.map(({ run }) => run.cpuUs)) : undefined,
    baseCpuUs: cpu ? median(pairs.map(({ base }) => base.cpuUs)) : undefined,
  };
}

/** Rounds for printing and for the JSON file: `digits` decimals. */
function round(value, digits = 2) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

module.exports = { median, isStable, summarizePairs, round };
