import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeLatencyShift, mannWhitneyU } from './mann-whitney.js';
import { judgeRelative } from './relative.js';
import { judgeThreshold } from './threshold.js';

describe('judges', () => {
  it('threshold: the KPI rules, and no data or NaN is never a pass', () => {
    assert.equal(judgeThreshold('route flaps', 51, { max: 50 }).verdict, 'fail');
    assert.equal(judgeThreshold('route flaps', 50, { max: 50 }).verdict, 'pass');
    assert.equal(judgeThreshold('hit ratio', 0.5, { min: 0.9 }).verdict, 'fail');
    assert.equal(judgeThreshold('x', undefined, { max: 1 }).verdict, 'inconclusive');
    assert.equal(judgeThreshold('x', Number.NaN, { max: 1 }).verdict, 'inconclusive');
  });

  it('relative: p95 within 20 % of the baseline', () => {
    assert.equal(judgeRelative('p95', 0.119, 0.1, 0.2).verdict, 'pass');
    assert.equal(judgeRelative('p95', 0.121, 0.1, 0.2).verdict, 'fail');
    assert.equal(judgeRelative('p95', 0.1, Number.NaN, 0.2).verdict, 'inconclusive');
  });

  it('latency: fails a clear slowdown beyond the allowance, passes a small one', () => {
    const base = Array.from({ length: 400 }, (_, i) => 0.01 + (i % 40) * 0.0005);
    const slower = base.map((v) => v * 1.5);
    const slightly = base.map((v) => v * 1.05);
    assert.equal(judgeLatencyShift(slower, base, { allowedIncrease: 0.2 }).verdict, 'fail');
    assert.equal(judgeLatencyShift(slightly, base, { allowedIncrease: 0.2 }).verdict, 'pass');
    assert.equal(
      judgeLatencyShift(slower.slice(0, 10), base, { allowedIncrease: 0.2 }).verdict,
      'inconclusive',
    );
  });

  it('latency: a statistically certain shift below the floor that matters passes, with both numbers shown', () => {
    // The busy-machine case: a 3 ms baseline, the canary 1.03 ms slower on every request. The rank test is
    // certain (p ≈ 0) and 20 % of 3 ms is 0.6 ms, but 1 ms is below the 5 ms floor: no user feels it.
    const base = Array.from({ length: 4000 }, (_, i) => 0.002 + (i % 100) * 0.00002);
    const canary = base.map((v) => v + 0.00103);
    const j = judgeLatencyShift(canary, base, { allowedIncrease: 0.2 });
    assert.equal(j.verdict, 'pass', j.summary);
    assert.ok((j.evidence['pValue'] as number) < 1e-10);
    assert.ok(Math.abs((j.evidence['relativeAllowance'] as number) - 0.2 * 0.00299) < 1e-4);
    assert.equal(j.evidence['floor'], 0.005);
    assert.match(j.summary, /within 5\.00 ms \(20% of 2\.99 ms, at least 5\.0 ms/);
    // A floor of 0.5 ms makes the same shift a regression.
    assert.equal(
      judgeLatencyShift(canary, base, { allowedIncrease: 0.2, minIncrease: 0.0005 }).verdict,
      'fail',
    );
  });

  it('latency: all-equal samples give SciPy p = 1; NaN or infinite latencies are inconclusive, with the reason', () => {
    // scipy.stats.mannwhitneyu([2.0]*60, [2.0]*60, alternative=…, method='asymptotic') → p = 1.0 (SciPy 1.17.1)
    for (const alternative of ['greater', 'less', 'two-sided'] as const)
      assert.equal(mannWhitneyU(Array(60).fill(2), Array(60).fill(2), alternative).pValue, 1);
    const same = judgeLatencyShift(Array(60).fill(0.002), Array(60).fill(0.002), { allowedIncrease: 0.2 });
    assert.equal(same.evidence['pValue'], 1);
    // SciPy: a NaN anywhere gives statistic = nan, pvalue = nan.
    const ok = Array.from({ length: 60 }, (_, i) => 0.002 + i * 1e-5);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const j = judgeLatencyShift([...ok, bad], ok, { allowedIncrease: 0.2 });
      assert.equal(j.verdict, 'inconclusive');
      assert.match(j.summary, /a sample is (NaN|Infinity)/);
    }
  });
});
