/** @module Relative to the concurrent baseline: canary ≤ baseline × (1 + allowed), e.g. p95 ≤ 1.2 × baseline. */
import type { Judgement } from './verdict.js';

export function judgeRelative(
  name: string,
  canary: number | undefined,
  baseline: number | undefined,
  maxIncrease: number,
): Judgement {
  if (canary === undefined || baseline === undefined || Number.isNaN(canary) || Number.isNaN(baseline)) {
    return {
      verdict: 'inconclusive',
      summary: `${name}: no data for ${canary === undefined || Number.isNaN(canary) ? 'the canary' : 'the baseline'}`,
      evidence: { canary: canary ?? null, baseline: baseline ?? null },
    };
  }
  const limit = baseline * (1 + maxIncrease);
  const evidence = { canary, baseline, limit, ratio: baseline === 0 ? null : canary / baseline };
  return canary > limit
    ? {
        verdict: 'fail',
        summary: `${name} ${canary} > ${limit} (baseline ${baseline} + ${(maxIncrease * 100).toFixed(0)}%)`,
        evidence,
      }
    : { verdict: 'pass', summary: `${name} ${canary} ≤ ${limit}`, evidence };
}
