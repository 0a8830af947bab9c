import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeSequentialErrors } from './sequential.js';
import { seededRandom } from '../stats/seeded-random.js';

/** Feeds requests one by one (10 % to the canary) and looks after every request, as continuous monitoring does. */
function run(pBase: number, pCanary: number, maxRequests: number, seed: number) {
  const random = seededRandom(seed);
  const c = { canaryRequests: 0, canaryErrors: 0, baselineRequests: 0, baselineErrors: 0 };
  for (let i = 1; i <= maxRequests; i++) {
    if (random() < 0.1) {
      c.canaryRequests++;
      if (random() < pCanary) c.canaryErrors++;
    } else {
      c.baselineRequests++;
      if (random() < pBase) c.baselineErrors++;
    }
    if (random() < pCanary || i % 50 === 0) {
      const j = judgeSequentialErrors(c, { alpha: 0.01, beta: 0.01 });
      if (j.verdict === 'fail') return { failedAt: c.canaryRequests, judgement: j };
    }
  }
  return { failedAt: undefined, judgement: judgeSequentialErrors(c, { alpha: 0.01, beta: 0.01 }) };
}

describe('sequential error test', () => {
  it('catches a 5 % canary against a 0.1 % baseline within a few hundred canary requests', () => {
    const r = run(0.001, 0.05, 200_000, 1);
    assert.ok(r.failedAt !== undefined && r.failedAt < 400, `failed at ${r.failedAt}`);
    assert.match(r.judgement.summary, /from the canary/);
    assert.ok((r.judgement.evidence['logLambda'] as number) >= Math.log(100));
  });

  it('keeps false fails at or below alpha under continuous peeking (200 healthy canaries)', () => {
    let failures = 0;
    for (let seed = 1; seed <= 200; seed++)
      if (run(0.01, 0.01, 20_000, 1000 + seed).failedAt !== undefined) failures++;
    // α = 1 %: expect about 2 or fewer of 200; allow the binomial spread, not more.
    assert.ok(failures <= 6, `${failures} of 200 healthy canaries failed`);
  });

  it('promotes a healthy canary early once enough errors say so, and is inconclusive without traffic', () => {
    const healthy = judgeSequentialErrors(
      { canaryRequests: 20_000, canaryErrors: 20, baselineRequests: 180_000, baselineErrors: 190 },
      { alpha: 0.01, beta: 0.01 },
    );
    assert.equal(healthy.verdict, 'pass');
    // No error on either side: the ratio says nothing, but 1,000 clean canary requests rule out +0.5 points.
    const clean = { canaryRequests: 1000, canaryErrors: 0, baselineRequests: 9000, baselineErrors: 0 };
    assert.equal(judgeSequentialErrors(clean, { alpha: 0.01, beta: 0.01 }).verdict, 'pass');
    assert.equal(
      judgeSequentialErrors({ ...clean, canaryRequests: 500 }, { alpha: 0.01, beta: 0.01 }).verdict,
      'inconclusive',
    );
    // A coarser regression to catch needs fewer requests.
    assert.equal(
      judgeSequentialErrors({ ...clean, canaryRequests: 500 }, { alpha: 0.01, beta: 0.01, minIncrease: 0.01 })
        .verdict,
      'pass',
    );
    const none = judgeSequentialErrors(
      { canaryRequests: 0, canaryErrors: 0, baselineRequests: 100, baselineErrors: 0 },
      { alpha: 0.01, beta: 0.01 },
    );
    assert.equal(none.verdict, 'inconclusive');
  });
});
