/**
 * Whole releases at the default settings, as the analysis loop runs them: the default canary (20 %, then
 * 50 %), each weight judged by the sequential error test every 5 s over a 30 s window, extended while
 * the traffic can reach the test's maximum sample (at most 10 min more), with the release's α shared by
 * its two analyses (plan/error-budget.ts). A release ends promoted (both analyses accepted), failed (one
 * rejected the canary) or inconclusive (undecided at the end: rolled back, never passed).
 */
import { judgeSequentialErrors, maxCanarySample } from '../../src/analysis/judges/sequential.js';

export interface ReleaseCase {
  /** Baseline and canary error rates. */
  p0: number;
  pc: number;
  rps: number;
}

export type ReleaseOutcome = 'promoted' | 'failed' | 'inconclusive';

const WEIGHTS = [20, 50];
const WINDOW_SECONDS = 30;
const INTERVAL_SECONDS = 5;
const EXTENSION_SECONDS = 600;

export function simulateRelease(
  c: ReleaseCase,
  random: () => number,
  rule: { alpha: number; beta: number; minSample: number },
): ReleaseOutcome {
  const alpha = rule.alpha / WEIGHTS.length;
  for (const weight of WEIGHTS) {
    const counts = { canaryRequests: 0, canaryErrors: 0, baselineRequests: 0, baselineErrors: 0 };
    let decided = false;
    let worthWaiting = true;
    for (let t = INTERVAL_SECONDS; !decided && (t <= WINDOW_SECONDS || worthWaiting); t += INTERVAL_SECONDS) {
      for (let i = 0; i < c.rps * INTERVAL_SECONDS; i++) {
        if (random() * 100 < weight) {
          counts.canaryRequests++;
          if (random() < c.pc) counts.canaryErrors++;
        } else {
          counts.baselineRequests++;
          if (random() < c.p0) counts.baselineErrors++;
        }
      }
      const verdict = judgeSequentialErrors(counts, { ...rule, alpha }).verdict;
      if (verdict === 'fail') return 'failed';
      decided = verdict === 'pass';
      // As the loop does without a maxDuration (analysis-loop.ts, stillWorthWaiting).
      const max = maxCanarySample(counts, { ...rule, alpha });
      const rate = counts.canaryRequests / t;
      worthWaiting =
        counts.canaryRequests < max &&
        rate * (WINDOW_SECONDS + EXTENSION_SECONDS - t) >= max - counts.canaryRequests;
    }
    if (!decided) return 'inconclusive';
  }
  return 'promoted';
}

export function releaseOutcomes(
  c: ReleaseCase,
  runs: number,
  rng: (seed: number) => () => number,
  seed: number,
): Record<ReleaseOutcome, number> {
  const out: Record<ReleaseOutcome, number> = { promoted: 0, failed: 0, inconclusive: 0 };
  for (let i = 0; i < runs; i++)
    out[simulateRelease(c, rng(seed + i), { alpha: 0.01, beta: 0.01, minSample: 50 })]++;
  return out;
}
