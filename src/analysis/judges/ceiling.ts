/**
 * @module The error-rate ceiling (`errorRate.max`, the runbook's "error rate < 1 %") as a test that may be
 * looked at every round. Comparing the observed rate with the ceiling fails healthy canaries on small
 * counts: one error in the first 50 requests is "2 %", and a canary erring at half the ceiling would be
 * failed at its first look one time in five. Instead, the evidence that the canary's error rate p is above
 * the ceiling p0 is a mixture likelihood ratio, Λ = ∫ L(p)/L(p0) dG(p), with G uniform on (p0, c) and
 * c = 10 · p0 (where the regressions that matter are): under any p ≤ p0 it is a non-negative
 * supermartingale, so by Ville's inequality P(sup Λ ≥ 1/α) ≤ α however often it is looked at. A canary far
 * over the ceiling fails after a few errors (all requests failing: 3); one at 5 × the ceiling after about
 * 110 requests at α = 1 %.
 */
import { logBeta, logBetaInc } from '../stats/special.js';
import type { Judgement } from './verdict.js';

/** ln(e^a − e^b) for a > b. */
const logDiffExp = (a: number, b: number) => (b === -Infinity ? a : a + Math.log1p(-Math.exp(b - a)));

/** How far above the ceiling the mixture looks: the regressions worth catching quickly. */
export const CEILING_SPAN = 10;

/** ln Λ for `errors` of `requests` against the ceiling `max` (a fraction in (0, 1)). */
export function logCeilingRatio(errors: number, requests: number, max: number): number {
  const k = errors;
  const m = requests - errors;
  const c = Math.min(0.999, CEILING_SPAN * max);
  if (c <= max) return -Infinity; // a ceiling this close to 100 % leaves no higher rate to test
  // ∫_{p0}^{c} p^k (1−p)^m dp = B(k+1, m+1) · (I_c(k+1, m+1) − I_{p0}(k+1, m+1)), written with the upper tails.
  const mass = logDiffExp(logBetaInc(m + 1, k + 1, 1 - max), logBetaInc(m + 1, k + 1, 1 - c));
  return logBeta(k + 1, m + 1) + mass - Math.log(c - max) - (k * Math.log(max) + m * Math.log1p(-max));
}

/** Fails once the errors so far are evidence at level α that the canary errs above the ceiling. */
export function judgeErrorCeiling(errors: number, requests: number, max: number, alpha: number): Judgement {
  const rate = requests > 0 ? errors / requests : 0;
  const observed = `error rate ${(rate * 100).toFixed(2)}% over ${requests} requests`;
  const ceiling = `${(max * 100).toFixed(2)}%`;
  if (max <= 0) {
    const over = errors > 0;
    return {
      verdict: over ? 'fail' : 'pass',
      summary: `${observed} ${over ? 'exceeds' : 'within'} ${ceiling}`,
      evidence: { value: rate, max, errors, requests },
    };
  }
  const logLambda = logCeilingRatio(errors, requests, max);
  const bound = Math.log(1 / alpha);
  const over = logLambda >= bound;
  return {
    verdict: over ? 'fail' : 'pass',
    summary: over
      ? `${observed} exceeds ${ceiling} (ln Λ ${logLambda.toFixed(2)} ≥ ${bound.toFixed(2)}: a canary within the ceiling shows this with chance ≤ ${+alpha.toPrecision(2)})`
      : `${observed} within ${ceiling} (no evidence above it: ln Λ ${logLambda.toFixed(2)} < ${bound.toFixed(2)})`,
    evidence: { value: rate, max, errors, requests, logLambda, failBound: bound },
  };
}
