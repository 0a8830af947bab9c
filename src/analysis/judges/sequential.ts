/**
 * @module The sequential error test, canary against the concurrent baseline, valid under continuous
 * monitoring (ANALYSIS.md, "the two-arm conditional SPRT").
 *
 * Conditional on an error, it came from the canary with probability π = w·r / (w·r + 1 − w), where w is
 * the canary's share of requests and r its error rate over the baseline's. No regression (r ≤ 1) means
 * π ≤ π0 = w. The test is a mixture likelihood ratio: Λ = ∫ L(π)/L(π0) dG(π) with G uniform on (π0, 1).
 * Under any π ≤ π0 it is a non-negative supermartingale, so by Ville's inequality P(sup Λ ≥ 1/α) ≤ α,
 * however often it is looked at. It needs no guess of r: a large regression is caught after a handful
 * of errors, a small one after more.
 *
 * A healthy canary is accepted by Wald's SPRT on the canary's own requests: its error rate equals the
 * baseline's (p0) against the smallest regression that matters, p1 = max(rBad · p0, p0 + minIncrease),
 * accepted at log LR ≤ ln(β / (1 − α)). The ratio alone cannot accept a canary whose baseline makes no
 * errors (twice nothing is nothing; the conditional test sees no error to condition on), hence the
 * absolute floor: a thousand error-free canary requests do show a rate well under 0.5 %.
 */
import { logBeta, logBetaInc } from '../stats/special.js';
import type { Judgement } from './verdict.js';

export interface SequentialRule {
  /** False-fail probability (a healthy canary failed). */
  alpha: number;
  /** Missed-regression probability, used by the early-promotion bound. */
  beta: number;
  /** The regression to promote against: an error-rate ratio (default 2)… */
  rBad?: number;
  /** …that adds at least this much to the error rate (a fraction; default 0.005, half a point). */
  minIncrease?: number;
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

export const DEFAULT_ERROR_RATIO = 2;
export const DEFAULT_MIN_INCREASE = 0.005;

/** The smallest regression the acceptance test guards against, for a baseline error rate p0. */
export function regressionToCatch(p0: number, rule: Pick<SequentialRule, 'rBad' | 'minIncrease'>): number {
  return Math.min(
    0.999,
    Math.max((rule.rBad ?? DEFAULT_ERROR_RATIO) * p0, p0 + (rule.minIncrease ?? DEFAULT_MIN_INCREASE)),
  );
}

/**
 * Wald's log LR of "the canary errs at p1" against "at p0" over its own requests. p0 is the baseline's
 * rate, smoothed by half an error so that an error-free baseline still gives a finite ratio.
 */
function logAcceptRatio(c: ErrorCounts, rule: SequentialRule) {
  const p0 = (c.baselineErrors + 0.5) / (c.baselineRequests + 1);
  const p1 = regressionToCatch(p0, rule);
  const k = c.canaryErrors;
  const logAccept = k * Math.log(p1 / p0) + (c.canaryRequests - k) * Math.log((1 - p1) / (1 - p0));
  return { logAccept, regression: p1 };
}

/** The canary requests an analysis expects to need to accept a healthy canary, and the most worth waiting for. */
export interface AcceptanceSample {
  /**
   * The canary requests Wald's acceptance walk expects to need when the canary errs as the baseline does
   * (exactly the first acceptance of an error-free canary when p0 = 0), and at least minSample.
   */
  expected: number;
  /**
   * The truncated design's end: three times the expected sample. Past it the test is very unlikely to
   * decide, and stopping there costs little of β.
   */
  maximum: number;
}

/** The acceptance sample when the baseline errs at p0 (the canary as good as it). */
export function acceptanceSample(p0: number, rule: SequentialRule): AcceptanceSample {
  const p1 = regressionToCatch(p0, rule);
  // KL(p0 ‖ p1): how far each request of a healthy canary moves the walk towards acceptance.
  const kl = (p0 > 0 ? p0 * Math.log(p0 / p1) : 0) + (1 - p0) * Math.log((1 - p0) / (1 - p1));
  const walk = Math.log((1 - rule.alpha) / rule.beta) / kl;
  const expected = Math.max(Math.ceil(walk), rule.minSample ?? 0);
  return { expected, maximum: 3 * expected };
}

/** The most canary requests worth waiting for, from the baseline's counts so far (smoothed as above). */
export function maxCanarySample(c: ErrorCounts, rule: SequentialRule): number {
  return acceptanceSample((c.baselineErrors + 0.5) / (c.baselineRequests + 1), rule).maximum;
}

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
  const { logAccept, regression } = logAcceptRatio(c, rule);
  const canaryRate = c.canaryRequests ? k / c.canaryRequests : 0;
  const baselineRate = c.baselineRequests ? m / c.baselineRequests : 0;
  const evidence = {
    ...base,
    logLambda,
    logAccept,
    regressionToCatch: regression,
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
      summary: `no error regression: ${k} errors in ${c.canaryRequests} canary requests rule out ${pct(regression)} (baseline ${pct(baselineRate)})`,
      evidence,
    };
  }
  return {
    verdict: 'inconclusive',
    summary: `not decided yet: ${k} canary and ${m} baseline errors, ln Λ ${logLambda.toFixed(2)}`,
    evidence,
  };
}
