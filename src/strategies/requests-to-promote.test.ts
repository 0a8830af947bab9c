import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeSequentialErrors } from '../analysis/judges/sequential.js';
import { requestsToPromote } from './common.js';

describe('requests to promote, as the plan states them', () => {
  it('is exactly where the sequential test first accepts an error-free canary', () => {
    for (const t of [
      {},
      { sequential: { minIncrease: '1%' as const } },
      { sequential: { alpha: 0.05, beta: 0.05 } },
    ]) {
      const n = requestsToPromote(t);
      const judge = (canaryRequests: number) =>
        judgeSequentialErrors(
          { canaryRequests, canaryErrors: 0, baselineRequests: 1_000_000, baselineErrors: 0 },
          {
            alpha: t.sequential?.alpha ?? 0.01,
            beta: t.sequential?.beta ?? 0.01,
            ...('minIncrease' in (t.sequential ?? {}) ? { minIncrease: 0.01 } : {}),
          },
        ).verdict;
      assert.equal(judge(n), 'pass', `${JSON.stringify(t)}: ${n}`);
      assert.equal(judge(n - 1), 'inconclusive', `${JSON.stringify(t)}: ${n - 1}`);
    }
  });
});
