/**
 * @module The sequential error test, canary against the concurrent baseline, valid under continuous
 * monitoring (ANALYSIS.md, "the two-arm conditional SPRT").
 *
 * Conditional on an error, it came from the canary with probability π = w·r / (w·r + 1 − w), where w is
 * the canary's share of requests and r its error rate over the baseline's. No regression (r ≤ 1) means
 * π ≤ π0 = w. The test is a mixture likelihood ratio: Λ = ∫ L(π)/L(π0) dG(π) with G uniform on (π0, 1).
 * Under any π ≤ π0 it is a non-negative supermartingale, so by Ville's inequality P(sup Λ ≥ 1/α) ≤ α,
 * however often it is looked at. It needs no guess of r: a large regression is caught after a handful
 * of errors, a small one after more. A healthy canary can be promoted early by Wald's SPRT of r = rOk
 * against r = rBad, accepted at log LR ≤ ln(β / (1 − α)).
 */
import { logBeta, logBetaInc } from '../stats/special.js';
import type { Judgement } from './verdict.js';

export interface SequentialRule {
  /** False-fail probability (a healthy canary failed). */
  alpha: number;
  /** Missed-regression probability, used by the early-promotion bound. */
  beta: number;
  /** The regression to promote against (error-rate ratio; default 2). */
  rBad?: number;
  /** What counts as healthy (default 1). */
  rOk?: number;
  /** Canary requests needed before any pass. */
  minSample?: number;
}

export interface ErrorCounts {
  canaryRequests: number;
  canaryErrors: number;
  baselineRequests: number;
  baselineErrors: number;
}

/** ln Λ for k canary and m baseline errors when the canary's share of requests is π0. */
export function logMixtureRatio(k: number, m: number, pi0: number): number {
  // ∫_{π0}^{1} π^k (1−π)^m dπ / (1 − π0) = B(k+1, m+1) · I_{1−π0}(m+1, k+1) / (1 − π0)
  const mixture = logBeta(k + 1, m + 1) + logBetaInc(m + 1, k + 1, 1 - pi0) - Math.log1p(-pi0);
  return mixture - (k * Math.log(pi0) + m * Math.log1p(-pi0));
}

const originProbability = (share: number, r: number) => (share * r) / (share * r + 1 - share);

export function judgeSequentialErrors(c: ErrorCounts, rule: SequentialRule): Judgement {
  const total = c.canaryRequests + c.baselineRequests;
  const k = c.canaryErrors;
  const m = c.baselineErrors;
  const share = total > 0 ? c.canaryRequests / total : 0;
  const failBound = Math.log(1 / rule.alpha);
  const acceptBound = Math.log(rule.beta / (1 - rule.alpha));
  const base = {
    canaryErrors: k,
    baselineErrors: m,
    canaryRequests: c.canaryRequests,
    baselineRequests: c.baselineRequests,
    canaryShare: share,
    failBound,
    acceptBound,
  };
  if (share <= 0 || share >= 1) {
    return {
      verdict: 'inconclusive',
      summary: 'no traffic to compare (the canary or the baseline served nothing)',
      evidence: { ...base, logLambda: null },
    };
  }
  const logLambda = logMixtureRatio(k, m, share);
  const piOk = originProbability(share, rule.rOk ?? 1);
  const piBad = originProbability(share, rule.rBad ?? 2);
  const logAccept = k * Math.log(piBad / piOk) + m * Math.log((1 - piBad) / (1 - piOk));
  const canaryRate = c.canaryRequests ? k / c.canaryRequests : 0;
  const baselineRate = c.baselineRequests ? m / c.baselineRequests : 0;
  const evidence = {
    ...base,
    logLambda,
    logAccept,
    canaryErrorRate: canaryRate,
    baselineErrorRate: baselineRate,
  };
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  if (logLambda >= failBound && canaryRate > baselineRate) {
    return {
      verdict: 'fail',
      summary: `errors ${pct(canaryRate)} vs baseline ${pct(baselineRate)}: ${k} of ${k + m} errors from the canary (${pct(share)} of traffic), ln Λ ${logLambda.toFixed(2)} ≥ ${failBound.toFixed(2)}`,
      evidence,
    };
  }
  if (logAccept <= acceptBound && c.canaryRequests >= (rule.minSample ?? 0)) {
    return {
      verdict: 'pass',
      summary: `no error regression: ${k} of ${k + m} errors from the canary (${pct(share)} of traffic)`,
      evidence,
    };
  }
  return {
    verdict: 'inconclusive',
    summary: `not decided yet: ${k} canary and ${m} baseline errors, ln Λ ${logLambda.toFixed(2)}`,
    evidence,
  };
}
