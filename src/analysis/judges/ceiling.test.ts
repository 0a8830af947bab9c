import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../stats/seeded-random.js';
import { CEILING_SPAN, judgeErrorCeiling, logCeilingRatio } from './ceiling.js';

/** Λ by Simpson's rule over (p0, c): the closed form must agree with the integral it stands for. */
function numericLogRatio(k: number, n: number, p0: number): number {
  const c = Math.min(0.999, CEILING_SPAN * p0);
  const steps = 20_000;
  const h = (c - p0) / steps;
  // The integrand relative to L(p0), in logs to stay finite.
  const f = (p: number) => Math.exp(k * Math.log(p / p0) + (n - k) * Math.log((1 - p) / (1 - p0)));
  let sum = f(p0) + f(c);
  for (let i = 1; i < steps; i++) sum += (i % 2 ? 4 : 2) * f(p0 + i * h);
  return Math.log((sum * h) / 3 / (c - p0));
}

describe('the error-rate ceiling as a sequential test', () => {
  it('computes the mixture likelihood ratio its integral defines', () => {
    for (const [k, n, p0] of [
      [0, 50, 0.01],
      [1, 50, 0.01],
      [4, 203, 0.01],
      [12, 230, 0.01],
      [3, 3, 0.01],
      [30, 1000, 0.02],
      [2, 900, 0.001],
    ] as const) {
      const closed = logCeilingRatio(k, n, p0);
      const numeric = numericLogRatio(k, n, p0);
      assert.ok(
        Math.abs(closed - numeric) < 1e-6 * Math.max(1, Math.abs(numeric)),
        `${k}/${n} at ${p0}: ${closed} vs ${numeric}`,
      );
    }
  });

  it('does not fail a canary on a handful of errors the ceiling allows (the observed rate would)', () => {
    // One error in the first 50 requests is "2 %": a canary erring at half a 1 % ceiling shows that one time in five.
    assert.equal(judgeErrorCeiling(1, 50, 0.01, 0.01).verdict, 'pass');
    assert.equal(judgeErrorCeiling(4, 203, 0.01, 0.01).verdict, 'pass');
    assert.match(judgeErrorCeiling(4, 203, 0.01, 0.01).summary, /within 1\.00% \(no evidence above it/);
  });

  it('fails a canary well over the ceiling quickly, and a moderate excess on more requests', () => {
    assert.equal(judgeErrorCeiling(3, 3, 0.01, 0.01).verdict, 'fail'); // every request failing
    assert.equal(judgeErrorCeiling(2, 2, 0.01, 0.01).verdict, 'pass');
    assert.equal(judgeErrorCeiling(6, 110, 0.01, 0.01).verdict, 'fail'); // 5 × the ceiling
    assert.match(
      judgeErrorCeiling(6, 110, 0.01, 0.01).summary,
      /error rate 5\.45% over 110 requests exceeds 1\.00%/,
    );
    assert.equal(judgeErrorCeiling(1, 10, 0, 0.01).verdict, 'fail'); // a ceiling of 0 %: any error
  });

  it('fails a canary at exactly the ceiling at most α of the time, looked at every 25 requests', () => {
    const random = seededRandom(20261130);
    const runs = 1000;
    const alpha = 0.01;
    let failed = 0;
    for (let r = 0; r < runs; r++) {
      let errors = 0;
      for (let n = 1; n <= 2000; n++) {
        if (random() < 0.01) errors++;
        if (n % 25 === 0 && judgeErrorCeiling(errors, n, 0.01, alpha).verdict === 'fail') {
          failed++;
          break;
        }
      }
    }
    // α is a bound over every look (Ville); with 1 000 runs, 3 standard errors above it still fails a broken test.
    assert.ok(failed / runs <= alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / runs), `${failed} of ${runs}`);
    // The naive comparison fails most of them somewhere along the way.
    const naive = seededRandom(7);
    let naiveFailed = 0;
    for (let r = 0; r < 200; r++) {
      let errors = 0;
      for (let n = 1; n <= 2000; n++) {
        if (naive() < 0.005) errors++; // half the ceiling
        if (n >= 50 && n % 25 === 0 && errors / n > 0.01) {
          naiveFailed++;
          break;
        }
      }
    }
    assert.ok(naiveFailed / 200 > 0.1, `naive ${naiveFailed} of 200`);
  });
});
