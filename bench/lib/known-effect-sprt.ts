/**
 * The two-arm conditional SPRT that knows the size of the regression (ANALYSIS.md): the bench's reference.
 * Conditional on an error, it came from the canary with probability π1 = r·w / (r·w + 1 − w) under the
 * regression and π0 = w without one (w the canary's share of requests).
 */
export interface KnownEffect {
  /** The canary's error rate over the baseline's. */
  ratio: number;
  /** The canary's share of requests. */
  share: number;
  alpha: number;
  beta: number;
}

/** ln LR of the error origins seen so far: the statistic Wald's SPRT compares with its two bounds. */
export function knownEffectLogRatio(e: KnownEffect, canaryErrors: number, baselineErrors: number): number {
  const pi1 = (e.ratio * e.share) / (e.ratio * e.share + 1 - e.share);
  return canaryErrors * Math.log(pi1 / e.share) + baselineErrors * Math.log((1 - pi1) / (1 - e.share));
}

/** Wald's bounds: fail at or above `fail`, accept at or below `accept`. */
export function waldBounds(e: Pick<KnownEffect, 'alpha' | 'beta'>) {
  return { fail: Math.log((1 - e.beta) / e.alpha), accept: Math.log(e.beta / (1 - e.alpha)) };
}
