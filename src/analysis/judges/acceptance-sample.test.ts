import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptanceSample, judgeSequentialErrors, type SequentialRule } from './sequential.js';

describe('the acceptance sample the plan states', () => {
  const rules: SequentialRule[] = [
    { alpha: 0.01, beta: 0.01 },
    { alpha: 0.01, beta: 0.01, minIncrease: 0.01 },
    { alpha: 0.05, beta: 0.05 },
    { alpha: 0.0025, beta: 0.01 },
  ];

  it('is exactly where the sequential test first accepts an error-free canary', () => {
    for (const rule of rules) {
      const n = acceptanceSample(0, rule).expected;
      const judge = (canaryRequests: number) =>
        judgeSequentialErrors(
          { canaryRequests, canaryErrors: 0, baselineRequests: 1e9, baselineErrors: 0 },
          rule,
        ).verdict;
      assert.equal(judge(n), 'pass', `${JSON.stringify(rule)}: ${n}`);
      assert.equal(judge(n - 1), 'inconclusive', `${JSON.stringify(rule)}: ${n - 1}`);
    }
  });

  it('grows with the baseline error rate, is at least minSample, and its maximum is three times it', () => {
    const rule = { alpha: 0.01, beta: 0.01 };
    const clean = acceptanceSample(0, rule);
    const erring = acceptanceSample(0.005, rule);
    assert.ok(erring.expected > 1.5 * clean.expected, `${erring.expected} vs ${clean.expected}`);
    assert.equal(erring.maximum, 3 * erring.expected);
    assert.equal(acceptanceSample(0, { ...rule, minSample: 5000 }).expected, 5000);
  });

  it('is what a healthy canary at that error rate needs on average, within 5 %', () => {
    // A seeded stream at p0 = 0.5 %: the mean first acceptance over 200 canaries.
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const rule = { alpha: 0.01, beta: 0.01 };
    const p0 = 0.005;
    const { expected } = acceptanceSample(p0, rule);
    let total = 0;
    for (let run = 0; run < 200; run++) {
      let errors = 0;
      for (let n = 1; ; n++) {
        if (random() < p0) errors++;
        const c = {
          canaryRequests: n,
          canaryErrors: errors,
          baselineRequests: 1e9,
          baselineErrors: 1e9 * p0,
        };
        if (judgeSequentialErrors(c, rule).verdict === 'pass') {
          total += n;
          break;
        }
      }
    }
    const mean = total / 200;
    assert.ok(Math.abs(mean / expected - 1) < 0.05, `mean ${mean.toFixed(0)} vs expected ${expected}`);
  });
});
