import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeLatencyShift } from './mann-whitney.js';
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
});
