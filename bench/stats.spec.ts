// The benchmark's statistics. No timing here: these are pure functions of given numbers.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { median, isStable, summarizePairs, round } = require('./stats.cjs');

describe('median', () => {
  it('takes the middle of an odd count and the mean of the two middles of an even one', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('refuses an empty list', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('isStable', () => {
  it('needs a full window of runs', () => {
    expect(isStable([100, 100], { window: 3 })).toBe(false);
  });

  it('is false while throughput still climbs (the warm-up drift)', () => {
    expect(isStable([2700, 3300, 3700], { window: 3, tolerance: 0.05 })).toBe(false);
  });

  it('is true once the last runs sit within the tolerance of their median', () => {
    expect(isStable([2700, 3650, 3700, 3720], { window: 3, tolerance: 0.05 })).toBe(true);
  });

  it('is never true for a zero rate', () => {
    expect(isStable([0, 0, 0])).toBe(false);
  });
});

describe('summarizePairs', () => {
  const m = (rps: number, p50 = 1, p99 = 5) => ({ rps, p50, p99 });

  it('takes the ratio within each pair and reports the median ratio with half its range', () => {
    const summary = summarizePairs([
      { base: m(1000), run: m(800, 2, 9) },
      { base: m(500), run: m(450, 3, 10) }, // the machine slowed down: the ratio still holds
      { base: m(1000), run: m(850, 2, 8) },
    ]);
    expect(summary.ratios).toEqual([0.8, 0.9, 0.85]);
    expect(summary.ratioToPublic).toBe(0.85);
    expect(summary.ratioSpread).toBeCloseTo(0.05, 10);
    expect(summary.rps).toBe(800);
    expect(summary.p50Ms).toBe(2);
    expect(summary.p99Ms).toBe(9);
    expect(summary.baseRps).toBe(1000);
  });

  it('is not the ratio of the medians', () => {
    const summary = summarizePairs([
      { base: m(100), run: m(90) },
      { base: m(200), run: m(100) },
      { base: m(400), run: m(380) },
    ]);
    expect(summary.ratioToPublic).toBe(0.9);
    expect(summary.rps / summary.baseRps).toBe(0.5);
    expect(summarizePairs([{ base: m(100), run: m(90) }]).ratioSpread).toBe(0);
  });

  it('reports the median server CPU per request when every run measured it', () => {
    const c = (rps: number, cpuUs?: number) => ({ rps, p50: 1, p99: 5, cpuUs });
    const summary = summarizePairs([
      { base: c(1000, 170), run: c(900, 190) },
      { base: c(1000, 180), run: c(900, 200) },
      { base: c(1000, 160), run: c(900, 260) },
    ]);
    expect(summary.cpuUs).toBe(200);
    expect(summary.baseCpuUs).toBe(170);
    const partly = summarizePairs([
      { base: c(1000, 170), run: c(900, 190) },
      { base: c(1000), run: c(900, 200) },
    ]);
    expect(partly.cpuUs).toBeUndefined();
  });

  it('refuses no pairs and a zero baseline', () => {
    expect(() => summarizePairs([])).toThrow(RangeError);
    expect(() => summarizePairs([{ base: m(0), run: m(1) }])).toThrow(RangeError);
  });
});

describe('round', () => {
  it('rounds to the given decimals', () => {
    expect(round(0.8549, 2)).toBe(0.85);
    expect(round(1234.56, 0)).toBe(1235);
  });
});
